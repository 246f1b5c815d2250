"""The two deadlines of a request for support, in working days and weeks.

Contract 002, §4.3: the partnership contacts the resident "uiterlijk binnen vijf werkdagen na
ontvangst van een eerste vraag om ondersteuning", and support is "altijd beschikbaar binnen een
termijn van vier weken". So:

- The *day of receipt* is the date of the moment of receipt in Europe/Amsterdam (`TIME_ZONE`),
  whatever day of the week that is. A request that arrives on Saturday was received on Saturday.
- **First contact**: the first working day after the day of receipt is day 1; the deadline is
  the end of working day 5, so its date is working day 5.
- **Support**: the day four weeks (28 calendar days) after the day of receipt.

Working days are Monday to Friday except the holidays of the Algemene termijnenwet, art. 3:
Nieuwjaarsdag, Goede Vrijdag, tweede Paasdag, Hemelvaartsdag, tweede Pinksterdag, Koningsdag
(27 April, or 26 April when the 27th is a Sunday), 5 mei (Bevrijdingsdag) and eerste en tweede
Kerstdag. (The law's Sundays, eerste Paas- and Pinksterdag, are weekend days anyway.) Whether
5 May counts every year or only in lustrum years (years divisible by 5, as the `holidays`
package's PUBLIC category has it) is the setting `WIJK_LIBERATION_DAY_EVERY_YEAR`, on by default.

The dates are computed here, line by line from art. 3, rather than filtered out of a holiday
library by name; the tests hold them against the `holidays` package and known dates. Koningsdag
follows the rule in force since 2014 for every year: earlier years are not historically exact
(they had Koninginnedag on 30 April), which no request in wijk needs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

FIRST_CONTACT_WORKING_DAYS = 5
SUPPORT_CALENDAR_DAYS = 28
_SATURDAY = 5
_SUNDAY = 6


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates by which a request must have had first contact and support available."""

    first_contact: date
    support: date


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous algorithm (Meeus/Jones/Butcher)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    quarters, quarter_rest = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * quarters - epact - quarter_rest) % 7
    month_correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day = divmod(epact + weekday_shift - 7 * month_correction + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """Koningsdag: 27 April, or Saturday 26 April when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == _SUNDAY else day


@functools.cache
def _holidays(year: int, liberation_day_every_year: bool) -> frozenset[date]:
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1),  # Nieuwjaarsdag
        easter - timedelta(days=2),  # Goede Vrijdag
        easter + timedelta(days=1),  # tweede Paasdag
        easter + timedelta(days=39),  # Hemelvaartsdag
        easter + timedelta(days=50),  # tweede Pinksterdag
        kings_day(year),  # Koningsdag
        date(year, 12, 25),  # eerste Kerstdag
        date(year, 12, 26),  # tweede Kerstdag
    }
    if liberation_day_every_year or year % 5 == 0:
        days.add(date(year, 5, 5))  # Bevrijdingsdag
    return frozenset(days)


def _every_year(liberation_day_every_year: bool | None) -> bool:
    """None means: as `settings.WIJK_LIBERATION_DAY_EVERY_YEAR` says."""
    if liberation_day_every_year is None:
        return bool(settings.WIJK_LIBERATION_DAY_EVERY_YEAR)
    return liberation_day_every_year


def dutch_holidays(year: int, *, liberation_day_every_year: bool | None = None) -> frozenset[date]:
    """The Algemene termijnenwet holidays of `year`, weekend or not (cached per year)."""
    return _holidays(year, _every_year(liberation_day_every_year))


def is_working_day(day: date, *, liberation_day_every_year: bool | None = None) -> bool:
    """Monday to Friday and not a holiday."""
    every_year = _every_year(liberation_day_every_year)
    return day.weekday() < _SATURDAY and day not in _holidays(day.year, every_year)


def add_working_days(day: date, n: int, *, liberation_day_every_year: bool | None = None) -> date:
    """The `n`-th working day after `day` (`day` itself does not count; `n == 0` gives `day`)."""
    liberation_day_every_year = _every_year(liberation_day_every_year)
    if n < 0:
        raise ValueError(f"add_working_days counts forward only, not {n} working days")
    while n:
        day += timedelta(days=1)
        if is_working_day(day, liberation_day_every_year=liberation_day_every_year):
            n -= 1
    return day


def working_days_between(
    start: date, end: date, *, liberation_day_every_year: bool | None = None
) -> int:
    """The number of working days after `start` up to and including `end`.

    Negative when `end` is before `start`: `working_days_between(a, b) == -working_days_between(b,
    a)`. So `working_days_between(deadline, today)` is how many working days a deadline is
    overdue (when positive), and `working_days_between(today, deadline)` how many remain.
    """
    liberation_day_every_year = _every_year(liberation_day_every_year)
    if end < start:
        return -working_days_between(
            end, start, liberation_day_every_year=liberation_day_every_year
        )
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    holidays = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in _holidays(year, liberation_day_every_year)
        if start < holiday <= end and holiday.weekday() < _SATURDAY
    )
    return weekdays - holidays


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


def request_deadlines(
    received_at: datetime, *, liberation_day_every_year: bool | None = None
) -> Deadlines:
    """The deadlines of a request received at the aware moment `received_at`.

    `liberation_day_every_year=None` reads `settings.WIJK_LIBERATION_DAY_EVERY_YEAR`.
    """
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError(f"received_at must be an aware datetime, not naive {received_at!r}")
    liberation_day_every_year = _every_year(liberation_day_every_year)
    received_on = timezone.localdate(received_at, timezone.get_default_timezone())
    return Deadlines(
        first_contact=add_working_days(
            received_on,
            FIRST_CONTACT_WORKING_DAYS,
            liberation_day_every_year=liberation_day_every_year,
        ),
        support=received_on + timedelta(days=SUPPORT_CALENDAR_DAYS),
    )
