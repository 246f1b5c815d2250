"""The 18th birthday and the six-month window, with 29 February in leap and common years."""

from __future__ import annotations

import datetime

import pytest

from wijk.trajectories.adulthood import (
    anniversary,
    birth_dates_turning_18_soon,
    eighteenth_birthday,
    flag_horizon,
    turns_18_soon,
)

day = datetime.date


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (day(2008, 7, 14), day(2026, 7, 14)),
        # 18 is no multiple of 4: someone born on 29 February never has their 18th birthday in
        # a leap year, so it is always 1 March.
        (day(2008, 2, 29), day(2026, 3, 1)),
        (day(2012, 2, 29), day(2030, 3, 1)),
        (day(2008, 2, 28), day(2026, 2, 28)),
        (day(2008, 3, 1), day(2026, 3, 1)),
    ],
)
def test_eighteenth_birthday(born, expected) -> None:
    assert eighteenth_birthday(born) == expected


def test_29_february_is_the_birthday_itself_in_a_leap_year_and_1_march_otherwise() -> None:
    born = day(2008, 2, 29)
    assert anniversary(born, 20) == day(2028, 2, 29)  # 2028 is a leap year
    assert anniversary(born, 19) == day(2027, 3, 1)  # 2027 is not
    assert anniversary(day(1900, 2, 28), 100) == day(2000, 2, 28)


@pytest.mark.parametrize(
    ("today", "horizon"),
    [
        (day(2026, 1, 15), day(2026, 7, 15)),
        (day(2025, 8, 31), day(2026, 2, 28)),  # common year: the last day of February
        (day(2027, 8, 31), day(2028, 2, 29)),  # leap year
        (day(2027, 8, 29), day(2028, 2, 29)),
        (day(2026, 7, 31), day(2027, 1, 31)),
        (day(2026, 12, 31), day(2027, 6, 30)),
    ],
)
def test_the_window_ends_six_months_later_or_on_the_last_day_of_that_month(today, horizon) -> None:
    assert flag_horizon(today) == horizon


@pytest.mark.parametrize(
    ("born", "today", "flagged"),
    [
        # Born 29 February 2008: 18 on 1 March 2026 (2026 is a common year).
        (day(2008, 2, 29), day(2025, 9, 1), day(2026, 3, 1)),  # last day of the window
        (day(2008, 2, 29), day(2025, 8, 31), None),  # the window ends on 28 February
        (day(2008, 2, 29), day(2026, 2, 28), day(2026, 3, 1)),
        (day(2008, 2, 29), day(2026, 3, 1), day(2026, 3, 1)),  # the birthday is today
        (day(2008, 2, 29), day(2026, 3, 2), None),  # already 18
        # A window ending in a leap-year February (2028).
        (day(2010, 2, 28), day(2027, 8, 31), day(2028, 2, 28)),
        (day(2010, 3, 1), day(2027, 8, 31), None),
        (day(2010, 3, 1), day(2027, 9, 1), day(2028, 3, 1)),
        # Far from 18, and long past it.
        (day(2015, 5, 5), day(2026, 1, 1), None),
        (day(1990, 5, 5), day(2026, 1, 1), None),
    ],
)
def test_turns_18_soon(born, today, flagged) -> None:
    assert turns_18_soon(born, today) == flagged


@pytest.mark.parametrize(
    "today",
    [day(2025, 8, 31), day(2025, 9, 1), day(2026, 3, 1), day(2027, 8, 31), day(2027, 12, 31)],
)
def test_the_birth_date_range_holds_everyone_flagged(today) -> None:
    earliest, latest = birth_dates_turning_18_soon(today)
    born = day(2005, 1, 1)
    while born < day(2012, 12, 31):
        if turns_18_soon(born, today) is not None:
            assert earliest <= born <= latest, born
        born += datetime.timedelta(days=1)
