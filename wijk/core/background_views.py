"""The page of a background job (/achtergrond/<uuid>): its status and progress, for the person
who asked only (wijk.core.background); everyone else gets the one not-found page."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wijk.accounts.decorators import not_found
from wijk.accounts.models import User
from wijk.core.background import job_get_for_user
from wijk.core.errors import NotFoundError

# The answer to htmx's poll for a finished job: htmx swaps it in and stops asking.
STOP_POLLING = 286


@require_GET
def background_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The job's page; htmx asks for its `status` partial every few seconds while it runs."""
    if not isinstance(request.user, User):
        return not_found(request)
    try:
        job = job_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    context = {"job": job}
    if getattr(request, "htmx", False):
        status = STOP_POLLING if job.finished else 200
        return render(request, "core/background_job.html#status", context, status=status)
    return render(request, "core/background_job.html", context)
