"""Taking a file or a link in: the file goes to the spool (inert), the job to the queue.

The spool file has no extension, mode 0600, and is never served back; the link is
checked by the fetcher's own guard before it is queued, so a private, loopback or
link-local destination is refused at once with the reason.
"""

from __future__ import annotations

import os

from fastapi import HTTPException, UploadFile

from chaincut.fetch.guard import FetchError, FetchRefused, check_destination, split_url
from chaincut.web import jobs
from chaincut.web.state import WebState

CHUNK = 1024 * 1024
MAX_URL = 4000


def _store_upload(state: WebState, job_id: str, upload: UploadFile) -> int:
    """Copy the upload into the spool, refusing it past the size cap; its size."""
    cap = state.config.max_upload
    path = state.spool / job_id
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.file.read(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise HTTPException(413, f"file larger than {cap // CHUNK} MB")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise HTTPException(400, "the uploaded file is empty")
    return size


def check_link(state: WebState, url: str) -> str:
    """The link, stripped, if the fetcher may follow it; 422 with the reason otherwise."""
    url = url.strip()
    if not url or len(url) > MAX_URL:
        raise HTTPException(422, f"give a link of 1 to {MAX_URL} characters")
    try:
        split_url(url)
        if not state.config.fetch_allow_private:
            check_destination(url)
    except FetchRefused as exc:
        raise HTTPException(422, f"refused: {exc.reason}") from None
    except FetchError:
        pass  # unresolvable here: the runner still analyses the link itself
    return url


def submit(
    state: WebState,
    upload: UploadFile | None,
    url: str | None,
    actor: str | None,
    ingest: bool = False,
) -> str:
    """Queue one file or link; the job id."""
    has_file = upload is not None and bool(upload.filename)
    if has_file == bool(url and url.strip()):
        raise HTTPException(400, "give either a file or a link")
    job_id = jobs.new_job_id()
    engine = state.store.engine
    if upload is not None and has_file:
        size = _store_upload(state, job_id, upload)
        name = os.path.basename(upload.filename or "upload")[:200] or "upload"
        jobs.enqueue(engine, job_id, source=name, url=None, spool=job_id, size=size,
                     actor=actor, ingest=ingest)  # fmt: skip
    else:
        link = check_link(state, url or "")
        jobs.enqueue(engine, job_id, source=link, url=link, spool=None, size=0, actor=actor,
                     ingest=ingest)  # fmt: skip
    return job_id
