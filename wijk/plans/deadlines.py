"""When a support plan's next evaluation is due: pure functions, no database (ADR 0035).

The next evaluation date is a calendar date the professional chooses with the resident at
each evaluation (and at signing). The form suggests one: six months after the evaluation
(EVALUATION_INTERVAL_MONTHS), moved to the next working day when that falls on a weekend or a
holiday of the Algemene termijnenwet (wijk.core.calendar), so nobody is asked to come in on
Boxing Day. The worklist shows an evaluation from EVALUATION_WORKLIST_DAYS before it is due,
and keeps it there once it is overdue.
"""

from __future__ import annotations

import calendar
import datetime

from wijk.core.calendar import add_working_days, is_working_day

# The suggested time between two evaluations. The Wmo sets none; half a year is the rhythm
# the teams keep (seed 002 §5.1 asks that every plan is evaluated, not how often).
EVALUATION_INTERVAL_MONTHS = 6

# The worklist lists an evaluation this many days before its date (time to make the
# appointment), and every overdue one.
EVALUATION_WORKLIST_DAYS = 42

# The plan page warns this many days before the date that an evaluation is coming.
EVALUATION_SOON_DAYS = 14


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day where it is shorter (31 August
    plus six months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_working_day_from(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    return day if is_working_day(day) else add_working_days(day, 1)


def next_evaluation_suggested(held_on: datetime.date) -> datetime.date:
    """The next evaluation date the form suggests after an evaluation held on `held_on`."""
    return next_working_day_from(add_months(held_on, EVALUATION_INTERVAL_MONTHS))


def worklist_horizon(today: datetime.date) -> datetime.date:
    """The last due date the worklist shows today."""
    return today + datetime.timedelta(days=EVALUATION_WORKLIST_DAYS)
