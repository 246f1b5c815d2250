"""Authorization matrix rows for the investigation pages: person-level, so professionals and
team leads who may see the request; 404 for every other role. The start page uses the
requests' matrix request (which has no investigation: its page would redirect otherwise);
the other pages an open investigation of a second request, or a finished one where the page
is about the finished report."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wijk.core.tests.matrix_kit import PERSON_LEVEL, Kwargs, row
from wijk.investigations.models import Investigation
from wijk.reference.models import Code
from wijk.requests.services import request_receive

FOR_REQUEST: Kwargs = lambda objects: {"pk": objects["help_request"].pk}  # noqa: E731
OPEN: Kwargs = lambda objects: {"pk": objects["investigation"].pk}  # noqa: E731
FINISHED: Kwargs = lambda objects: {"pk": objects["finished_investigation"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "investigations:for_request": (row(PERSON_LEVEL), FOR_REQUEST),
    "investigations:detail": (row(PERSON_LEVEL), OPEN),
    "investigations:edit": (row(PERSON_LEVEL), OPEN),
    "investigations:finish": (row(PERSON_LEVEL), OPEN),
    "investigations:own_view": (row(PERSON_LEVEL), FINISHED),
    "investigations:report": (row(PERSON_LEVEL), FINISHED),
}


def _request(objects: dict[str, Any]) -> Any:
    return request_receive(
        actor=None,
        channel=Code.objects.get(code_list__slug="channels", code="phone"),
        question="Hulp bij het huishouden",
        resident=objects["resident"],
        team=objects["team"],
        assigned_to=objects["other_user"],
    )


def extra_objects(objects: dict[str, Any]) -> None:
    """An open and a finished investigation of two more requests of the matrix's resident.
    Written without the services: a user outside a request has no TOTP-verified session, so
    no gate."""
    by = objects["other_user"]
    objects["investigation"] = Investigation.objects.create(
        help_request=_request(objects), resident=objects["resident"], started_by=by, updated_by=by
    )
    finished = Investigation.objects.create(
        help_request=_request(objects),
        resident=objects["resident"],
        started_by=by,
        updated_by=by,
        conversation_on=timezone.localdate(),
        conversation_place="home",
        underlying_question="Weer zelf boodschappen kunnen doen.",
        own_strength="Dochter helpt op zaterdag.",
        preceding_provisions="Boodschappendienst in de wijk.",
        completed_on=timezone.localdate(),
        completed_by=by,
    )
    objects["finished_investigation"] = finished
