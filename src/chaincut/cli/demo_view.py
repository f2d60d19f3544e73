"""What ``chaincut demo`` prints: the chains, the suppliers they share, the regions to
coordinate, and the commands to try next.

The text is written for someone who has never seen chaincut: each section says in one
line what it is for. ``--format json`` gives the same content as data (interfaces.md
section 4 plus the ranked suppliers).
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ConfigDict

from chaincut.link.chainset import Chain, ChainSet, Supplier, with_provider
from chaincut.sim.truth import WorldTruth

KEEP_DB = "sqlite:///chaincut-demo.sqlite"
MAX_LABELS = 4


class DemoDocument(BaseModel):
    """``chaincut demo --format json``: the chains document plus the shared suppliers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    chains: list[Chain]
    suppliers: list[Supplier]


def demo_json(cs: ChainSet) -> str:
    return DemoDocument(chains=cs.chains, suppliers=cs.suppliers).model_dump_json(indent=2)


def _money(value: float | None) -> str:
    return "-" if value is None else f"¥{value:,.0f}"


def header(truth: WorldTruth, store_url: str) -> list[str]:
    roles = Counter(a.role for a in truth.artifacts)
    regions = {c.region for c in truth.cases}
    return [
        f"A simulated fraud ecosystem ({truth.size} world, seed {truth.seed}): "
        f"{len(truth.artifacts)} artifacts ({roles['fake']} fake, {roles['genuine']} genuine, "
        f"{roles['hard_negative']} look-alike but harmless) and {len(truth.cases)} victim "
        f"reports from {len(regions)} provinces,",
        f"ingested into {store_url} and linked into the chains behind them.",
    ]


def _apps_line(cs: ChainSet, chain: Chain) -> str:
    infos = [a for a in (cs.artifact(s) for s in chain.artifacts) if a is not None]
    kinds = Counter(a.kind for a in infos)
    labels = sorted({a.label for a in infos if a.label})
    shown = ", ".join(labels[:MAX_LABELS]) + (" ..." if len(labels) > MAX_LABELS else "")
    counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    return f"  apps        {len(chain.artifacts)} ({counts})" + (f": {shown}" if shown else "")


def _cases_line(chain: Chain) -> str:
    if not chain.cases:
        return "  cases       none reported"
    per = chain.timeline.regions if chain.timeline else []
    regions = ", ".join(f"{r.region} {r.cases}" for r in per)
    return (f"  cases       {len(chain.cases)} in {len(chain.regions)} region(s): {regions}; "
            f"total loss {_money(chain.loss_total)}")  # fmt: skip


def chain_block(cs: ChainSet, chain: Chain) -> list[str]:
    """One chain: what it ships, whom it imitates, where it was reported, what it shares."""
    out = [f"{chain.id}  {chain.label or ''}".rstrip(), _apps_line(cs, chain)]
    out.append(f"  imitates    {', '.join(chain.brands) or '-'}; "
               f"category {', '.join(chain.categories) or '-'}")  # fmt: skip
    out.append(_cases_line(chain))
    if chain.timeline and chain.timeline.first_report:
        out.append(f"  timeline    {chain.timeline.first_report} .. {chain.timeline.last_report}")
    for s in chain.suppliers:
        shown = with_provider(s.value, s.provider)
        out.append(f"  shares      {s.role} {s.kind} {shown} with {', '.join(s.chain_ids)}")
    return out


def chains_section(cs: ChainSet) -> list[str]:
    out = [f"== {len(cs.chains)} chain(s): the artifacts one operation controls =="]
    for chain in cs.chains:
        out += ["", *chain_block(cs, chain)]
    return out


def _supplier_line(s: Supplier) -> str:
    return (f"{s.rank:>3}. {s.role:<11} {s.kind} {with_provider(s.value, s.provider)}\n"
            f"     serves {len(s.chains)} chains ({', '.join(s.chains)}), "
            f"{s.cases} cases in {', '.join(s.regions) or 'no region'}")  # fmt: skip


def suppliers_section(suppliers: list[Supplier]) -> list[str]:
    out = [f"== {len(suppliers)} shared supplier(s): take one down, cut every chain it serves =="]
    if not suppliers:
        out.append("  none: no signing key, builder account or server is shared by two chains")
    return out + [_supplier_line(s) for s in suppliers]


def _chain_regions(chain: Chain) -> str:
    per: dict[str, list[str]] = {}
    for case in chain.cases:
        per.setdefault(case.region, []).append(case.case_id)
    return "; ".join(f"{r} ({', '.join(ids)})" for r, ids in sorted(per.items()))


def coordination_section(chains: list[Chain]) -> list[str]:
    """Chains reported in several provinces: the police there are chasing one operation."""
    spread = [c for c in chains if len(c.regions) > 1]
    out = ["== cross-region coordination: provinces whose cases belong to one chain =="]
    if not spread:
        out.append("  none: every chain was reported in a single province")
    for c in spread:
        out.append(f"  {c.id} {c.label or ''}: {_chain_regions(c)}")
    return out


def next_steps(cs: ChainSet, db: str | None) -> list[str]:
    """The commands to try next, with a store URL that will still exist."""
    url = db or KEEP_DB
    out = ["== next =="]
    if db is None:
        out.append(f"  the store above was temporary; keep one with: chaincut demo --db {url}")
    first = cs.chains[0].id if cs.chains else "ID"
    region = next((c.regions[0] for c in cs.chains if c.regions), "广东")
    out += [
        f"  chaincut chain {first} --db {url}      one chain in full",
        f"  chaincut cases --region {region} --db {url}      a province's cases, who to call",
        f"  chaincut export --format graphml -o chains.graphml --db {url}      for Gephi",
        "  chaincut scan FILE      judge your own APK, IPA, profile, page, URL or QR image",
    ]
    return out


def demo_text(cs: ChainSet, truth: WorldTruth, store_url: str, db: str | None) -> str:
    sections = [
        header(truth, store_url),
        chains_section(cs),
        suppliers_section(cs.suppliers),
        coordination_section(cs.chains),
        next_steps(cs, db),
    ]
    return "\n\n".join("\n".join(s) for s in sections)
