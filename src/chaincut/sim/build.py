"""Write a simulated world to a directory: artifacts, brands.yaml, cases.csv, truth.json.

Artifacts get neutral names (``apk/app-0007.apk``) in a shuffled order, so nothing but
their content tells a fake from a genuine app.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from chaincut.extractors.page.origin import page_origin
from chaincut.sim import apps, cases, icons, own_brand
from chaincut.sim.apk_writer import build_apk
from chaincut.sim.distribution import ios_files, web_files
from chaincut.sim.keys import signer
from chaincut.sim.rotation import rotate, rotates, rotation_rng
from chaincut.sim.truth import TRUTH_FILE, ArtifactTruth, CaseTruth, GangTruth, SupplierTruth
from chaincut.sim.truth import WorldTruth as Truth
from chaincut.sim.world import World, WorldSpec, generate

DIRS = {
    "apk": ("apk", "app"), "page": ("web", "page"), "qr": ("qr", "qr"), "ipa": ("ios", "app"),
    "mobileconfig": ("ios", "profile"), "other": ("ios", "manifest"),
}  # fmt: skip


@dataclass(frozen=True)
class Pending:
    """An artifact's bytes and truth before it has a path."""

    kind: str
    suffix: str
    data: bytes
    role: str
    gang: str | None = None
    brand: str | None = None
    category: str | None = None
    used: frozenset[tuple[str, str]] = frozenset()


def _gang_artifacts(world: World, rng: random.Random) -> list[Pending]:
    brands = {b.id: b for b in world.brands}
    out: list[Pending] = []
    turn = rotation_rng(world)
    for gang in world.gangs:
        for index in range(gang.apps):
            if rotates(world, gang, index):
                rotate(gang, world, turn)
            brand = brands[rng.choice(gang.brands)]
            spec, used = apps.fake_app(world, gang, brand, rng)
            out.append(Pending("apk", ".apk", build_apk(spec), "fake", gang.id, brand.id,
                               gang.category, frozenset(used)))  # fmt: skip
        extra = (web_files if gang.web else None, ios_files if gang.ios else None)
        for make in (m for m in extra if m):
            for f in make(world, gang, brands[gang.brands[0]], rng):
                out.append(Pending(f.kind, f.suffix, f.data, "fake", gang.id, f.brand,
                                   gang.category, f.used))  # fmt: skip
    return out


def _pending(world: World, rng: random.Random) -> list[Pending]:
    out = [Pending("apk", ".apk", build_apk(apps.genuine_app(world, b)), "genuine", brand=b.id)
           for b in world.brands]  # fmt: skip
    out += _gang_artifacts(world, rng)
    out += [Pending("apk", ".apk", build_apk(apps.hard_negative(world, n, rng)), "hard_negative")
            for n in range(world.spec.sizes.hard_negatives)]  # fmt: skip
    out += _own_brand(world)
    rng.shuffle(out)
    return out


def _own_brand(world: World) -> list[Pending]:
    """Gangs that imitate no one, brands' official pages, icon look-alikes
    (``sim/own_brand.py``); the gangs join the world for cases and truth."""
    gangs, files = own_brand.own_brand_files(world)
    world.gangs.extend(gangs)
    return [Pending(f.kind, f.suffix, f.data, f.role, f.gang, f.brand, f.category)
            for f in files]  # fmt: skip


def _place(items: list[Pending], out: Path) -> list[tuple[Pending, ArtifactTruth]]:
    counters: dict[str, int] = defaultdict(int)
    placed = []
    for item in items:
        folder, stem = DIRS[item.kind]
        counters[folder] += 1
        rel = f"{folder}/{stem}-{counters[folder]:04d}{item.suffix}"
        (out / folder).mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(item.data)
        truth = ArtifactTruth(
            path=rel, sha256=hashlib.sha256(item.data).hexdigest(), kind=item.kind,
            role=item.role, gang=item.gang, brand=item.brand, category=item.category,
        )  # fmt: skip
        placed.append((item, truth))
    return placed


def _brands_yaml(world: World, out: Path) -> None:
    """The overlay registry: the world's genuine certificates and drawn icons."""
    (out / "icons").mkdir(parents=True, exist_ok=True)
    entries = []
    for b in world.brands:
        token = (b.tokens or [b.id])[0]
        (out / "icons" / f"{b.id}.png").write_bytes(icons.to_png(icons.brand_icon(b.id, token)))
        cert = signer(apps.brand_signer_name(world.spec.seed, b), b.names[-1], b.names[0])
        entry = b.model_dump(exclude_defaults=True)
        entry.update(certs=[cert.cert_sha256], icons=[f"icons/{b.id}.png"])
        entries.append(entry)
    text = yaml.safe_dump({"brands": entries}, allow_unicode=True, sort_keys=False)
    (out / "brands.yaml").write_text(text, encoding="utf-8")


def _suppliers(world: World, placed: list[tuple[Pending, ArtifactTruth]]) -> list[SupplierTruth]:
    owner = {v: s for s in world.suppliers.values() for v in s.values}
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, _ in placed:
        for value in item.used:
            if item.gang:
                seen[value].add(item.gang)
    out = [
        SupplierTruth(kind=k, value=v, role=owner[(k, v)].role, supplier=owner[(k, v)].id,
                      gangs=sorted(gangs))
        for (k, v), gangs in sorted(seen.items())
    ]  # fmt: skip
    packers: dict[str, set[str]] = defaultdict(set)
    for g in world.gangs:
        if g.packer and g.apps:
            packers[g.packer].add(g.id)
    for p, gs in sorted(packers.items()):
        out.append(
            SupplierTruth(kind="packer", value=p, role="packager", supplier=f"packer:{p}",
                          gangs=sorted(gs), linkable=False)
        )  # fmt: skip
    return out


def page_links(placed: list[tuple[Pending, ArtifactTruth]]) -> dict[str, str]:
    """sha256 → the address each saved page was opened at."""
    out: dict[str, str] = {}
    for item, truth in placed:
        if item.kind == "page":
            origin = page_origin(item.data.decode("utf-8", "replace"))
            if origin:
                out[truth.sha256] = origin
    return out


def build_world(spec: WorldSpec, out: Path) -> Truth:
    """Generate and write the world of ``spec`` under ``out``; returns (and writes) its truth."""
    out.mkdir(parents=True, exist_ok=True)
    world = generate(spec)
    rng = world.rng
    placed = _place(_pending(world, rng), out)
    _brands_yaml(world, out)
    truths = [t for _, t in placed]
    lo, hi = spec.sizes.cases_per_gang
    case_list: list[CaseTruth] = []
    for gang in world.gangs:
        mine = [t for t in truths if t.gang == gang.id]
        case_list += cases.gang_cases(gang, mine, rng.randint(lo, hi), rng, len(case_list) + 1)
    paths = {t.sha256: t.path for t in truths}
    links = page_links(placed) if spec.rotation else None
    text = cases.cases_csv(case_list, paths, rng, links, rotation_rng(world) if links else None)
    (out / "cases.csv").write_text(text, encoding="utf-8")
    truth = Truth(
        seed=spec.seed, size=spec.size, artifacts=truths, suppliers=_suppliers(world, placed),
        gangs=[GangTruth(id=g.id, category=g.category, brands=g.brands,
                         suppliers=sorted(g.suppliers.values()), regions=g.regions)
               for g in world.gangs],
        cases=case_list,
    )  # fmt: skip
    (out / TRUTH_FILE).write_text(truth.model_dump_json(indent=1), encoding="utf-8")
    return truth
