"""Downloads: an artifact's or a chain's HTML report, JSON, and the GraphML/CSV/STIX
exports of the chains, each logged in the custody log as an export.

The artifact report is :func:`chaincut.render.report_html.render_report` (what
``chaincut scan --html`` writes); the exports are :func:`chaincut.link.export.export`.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from chaincut import __version__
from chaincut.link.chainset import Chain
from chaincut.link.export import export
from chaincut.render.report_html import render_report
from chaincut.store import StoredArtifact
from chaincut.store.util import utcnow
from chaincut.web.state import Linked, WebState
from chaincut.web.templating import TEMPLATES

MEDIA = {"graphml": "application/graphml+xml", "stix": "application/json",
         "csv": "application/zip"}  # fmt: skip
SUFFIX = {"graphml": "graphml", "stix": "stix.json", "csv": "csv.zip"}


def stored_icon(state: WebState, stored: StoredArtifact) -> bytes | None:
    """The artifact's icon blob, if the store kept one."""
    for sha in stored.icons[:1]:
        try:
            return state.store.blobs.path(sha).read_bytes()
        except OSError:
            return None
    return None


def artifact_report(state: WebState, stored: StoredArtifact) -> str:
    return render_report(stored.result, stored_icon(state, stored), state.brands)


def chains_export(linked: Linked, fmt: str) -> tuple[bytes, list[dict[str, str]]]:
    """The export's bytes (csv: a zip of the tables) and the files' sha256 for custody."""
    with tempfile.TemporaryDirectory(prefix="chaincut-export-") as tmp:
        target = Path(tmp) / ("tables" if fmt == "csv" else f"chains.{SUFFIX[fmt]}")
        written = export(linked.chainset, fmt, target)
        files = [{"path": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
                 for p in written]  # fmt: skip
        if fmt != "csv":
            return written[0].read_bytes(), files
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in written:
                zf.write(p, p.name)
        return buf.getvalue(), files


def chain_report(linked: Linked, chain: Chain, actor: str) -> str:
    """A chain's self-contained HTML evidence report (no script, no external request)."""
    members = set(chain.artifacts)
    infos = [a for a in linked.chainset.artifacts if a.sha256 in members]
    template = TEMPLATES.get_template("chain_report.html")
    return template.render(chain=chain, infos=infos, actor=actor, at=utcnow().isoformat(),
                           version=__version__)  # fmt: skip
