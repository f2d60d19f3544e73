"""Resemblance signals per brand: label, icon, package/bundle id, domain, mentions.

Each shown label and icon is evidence for the brand(s) it resembles *most* only ("京东金融"
resembles both 京东金融 and, once 金融 is stripped, 京东; it is evidence for 京东金融 alone).
Brands whose official identifier the artifact carries without a key to check it
(``Identity.unverified``) are left out, and so is whatever resembles them best.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

import numpy as np

from chaincut.detect.impersonation import icons as ic
from chaincut.detect.impersonation import index as idx
from chaincut.detect.impersonation import mentions
from chaincut.detect.impersonation.clues import Clues
from chaincut.detect.impersonation.domains import match_host, official_for
from chaincut.detect.impersonation.index import BrandEntry, BrandIndex
from chaincut.detect.impersonation.label_candidates import label_candidates
from chaincut.detect.impersonation.labels import LabelForms, match_label
from chaincut.detect.impersonation.mentions import mention_forms, mention_signal, naming_texts
from chaincut.detect.impersonation.package_candidates import candidates
from chaincut.detect.impersonation.packages import Identifier, match_identifier
from chaincut.result.models import Signal

ShownKind = Literal["label", "icon"]
IdKind = Literal["package", "bundle_id"]
Signals = dict[str, dict[str, Signal]]  # brand id -> signal kind -> best signal
TIE = 1e-6


def _keep(out: Signals, brand: str, signal: Signal) -> None:
    per = out.setdefault(brand, {})
    old = per.get(signal.kind)
    if old is None or signal.score > old.score:
        per[signal.kind] = signal


def _winners(
    scores: dict[str, tuple[float, str]], skip: set[str], out: Signals, kind: ShownKind
) -> None:
    """Give the signal to the best-scoring brand(s) only, unless one of them is skipped."""
    if not scores:
        return
    top = max(s for s, _ in scores.values())
    best = [b for b, (s, _) in scores.items() if s >= top - TIE]
    if any(b in skip for b in best):
        return
    for brand in best:
        score, detail = scores[brand]
        _keep(out, brand, Signal(kind=kind, score=score, detail=detail))


LabelHit = tuple[str, float, str, str]  # brand id, score, how, registry name
_LABEL_MEMO_MAX = 50_000


def _label_matches(text: str, index: BrandIndex) -> list[LabelHit]:
    """(brand id, score, how, name) for one label, in registry order; memoised on the index
    because the same labels (app names, locale variants) recur across a corpus and matching
    is costly, and tried only on the brands the label could name (``label_candidates``)."""
    memo = index.derived("label memo", dict[str, list[LabelHit]])
    found = memo.get(text)
    if found is None:
        forms = LabelForms.of(text)
        found = [
            (entry.id, m.score, m.how, m.name)
            for entry in label_candidates(forms, index)
            if (m := match_label(forms, entry)) is not None
        ]
        if len(memo) >= _LABEL_MEMO_MAX:
            memo.clear()
        memo[text] = found
    return found


def _labels(clues: Clues, index: BrandIndex, skip: set[str], out: Signals) -> None:
    for text, where in clues.labels:
        scores: dict[str, tuple[float, str]] = {
            brand: (score, f"{where} '{text}' {how} (brand name '{name}')")
            for brand, score, how, name in _label_matches(text, index)
        }
        _winners(scores, skip, out, "label")


def _icons(clues: Clues, index: BrandIndex, skip: set[str], out: Signals) -> None:
    entries, table = icon_table(index)
    if not entries:
        return
    for data, where in clues.icons:
        hashes = ic.icon_hashes(data)
        if hashes is None:
            continue
        scores: dict[str, tuple[float, str]] = {}
        distances = table.distances(hashes)
        # only registry icons within the last step can score (score_of gives 0 beyond)
        for i in np.flatnonzero(distances <= max(s for s, _ in ic.STEPS)).tolist():
            entry, d = entries[i], int(distances[i])
            score, why = ic.score_of(d)
            if score > scores.get(entry.id, (0.0, ""))[0]:
                name = entry.brand.display_name
                scores[entry.id] = (score, f"{where} looks like {name}'s icon ({why})")
        _winners(scores, skip, out, "icon")


def icon_table(index: BrandIndex) -> tuple[list[BrandEntry], ic.IconTable]:
    """Every registry icon's hashes as one table (its brand entry per row), built once
    per index."""

    def build() -> tuple[list[BrandEntry], ic.IconTable]:
        refs = [(e, h) for e in index for p in e.brand.icons if (h := ic.registry_icon(p))]
        return [e for e, _ in refs], ic.IconTable([h for _, h in refs])

    return index.derived("icon_table", build)


def _identifiers(clues: Clues, index: BrandIndex, skip: set[str], out: Signals) -> None:
    pairs: tuple[tuple[IdKind, list[str]], ...] = (
        ("package", clues.packages),
        ("bundle_id", clues.bundle_ids),
    )
    for kind, values in pairs:
        for value in values:
            if value in index.owned:
                continue  # an official identifier: settled by identity, not resemblance
            ident = Identifier.of(value)
            possible = candidates(ident, index)
            if not possible:
                continue
            for entry in idx.in_registry_order(index, possible):
                if entry.id in skip:
                    continue
                m = match_identifier(ident, entry)
                if m is not None:
                    what = "package" if kind == "package" else "bundle id"
                    detail = f"{what} '{value}' {m.detail}"
                    _keep(out, entry.id, Signal(kind=kind, score=m.score, detail=detail))


HostHit = tuple[str, float, str]  # brand id, score, detail
_HOST_MEMO_MAX = 50_000


def _host_matches(host: str, skeleton: str | None, index: BrandIndex) -> list[HostHit]:
    """(brand id, score, detail) for one host, none when it is some brand's official
    domain; memoised on the index because the same hosts recur across a corpus (an
    app, its page and its QR code) and every brand is tried."""
    memo = index.derived("host memo", dict[tuple[str, str | None], list[HostHit]])
    found = memo.get((host, skeleton))
    if found is None:
        found = []
        if not official_for(host, index):
            found = [
                (entry.id, m.score, m.detail)
                for entry in index
                if (m := match_host(host, entry, skeleton)) is not None
            ]
        if len(memo) >= _HOST_MEMO_MAX:
            memo.clear()
        memo[(host, skeleton)] = found
    return found


def _hosts(clues: Clues, index: BrandIndex, out: Signals) -> None:
    for host in clues.hosts:
        for brand, score, detail in _host_matches(host.host, host.skeleton, index):
            signal = Signal(kind="domain", score=score, detail=f"{host.where} {detail}")
            _keep(out, brand, signal)


def _mentions(clues: Clues, index: BrandIndex, skip: set[str], out: Signals) -> None:
    texts = naming_texts(index, clues.texts)
    if not texts and not clues.mentions:
        return  # no brand is named anywhere
    named = mentions.named_brands(index, texts, clues.mentions)
    if not named:
        return  # no brand's searchable name or token occurs
    forms = mention_forms(index)
    for entry in idx.in_registry_order(index, named):
        if entry.id in skip:
            continue
        signal = mention_signal(forms[entry.id], texts, clues.mentions)
        if signal is not None:
            _keep(out, entry.id, signal)


def resemblance(clues: Clues, index: BrandIndex, skip: set[str]) -> Signals:
    """Every resemblance signal, best per (brand, kind)."""
    out: Signals = defaultdict(dict)
    _labels(clues, index, skip, out)
    _icons(clues, index, skip, out)
    _identifiers(clues, index, skip, out)
    _hosts(clues, index, out)
    _mentions(clues, index, skip, out)
    return {b: s for b, s in out.items() if b not in skip}
