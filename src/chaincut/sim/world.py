"""The generative model of a simulated fraud ecosystem: brands, suppliers, gangs.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so a seed is a
world. Suppliers are the gray-industry services several gangs buy from: developers (a
signing key and builder accounts), server operators (an IP hosting many gangs' backends),
distribution platforms (a super-signature Apple team id and a download domain), payment
channels and customer-service chat accounts. Gangs each imitate one or two brands of one
category and own their domains, C2 addresses, contact phones and push keys.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from chaincut.knowledge.brands import Brand, default_registry
from chaincut.sim import names as N
from chaincut.sim.keys import Signer, signer

SIZES = ("tiny", "small", "medium")


@dataclass(frozen=True)
class Sizes:
    """The knobs of one world size."""

    brands: int
    gangs: int
    apps_per_gang: tuple[int, int]
    hard_negatives: int
    cases_per_gang: tuple[int, int]
    web_share: float  # share of gangs with landing pages and QR codes
    ios_share: float  # share of gangs with IPAs and profiles


SIZE_TABLE: dict[str, Sizes] = {
    "tiny": Sizes(3, 3, (2, 3), 4, (2, 3), 0.67, 0.34),
    "small": Sizes(10, 10, (6, 9), 45, (3, 6), 0.6, 0.4),
    "medium": Sizes(24, 30, (8, 12), 150, (4, 8), 0.6, 0.4),
}


@dataclass(frozen=True)
class WorldSpec:
    """What to simulate: the seed, a size preset, and optionally the number of fake apps."""

    seed: int = 0
    size: str = "small"
    apps: int | None = None
    rotation: bool = False  # gangs rotate keys and domains midway; reports name links

    @property
    def sizes(self) -> Sizes:
        return SIZE_TABLE[self.size]


@dataclass
class Supplier:
    """One gray-industry supplier; ``values`` are its (kind, value) traces in artifacts."""

    id: str
    role: str  # developer | server | distributor | payment | contact | packager
    values: list[tuple[str, str]]
    gangs: list[str] = field(default_factory=list)
    builder: str | None = None  # developers: dcloud | apicloud
    builder_ids: list[str] = field(default_factory=list)


@dataclass
class Gang:
    id: str
    category: str
    brands: list[str]
    apps: int
    domains: list[str]
    ips: list[str]
    phones: list[str]
    jpush_key: str
    chat_key: str  # own Meiqia key unless a contact supplier sells one
    regions: list[str]
    web: bool
    ios: bool
    suppliers: dict[str, str] = field(default_factory=dict)  # role → supplier id
    packer: str | None = None
    own_signer: Signer | None = None  # after a rotation: a key of the gang's own


@dataclass
class World:
    spec: WorldSpec
    rng: random.Random
    brands: list[Brand]
    suppliers: dict[str, Supplier]
    gangs: list[Gang]

    def supplier(self, gang: Gang, role: str) -> Supplier | None:
        sid = gang.suppliers.get(role)
        return self.suppliers[sid] if sid else None


def developer_signer(seed: int, dev_id: str) -> Signer:
    """A developer supplier's signing identity (the key behind its ``cert_sha256``)."""
    return signer(f"{seed}:{dev_id}", f"{dev_id.replace('-', '')} dev", None, days_offset=30)


def platform_signer(seed: int, platform_id: str) -> Signer:
    """The certificate a distribution platform signs its web-clip profiles with."""
    return signer(f"{seed}:{platform_id}", f"{platform_id} sign", "Mobile Sign Co")


def _pick_brands(rng: random.Random, count: int) -> list[Brand]:
    """Brands with an official package, spread over categories."""
    pool = [b for b in default_registry().brands.values() if b.packages]
    by_cat: dict[str, list[Brand]] = {}
    for b in sorted(pool, key=lambda b: b.id):
        by_cat.setdefault(b.category, []).append(b)
    cats = sorted(by_cat)
    rng.shuffle(cats)
    chosen: list[Brand] = []
    while len(chosen) < min(count, len(pool)):
        for cat in cats:
            left = [b for b in by_cat[cat] if b not in chosen]
            if left and len(chosen) < count:
                chosen.append(rng.choice(left))
    return chosen


def _domain(rng: random.Random) -> str:
    return f"{N.word(rng, rng.randint(5, 8))}.{rng.choice(N.TLDS)}"


