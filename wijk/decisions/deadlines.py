"""When a granted pgb must be evaluated: pure functions, no database (ADR 0040).

Seed 002 §5.2: every pgb is evaluated at least once every two years. The limit is the same
calendar day two years later (29 February: 28 February), counted from the pgb's start date,
and after that from each evaluation. A date later than the limit is refused. The date the
forms suggest is the limit itself, or, when that falls on a weekend or a holiday of the
Algemene termijnenwet, the working day before it: moving it later would break the rule.
The worklist shows an evaluation from PGB_WORKLIST_DAYS before it is due, and keeps it
there once it is overdue."""

from __future__ import annotations

import datetime

from wijk.core.calendar import is_working_day
from wijk.plans.deadlines import add_months

PGB_EVALUATION_MONTHS = 24

# The worklist lists a pgb evaluation this many days before its date, and every overdue one.
PGB_WORKLIST_DAYS = 42


def pgb_evaluation_limit(since: datetime.date) -> datetime.date:
    """The last day the next evaluation may be on: two years after `since`."""
    return add_months(since, PGB_EVALUATION_MONTHS)


def pgb_evaluation_suggested(since: datetime.date) -> datetime.date:
    """The date the forms suggest: the limit, or the last working day before it."""
    day = pgb_evaluation_limit(since)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def pgb_first_evaluation(
    *, starts_on: datetime.date, ends_on: datetime.date | None
) -> datetime.date:
    """The first evaluation of a pgb granted from `starts_on`: the suggested date two years
    on, or its end date when the pgb ends before that (it is evaluated when it ends)."""
    suggested = pgb_evaluation_suggested(starts_on)
    return min(suggested, ends_on) if ends_on is not None else suggested


def pgb_worklist_horizon(today: datetime.date) -> datetime.date:
    """The last due date the worklist shows today."""
    return today + datetime.timedelta(days=PGB_WORKLIST_DAYS)
