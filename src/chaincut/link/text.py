"""Readable text views of chains, suppliers and region cases, for the terminal."""

from __future__ import annotations

from chaincut.link.chainset import Chain, ChainSet, RegionView, Supplier


def _money(value: float | None) -> str:
    return "-" if value is None else f"¥{value:,.0f}"


def chains_text(chains: list[Chain]) -> str:
    lines = [f"{len(chains)} chain(s)"]
    for c in chains:
        sup = f", {len(c.suppliers)} supplier(s)" if c.suppliers else ""
        regions = ", ".join(c.regions) or "no cases"
        lines.append(
            f"{c.id}  {len(c.artifacts):>4} artifacts  {len(c.cases):>3} cases  "
            f"loss {_money(c.loss_total)}  {regions}{sup}  {c.label or ''}".rstrip()
        )
    return "\n".join(lines)


def chain_text(cs: ChainSet, chain: Chain) -> str:
    """Artifacts with verdicts, infrastructure with roles, cases by region, suppliers."""
    infos = {a.sha256: a for a in cs.artifacts}
    out = [f"chain {chain.id}" + (f"  ({chain.label})" if chain.label else "")]
    if chain.brands or chain.categories:
        out.append(
            f"  brands: {', '.join(chain.brands) or '-'}; "
            f"categories: {', '.join(chain.categories) or '-'}"
        )
    out.append(f"\nartifacts ({len(chain.artifacts)})")
    joined = {m.sha256: m.joined for m in chain.members}
    for sha in chain.artifacts:
        a = infos.get(sha)
        if a is not None:
            out.append(f"  {sha}  {a.kind:<5} {a.verdict:<10} {a.score:>3}  {a.label or ''}")
            how = joined.get(sha)
            if how is not None and how.how == "linked":
                out.append(f"      {how.sentence(chain.id)}")
            elif how is not None:
                out.append(f"      {how.how}")
    out.append(f"\ninfrastructure ({len(chain.infrastructure)})")
    for item in chain.infrastructure:
        flag = "  [supplier]" if item.supplier else ""
        out.append(
            f"  {item.role:<11} {item.kind:<15} {item.value}  ({item.artifacts} artifacts){flag}"
        )
    out.append(f"\ncases ({len(chain.cases)}), total loss {_money(chain.loss_total)}")
    if chain.timeline is not None:
        t = chain.timeline
        out.append(f"  reported {t.first_report or '?'} .. {t.last_report or '?'}")
        for r in t.regions:
            out.append(
                f"  {r.region}: {r.cases} case(s), {_money(r.loss_total)}, "
                f"{r.first_report or '?'} .. {r.last_report or '?'}"
            )
    for case in chain.cases:
        out.append(
            f"    {case.region:<6} {case.case_id}  {case.reported_at or '-'}  "
            f"{_money(case.loss_amount)}"
        )
    if chain.suppliers:
        out.append(f"\nsuppliers ({len(chain.suppliers)})")
        for s in chain.suppliers:
            others = ", ".join(s.chain_ids) or "-"
            out.append(
                f"  {s.role:<11} {s.kind} {s.value}  serves {s.chains} chains; also: {others}"
            )
    if chain.related:
        out.append(f"\nrelated non-seed artifacts ({len(chain.related)}): listed, never glue")
        out.extend(f"  {sha}" for sha in chain.related)
    return "\n".join(out)


def suppliers_text(suppliers: list[Supplier]) -> str:
    lines = [f"{len(suppliers)} supplier(s), most chains cut first"]
    for s in suppliers:
        lines.append(
            f"{s.rank:>3}. {s.role:<11} {s.kind} {s.value}  {len(s.chains)} chains, "
            f"{s.cases} cases, {s.artifacts} artifacts  {', '.join(s.regions)}"
        )
        lines.append(f"     chains: {', '.join(s.chains)}")
    return "\n".join(lines)


def region_text(view: RegionView) -> str:
    lines = [
        f"region {view.region}: {len(view.cases)} case(s), {view.shared} in chains "
        f"reported elsewhere ({', '.join(view.other_regions) or 'none'})"
    ]
    for case in view.cases:
        chains = ", ".join(case.chains) or "no chain"
        lines.append(
            f"  {case.case_id}  {case.reported_at or '-'}  {_money(case.loss_amount)}  {chains}"
        )
        for p in case.peers:
            lines.append(f"      coordinate: {p.region} {p.case_id} (chain {p.chain})")
    return "\n".join(lines)
