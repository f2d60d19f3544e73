"""Victims' case reports of a world (interfaces.md section 2 CSV), spread over provinces.

Each gang's cases come from its regions (two to four provinces), so one operation shows
up in several provinces' reports; a report names one or two of the gang's artifacts by
path (relative to the CSV) or by sha256, as analysts do.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence

from chaincut.sim.truth import ArtifactTruth, CaseTruth
from chaincut.sim.world import Gang

HEADER = ["case_id", "region", "reported_at", "loss_amount", "artifacts", "notes"]
NOTES = ["受害人称下载APP后被诱导充值", "对方自称客服，要求共享屏幕", "扫码下载后无法提现",
         "网贷平台要求缴纳解冻金", "", "受害人通过短信链接安装"]  # fmt: skip
LINK_SHARE = 0.8  # share of page reports that name the link (with rotation)
REPORTABLE = ("apk", "page", "qr", "ipa", "mobileconfig")


def gang_cases(
    gang: Gang, artifacts: Sequence[ArtifactTruth], count: int, rng: random.Random, start: int
) -> list[CaseTruth]:
    """``count`` reports against ``gang``, cycling over its regions."""
    pool = [a for a in artifacts if a.kind in REPORTABLE]
    out: list[CaseTruth] = []
    for i in range(count if pool else 0):
        named = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        out.append(
            CaseTruth(
                case_id=f"AJ2024{start + i:05d}",
                region=gang.regions[i % len(gang.regions)],
                gang=gang.id,
                artifacts=[a.sha256 for a in named],
            )
        )
    return out


def cases_csv(
    cases: Sequence[CaseTruth], paths: dict[str, str], rng: random.Random,
    links: dict[str, str] | None = None, link_rng: random.Random | None = None,
) -> str:
    """The CSV text: artifacts by relative path, one in five by sha256 instead.

    With ``links`` (sha256 → the address a page was opened at) and ``link_rng``, a
    report names a page by that link most of the time, as victims do.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for case in cases:
        refs = [sha if rng.random() < 0.2 else paths[sha] for sha in case.artifacts]
        if links and link_rng is not None:
            refs = [links[sha] if sha in links and link_rng.random() < LINK_SHARE else ref
                    for sha, ref in zip(case.artifacts, refs, strict=True)]  # fmt: skip
        loss = "" if rng.random() < 0.1 else str(rng.randrange(2_000, 500_000))
        reported = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        writer.writerow(
            [case.case_id, case.region, reported, loss, ";".join(refs), rng.choice(NOTES)]
        )
    return buf.getvalue()
