"""The REST API of the console: submit, search, artifacts, chains and their graph,
suppliers, cases (view and import) and exports. Pages call the same functions."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from chaincut.link.chainset import Chain, RegionView, Supplier
from chaincut.link.export import FORMATS
from chaincut.store import CaseImport
from chaincut.store.cases_csv import CaseCsvError, read_cases_csv
from chaincut.web import queries
from chaincut.web.auth import Principal
from chaincut.web.deps import Analyst, State, Viewer
from chaincut.web.downloads import MEDIA, SUFFIX, artifact_report, chain_report, chains_export
from chaincut.web.graph import chain_elements
from chaincut.web.state import WebState
from chaincut.web.submit import submit

router = APIRouter(prefix="/api/v1")
MAX_CSV = 16 * 1024 * 1024
FIRST_LINK_WAIT = 3.0  # seconds a first search waits for the store's first linking
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"  # no script at all


def chain_map(state: WebState) -> dict[str, str]:
    """Chain ids of artifacts as of the last linking (never waits for a rebuild)."""
    state.chains.refresh_in_background(state.store)
    linked = state.chains.peek(state.store, wait=FIRST_LINK_WAIT)
    return linked.chain_of if linked is not None else {}


async def chain_map_async(state: WebState) -> dict[str, str]:
    """:func:`chain_map` for handlers on the event loop: inline when it cannot wait, in a
    thread while chains may still be loaded from the store or waited for."""
    if state.chains.instant:
        return chain_map(state)
    return await run_in_threadpool(chain_map, state)


def find_chain(state: WebState, chain_id: str) -> Chain:
    chain = state.chains.get(state.store).by_id.get(chain_id)
    if chain is None:
        raise HTTPException(404, "no such chain")
    return chain


def log_case_view(
    state: WebState, who: Principal, subject: str, cases: list[str], artifacts: list[str]
) -> None:
    """Custody entry for a view that showed case records."""
    if cases:
        state.as_actor(who.name).log("view", subject, {"cases": cases[:500]}, artifacts)


def viewed_artifact(state: WebState, who: Principal, sha256: str) -> queries.ArtifactPage:
    """An artifact's page data, its cases' view logged; 404 when unknown."""
    found = queries.artifact_page(state.store, state.chains.get(state.store), sha256)
    if found is None:
        raise HTTPException(404, "no such artifact")
    sha = found.artifact.sha256
    log_case_view(state, who, f"artifact {sha}", [c.case_id for c in found.cases], [sha])
    return found


@router.post("/submit", tags=["analysis"], status_code=202)
def api_submit(
    *,
    file: UploadFile | None = File(None),
    url: str | None = Form(None),
    ingest: bool = Form(True),
    who: Analyst,
    state: State,
) -> dict[str, str]:
    """Analyse a file or link and (by default) ingest it into the store as the caller."""
    job_id = submit(state, file, url, actor=who.name, ingest=ingest)
    return {"id": job_id, "status": "queued", "job": f"/api/v1/jobs/{job_id}"}


@router.get("/search", tags=["console"], response_model=queries.SearchResult)
async def api_search(
    *,
    q: str = Query(..., max_length=2000),
    who: Viewer,
    state: State,
) -> Response:
    """Artifacts by any indicator value (package, certificate, domain, IP, app key, team id,
    contact account...), by sha256 prefix, brand id or label text."""
    # Runs on the event loop: a search is a few index lookups (about 2 ms on a
    # 100,000-artifact store), cheaper than a hop to the thread pool and back; several
    # web worker processes (--web-workers) share the load.
    found = queries.search(state.store, q, await chain_map_async(state))
    return Response(json.dumps(found, ensure_ascii=False), media_type="application/json")


@router.get("/artifacts/{sha256}", tags=["console"])
def api_artifact(*, sha256: str, who: Viewer, state: State) -> queries.ArtifactPage:
    """An artifact: facts, scan result, names seen, icons, chain, cases and custody."""
    return viewed_artifact(state, who, sha256)


@router.get("/artifacts/{sha256}/report.html", tags=["downloads"], response_class=HTMLResponse)
def api_artifact_report(*, sha256: str, who: Analyst, state: State) -> Response:
    """The artifact's self-contained HTML evidence report (logged as an export)."""
    stored = state.store.artifact(sha256)
    if stored is None:
        raise HTTPException(404, "no such artifact")
    html = artifact_report(state, stored)
    state.as_actor(who.name).log("export", f"report {stored.sha256}",
                                 {"format": "html"}, [stored.sha256])  # fmt: skip
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{stored.sha256}.html"',
            "Content-Security-Policy": REPORT_CSP,
        },
    )


