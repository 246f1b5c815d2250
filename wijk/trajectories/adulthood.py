"""Turning 18: young people in youth-related support need a warm handover to adult support
before their 18th birthday (002 §4.5). This module says when that birthday is and whether it
falls within the coming FLAG_MONTHS months.

29 February. Dutch law counts age in completed years and has no article for someone born on
29 February. We take 1 March as the birthday in a common year: the year of life is completed
when 28 February ends, so the resident is of age (meerderjarig, art. 1:233 BW) from 1 March.
That is how the Dutch press and legal explainers read it, and it is the later of the two
candidate dates, so youth support is never treated as ended a day before the resident is
actually an adult. In a leap year the birthday is 29 February itself (for other ages: 18 is
no multiple of 4, so an 18th birthday of someone born on 29 February is always 1 March).

"The coming six months" ends on the same day of the month six months later, or on the last
day of that month when it is shorter (31 August + 6 months = 28 or 29 February)."""

from __future__ import annotations

import calendar
import datetime

ADULT_AGE = 18
FLAG_MONTHS = 6


def anniversary(born: datetime.date, years: int) -> datetime.date:
    """The day `born` is `years` years ago. 29 February falls on 1 March in a common year."""
    year = born.year + years
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 3, 1)
    return born.replace(year=year)


def eighteenth_birthday(born: datetime.date) -> datetime.date:
    return anniversary(born, ADULT_AGE)


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months later, or the last day of that month if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def flag_horizon(today: datetime.date) -> datetime.date:
    return months_later(today, FLAG_MONTHS)


def turns_18_soon(born: datetime.date, today: datetime.date) -> datetime.date | None:
    """The 18th birthday if today ≤ that day ≤ today + FLAG_MONTHS months, else None."""
    birthday = eighteenth_birthday(born)
    return birthday if today <= birthday <= flag_horizon(today) else None


def birth_dates_turning_18_soon(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A range of birth dates that holds every resident for whom turns_18_soon(today) is a
    date (a little wider at the start for 29 February); for a database filter, to be narrowed
    with turns_18_soon."""
    earliest = months_later(today, -12 * ADULT_AGE) - datetime.timedelta(days=1)
    latest = months_later(flag_horizon(today), -12 * ADULT_AGE)
    return earliest, latest
