"""The public check: anyone uploads a file or pastes a link and reads a plain answer."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chaincut.web import jobs
from chaincut.web.answer import PlainAnswer, plain_answer
from chaincut.web.deps import State
from chaincut.web.sniff import image_type
from chaincut.web.submit import submit
from chaincut.web.templating import page

router = APIRouter()
JOB_ID = r"^[A-Za-z0-9_-]{16,32}$"


def image_response(data: bytes) -> Response:
    """Only real images go back out, typed from their bytes, never HTML or a program."""
    mime = image_type(data)
    if mime is None:
        raise HTTPException(404, "no icon")
    return Response(data, media_type=mime, headers={"Cache-Control": "private, max-age=3600"})


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def check_page(request: Request) -> HTMLResponse:
    return page(request, "check.html")


@router.post("/check", include_in_schema=False)
def check_form(
    *,
    request: Request,
    file: UploadFile | None = File(None),
    url: str | None = Form(None),
    state: State,
) -> Response:
    try:
        job_id = submit(state, file, url, actor=None)
    except HTTPException as exc:
        return page(request, "check.html", status=exc.status_code, error=str(exc.detail),
                    url=url or "")  # fmt: skip
    return RedirectResponse(f"/check/{job_id}", status_code=303)


@router.get("/check/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def check_result(*, request: Request, job_id: str, state: State) -> HTMLResponse:
    job = jobs.get_job(state.store.engine, job_id)
    if job is None:
        raise HTTPException(404, "no such check")
    return page(request, "answer.html", job=job, answer=plain_answer(job, state.brands))


@router.get("/check/{job_id}/icon", include_in_schema=False)
def check_icon(job_id: str, state: State) -> Response:
    name = jobs.job_icon(state.store.engine, job_id)
    if name is None:
        raise HTTPException(404, "no icon")
    return image_response((state.spool / name).read_bytes())


@router.get("/brands/{brand_id}/icon", tags=["public"])
def brand_icon(brand_id: str, state: State) -> Response:
    """The genuine brand's registered icon (shown beside the fake's)."""
    brand = state.brands.brands.get(brand_id)
    for path in brand.icons if brand else []:
        try:
            return image_response(Path(path).read_bytes())
        except OSError:
            continue
    raise HTTPException(404, "no icon registered for this brand")


@router.post("/api/v1/check", tags=["public"], status_code=202)
def api_check(
    *,
    file: UploadFile | None = File(None),
    url: str | None = Form(None),
    state: State,
) -> dict[str, str]:
    """Anonymous public check of a file (multipart ``file``) or a link (form ``url``)."""
    job_id = submit(state, file, url, actor=None)
    return {
        "id": job_id,
        "status": "queued",
        "job": f"/api/v1/jobs/{job_id}",
        "page": f"/check/{job_id}",
    }


class JobDocument(jobs.JobView):
    plain: PlainAnswer | None = None


FINAL = ("done", "failed")


@router.get("/api/v1/jobs/{job_id}", tags=["public"], response_model=JobDocument)
async def api_job(job_id: str, request: Request, state: State) -> Response:
    """A job's status; when done, the scan results and the plain answer. A finished job
    never changes: its document carries an ETag (``If-None-Match`` gets 304) and is
    served from this process's memory after the first read."""
    cached = state.finished_jobs.get(job_id)
    if cached is None:
        job = jobs.get_job(state.store.engine, job_id)
        if job is None:
            raise HTTPException(404, "no such job")
        doc = JobDocument(**job.model_dump(), plain=plain_answer(job, state.brands))
        body = doc.model_dump_json().encode()
        if job.status not in FINAL:
            return Response(body, media_type="application/json",
                            headers={"Cache-Control": "no-store"})  # fmt: skip
        cached = state.finished_jobs.put(job_id, body)
    body, etag = cached
    headers = {"ETag": etag, "Cache-Control": "private, max-age=0, must-revalidate"}
    if etag in (t.strip() for t in request.headers.get("if-none-match", "").split(",")):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
