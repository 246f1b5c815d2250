"""Authorization matrix rows of the group activities (merged by
wijk/core/tests/test_authorization_matrix.py). Activities, sessions and named participants
are for professionals and team leads; the overview holds aggregates only: team leads,
management and the municipality, never participants."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.core.tests.matrix_kit import ALLOW, NO_ARGS, PERSON_LEVEL, TEAM_LEAD, Kwargs, row

AGGREGATES = {"team_lead": ALLOW, "management": ALLOW, "municipality": ALLOW}
ACTIVITY: Kwargs = lambda objects: {"pk": objects["activity"].pk}  # noqa: E731
SESSION: Kwargs = lambda objects: {"pk": objects["activity_session"].pk}  # noqa: E731
MOVE: Kwargs = lambda objects: {"pk": objects["activity_move"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "activities:list": (row(PERSON_LEVEL), NO_ARGS),
    "activities:create": (row(PERSON_LEVEL), NO_ARGS),
    "activities:detail": (row(PERSON_LEVEL), ACTIVITY),
    "activities:edit": (row(PERSON_LEVEL), ACTIVITY),
    "activities:session_create": (row(PERSON_LEVEL), ACTIVITY),
    "activities:session_edit": (row(PERSON_LEVEL), SESSION),
    "activities:participants": (row(PERSON_LEVEL), SESSION),
    "activities:overview": (row(AGGREGATES), NO_ARGS),
    # Moves of an activity to another wijk: decided by a team lead of the destination.
    "activities:move_list": (row(TEAM_LEAD), NO_ARGS),
    "activities:move_review": (row(TEAM_LEAD), MOVE),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """An activity in the team's wijk that registers participants, with one session; and an
    activity elsewhere that a colleague asked to move into the team's wijk."""
    from wijk.activities.models import ActivityMove
    from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory
    from wijk.areas.models import Wijk

    team = objects["team"]
    activity = ActivityFactory(
        organiser=team.organisation, wijk=team.wijken.get(), registers_participants=True
    )
    objects["activity"] = activity
    objects["activity_session"] = ActivitySessionFactory(
        activity=activity,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        registered_by=objects["other_user"],
    )
    elsewhere = Wijk.objects.exclude(code=activity.wijk.code).order_by("code").first()
    objects["activity_move"] = ActivityMove.objects.create(
        activity=ActivityFactory(organiser=team.organisation, wijk=elsewhere),
        from_wijk=elsewhere,
        to_wijk=activity.wijk,
        requested_by=objects["other_user"],
    )
