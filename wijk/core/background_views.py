"""The page of a background job (/achtergrond/<uuid>): its status and progress, and the file it
made (/achtergrond/<uuid>/bestand), for the person who asked only (wijk.core.background);
everyone else gets the one not-found page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wijk.accounts.decorators import not_found
from wijk.accounts.models import User
from wijk.core.background import job_file_path, job_get_for_user
from wijk.core.errors import NotFoundError
from wijk.core.models import BackgroundJob, JobStatus

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The answer to htmx's poll for a finished job: htmx swaps it in and stops asking.
STOP_POLLING = 286


def _asker_job(request: HttpRequest, pk: uuid.UUID) -> BackgroundJob | None:
    """Job `pk` if the signed-in user asked for it; None otherwise (one not-found page)."""
    if not isinstance(request.user, User):
        return None
    try:
        return job_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return None


@require_GET
def background_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The job's page; htmx asks for its `status` partial every few seconds while it runs."""
    job = _asker_job(request, pk)
    if job is None or not isinstance(request.user, User):
        return not_found(request)
    context = {
        "job": job,
        "file_available": job_file_path(job, user=request.user) is not None,
        "job_files_days": settings.WIJK_JOB_FILES_DAYS,
    }
    if getattr(request, "htmx", False):
        status = STOP_POLLING if job.finished else 200
        return render(request, "core/background_job.html#status", context, status=status)
    return render(request, "core/background_job.html", context)


@require_GET
def background_job_file(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    """The file a finished job made, for the person who asked only, as a download."""
    job = _asker_job(request, pk)
    if job is None or not isinstance(request.user, User):
        return not_found(request)
    path = job_file_path(job, user=request.user) if job.status == JobStatus.SUCCEEDED else None
    if path is None:
        return not_found(request)
    content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=content_type
    )
