"""Metric functions of the evaluation, plain Python over plain sequences.

Written here rather than borrowed from scikit-learn so the evaluation has no heavy
dependency and every formula can be read next to its test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def prf(tp: int, fp: int, fn: int) -> PRF:
    """Precision, recall and F1 from counts (0 where undefined)."""
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return PRF(p, r, _ratio(2 * p * r, p + r), tp, fp, fn)


def binary_prf(truth: Sequence[bool], predicted: Sequence[bool]) -> PRF:
    """PRF of a binary decision; ``truth[i]`` is whether item i is really positive."""
    pairs = list(zip(truth, predicted, strict=True))
    tp = sum(1 for t, p in pairs if t and p)
    fp = sum(1 for t, p in pairs if p and not t)
    fn = sum(1 for t, p in pairs if t and not p)
    return prf(tp, fp, fn)


def macro_f1(truth: Sequence[str], predicted: Sequence[str | None]) -> float:
    """Mean F1 over the labels present in ``truth`` (a missing prediction is wrong)."""
    scores = per_label_f1(truth, predicted)
    return sum(scores.values()) / len(scores) if scores else 0.0


def per_label_f1(truth: Sequence[str], predicted: Sequence[str | None]) -> dict[str, float]:
    """F1 of each label present in ``truth``: which classes pull the macro mean down."""
    scores = {}
    for label in sorted(set(truth)):
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        scores[label] = prf(tp, fp, fn).f1
    return scores


def confusions(truth: Sequence[str], predicted: Sequence[str | None]) -> Counter[tuple[str, str]]:
    """(true, predicted) label pairs that differ, with counts; a missing prediction is "none"."""
    return Counter((t, p or "none") for t, p in zip(truth, predicted, strict=True) if t != p)


def _pairs(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand_index(truth: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    """Hubert and Arabie's ARI between two labelings of the same items.

    1.0 for identical partitions (also when both put everything in one group or every item
    alone), about 0 for a random one.
    """
    if len(truth) != len(found):
        raise ValueError("labelings differ in length")
    n = len(truth)
    if n < 2:
        return 1.0
    joint = sum(_pairs(c) for c in Counter(zip(truth, found, strict=True)).values())
    rows = sum(_pairs(c) for c in Counter(truth).values())
    cols = sum(_pairs(c) for c in Counter(found).values())
    expected = rows * cols / _pairs(n)
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return (joint - expected) / (top - expected)


@dataclass(frozen=True)
class PairAgreement:
    same_together: float  # share of same-group pairs found in one cluster
    apart: float  # share of different-group pairs found in different clusters
    same_pairs: int
    cross_pairs: int


def pair_agreement(
    truth: Sequence[Hashable], found: Sequence[Hashable | None]
) -> PairAgreement:
    """Pairwise agreement; an item ``found`` as None is in no cluster (never together)."""
    same = same_ok = cross = cross_ok = 0
    for (t1, f1), (t2, f2) in combinations(zip(truth, found, strict=True), 2):
        together = f1 is not None and f1 == f2
        if t1 == t2:
            same += 1
            same_ok += together
        else:
            cross += 1
            cross_ok += not together
    return PairAgreement(
        _ratio(same_ok, same) if same else 1.0, _ratio(cross_ok, cross) if cross else 1.0,
        same, cross,
    )  # fmt: skip
