"""The working-day calendar: the holidays of the Algemene termijnenwet art. 3, and counting
working days forward (`add_working_days`) and between two dates (`working_days_between`).

The holiday dates are held against known dates and the `holidays` package; the counting
functions against each other and against the slow definition, one day at a time.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

from wijk.core.calendar import (
    add_working_days,
    dutch_holidays,
    easter_sunday,
    is_working_day,
    kings_day,
    working_days_between,
)

# --- The holidays ----------------------------------------------------------------------------

# Known dates, from the calendar, not from a formula: (Goede Vrijdag, tweede Paasdag,
# Hemelvaartsdag, tweede Pinksterdag, Koningsdag) per year.
KNOWN_MOVABLE = {
    2024: ("2024-03-29", "2024-04-01", "2024-05-09", "2024-05-20", "2024-04-27"),
    2025: ("2025-04-18", "2025-04-21", "2025-05-29", "2025-06-09", "2025-04-26"),
    2026: ("2026-04-03", "2026-04-06", "2026-05-14", "2026-05-25", "2026-04-27"),
    2027: ("2027-03-26", "2027-03-29", "2027-05-06", "2027-05-17", "2027-04-27"),
    2028: ("2028-04-14", "2028-04-17", "2028-05-25", "2028-06-05", "2028-04-27"),
    2029: ("2029-03-30", "2029-04-02", "2029-05-10", "2029-05-21", "2029-04-27"),
    2030: ("2030-04-19", "2030-04-22", "2030-05-30", "2030-06-10", "2030-04-27"),
}
KNOWN_EASTER = {
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}


@pytest.mark.parametrize("year", sorted(KNOWN_MOVABLE))
def test_holidays_of_2024_to_2030_are_the_known_dates(year: int) -> None:
    fixed = {f"{year}-01-01", f"{year}-05-05", f"{year}-12-25", f"{year}-12-26"}
    expected = {date.fromisoformat(text) for text in {*KNOWN_MOVABLE[year], *fixed}}
    assert dutch_holidays(year) == expected
    assert easter_sunday(year) == KNOWN_EASTER[year]


@pytest.mark.parametrize("year", sorted(KNOWN_EASTER))
def test_ascension_and_whit_monday_are_39_and_50_days_after_easter(year: int) -> None:
    _, _, ascension, whit_monday, _ = (date.fromisoformat(text) for text in KNOWN_MOVABLE[year])
    assert ascension == KNOWN_EASTER[year] + timedelta(days=39)
    assert whit_monday == KNOWN_EASTER[year] + timedelta(days=50)
    assert ascension.weekday() == 3
    assert whit_monday.weekday() == 0


def test_kings_day_moves_to_the_26th_only_when_the_27th_is_a_sunday() -> None:
    assert kings_day(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert kings_day(2026) == date(2026, 4, 27)  # a Monday
    assert kings_day(2031) == date(2031, 4, 26)  # 27 April 2031 is a Sunday again
    for year in range(2000, 2101):
        expected = date(year, 4, 26) if date(year, 4, 27).weekday() == 6 else date(year, 4, 27)
        assert kings_day(year) == expected


def test_liberation_day_every_year_or_in_lustrum_years_only() -> None:
    for year in (2025, 2026):
        assert date(year, 5, 5) in dutch_holidays(year)
    # 2025 is a lustrum year (divisible by 5), 2026 is not.
    assert date(2025, 5, 5) in dutch_holidays(2025, liberation_day_every_year=False)
    assert date(2026, 5, 5) not in dutch_holidays(2026, liberation_day_every_year=False)
    assert not is_working_day(date(2026, 5, 5))  # a Tuesday
    assert is_working_day(date(2026, 5, 5), liberation_day_every_year=False)


def test_easter_agrees_with_dateutil_for_four_centuries() -> None:
    for year in range(1900, 2300):
        assert easter_sunday(year) == easter(year), year


@pytest.mark.parametrize("every_year", [True, False])
def test_holidays_agree_with_the_holidays_package_from_2014_to_2100(every_year: bool) -> None:
    # PUBLIC has 5 May in lustrum years, OPTIONAL adds it for the other years. The package also
    # lists eerste Paas- and Pinksterdag, Sundays that art. 3 names but a weekend excludes anyway.
    categories = (holidays.PUBLIC, holidays.OPTIONAL) if every_year else (holidays.PUBLIC,)
    for year in range(2014, 2101):
        package = set(holidays.country_holidays("NL", years=year, categories=categories))
        sundays = {easter(year), easter(year) + timedelta(days=49)}
        assert dutch_holidays(year, liberation_day_every_year=every_year) == package - sundays


# --- working_days_between and add_working_days -----------------------------------------------


def test_working_days_between_counts_after_start_up_to_and_including_end() -> None:
    monday, friday = date(2025, 3, 10), date(2025, 3, 14)
    assert working_days_between(monday, monday) == 0
    assert working_days_between(monday, friday) == 4
    assert working_days_between(friday, date(2025, 3, 16)) == 0  # the weekend
    assert working_days_between(friday, date(2025, 3, 17)) == 1
    assert working_days_between(friday, monday) == -4
    # Easter 2025: Thu 17/4 to Tue 22/4 skips Goede Vrijdag, the weekend and tweede Paasdag.
    assert working_days_between(date(2025, 4, 17), date(2025, 4, 22)) == 1


def test_add_working_days_zero_is_the_day_itself_and_negative_is_refused() -> None:
    saturday = date(2025, 3, 8)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(saturday, 1) == date(2025, 3, 10)
    with pytest.raises(ValueError, match="forward"):
        add_working_days(saturday, -1)


# --- Properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def add_working_days_one_by_one(day: date, n: int, *, every_year: bool) -> date:
    """The definition, slowly: step a day at a time and count the working days."""
    while n:
        day += timedelta(days=1)
        if is_working_day(day, liberation_day_every_year=every_year):
            n -= 1
    return day


# The reference walks every day, so Hypothesis's per-example time limit is off for it.
@settings(deadline=None)
@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9980, 12, 31)),
    n=st.integers(min_value=0, max_value=3000),
    every_year=st.booleans(),
)
def test_add_working_days_agrees_with_counting_day_by_day(
    start: date, n: int, every_year: bool
) -> None:
    expected = add_working_days_one_by_one(start, n, every_year=every_year)
    assert add_working_days(start, n, liberation_day_every_year=every_year) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Christmas 2025 into 2026: Thu 25 K1, Fri 26 K2, Mon 29 d1, Tue 30 d2, Wed 31 d3,
        # Thu 1/1 Nieuwjaarsdag, Fri 2/1 d4. The jump lands on holidays twice.
        (date(2025, 12, 24), 4, date(2026, 1, 2)),
        # Easter 2025 from Thursday: Fri 18/4 Goede Vrijdag, Mon 21/4 tweede Paasdag, Tue 22 d1.
        (date(2025, 4, 17), 1, date(2025, 4, 22)),
        # From a holiday itself (Mon 21/4/2025): Tue 22 is d1.
        (date(2025, 4, 21), 1, date(2025, 4, 22)),
        # A whole year: 2026 has 261 weekdays, 8 of its holidays on a weekday (1/1, 3/4, 6/4,
        # 27/4, 5/5, 14/5, 25/5, 25/12; 26/12 is a Saturday): 253 working days.
        (date(2025, 12, 31), 253, date(2026, 12, 31)),
    ],
)
def test_add_working_days_across_holidays(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, liberation_day_every_year=True) == expected


@given(start=days, n=st.integers(min_value=0, max_value=100_000), every_year=st.booleans())
def test_working_days_between_undoes_add_working_days(
    start: date, n: int, every_year: bool
) -> None:
    end = add_working_days(start, n, liberation_day_every_year=every_year)
    assert working_days_between(start, end, liberation_day_every_year=every_year) == n
    assert n == 0 or is_working_day(end, liberation_day_every_year=every_year)


@given(start=days, end=days, every_year=st.booleans())
def test_add_working_days_undoes_working_days_between(
    start: date, end: date, every_year: bool
) -> None:
    if end < start:
        start, end = end, start
    count = working_days_between(start, end, liberation_day_every_year=every_year)
    reached = add_working_days(start, count, liberation_day_every_year=every_year)
    # The last working day up to `end` (or `start` itself when there is none in between).
    assert reached <= end
    assert all(
        not is_working_day(reached + timedelta(days=offset), liberation_day_every_year=every_year)
        for offset in range(1, (end - reached).days + 1)
    )
    if is_working_day(end, liberation_day_every_year=every_year) and end > start:
        assert reached == end


@given(start=days, span=st.integers(min_value=-800, max_value=800), every_year=st.booleans())
def test_working_days_between_agrees_with_counting_day_by_day(
    start: date, span: int, every_year: bool
) -> None:
    end = start + timedelta(days=span)
    low, high = min(start, end), max(start, end)
    counted = sum(
        is_working_day(low + timedelta(days=offset), liberation_day_every_year=every_year)
        for offset in range(1, (high - low).days + 1)
    )
    expected = counted if end >= start else -counted
    assert working_days_between(start, end, liberation_day_every_year=every_year) == expected


@given(day=days, every_year=st.booleans())
def test_weekend_days_are_never_working_days(day: date, every_year: bool) -> None:
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    assert saturday.weekday() == 5
    assert not is_working_day(saturday, liberation_day_every_year=every_year)
    assert not is_working_day(saturday + timedelta(days=1), liberation_day_every_year=every_year)
    if day.weekday() < 5 and day not in dutch_holidays(
        day.year, liberation_day_every_year=every_year
    ):
        assert is_working_day(day, liberation_day_every_year=every_year)
