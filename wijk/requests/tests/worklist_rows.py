"""Rows of the requests' kinds of work for the one worklist's pinned query count
(wijk/core/tests/test_worklist.py discovers this module in every app, as the authorization
matrix discovers tests/matrix.py)."""

from __future__ import annotations

import datetime
from typing import Any

from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

KINDS = ("first_contact",)


def make_rows(*, user: Any, team: Any, today: datetime.date, count: int) -> None:
    """`count` open requests of `team` assigned to `user`, without first contact yet, each
    of another resident, due from four days ago to four days ahead."""
    for number in range(count):
        HelpRequestFactory(
            team=team,
            assigned_to=user,
            resident=HouseholdMembershipFactory().resident,
            first_contact_due=today + datetime.timedelta(days=number % 9 - 4),
        )