@router.get("/artifacts/{sha256}/result.json", tags=["downloads"])
def api_artifact_json(*, sha256: str, who: Analyst, state: State) -> Response:
    """The artifact's scan result with its facts, as JSON (logged as an export)."""
    stored = state.store.artifact(sha256)
    if stored is None:
        raise HTTPException(404, "no such artifact")
    state.as_actor(who.name).log("export", f"json {stored.sha256}", {"format": "json"},
                                 [stored.sha256])  # fmt: skip
    doc = stored.result.model_copy(update={"facts": stored.facts})
    return Response(
        doc.model_dump_json(indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{stored.sha256}.json"'},
    )


@router.get("/chains", tags=["console"])
def api_chains(
    *,
    region: str | None = None,
    role: str | None = None,
    since: str | None = None,
    until: str | None = None,
    who: Viewer,
    state: State,
) -> list[Chain]:
    """Chains, filtered by region, infrastructure role and report dates (YYYY-MM-DD)."""
    return viewed_chains(state, who, region, role, since, until)


def viewed_chains(
    state: WebState,
    who: Principal,
    region: str | None,
    role: str | None,
    since: str | None,
    until: str | None,
) -> list[Chain]:
    """The filtered chains, their cases' view logged."""
    found = queries.filter_chains(state.chains.get(state.store), region, role, since, until)
    cases = [c.case_id for ch in found for c in ch.cases]
    log_case_view(state, who, "chains", cases, [s for ch in found for s in ch.artifacts])
    return found


@router.get("/chains/{chain_id}", tags=["console"])
def api_chain(*, chain_id: str, who: Viewer, state: State) -> Chain:
    """One chain: artifacts, infrastructure with roles, cases, regions, suppliers, timeline."""
    chain = find_chain(state, chain_id)
    log_case_view(
        state, who, f"chain {chain.id}", [c.case_id for c in chain.cases], chain.artifacts
    )
    return chain


@router.get("/chains/{chain_id}/report.html", tags=["downloads"], response_class=HTMLResponse)
def api_chain_report(*, chain_id: str, who: Analyst, state: State) -> Response:
    """The chain's self-contained HTML evidence report (logged as an export)."""
    chain = find_chain(state, chain_id)
    html = chain_report(state.chains.get(state.store), chain, who.name)
    details = {"format": "html", "cases": len(chain.cases)}
    state.as_actor(who.name).log("export", f"chain report {chain.id}", details, chain.artifacts)
    return Response(html, media_type="text/html; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{chain.id}.html"',
        "Content-Security-Policy": REPORT_CSP})  # fmt: skip


@router.get("/chains/{chain_id}/graph", tags=["console"])
def api_chain_graph(
    *,
    chain_id: str,
    role: str | None = None,
    region: str | None = None,
    since: str | None = None,
    until: str | None = None,
    who: Viewer,
    state: State,
) -> list[dict[str, Any]]:
    """The chain as Cytoscape.js elements (artifacts, infrastructure, cases), filtered."""
    linked = state.chains.get(state.store)
    chain = find_chain(state, chain_id)
    return chain_elements(linked, chain, role, region, since, until)


@router.get("/suppliers", tags=["console"])
def api_suppliers(*, who: Viewer, state: State) -> list[Supplier]:
    """Suppliers shared by several chains, ranked as take-down targets."""
    return state.chains.get(state.store).chainset.suppliers


@router.get("/cases", tags=["console"])
def api_cases(
    *,
    region: str = Query(..., min_length=1, max_length=200),
    who: Viewer,
    state: State,
) -> RegionView:
    """A region's cases and which of them join chains reported elsewhere (logged view)."""
    view = queries.region_view(state.chains.get(state.store), region)
    log_case_view(state, who, f"cases {view.region}", [c.case_id for c in view.cases], [])
    return view


def import_cases(state: WebState, who: Principal, upload: UploadFile) -> CaseImport:
    """Validate the whole CSV, then import it in one transaction (custody logged)."""
    data = upload.file.read(MAX_CSV + 1)
    if len(data) > MAX_CSV:
        raise HTTPException(413, f"case CSV larger than {MAX_CSV // (1024 * 1024)} MB")
    name = Path(upload.filename or "cases.csv").name or "cases.csv"
    with tempfile.TemporaryDirectory(prefix="chaincut-cases-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            rows = read_cases_csv(path)
        except CaseCsvError as exc:
            raise HTTPException(422, exc.messages) from None
        return state.as_actor(who.name).add_cases(rows, f"web upload {name}", Path(tmp))


@router.post("/cases", tags=["console"], status_code=201)
def api_cases_import(
    *,
    file: UploadFile = File(...),
    who: Analyst,
    state: State,
) -> CaseImport:
    """Import a victim-report CSV (interfaces.md section 2)."""
    return import_cases(state, who, file)


@router.get("/exports/{fmt}", tags=["downloads"])
def api_export(*, fmt: str, who: Analyst, state: State) -> Response:
    """All chains as GraphML, CSV tables (a zip) or a STIX 2.1 bundle (logged as export)."""
    if fmt not in FORMATS:
        raise HTTPException(404, f"unknown format (one of {', '.join(FORMATS)})")
    linked = state.chains.get(state.store)
    try:
        data, files = chains_export(linked, fmt)
    except (ValueError, OSError) as exc:  # an exporter's failure is said, not a traceback
        raise HTTPException(500, f"the {fmt} export failed: {exc}") from None
    members = sorted({s for c in linked.chainset.chains for s in c.artifacts})
    state.as_actor(who.name).log(
        "export",
        f"web {fmt}",
        {"format": fmt, "chains": len(linked.chainset.chains), "files": files},
        members,
    )
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="chains.{SUFFIX[fmt]}"'},
    )
