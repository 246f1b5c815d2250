"""Authorization matrix rows for the meldcode pages. The resident's meldcode page and opening
a case: person-level roles who may see the resident. A case's own pages: only its
coordinator, the team leads of its team and its added readers (ADR 0039) — in the matrix the
case's coordinator is a colleague, so of the roles only the team lead reaches them; a
professional of the same team gets the one 404."""

from __future__ import annotations

from typing import Any

from wijk.core.tests.matrix_kit import PERSON_LEVEL, RESIDENT, TEAM_LEAD, Kwargs, row
from wijk.meldcode.models import MeldcodeCase, MeldcodeStatusChange
from wijk.meldcode.workflow import MeldcodeStatus

CASE: Kwargs = lambda objects: {"pk": objects["meldcode_case"].pk}  # noqa: E731
STEP: Kwargs = lambda objects: {"pk": objects["meldcode_case"].pk, "number": 1}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "meldcode:resident": (row(PERSON_LEVEL), RESIDENT),
    "meldcode:open": (row(PERSON_LEVEL), RESIDENT),
    "meldcode:detail": (row(TEAM_LEAD), CASE),
    "meldcode:step": (row(TEAM_LEAD), STEP),
    "meldcode:readers": (row(TEAM_LEAD), CASE),
    "meldcode:close": (row(TEAM_LEAD), CASE),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """An open case on the matrix's resident, coordinated by a colleague. Written without the
    service: a user outside a request has no TOTP-verified session, so no gate."""
    case = MeldcodeCase.objects.create(
        resident=objects["resident"], team=objects["team"], coordinator=objects["other_user"]
    )
    MeldcodeStatusChange.objects.create(
        case=case, seq=1, status=MeldcodeStatus.OPEN, by=objects["other_user"]
    )
    objects["meldcode_case"] = case
