"""Domains that borrow a brand's identity: typosquats, other suffixes, tokens, homoglyphs.

Compared on the registrable domain (eTLD+1, offline public suffix list) against the
brand's official domains. Scores (best route wins):

=============================================================  =====
confusable skeleton of an IDN host is the official domain      0.90
brand's Chinese name spelt in an IDN host ("工商银行.top")         0.85
official domain used as a subdomain ("icbc.com.cn.xyz.top")    0.85
official name under another suffix ("icbc.vip")                0.80
look-alike or one-slip spelling of the official name           0.75
brand token inside the name ("icbc-kefu.com", "icbcvip.top")   0.65
brand name in pinyin inside the name                           0.60
brand token as a subdomain label ("icbc.kefu-center.com")      0.55
short brand token as a hyphenated word ("ccb-app.com")         0.55
=============================================================  =====

The official domain itself is not a signal here: ``judge`` treats a page or link on it
as the brand's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz.distance import Levenshtein

from chaincut.detect.impersonation import normalize as nz
from chaincut.detect.impersonation.index import BrandEntry, BrandIndex
from chaincut.extractors.indicators.hosts import registrable

MIN_PINYIN = 8


@dataclass(frozen=True, slots=True)
class DomainMatch:
    score: float
    detail: str


def host_of(url: str) -> str | None:
    """Lower-case host of a URL (or of a bare host name), None when there is none."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def split_host(host: str) -> tuple[str, str, str] | None:
    """(registrable domain, its first label, the subdomain part) of a host."""
    domain = registrable(host)
    if domain is None:
        return None
    sub = host[: -len(domain)].rstrip(".") if host != domain else ""
    return domain, domain.split(".")[0], sub


def is_official(host: str, entry: BrandEntry) -> bool:
    """The host is one of the brand's official domains or under one. Checked on the
    registrable domain, and by suffix too: a suffix missing from the offline public
    suffix list must not make the brand's own site a stranger."""
    domain = registrable(host)
    if domain is not None and domain in entry.domains:
        return True
    return any(host == d or host.endswith("." + d) for d in entry.domains)


def official_for(host: str, index: BrandIndex) -> tuple[int, ...]:
    """Positions (in registry order) of the brands ``host`` is official for: exactly the
    entries :func:`is_official` accepts, found from one table of every official domain
    (the host's registrable domain and each of its dot suffixes looked up) instead of a
    test per brand; memoised per index (the same hosts recur across artifacts)."""
    memo = index.derived("official memo", dict[str, tuple[int, ...]])
    found = memo.get(host)
    if found is None:
        owners = index.derived("official owners", lambda: _owners(index))
        keys = {host, registrable(host)}
        keys.update(host[i + 1 :] for i, c in enumerate(host) if c == ".")
        found = tuple(sorted({i for k in keys if k is not None for i in owners.get(k, ())}))
        if len(memo) >= OFFICIAL_MEMO_MAX:
            memo.clear()
        memo[host] = found
    return found


OFFICIAL_MEMO_MAX = 50_000


def _owners(index: BrandIndex) -> dict[str, tuple[int, ...]]:
    table: dict[str, list[int]] = {}
    for i, entry in enumerate(index):
        for domain in entry.domains:
            table.setdefault(domain, []).append(i)
    return {d: tuple(v) for d, v in table.items()}


def _official_name(label: str, domain: str, sub: str, entry: BrandEntry) -> DomainMatch | None:
    for official in entry.brand.domains:
        off = official.lower()
        if sub and off in sub:
            return DomainMatch(0.85, f"uses the official '{off}' as a subdomain of '{domain}'")
        off_label = off.split(".")[0]
        distinctive = off_label in entry.tokens or len(off_label) >= 5
        if label == off_label and domain != off and distinctive:
            return DomainMatch(0.8, f"'{domain}' is the official name '{off}' under another suffix")
        if label != off_label and len(off_label) >= 4:
            if nz.skeleton(label) == nz.skeleton(off_label):
                return DomainMatch(0.75, f"'{domain}' is a look-alike spelling of '{off}'")
            limit = 1 if len(off_label) <= 5 else 2
            if Levenshtein.distance(label, off_label) <= limit:
                return DomainMatch(0.75, f"'{domain}' is one slip away from '{off}'")
    return None


def _token(label: str, domain: str, sub: str, entry: BrandEntry) -> DomainMatch | None:
    words = re.split(r"[-_]", label)
    sub_labels = sub.split(".") if sub else []
    for token in entry.tokens:
        if len(token) >= 4 and token in label:
            return DomainMatch(0.65, f"'{domain}' contains the brand's token '{token}'")
        if len(token) <= 3 and token in words and len(words) > 1:
            return DomainMatch(0.55, f"'{domain}' has the brand's token '{token}' as a word")
    for name in entry.names:
        if len(name.pinyin) >= MIN_PINYIN and name.pinyin in label.replace("-", ""):
            return DomainMatch(0.6, f"'{domain}' spells '{name.raw}' in pinyin")
    for token in entry.tokens:
        if token in sub_labels or (len(token) >= 4 and any(token in s for s in sub_labels)):
            return DomainMatch(0.55, f"the subdomain '{sub}' of '{domain}' names the brand")
    return None


def _unicode_labels(host: str) -> list[str]:
    """The host's labels as a person reads them (``xn--`` labels decoded), non-ASCII only."""
    out: list[str] = []
    for label in host.split(".")[:16]:
        text = label
        if label.startswith("xn--"):
            try:
                text = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                continue
        if not text.isascii():
            out.append(text)
    return out


def _idn_name(host: str, entry: BrandEntry) -> DomainMatch | None:
    """A brand's (Chinese) name written in the host itself: ``工商银行.top``."""
    for text in _unicode_labels(host):
        folded = nz.stripped(text)
        for name in entry.names:
            if not name.cjk or len(name.stripped) < 2:
                continue
            if folded.startswith(name.stripped) or (not name.short and name.stripped in folded):
                return DomainMatch(0.85, f"'{host}' spells the brand name '{name.raw}' ({text})")
    return None


def match_host(host: str, entry: BrandEntry, skeleton: str | None = None) -> DomainMatch | None:
    """How a (non-official) host borrows ``entry``'s brand, if it does."""
    if is_official(host, entry):
        return None
    named = _idn_name(host, entry)
    if named is not None:
        return named
    parts = split_host(host)
    if parts is None:
        return None
    domain, label, sub = parts
    if skeleton and skeleton != host:
        for official in entry.brand.domains:
            off = official.lower()
            if skeleton == off or skeleton.endswith("." + off):
                return DomainMatch(0.9, f"'{host}' is a look-alike (IDN) of '{off}'")
    return _official_name(label, domain, sub, entry) or _token(label, domain, sub, entry)
