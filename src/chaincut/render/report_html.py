"""A self-contained HTML report per artifact: one file, no external requests.

Icons are embedded as data: URIs (the artifact's icon next to the imitated brand's
registered icon) so the report can be attached to a case file and opened offline.
Everything shown comes from the frozen ScanResult; nothing is judged here.
"""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from chaincut.knowledge.brands import BrandRegistry
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
        icon=_data_uri(icon),
        brand_icon=_data_uri(_brand_icon(result, brands)),
    )
