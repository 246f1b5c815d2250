"""Rows of the investigations' kind of work for the one worklist's pinned query count
(wijk/core/tests/test_worklist.py discovers this module in every app)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.investigations.models import Investigation
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

KINDS = ("investigation",)


def make_rows(*, user: Any, team: Any, today: datetime.date, count: int) -> None:
    """`count` unfinished investigations of open requests of `team` assigned to `user`
    (contacted already, so they are no first-contact work), each of another resident, due
    from four days ago to four days ahead."""
    for number in range(count):
        help_request = HelpRequestFactory(
            team=team,
            assigned_to=user,
            resident=HouseholdMembershipFactory().resident,
            status="contacted",
            first_contact_at=timezone.now(),
            investigation_due=today + datetime.timedelta(days=number % 9 - 4),
        )
        Investigation.objects.create(
            help_request=help_request,
            resident=help_request.resident,
            started_by=user,
            updated_by=user,
        )
