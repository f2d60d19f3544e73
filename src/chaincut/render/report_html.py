"""A self-contained HTML report per artifact: one file, no external requests.

Icons are embedded as data: URIs (the artifact's icon next to the imitated brand's
registered icon) so the report can be attached to a case file and opened offline.
Everything shown comes from the frozen ScanResult; nothing is judged here.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, ValidationError

from chaincut.knowledge.brands import BrandRegistry
from chaincut.render.wording import CODE_FIELDS, headline, identity_rows
from chaincut.result.models import ScanResult

_ENV = Environment(
    loader=PackageLoader("chaincut.render", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
MAX_ICON_BYTES = 2 * 1024 * 1024


def _data_uri(data: bytes | None) -> str | None:
    if not data or len(data) > MAX_ICON_BYTES:
        return None
    mime = "image/png"
    if data.startswith(b"\xff\xd8"):
        mime = "image/jpeg"
    elif data[8:12] == b"WEBP":
        mime = "image/webp"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _brand_icon(result: ScanResult, brands: BrandRegistry) -> bytes | None:
    if result.impersonates is None:
        return None
    brand = brands.brands.get(result.impersonates.brand)
    for path in brand.icons if brand else []:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if len(data) <= MAX_ICON_BYTES:
            return data
    return None


def render_report(result: ScanResult, icon: bytes | None, brands: BrandRegistry) -> str:
    """The report as one HTML string."""
    template = _ENV.get_template("report.html")
    return template.render(
        r=result,
        identity=identity_rows(result),
        code_fields=CODE_FIELDS,
        headline=headline(result),
        icon=_data_uri(icon),
        brand_icon=_data_uri(_brand_icon(result, brands)),
    )


INDEX_FILE = "index.html"
INDEX_DATA = "index.json"  # the entries behind index.html, so a later run adds to them
INDEX_SCRIPT = "chaincut-index.js"
SCRIPT_SOURCE = Path(__file__).parent / "static" / INDEX_SCRIPT
VERDICT_ORDER = {"malicious": 0, "suspicious": 1, "unknown": 2, "clean": 3}


class IndexEntry(BaseModel):
    """One line of the index page: enough to pick which report to open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    report: str  # file name of the report, relative to the index
    sha256: str
    file: str  # the artifact's file name or URL as scanned
    kind: str
    verdict: str
    score: int
    name: str | None = None
    id: str | None = None
    category: str | None = None
    brand: str | None = None


def report_name(result: ScanResult) -> str:
    return f"{result.sha256}.html"


def index_entry(result: ScanResult) -> IndexEntry:
    subject = result.subject
    imp = result.impersonates
    return IndexEntry(
        report=report_name(result),
        sha256=result.sha256,
        file=result.path if "://" in result.path else Path(result.path).name,
        kind=result.kind,
        verdict=result.verdict,
        score=result.score,
        name=subject.name if subject else None,
        id=subject.id if subject else None,
        category=result.category,
        brand=(imp.name or imp.brand) if imp else None,
    )


def _previous(directory: Path) -> list[IndexEntry]:
    """Entries a previous run left in ``directory`` whose report is still there."""
    try:
        raw = json.loads((directory / INDEX_DATA).read_text(encoding="utf-8"))
        found = [IndexEntry.model_validate(e) for e in raw]
    except (OSError, ValueError, TypeError, ValidationError):
        return []
    return [e for e in found if (directory / e.report).is_file()]


def render_index(entries: Iterable[IndexEntry]) -> str:
    """The index page: every report, most serious first, with a client-side filter."""
    ordered = sorted(entries, key=lambda e: (VERDICT_ORDER.get(e.verdict, 9), -e.score,
                                             e.name or "", e.sha256))  # fmt: skip
    counts = Counter(e.verdict for e in ordered)
    return _ENV.get_template(INDEX_FILE).render(
        entries=ordered,
        counts=sorted(counts.items(), key=lambda kv: VERDICT_ORDER.get(kv[0], 9)),
        categories=sorted({e.category for e in ordered if e.category}),
        script=INDEX_SCRIPT,
    )


def _write(path: Path, text: str) -> None:
    """Write through a temporary file so a reader never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_index(directory: Path, entries: Iterable[IndexEntry]) -> Path:
    """Write index.html, its data and its script into ``directory``; earlier runs' kept."""
    merged = {e.sha256: e for e in _previous(directory)}
    merged.update((e.sha256, e) for e in entries)
    ordered = sorted(merged.values(), key=lambda e: e.sha256)
    _write(directory / INDEX_DATA,
           json.dumps([e.model_dump() for e in ordered], ensure_ascii=False, indent=1))  # fmt: skip
    _write(directory / INDEX_SCRIPT, SCRIPT_SOURCE.read_text(encoding="utf-8"))
    _write(directory / INDEX_FILE, render_index(ordered))
    return directory / INDEX_FILE
