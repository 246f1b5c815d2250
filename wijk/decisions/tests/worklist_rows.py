"""Rows of the decisions' kinds of work for the one worklist's pinned query count
(wijk/core/tests/test_worklist.py discovers this module in every app)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from wijk.decisions.models import DecisionCase
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus

KINDS = ("decision", "pgb_evaluation")


def make_rows(*, user: Any, team: Any, today: datetime.date, count: int) -> None:
    """`count` decisions back from the municipality not yet seen, and `count` granted pgbs
    due for evaluation, each about an active plan of another household of `team` that
    `user` coordinates. Written directly, as the services leave them."""
    for number in range(count):
        for kind in (DecisionKind.REQUESTED, DecisionKind.PGB):
            plan = SupportPlanFactory(team=team, coordinator=user, status=PlanStatus.ACTIVE)
            pgb = kind == DecisionKind.PGB
            DecisionCase.objects.create(
                plan=plan,
                version=plan.current,
                resident=plan.resident,
                kind=kind,
                draft_text="Concept.",
                pgb_plan="Pgb-plan." if pgb else "",
                # A decision seen already does not show as "decision"; a pgb shows as due.
                status=DecisionStatus.SEEN if pgb else DecisionStatus.DECIDED,
                placed_by=user,
                outcome=DecisionOutcome.GRANTED,
                decided_on=today - datetime.timedelta(days=number % 5),
                starts_on=today - datetime.timedelta(days=700),
                amount=Decimal("1000.00") if pgb else None,
                reference=f"R-{number}",
                decided_by=user,
                next_evaluation_on=today + datetime.timedelta(days=number % 9 - 4) if pgb else None,
            )
