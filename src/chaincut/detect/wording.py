"""What the artifact's own words say, as features rules can weigh.

The category judgement (``detect.category``) reads labels, string resources, H5 pages,
page text and profile descriptions. The category the *wording alone* points at (without
the imitated brand's category) becomes features, so that fraud that imitates no brand
(gambling, rebate tasks, pig-butchering investment, dating, loan fees, fake police) is
judged on its own words plus the other independent signals it carries, by rules that are
data (``rules/fraud/*-wording.yaml``, ``rules/fraud/own-platform.yaml``):

* ``wording.category``: the category, when the wording decides one;
* ``wording.score``: its points (rounded down), so a rule can ask for plentiful wording;
* ``wording.terms``: the distinct terms that decided it (rule evidence names them).
"""

from __future__ import annotations

from chaincut.detect.features import FeatureSet
from chaincut.result.models import CategoryJudgement


def add_wording_features(features: FeatureSet, wording: CategoryJudgement | None) -> None:
    """Record the wording category (nothing when the wording is thin)."""
    if wording is None:
        return
    features.add("wording.category", wording.category)
    features.add("wording.score", int(wording.score))
    for term in wording.terms:
        if not term.startswith("permission "):
            features.add("wording.terms", term)
