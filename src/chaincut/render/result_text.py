"""A readable terminal report per artifact: what it is, then the verdict, then why.

The identity block (name, package or bundle id, version, signer, builder and packer,
permissions that matter, distribution) comes first so the reader knows which app the
verdict is about; render/wording.py holds the wording the HTML report shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from chaincut.render.wording import headline, identity_rows

if TYPE_CHECKING:  # models are loaded by whoever builds the results
    from chaincut.result.models import EvidenceNode, ScanResult

VERDICT_STYLE = {
    "malicious": "bold white on red",
    "suspicious": "bold black on yellow",
    "clean": "bold white on green",
    "unknown": "bold white on grey37",
}
SEVERITY_STYLE = {"high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
MAX_INDICATORS = 15


def _tree_lines(node: EvidenceNode, depth: int = 0) -> list[str]:
    """The successful branches of an evidence tree, indented, with what matched."""
    if not node.success:
        return []
    hits = ", ".join(f"{h.kind}={h.value}" for h in node.hits[:4])
    line = "  " * depth + node.statement + (f"  [{hits}]" if hits else "")
    out = [line]
    for child in node.children:
        out += _tree_lines(child, depth + 1)
    return out


class ResultTextRenderer:
    name = "text"
    description = "a readable report per artifact"

    def __init__(self, trees: bool = False) -> None:
        self.trees = trees

    def begin(self, out: TextIO) -> None:
        return None

    def write(self, out: TextIO, result: ScanResult) -> None:
        from rich.console import Console  # (rich loads when a report is written as text)
        from rich.markup import escape

        c = Console(file=out, highlight=False, soft_wrap=True)
        c.rule(f"[bold]{escape(result.path)}")
        c.print(f"{'kind':<13}{result.kind}  sha256 {result.sha256}")
        for field, value in identity_rows(result):
            c.print(f"{field:<13}{escape(value)}")
        style = VERDICT_STYLE[result.verdict]
        c.print(f"[{style}] {result.verdict.upper()} [/] score {result.score}/100")
        line = headline(result)
        if line:
            c.print(escape(line))
        if result.impersonates:
            imp = result.impersonates
            c.print(f"imitates [bold]{escape(imp.name or imp.brand)}[/] ({imp.confidence:.2f})")
        if result.category:
            c.print(f"category [bold]{result.category}[/]")
        for ev in result.evidence:
            sev = SEVERITY_STYLE[ev.severity]
            pts = f" +{ev.score}" if ev.score else ""
            c.print(f"[{sev}]{ev.severity:>6}[/]{pts} {escape(ev.rule)}: {escape(ev.detail)}")
            if self.trees and ev.tree is not None:
                for line in _tree_lines(ev.tree, 4):
                    c.print(escape(line), style="dim")
        for ind in result.indicators[:MAX_INDICATORS]:
            tag = " (common)" if ind.common else ""
            whose = f" ({escape(ind.provider)})" if ind.provider else ""
            c.print(f"  [dim]{ind.kind}[/] {escape(ind.value)}{whose}{tag}")
        if len(result.indicators) > MAX_INDICATORS:
            c.print(f"  [dim]... {len(result.indicators) - MAX_INDICATORS} more indicators[/]")
        for e in result.errors:
            c.print(f"[red]error[/] {escape(e)}")
        c.print()

    def end(self, out: TextIO) -> None:
        return None
