"""Readable text views of chains, suppliers and region cases, for the terminal."""

from __future__ import annotations

from collections.abc import Mapping

from chaincut.link.chainset import Chain, Supplier, with_provider
from chaincut.link.views import (
    CallList,
    CaseView,
    ChainView,
    MemberView,
    RegionReport,
    display_name,
)


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


def _short(value: str, width: int = 72) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _member_line(m: MemberView, names: Mapping[str, str]) -> list[str]:
    label = f"  {m.label}" if m.label else ""
    out = [f"  {m.name}  {m.kind} {m.verdict} {m.score}{label}", f"      sha256 {m.sha256}"]
    if m.joined_via:
        out.append(f"      joined via {m.joined_via}")
    for r in m.shared:
        others = ", ".join(display_name(s, names) for s in r.members[:3])
        more = f" +{len(r.members) - 3}" if len(r.members) > 3 else ""
        shown = with_provider(_short(r.value), r.provider)
        out.append(f"      shares {r.role} {r.kind} {shown} with {others}{more}")
    if not m.joined_via and not m.shared:
        out.append("      shares no linking indicator with another member (joined via the graph)")
    return out


def _case_lines(case: CaseView) -> list[str]:
    raw = f" ({case.region_raw})" if case.region_raw != case.region else ""
    out = [
        f"  {case.reported_at or '-':<10}  {case.region}{raw}  {case.case_id}  "
        f"{_money(case.loss_amount)}  {case.notes}".rstrip()
    ]
    for a in case.artifacts:
        where = f"  (chain {a.chain})" if a.chain else "  (in no chain)"
        out.append(f"      named {a.name}{where}")
    out.extend(f"      named {ref}  (not in the store)" for ref in case.unresolved)
    return out


def chain_text(view: ChainView, names: Mapping[str, str]) -> str:
    """Members (name, kind, label, verdict, how they joined), cases, infra by role, timeline."""
    chain = view.chain
    out = [f"chain {chain.id}" + (f"  ({chain.label})" if chain.label else "")]
    if chain.brands or chain.categories:
        out.append(
            f"  imitates {', '.join(chain.brands) or '-'}; "
            f"category {', '.join(chain.categories) or '-'}"
        )
    out.append(f"\nmembers ({len(view.members)}): file or URL, kind, verdict, how it joined")
    for m in view.members:
        out += _member_line(m, names)
    out.append(
        f"\ncases ({len(view.cases)}), total loss {_money(chain.loss_total)}: "
        "date, region, id, loss, notes, artifacts named"
    )
    for case in view.cases:
        out += _case_lines(case)
    if not view.cases:
        out.append("  none reported")
    out.append(f"\ninfrastructure ({len(chain.infrastructure)}) by role")
    for group in view.infrastructure:
        out.append(f"  {group.role} ({len(group.items)})")
        for item in group.items:
            flag = "  [supplier]" if item.supplier else ""
            shown = with_provider(item.value, item.provider)
            out.append(f"    {item.kind:<15} {shown}  ({item.artifacts} artifacts){flag}")
    out.append("\ntimeline")
    if chain.timeline is not None and chain.timeline.first_report:
        t = chain.timeline
        out.append(f"  reported {t.first_report} .. {t.last_report}")
        for r in t.regions:
            out.append(
                f"  {r.region}: {r.cases} case(s), {_money(r.loss_total)}, "
                f"{r.first_report or '?'} .. {r.last_report or '?'}"
            )
    else:
        out.append("  no dated case")
    if chain.suppliers:
        out.append(f"\nsuppliers ({len(chain.suppliers)}): shared with other chains")
        for s in chain.suppliers:
            others = ", ".join(s.chain_ids) or "-"
            out.append(
                f"  {s.role:<11} {s.kind} {with_provider(s.value, s.provider)}  "
                f"serves {s.chains} chains; also: {others}"
            )
    if chain.related:
        out.append(f"\nrelated non-seed artifacts ({len(chain.related)}): listed, never glue")
        out.extend(f"  {display_name(sha, names)}  {sha}" for sha in chain.related)
    return "\n".join(out)


def suppliers_text(suppliers: list[Supplier]) -> str:
    lines = [f"{len(suppliers)} supplier(s), most chains cut first"]
    for s in suppliers:
        lines.append(
            f"{s.rank:>3}. {s.role:<11} {s.kind} {with_provider(s.value, s.provider)}  "
            f"{len(s.chains)} chains, "
            f"{s.cases} cases, {s.artifacts} artifacts  {', '.join(s.regions)}"
        )
        lines.append(f"     chains: {', '.join(s.chains)}")
    return "\n".join(lines)


def _call(call: CallList) -> str:
    return f"call {call.region}: cases {', '.join(call.cases)} (chain {', '.join(call.chains)})"


def region_text(report: RegionReport) -> str:
    """A region's cases (notes, artifacts, chain) and the provinces to call for each."""
    shared = len([c for c in report.cases if c.peers])
    lines = [
        f"region {report.region}: {len(report.cases)} case(s), {shared} in chains "
        f"also reported elsewhere"
    ]
    for rc in report.cases:
        lines.append("")
        lines += _case_lines(rc.case)
        lines.append(f"      chain {', '.join(rc.case.chains) or 'none'}")
        lines.extend("      " + _call(call) for call in rc.peers)
    if report.calls:
        lines.append("\nprovinces to coordinate with")
        lines.extend("  " + _call(call) for call in report.calls)
    elif report.cases:
        lines.append("\nno other province reported a case in these chains")
    return "\n".join(lines)
