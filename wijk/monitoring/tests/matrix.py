"""Authorization matrix rows of the monitoring pages (merged by
wijk/core/tests/test_authorization_matrix.py). Counts only, so no professional and no
administrator; the municipality sees the deadlines per wijk and the inflow and outflow."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.core.tests.matrix_kit import ALLOW, NO_ARGS, Kwargs, row
from wijk.monitoring.tests.factories import HelpRequestFactory, TrajectoryFactory

TEAM_LEAD_AND_MANAGEMENT = {"team_lead": ALLOW, "management": ALLOW}

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "monitoring:compliance": (row({**TEAM_LEAD_AND_MANAGEMENT, "municipality": ALLOW}), NO_ARGS),
    "monitoring:waiting": (row(TEAM_LEAD_AND_MANAGEMENT), NO_ARGS),
    "monitoring:flows": (row({"management": ALLOW, "municipality": ALLOW}), NO_ARGS),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """A few requests and a trajectory, so that the pages show filled tables (also to axe)."""
    team, resident = objects["team"], objects["resident"]
    buurt = resident.address.buurt
    now = timezone.now()
    HelpRequestFactory(team=team, buurt=buurt, resident=resident, received_at=now)
    HelpRequestFactory(team=team, received_at=now - datetime.timedelta(days=40))
    TrajectoryFactory(
        team=team,
        resident=resident,
        coordinator=objects["other_user"],
        inflow_date=timezone.localdate(),
    )
