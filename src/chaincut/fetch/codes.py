"""Anomaly codes of ``--fetch``: how an artifact was served is evidence too."""

from __future__ import annotations

CODES: dict[str, str] = {
    "fetch_truncated": "the response was larger than the fetch limit; only its start was analysed",
    "redirect_loop": "a redirect led back to a URL already visited in the same chain",
    "redirect_to_private": (
        "a redirect pointed at a private, loopback or link-local address (refused by default)"
    ),
    "too_many_redirects": "the redirect chain was longer than the fetch limit allows",
    "content_type_mismatch": (
        "the server's Content-Type names a different kind than the bytes are "
        "(e.g. text/html for an APK), a way to slip past filters"
    ),
    "download_over_cleartext": (
        "an app, profile or install manifest was downloaded over plain http"
    ),
    "fetched_private": (
        "--allow-private let the fetch reach a private, loopback, link-local or local address"
    ),
    "fetch_exchange_limit": (
        "the server broke a limit of the exchange (status line and headers too slow, endless "
        "1xx responses, trailer or chunk-size lines) and the fetch was cut"
    ),
    "redirect_to_app_scheme": (
        "an http redirect pointed straight at a non-web scheme (itms-services:, intent:, ...)"
    ),
}
