"""Planted worlds for the linking tests: gangs, the suppliers they share, clean bystanders.

Each gang owns private certificates, domains, IPs and chat/phone contacts; its apps draw
random subsets of them. Suppliers are planted across gangs: a developer certificate signs
for 3 gangs, a server IP hosts domains of 4, a builder app id is used by 2, a distribution
domain serves the landing pages of 5. Common infrastructure carries ``common``; clean apps
share a CDN domain with each other and with a few gang apps.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

import numpy as np

from chaincut.link.graph import IndicatorGraph
from chaincut.link.model import ArtifactRecord, CaseRecord
from chaincut.result.models import ResultIndicator

DEV_CERT = hashlib.sha256(b"supplier-developer-cert").hexdigest()
SERVER_IP = "47.91.20.11"
BUILDER_ID = "__UNI__SUPPLIER"
DIST_DOMAIN = "dl.super-sign.example"
SUPPLIERS = {
    ("cert_sha256", DEV_CERT): ("developer", (0, 1, 2)),
    ("ip", SERVER_IP): ("server", (1, 3, 4, 5)),
    ("builder_app_id", BUILDER_ID): ("developer", (2, 6)),
    ("domain", DIST_DOMAIN): ("distributor", (0, 3, 5, 6, 7)),
}
REGIONS = [
    ("广东", "广东省"),
    ("广东", "GD"),
    ("浙江", "Zhejiang"),
    ("北京", "北京市"),
    ("四川", "SC"),
]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def small_graph(
    n_artifacts: int, links: list[tuple[int, int]], n_ind: int, vote: list[float] | None = None
) -> IndicatorGraph:
    """A hand-written graph: (artifact, indicator) links, every artifact a seed, prior 1."""
    return IndicatorGraph(
        n_artifacts=n_artifacts,
        rows=np.asarray([a for a, _ in links], dtype=np.int32),
        cols=np.asarray([i for _, i in links], dtype=np.int32),
        prior=np.ones(n_ind),
        common=np.zeros(n_ind, dtype=bool),
        seed=np.ones(n_artifacts, dtype=bool),
        vote=None if vote is None else np.asarray(vote, dtype=np.float64),
    )


def ind(kind: str, value: str, common: bool = False) -> ResultIndicator:
    return ResultIndicator(kind=kind, value=value, common=common)


@dataclass
class World:
    artifacts: list[ArtifactRecord] = field(default_factory=list)
    cases: list[CaseRecord] = field(default_factory=list)
    gang_of: dict[str, int] = field(default_factory=dict)  # seed sha256 -> gang
    clean: list[str] = field(default_factory=list)


def _gang_apps(rng: random.Random, g: int, world: World, size: int) -> list[str]:
    cert = DEV_CERT if g in SUPPLIERS[("cert_sha256", DEV_CERT)][1] else sha(f"cert-{g}")
    domains = [f"api{i}.gang{g}-{rng.randrange(10**6)}.cn" for i in range(3)]
    ips = [f"103.{g + 10}.{i}.{i + 1}" for i in range(2)]
    qq, phone = f"{1000000 + g * 7919}", f"+8613{g:02d}0000{g:03d}"
    pages = []
    for p in range(2):
        page = sha(f"page-{g}-{p}")
        inds = [ind("domain", domains[0]), ind("url", f"https://{domains[0]}/d{p}")]
        if g in SUPPLIERS[("domain", DIST_DOMAIN)][1]:
            inds.append(ind("domain", DIST_DOMAIN))
        world.artifacts.append(
            ArtifactRecord(sha256=page, kind="page", verdict="malicious", indicators=inds)
        )
        world.gang_of[page] = g
        pages.append(page)
    apps = []
    for a in range(size):
        s = sha(f"app-{g}-{a}")
        inds = [ind("cert_sha256", cert), ind("package", f"com.gang{g}.app{a % 2}")]
        inds += [ind("domain", d) for d in rng.sample(domains, 2)]
        inds.append(ind("ip", rng.choice(ips)))
        if rng.random() < 0.7:
            inds.append(ind("qq", qq))
        if rng.random() < 0.5:
            inds.append(ind("phone", phone))
        if g in SUPPLIERS[("ip", SERVER_IP)][1] and a % 2 == 0:
            inds.append(ind("ip", SERVER_IP))
        if g in SUPPLIERS[("builder_app_id", BUILDER_ID)][1]:
            inds.append(ind("builder_app_id", BUILDER_ID))
        inds += [ind("domain", "www.google.com", common=True), ind("ip", "10.0.0.1")]
        if a == 0 and g < 4:
            inds.append(ind("domain", "static.cdn-shared.example"))
        world.artifacts.append(
            ArtifactRecord(
                sha256=s,
                kind="apk",
                verdict="malicious" if a % 3 else "suspicious",
                score=80,
                label=f"Gang {g} app {a}",
                brand="icbc" if g % 2 else None,
                category="investment",
                parent=pages[a % 2],
                indicators=inds,
            )
        )
        world.gang_of[s] = g
        apps.append(s)
    return apps


def make_world(gangs: int = 8, seed: int = 7) -> World:
    """The planted world: gangs of 5-9 apps, 4 suppliers, 6 clean apps, 24 cases."""
    rng = random.Random(seed)
    world = World()
    apps_of = [_gang_apps(rng, g, world, rng.randint(5, 9)) for g in range(gangs)]
    for c in range(6):
        s = sha(f"clean-{c}")
        inds = [ind("domain", "static.cdn-shared.example"), ind("cert_sha256", sha(f"cc{c}"))]
        if c == 0:  # a clean app that shares a gang's IP: related, never glue
            inds.append(ind("ip", "103.10.0.1"))
        world.artifacts.append(
            ArtifactRecord(
                sha256=s, kind="apk", verdict="clean", label=f"Clean {c}", indicators=inds
            )
        )
        world.clean.append(s)
    for k in range(24):
        g = k % gangs
        key, raw = REGIONS[(k * 3 + g) % len(REGIONS)]
        world.cases.append(
            CaseRecord(
                case_id=f"{key}-{k:03d}",
                region=raw,
                reported_at=f"2024-0{1 + k % 9}-1{k % 10}",
                loss_amount=float(1000 * (k + 1)),
                artifacts=[apps_of[g][k % len(apps_of[g])]],
            )
        )
    return world
