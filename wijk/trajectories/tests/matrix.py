"""The trajectory pages in the authorization matrix: person-level pages for professionals and
team leads of the trajectory's team; changing its coordinator for the team lead alone; 404
for every other role."""

from __future__ import annotations

import datetime
from typing import Any

from wijk.core.tests.matrix_kit import NO_ARGS, PERSON_LEVEL, TEAM_LEAD, Kwargs, row
from wijk.reference.models import Code
from wijk.trajectories.models import Trajectory, TrajectoryStatusChange

TRAJECTORY: Kwargs = lambda objects: {"pk": objects["trajectory"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "trajectories:list": (row(PERSON_LEVEL), NO_ARGS),
    "trajectories:turning_18": (row(PERSON_LEVEL), NO_ARGS),
    "trajectories:start": (row(PERSON_LEVEL), NO_ARGS),
    "trajectories:detail": (row(PERSON_LEVEL), TRAJECTORY),
    "trajectories:transition": (row(PERSON_LEVEL), TRAJECTORY),
    "trajectories:zrm": (row(PERSON_LEVEL), TRAJECTORY),
    "trajectories:coordinator": (row(TEAM_LEAD), TRAJECTORY),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """An active trajectory of the matrix's resident in the matrix's team."""
    trajectory = Trajectory.objects.create(
        resident=objects["resident"],
        household=objects["resident"].household_membership.household,
        team=objects["team"],
        part="sociaal_wijkteam",
        inflow_date=datetime.date(2026, 1, 5),
        inflow_reason=Code.objects.get(code_list__slug="inflow_reasons", code="own_request"),
        primary_life_domain=Code.objects.get(code_list__slug="life_domains", code="finances"),
        coordinator=objects["other_user"],
    )
    TrajectoryStatusChange.objects.create(
        trajectory=trajectory, seq=1, status="active", by=objects["other_user"]
    )
    objects["trajectory"] = trajectory
