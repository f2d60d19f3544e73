"""The public suffix list, read from tldextract's bundled snapshot: chaincut's one reader.

``split_parts`` gives what ``tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
fallback_to_snapshot=True).extract_str(host, include_psl_private_domains=private)`` gives
for a host name (no scheme, user, port or path): the same snapshot file, the same rule
parsing, the same walk from the last label (punycode labels decoded, wildcard and
exception rules with tldextract's quirks), so the same registrable domains, with the
ICANN rules alone or with the private ones too (``x.github.io`` is a tenant's own name).
It reads the file without importing tldextract, which imports ``requests`` (about 0.1 s)
and builds two tries of objects (about 0.05 s) on first use; here the rules are two sets
of label tuples per list. ``tests/test_suffixes.py`` compares it with tldextract on
thousands of hosts, both ways.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

SNAPSHOT = ".tld_set_snapshot"  # inside the tldextract package, as tldextract reads it
PRIVATE_START = "// ===BEGIN PRIVATE DOMAINS==="
RULE = re.compile(r"^(?P<suffix>[.*!]*\w[\S]*)", re.UNICODE | re.MULTILINE)  # tldextract's
IPV4 = re.compile(
    r"^(?:(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.)"
    r"{3}(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$",
    re.ASCII,
)


def _snapshot() -> str:
    spec = importlib.util.find_spec("tldextract")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("tldextract (whose public suffix list snapshot is read) is missing")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / SNAPSHOT).read_bytes().decode("utf-8")


@functools.cache
def _rules(private: bool = False) -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]:
    """(rules, paths): each ICANN rule (and each private one, with ``private``) as its
    labels last first, and every leading part of those tuples (the nodes of tldextract's
    trie; a rule is a node marked as an end)."""
    public, _, private_part = _snapshot().partition(PRIVATE_START)
    text = public + "\n" + private_part if private else public
    rules = {tuple(reversed(m.group("suffix").split("."))) for m in RULE.finditer(text)}
    paths = {rule[:n] for rule in rules for n in range(1, len(rule) + 1)}
    return frozenset(rules), frozenset(paths)


def _decode(label: str) -> str:
    lowered = label.lower()
    if lowered.startswith("xn--"):
        import idna  # tldextract's own dependency; only punycode labels need it

        try:
            decoded: str = idna.decode(lowered)
            return decoded
        except (UnicodeError, IndexError):
            pass
    return lowered


def _suffix_index(labels: list[str], private: bool = False) -> int | None:
    """Index of the first public-suffix label (tldextract's ``suffix_index``, which may be
    -1 after a wildcard rule), or None when no rule matches."""
    rules, paths = _rules(private)
    suffix_at = at = len(labels)
    node: tuple[str, ...] = ()
    for label in reversed(labels):
        decoded = _decode(label)
        step = (*node, decoded)
        if step in paths:
            at -= 1
            node = step
            if step in rules:
                suffix_at = at
            continue
        if (*node, "*") in paths:
            return at if (*node, "!" + decoded) in paths else at - 1
        break
    return None if suffix_at == len(labels) else suffix_at


def split_parts(host: str, private: bool = False) -> tuple[str, str, str]:
    """(subdomain, domain label, public suffix) of a host name, as tldextract's
    ``subdomain``, ``domain`` and ``suffix``; empty strings where it gives empty strings.
    ``private`` counts the list's private suffixes (``github.io``) as suffixes too."""
    host = host.strip().rstrip(".\u3002\uff0e\uff61")
    host = host.replace("\u3002", ".").replace("\uff0e", ".").replace("\uff61", ".")
    if len(host) >= 4 and host[0] == "[" and host[-1] == "]":
        import ipaddress

        try:
            ipaddress.IPv6Address(host[1:-1])
            return "", host, ""
        except ValueError:
            pass
    labels = host.split(".")
    at = _suffix_index(labels, private)
    if at is None:
        if len(labels) == 4 and host[:1].isdecimal() and IPV4.fullmatch(host):
            return "", host, ""
        return ".".join(labels[:-1]), labels[-1], ""
    subdomain = ".".join(labels[: at - 1]) if at >= 2 else ""
    return subdomain, (labels[at - 1] if at > 0 else ""), ".".join(labels[at:])


def split_host(host: str) -> tuple[str, str]:
    """(domain label, public suffix) of a host name by the ICANN rules, as tldextract's
    ``domain`` and ``suffix``."""
    _, domain, suffix = split_parts(host)
    return domain, suffix
