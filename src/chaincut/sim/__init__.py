"""A simulated fraud ecosystem written as real artifacts, with its ground truth.

``chaincut sim build`` writes a world (APKs, IPAs, profiles, landing pages, QR codes, a
case CSV, a brands.yaml overlay and ``truth.json``); ``chaincut eval`` scans it and scores
detection and linking against the truth.
"""
