"""Rows of the meldcode's kind of work for the one worklist's pinned query count
(wijk/core/tests/test_worklist.py discovers this module in every app)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.meldcode.models import MeldcodeCase, MeldcodeStatusChange, MeldcodeStep
from wijk.meldcode.workflow import MeldcodeStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory

KINDS = ("meldcode",)


def make_rows(*, user: Any, team: Any, today: datetime.date, count: int) -> None:
    """`count` open cases of `team` coordinated by `user`, each of another resident, opened
    from one to nine days ago; every other one with step 1 recorded."""
    for number in range(count):
        opened_at = timezone.now() - datetime.timedelta(days=number % 9 + 1)
        case = MeldcodeCase.objects.create(
            resident=HouseholdMembershipFactory().resident,
            team=team,
            coordinator=user,
            opened_at=opened_at,
        )
        MeldcodeStatusChange.objects.create(case=case, seq=1, status=MeldcodeStatus.OPEN, by=user)
        if number % 2:
            MeldcodeStep.objects.create(
                case=case,
                number=1,
                occurred_on=opened_at.date(),
                by=user,
                text="Signalen vastgelegd.",
                minor_children="nee",
            )
