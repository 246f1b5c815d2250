"""Authorization matrix rows of the monitoring pages (merged by
wijk/core/tests/test_authorization_matrix.py). Counts only, so no professional and no
administrator; the municipality sees the deadlines per wijk, the inflow and outflow with their
reasons, and the reach, without small numbers."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.core.tests.matrix_kit import ALLOW, NO_ARGS, Kwargs, row
from wijk.monitoring.tests.factories import (
    HandoverFactory,
    HelpRequestFactory,
    ShortContactFactory,
    TrajectoryFactory,
)

TEAM_LEAD_AND_MANAGEMENT = {"team_lead": ALLOW, "management": ALLOW}
CITY = {"management": ALLOW, "municipality": ALLOW}

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "monitoring:compliance": (row({**TEAM_LEAD_AND_MANAGEMENT, "municipality": ALLOW}), NO_ARGS),
    "monitoring:waiting": (row(TEAM_LEAD_AND_MANAGEMENT), NO_ARGS),
    "monitoring:flows": (row(CITY), NO_ARGS),
    "monitoring:flow_reasons": (row(CITY), NO_ARGS),
    "monitoring:reach": (row(CITY), NO_ARGS),
    # The team lead's list of records to fix; counts only for management and the municipality.
    "monitoring:quality": (row({**TEAM_LEAD_AND_MANAGEMENT, "municipality": ALLOW}), NO_ARGS),
    "monitoring:dashboard": (row({**TEAM_LEAD_AND_MANAGEMENT, "municipality": ALLOW}), NO_ARGS),
    "monitoring:dashboard_download": (
        row({**TEAM_LEAD_AND_MANAGEMENT, "municipality": ALLOW}),
        NO_ARGS,
    ),
    "monitoring:dashboard_everything": (
        row({**TEAM_LEAD_AND_MANAGEMENT, "municipality": ALLOW}),
        NO_ARGS,
    ),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """A few requests, trajectories, a handover and short contacts, so that the pages show
    filled tables (also to axe)."""
    team, resident = objects["team"], objects["resident"]
    buurt = resident.address.buurt
    now = timezone.now()
    HelpRequestFactory(team=team, buurt=buurt, resident=resident, received_at=now)
    HelpRequestFactory(team=team, received_at=now - datetime.timedelta(days=40))
    today = timezone.localdate()
    TrajectoryFactory(
        team=team, resident=resident, coordinator=objects["other_user"], inflow_date=today
    )
    HandoverFactory(
        trajectory=TrajectoryFactory(
            team=team,
            resident=resident,
            coordinator=objects["other_user"],
            inflow_date=today - datetime.timedelta(days=30),
            closed_on=today,
        )
    )
    for _contact in range(6):
        ShortContactFactory(team=team, wijk=buurt.wijk, registered_by=objects["other_user"])
