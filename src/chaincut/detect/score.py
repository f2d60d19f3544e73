"""From rule matches and judgements to one score and one verdict, explainably.

The combination is deliberately simple so an investigator can redo it by hand:

* every matched rule adds its own ``score`` points (a rule counts once);
* points of ``low``-severity items are *context* (how the app is built, hosted or
  signed: WebView shells, debug keys, boot receivers...) and together add at most
  ``CONTEXT_CAP``, below ``SUSPICIOUS_AT``: context alone never flags an artifact, since
  ordinary apps are built, hosted and signed the same way; it can only add weight to
  behaviour or an imitation;
* an imitation resting on one kind of resemblance short of near-identity (a look-alike
  icon under an unrelated name and package) is context too: generic icons collide, so
  it needs another kind of signal (label, package, certificate...) or other evidence;
* an imitation of a registered brand by an app that is not the brand's own adds
  ``IMPERSONATION_POINTS x confidence`` (imitating a bank is the core of the fraud);
* the total is capped at 100;
* the brand's own genuine app is ``clean`` whatever else matched (genuine apps use
  builders, packers and SDKs too), and an artifact nothing could be read from is
  ``unknown`` unless its malformations are evidence on their own.

Thresholds: ``malicious`` from ``MALICIOUS_AT`` points, ``suspicious`` from
``SUSPICIOUS_AT``. docs/scoring.md explains the numbers; tests pin them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chaincut.result.models import Evidence, Impersonation, Verdict

MALICIOUS_AT = 70
SUSPICIOUS_AT = 40
IMPERSONATION_POINTS = 60
IMPERSONATION_MIN_CONFIDENCE = 0.5
CONTEXT_CAP = 30  # most points low-severity (context) items add together
CONTEXT_SEVERITIES = frozenset({"low", "info"})
DECISIVE_SIGNAL = 0.9  # a single resemblance this close (near-identical icon, exact label)


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    score: int


def impersonation_points(imp: Impersonation | None, genuine: str | None) -> int:
    """Points an imitation adds; none for a genuine app or a weak resemblance."""
    if imp is None or genuine is not None or imp.confidence < IMPERSONATION_MIN_CONFIDENCE:
        return 0
    return round(IMPERSONATION_POINTS * imp.confidence)


def total_points(evidence: Sequence[Evidence]) -> int:
    """Behaviour and imitation points in full, context points up to ``CONTEXT_CAP``."""
    context = sum(max(0, e.score) for e in evidence if e.severity in CONTEXT_SEVERITIES)
    strong = sum(max(0, e.score) for e in evidence if e.severity not in CONTEXT_SEVERITIES)
    return min(100, strong + min(CONTEXT_CAP, context))


def _best_kinds(imp: Impersonation) -> dict[str, float]:
    best: dict[str, float] = {}
    for s in imp.signals:
        if s.kind != "text":
            best[s.kind] = max(best.get(s.kind, 0.0), s.score)
    return best


def icon_only(imp: Impersonation | None) -> bool:
    """The resemblance rests on the icon alone (text mentions aside): generic icons
    collide and a harmless app may look like a bank's, so this is context, never an
    imitation verdict (the result names no imitated brand)."""
    return imp is not None and set(_best_kinds(imp)) == {"icon"}


def imitation_is_decisive(imp: Impersonation) -> bool:
    """Two kinds of resemblance, or one near-identical other than the icon (text
    mentions only support; an icon alone, however close, is context)."""
    best = _best_kinds(imp)
    if icon_only(imp):
        return False
    return len(best) >= 2 or max(best.values(), default=0.0) >= DECISIVE_SIGNAL


def decide(evidence: Sequence[Evidence], *, genuine: str | None, readable: bool) -> Decision:
    """The verdict from the evidence points (each Evidence carries the points it added)."""
    total = total_points(evidence)
    if genuine is not None:
        return Decision("clean", 0)
    if total >= MALICIOUS_AT:
        return Decision("malicious", total)
    if total >= SUSPICIOUS_AT:
        return Decision("suspicious", total)
    if not readable:
        return Decision("unknown", total)
    return Decision("clean", total)
