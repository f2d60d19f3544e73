"""Extractors: one package per input kind, each turning bytes into typed facts.

Readers never raise on bad input; they report anomalies and errors through
:class:`chaincut.extractors.findings.Findings` and return what they could read.
"""
