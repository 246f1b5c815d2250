"""Rows of the plans' kind of work for the one worklist's pinned query count
(wijk/core/tests/test_worklist.py discovers this module in every app, as the authorization
matrix discovers tests/matrix.py)."""

from __future__ import annotations

import datetime
from typing import Any

from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus

KINDS = ("plan_evaluation",)


def make_rows(*, user: Any, team: Any, today: datetime.date, count: int) -> None:
    """`count` active plans of `team` that `user` coordinates, each of another household, due
    for evaluation from four days ago to four days ahead."""
    for number in range(count):
        SupportPlanFactory(
            team=team,
            coordinator=user,
            status=PlanStatus.ACTIVE,
            next_evaluation_on=today + datetime.timedelta(days=number % 9 - 4),
        )
