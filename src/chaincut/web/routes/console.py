"""The analyst console pages: search, artifact, chains (with the graph), cases, suppliers.

Each page reads what the matching API endpoint returns (same functions, same custody
entries); downloads link to the API endpoints.
"""

from __future__ import annotations

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from chaincut.web import queries
from chaincut.web.deps import PageAnalyst, PageViewer, State
from chaincut.web.downloads import stored_icon
from chaincut.web.routes.api import (
    chain_map,
    find_chain,
    import_cases,
    log_case_view,
    viewed_artifact,
    viewed_chains,
)
from chaincut.web.routes.public import image_response
from chaincut.web.templating import page

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def search_page(
    *,
    request: Request,
    q: str = "",
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    found = queries.search(state.store, q[:2000], chain_map(state)) if q.strip() else None
    return page(
        request,
        "search.html",
        who,
        q=q,
        found=found,
        stats=state.store.stats() if found is None else None,
    )


@router.get("/artifacts/{sha256}", response_class=HTMLResponse)
def artifact_page(
    *,
    request: Request,
    sha256: str,
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    found = viewed_artifact(state, who, sha256)
    return page(request, "artifact.html", who, a=found.artifact, found=found)


@router.get("/artifacts/{sha256}/icon")
def artifact_icon(*, sha256: str, who: PageViewer, state: State) -> Response:
    stored = state.store.artifact(sha256)
    data = stored_icon(state, stored) if stored else None
    if data is None:
        raise HTTPException(404, "no icon")
    return image_response(data)


@router.get("/chains", response_class=HTMLResponse)
def chains_page(
    *,
    request: Request,
    region: str = "",
    role: str = "",
    since: str = "",
    until: str = "",
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    linked = state.chains.get(state.store)
    found = viewed_chains(state, who, region or None, role or None, since or None, until or None)
    return page(
        request,
        "chains.html",
        who,
        chains=found,
        region=region,
        role=role,
        since=since,
        until=until,
        suppliers=linked.chainset.suppliers,
    )


@router.get("/chains/{chain_id}", response_class=HTMLResponse)
def chain_page(
    *,
    request: Request,
    chain_id: str,
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    linked = state.chains.get(state.store)
    chain = find_chain(state, chain_id)
    log_case_view(
        state, who, f"chain {chain.id}", [c.case_id for c in chain.cases], chain.artifacts
    )
    infos = [a for a in linked.chainset.artifacts if a.sha256 in set(chain.artifacts)]
    return page(request, "chain.html", who, chain=chain, infos=infos)


@router.get("/cases", response_class=HTMLResponse)
def cases_page(
    *,
    request: Request,
    region: str = "",
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    linked = state.chains.get(state.store)
    view = queries.region_view(linked, region) if region.strip() else None
    if view is not None:
        log_case_view(state, who, f"cases {view.region}", [c.case_id for c in view.cases], [])
    regions = sorted({c.region for c in linked.chainset.cases})
    return page(request, "cases.html", who, view=view, region=region, regions=regions)


@router.post("/cases", response_class=HTMLResponse)
def cases_import(
    *,
    request: Request,
    file: UploadFile = File(...),
    who: PageAnalyst,
    state: State,
) -> HTMLResponse:
    linked = state.chains.get(state.store)
    regions = sorted({c.region for c in linked.chainset.cases})
    try:
        done = import_cases(state, who, file)
    except HTTPException as exc:
        return page(request, "cases.html", who, view=None, region="", regions=regions,
                    error=exc.detail, status=exc.status_code)  # fmt: skip
    return page(request, "cases.html", who, view=None, region="", regions=regions, imported=done)
