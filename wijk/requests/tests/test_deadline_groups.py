"""The worklist groups against the first-contact deadline, in working days: overdue, today,
within two working days, later, and contacted (whatever the deadline)."""

from __future__ import annotations

import datetime

import pytest

from wijk.requests.selectors import DeadlineGroup, deadline_group

# Thursday 24 April 2025: Friday 25 is working day 1, Monday 28 day 2; Koningsdag falls on
# Saturday 26 April that year.
THURSDAY = datetime.date(2025, 4, 24)
# Friday 2 May 2025: Monday 5 May (Bevrijdingsdag) is no working day, so Tuesday 6 is day 1.
FRIDAY_BEFORE_LIBERATION_DAY = datetime.date(2025, 5, 2)


@pytest.mark.parametrize(
    ("today", "due", "group"),
    [
        (THURSDAY, datetime.date(2025, 4, 23), DeadlineGroup.OVERDUE),
        (THURSDAY, THURSDAY, DeadlineGroup.TODAY),
        (THURSDAY, datetime.date(2025, 4, 25), DeadlineGroup.SOON),
        (THURSDAY, datetime.date(2025, 4, 28), DeadlineGroup.SOON),
        (THURSDAY, datetime.date(2025, 4, 29), DeadlineGroup.LATER),
        (FRIDAY_BEFORE_LIBERATION_DAY, datetime.date(2025, 5, 7), DeadlineGroup.SOON),
        (FRIDAY_BEFORE_LIBERATION_DAY, datetime.date(2025, 5, 8), DeadlineGroup.LATER),
    ],
)
def test_group_by_working_days(today, due, group) -> None:
    assert deadline_group(first_contact_due=due, contacted=False, today=today) == group


def test_contacted_request_is_no_longer_due_for_first_contact() -> None:
    overdue = datetime.date(2025, 4, 1)
    assert (
        deadline_group(first_contact_due=overdue, contacted=True, today=THURSDAY)
        == DeadlineGroup.CONTACTED
    )
