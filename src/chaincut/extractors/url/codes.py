"""Anomaly codes of the URL reader: the disguises a link can wear."""

from __future__ import annotations

CODES: dict[str, str] = {
    "url_too_long": "the URL is longer than the analyser reads; the rest was ignored",
    "url_control_chars": "the URL holds whitespace or control characters (removed before reading)",
    "url_backslash": "backslashes in the URL, which browsers read as slashes",
    "url_no_host": "a URL scheme that needs a host, but no host was given",
    "url_invalid_host": "the host cannot be a DNS name (bad characters or an IDNA error)",
    "url_invalid_port": "the port is not a number from 0 to 65535",
    "url_nonstandard_port": "an explicit port other than the scheme's default",
    "url_invalid_ipv4": "a numeric host that is not a valid IPv4 address",
    "url_ip_host": "the host is an IP address literal, not a name",
    "url_ip_obfuscated": "an IPv4 host written as an integer, hex or octal to hide it",
    "url_private_ip": "the host is a private, loopback or reserved address",
    "url_userinfo": "user:password@ before the host, often shaped like a trusted host name",
    "url_punycode_host": "the host has IDNA (xn--) labels",
    "url_mixed_scripts": "a host label mixes Latin with Cyrillic or Greek letters",
    "url_confusable_host": "a non-ASCII host whose look-alike skeleton is a plain ASCII name",
    "url_brand_token": "a brand's name appears in a host or path not on its official domains",
    "url_shortener": "a URL shortener hides the real target",
}