def _suppliers(rng: random.Random, gangs: int) -> dict[str, Supplier]:
    out: dict[str, Supplier] = {}
    for i in range(max(1, math.ceil(gangs / 2.5))):
        builder = rng.choice(["dcloud", "apicloud"])
        ids = [
            f"__UNI__{N.hexid(rng, 7)}" if builder == "dcloud" else f"A{N.digits(rng, 13)}"
            for _ in range(rng.randint(1, 2))
        ]
        out[f"dev-{i}"] = Supplier(f"dev-{i}", "developer", [], builder=builder, builder_ids=ids)
    for i in range(max(1, math.ceil(gangs / 3))):
        out[f"server-{i}"] = Supplier(f"server-{i}", "server", [("ip", N.public_ip(rng))])
    for i in range(max(1, math.ceil(gangs / 4))):
        team = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))
        out[f"platform-{i}"] = Supplier(
            f"platform-{i}", "distributor", [("team_id", team), ("domain", _domain(rng))]
        )
    for i in range(max(1, math.ceil(gangs / 4))):
        out[f"pay-{i}"] = Supplier(f"pay-{i}", "payment", [("domain", _domain(rng))])
    for i in range(max(1, math.ceil(gangs / 5))):
        key = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        out[f"chat-{i}"] = Supplier(f"chat-{i}", "contact", [("sdk_app_key", key)])
    return out


def _assign(rng: random.Random, gangs: list[Gang], suppliers: dict[str, Supplier]) -> None:
    """Each gang buys from some suppliers; every supplier serves at least two gangs when it
    can (round-robin over a shuffled gang order)."""
    plan = {"developer": 1.0, "server": 0.8, "distributor": 0.0, "payment": 0.6, "contact": 0.5}
    for role, share in plan.items():
        pool = [s for s in suppliers.values() if s.role == role]
        order = list(gangs)
        rng.shuffle(order)
        if role == "distributor":
            order = [g for g in order if g.web or g.ios]
        else:
            order = order[: max(2, round(len(order) * share))]
        for i, gang in enumerate(order):
            sup = pool[i % len(pool)]
            gang.suppliers[role] = sup.id
            sup.gangs.append(gang.id)
    for sup in suppliers.values():
        sup.gangs.sort()


def _gang(rng: random.Random, i: int, brands: list[Brand], sizes: Sizes, apps: int) -> Gang:
    first = brands[i % len(brands)]
    same = [b for b in brands if b.category == first.category and b.id != first.id]
    targets = [first] + ([rng.choice(same)] if same and rng.random() < 0.3 else [])
    regions = rng.sample(N.PROVINCES, rng.randint(2, 4))
    return Gang(
        id=f"gang-{i}",
        category=first.category,
        brands=[b.id for b in targets],
        apps=apps,
        domains=[_domain(rng) for _ in range(rng.randint(2, 3))],
        ips=[N.public_ip(rng) for _ in range(rng.randint(1, 2))],
        phones=[N.phone(rng) for _ in range(2)],
        jpush_key="".join(rng.choice("0123456789abcdef") for _ in range(24)),
        chat_key="".join(rng.choice("0123456789abcdef") for _ in range(32)),
        regions=regions,
        web=rng.random() < sizes.web_share,
        ios=rng.random() < sizes.ios_share,
        packer=rng.choice([None, None, "jiagu_360", "legu"]),
    )


def _app_counts(rng: random.Random, spec: WorldSpec) -> list[int]:
    lo, hi = spec.sizes.apps_per_gang
    if spec.apps is None:
        return [rng.randint(lo, hi) for _ in range(spec.sizes.gangs)]
    gangs = max(1, min(spec.sizes.gangs, spec.apps // max(lo, 1) or 1))
    base, extra = divmod(spec.apps, gangs)
    return [base + (1 if i < extra else 0) for i in range(gangs)]


def generate(spec: WorldSpec) -> World:
    """The world of ``spec``: entities only; :mod:`chaincut.sim.build` writes the files."""
    if spec.size not in SIZE_TABLE:
        raise ValueError(f"unknown size {spec.size!r}; use one of {', '.join(SIZES)}")
    rng = random.Random(spec.seed)
    brands = _pick_brands(rng, spec.sizes.brands)
    counts = _app_counts(rng, spec)
    gangs = [_gang(rng, i, brands, spec.sizes, n) for i, n in enumerate(counts)]
    if len(gangs) >= 2 and not any(g.web or g.ios for g in gangs):
        gangs[0].web = True
    suppliers = _suppliers(rng, len(gangs))
    _assign(rng, gangs, suppliers)
    for sup in suppliers.values():
        if sup.role == "developer":
            cert = developer_signer(spec.seed, sup.id).cert_sha256
            sup.values = [("cert_sha256", cert)]
            sup.values += [("builder_app_id", b) for b in sup.builder_ids]
        elif sup.role == "distributor":
            sup.values.append(("cert_sha256", platform_signer(spec.seed, sup.id).cert_sha256))
    return World(spec=spec, rng=rng, brands=brands, suppliers=suppliers, gangs=gangs)
