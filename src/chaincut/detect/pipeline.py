"""Scan: facts in, one frozen :class:`ScanResult` out (interfaces.md section 3).

This is the only place where the parts of detection meet: features and rule matches
(``detect.features``, ``detect.rules``), builders/packers/SDKs (``detect.components``),
impersonation and category (``detect.impersonation``, ``detect.category``) and the score
(``detect.score``). Every face renders the result; none recomputes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from chaincut.detect import explain
from chaincut.detect.category import categorise
from chaincut.detect.components import recognise
from chaincut.detect.features import extract_features
from chaincut.detect.impersonation import judge
from chaincut.detect.indicators import result_indicators
from chaincut.detect.rules import RuleSet, load_rules
from chaincut.detect.score import decide, icon_only
from chaincut.detect.wording import add_wording_features
from chaincut.extractors.budget import Budget, Job, run_budgeted
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.brands import BrandRegistry, load_registry
from chaincut.knowledge.kb import KnowledgeBase, load_knowledge
from chaincut.result.models import ScanResult
from chaincut.result.subject import describe


@dataclass(frozen=True, slots=True)
class ScanContext:
    """Everything a judgement depends on, loaded once per run and versioned."""

    knowledge: KnowledgeBase
    rules: RuleSet
    brands: BrandRegistry

    @classmethod
    def load(cls, brands: Sequence[Path] = (), rules: Sequence[Path] = ()) -> ScanContext:
        """Built-in data plus the user's ``--brands`` files and ``--rules`` folders."""
        return cls(
            knowledge=load_knowledge(),
            rules=load_rules(list(rules)),
            brands=load_registry(list(brands)),
        )

    def warm(self) -> None:
        """Build now what the first judgement would (brand index, registry icon hashes),
        so workers forked afterwards share it instead of each building their own."""
        from chaincut.detect.impersonation.judge import warm

        warm(self.brands)

    @property
    def knowledge_version(self) -> str:
        return f"kb:{self.knowledge.version}+brands:{self.brands.version}"

    @property
    def rules_version(self) -> str:
        return self.rules.version


def _readable(doc: FactsDocument) -> bool:
    """Whether the extractor got any facts at all (else the verdict can be 'unknown')."""
    return doc.kind != "other" or doc.itms_manifest is not None


def scan_extraction(result: ExtractionResult, ctx: ScanContext) -> ScanResult:
    """Judge one extracted artifact."""
    doc = result.document
    features = extract_features(doc, ctx.knowledge)
    components = recognise(doc, features)
    imp = judge(doc, result.blobs, ctx.brands)
    claimed = None if icon_only(imp.impersonation) else imp.impersonation
    categories = categorise(doc, claimed, ctx.brands)
    category = categories.reported
    add_wording_features(features, categories.wording)
    matches = ctx.rules.match(features)
    evidence = explain.evidence(matches, imp, category)
    decision = decide(evidence, genuine=imp.genuine, readable=_readable(doc))
    parent = doc.fetch.parent if doc.fetch else None
    return ScanResult(
        sha256=doc.sha256,
        path=doc.path,
        kind=doc.kind,
        verdict=decision.verdict,
        score=decision.score,
        category=category.category if category and decision.verdict != "clean" else None,
        impersonates=claimed if imp.genuine is None else None,
        evidence=evidence,
        indicators=result_indicators(doc, components, ctx.knowledge),
        errors=list(doc.errors),
        genuine=imp.genuine,
        category_detail=category,
        components=components,
        summary=explain.summary(doc, decision, imp, category, ctx.brands),
        knowledge_version=ctx.knowledge_version,
        rules_version=ctx.rules_version,
        parent=parent,
        subject=describe(doc),
    )


def scan_results(
    results: Iterator[ExtractionResult], ctx: ScanContext
) -> Iterator[tuple[ExtractionResult, ScanResult]]:
    """Judge a stream of extractions, keeping each extraction next to its result."""
    for result in results:
        yield result, scan_extraction(result, ctx)


def scan_paths(
    paths: Sequence[str], ctx: ScanContext, workers: int | None = None
) -> Iterator[ScanResult]:
    """Extract (isolated, budgeted, in parallel) and judge files, in input order."""
    jobs = [Job(display=p, fspath=p) for p in paths]
    extracted = run_budgeted(jobs, Budget(keep_blobs=True), workers)
    for _, scan in scan_results(extracted, ctx):
        yield scan
