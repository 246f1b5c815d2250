"""Authorization matrix rows for the request pages: person-level, so professionals and team
leads only (of the request's team); the team leads' overview, and assigning requests to
others (one, or several from the team worklist), for team leads alone."""

from __future__ import annotations

from typing import Any

from wijk.core.tests.matrix_kit import NO_ARGS, PERSON_LEVEL, TEAM_LEAD, Kwargs, row
from wijk.reference.models import Code
from wijk.requests.services import request_receive

HELP_REQUEST: Kwargs = lambda objects: {"pk": objects["help_request"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "requests:worklist": (row(PERSON_LEVEL), NO_ARGS),
    "requests:team_worklist": (row(PERSON_LEVEL), NO_ARGS),
    "requests:team_assign": (row(TEAM_LEAD), NO_ARGS),
    "requests:waiting_list": (row(PERSON_LEVEL), NO_ARGS),
    "requests:team_open": (row(TEAM_LEAD), NO_ARGS),
    "requests:register": (row(PERSON_LEVEL), NO_ARGS),
    "requests:detail": (row(PERSON_LEVEL), HELP_REQUEST),
    "requests:attempt": (row(PERSON_LEVEL), HELP_REQUEST),
    "requests:pick_up": (row(PERSON_LEVEL), HELP_REQUEST),
    "requests:assign": (row(TEAM_LEAD), HELP_REQUEST),
    "requests:close": (row(PERSON_LEVEL), HELP_REQUEST),
    "requests:link_resident": (row(PERSON_LEVEL), HELP_REQUEST),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """An open request of the matrix team about its resident, so that every list has a row.
    Received without an actor (as from the public form): a user outside a request has no
    TOTP-verified session, so no gate."""
    objects["help_request"] = request_receive(
        actor=None,
        channel=Code.objects.get(code_list__slug="channels", code="phone"),
        question="Hulp bij het invullen van formulieren",
        resident=objects["resident"],
        team=objects["team"],
        assigned_to=objects["other_user"],
    )
