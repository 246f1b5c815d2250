"""The deadlines of contract 002 §4.3: first contact on working day 5, support within 4 weeks.

Every expected date below was worked out by hand from the rules (see the comments), not by
running the code. Notation: d1..d5 are working days 1 to 5 after the day of receipt.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from dateutil.easter import easter
from hypothesis import given
from hypothesis import strategies as st

from wijk.requests.deadlines import (
    Deadlines,
    add_working_days,
    dutch_holidays,
    easter_sunday,
    is_working_day,
    kings_day,
    request_deadlines,
    working_days_between,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(text: str) -> datetime:
    """A moment in Amsterdam local time, e.g. local("2025-04-16T10:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM)


def first_contact(text: str, *, every_year: bool = True) -> date:
    return request_deadlines(local(text), liberation_day_every_year=every_year).first_contact


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


# --- First contact around the holidays: receipt on a Wednesday, in several years -------------

# fmt: off
AROUND_HOLIDAYS = [
    # Easter. Goede Vrijdag and tweede Paasdag take two working days out of the week.
    # 2024: Easter 31/3. Thu 28/3 d1, Fri 29/3 GV, Mon 1/4 2P, Tue 2/4 d2, Wed 3 d3, Thu 4 d4,
    # Fri 5/4 d5
    ("2024-03-27T10:00", "2024-04-05"),
    # 2025: Easter 20/4. Thu 17/4 d1, Fri 18/4 GV, Mon 21/4 2P, Tue 22 d2, Wed 23 d3, Thu 24 d4,
    # Fri 25/4 d5 (Koningsdag is Saturday 26/4 and changes nothing)
    ("2025-04-16T10:30", "2025-04-25"),
    # 2026: Easter 5/4. Thu 2/4 d1, Fri 3/4 GV, Mon 6/4 2P, Tue 7 d2, Wed 8 d3, Thu 9 d4,
    # Fri 10/4 d5
    ("2026-04-01T10:00", "2026-04-10"),
    # 2027: Easter 28/3. Thu 25/3 d1, Fri 26/3 GV, Mon 29/3 2P, Tue 30 d2, Wed 31 d3, Thu 1/4 d4,
    # Fri 2/4 d5
    ("2027-03-24T10:00", "2027-04-02"),
    # Ascension Day (Thursday).
    # 2024: Thu 9/5 H, Fri 10/5 d1, Mon 13 d2, Tue 14 d3, Wed 15 d4, Thu 16/5 d5
    ("2024-05-08T10:00", "2024-05-16"),
    # 2025: Thu 29/5 H, Fri 30/5 d1, Mon 2/6 d2, Tue 3 d3, Wed 4 d4, Thu 5/6 d5
    ("2025-05-28T10:00", "2025-06-05"),
    # 2026: Thu 14/5 H, Fri 15/5 d1, Mon 18 d2, Tue 19 d3, Wed 20 d4, Thu 21/5 d5
    ("2026-05-13T10:00", "2026-05-21"),
    # 2027: received on Wed 5/5, itself Bevrijdingsdag (receipt on a holiday still counts).
    # Thu 6/5 H, Fri 7/5 d1, Mon 10 d2, Tue 11 d3, Wed 12 d4, Thu 13/5 d5
    ("2027-05-05T10:00", "2027-05-13"),
    # King's Day.
    # 2024: Koningsdag Sat 27/4. Thu 25/4 d1, Fri 26 d2, Mon 29 d3, Tue 30 d4, Wed 1/5 d5
    ("2024-04-24T10:00", "2024-05-01"),
    # 2025: Koningsdag Sat 26/4 (27/4 is a Sunday). Thu 24 d1, Fri 25 d2, Mon 28 d3, Tue 29 d4,
    # Wed 30/4 d5
    ("2025-04-23T10:00", "2025-04-30"),
    # 2026: Koningsdag Mon 27/4. Thu 23/4 d1, Fri 24 d2, Mon 27 K, Tue 28 d3, Wed 29 d4, Thu 30/4 d5
    ("2026-04-22T10:00", "2026-04-30"),
    # 2027: Koningsdag Tue 27/4. Thu 22/4 d1, Fri 23 d2, Mon 26 d3, Tue 27 K, Wed 28 d4, Thu 29/4 d5
    ("2027-04-21T10:00", "2027-04-29"),
    # Christmas.
    # 2024: Christmas Wed/Thu. Thu 19/12 d1, Fri 20 d2, Mon 23 d3, Tue 24 d4, Wed 25 K1, Thu 26 K2,
    # Fri 27/12 d5
    ("2024-12-18T10:00", "2024-12-27"),
    # 2025: received Wed 24/12. Thu 25 K1, Fri 26 K2, Mon 29 d1, Tue 30 d2, Wed 31 d3,
    # Thu 1/1 Nieuwjaarsdag, Fri 2/1 d4, Mon 5/1/2026 d5: twelve days, the longest there is
    ("2025-12-24T10:00", "2026-01-05"),
    # 2026: Christmas Fri/Sat. Thu 24/12 d1, Fri 25 K1, Mon 28 d2, Tue 29 d3, Wed 30 d4,
    # Thu 31/12 d5
    ("2026-12-23T10:00", "2026-12-31"),
    # 2027: Christmas Sat/Sun, no day in lieu. Thu 23 d1, Fri 24 d2, Mon 27 d3, Tue 28 d4,
    # Wed 29/12 d5
    ("2027-12-22T10:00", "2027-12-29"),
    # Christmas Eve 2024 into the new year: Wed 25 K1, Thu 26 K2, Fri 27 d1, Mon 30 d2, Tue 31 d3,
    # Wed 1/1 Nieuwjaarsdag, Thu 2/1 d4, Fri 3/1/2025 d5
    ("2024-12-24T10:00", "2025-01-03"),
]
# fmt: on


@pytest.mark.parametrize(("received", "expected"), AROUND_HOLIDAYS)
def test_first_contact_around_holidays(received: str, expected: str) -> None:
    assert first_contact(received) == date.fromisoformat(expected)


# --- Weekends, evenings and time zones -------------------------------------------------------


def test_friday_saturday_and_sunday_receipt_share_a_deadline() -> None:
    # Fri 7/3/2025, Sat 8/3, Sun 9/3: d1 is Mon 10/3 for all three, d5 Fri 14/3.
    for received in ("2025-03-07T16:00", "2025-03-08T09:00", "2025-03-09T12:00"):
        assert first_contact(received) == date(2025, 3, 14)


def test_saturday_receipt_before_easter_monday_starts_on_tuesday() -> None:
    # Sat 19/4/2025: Mon 21/4 tweede Paasdag, Tue 22 d1, Wed 23 d2, Thu 24 d3, Fri 25 d4, Mon 28 d5
    assert first_contact("2025-04-19T11:00") == date(2025, 4, 28)


def test_late_evening_is_still_the_day_of_receipt() -> None:
    # Thu 6/3/2025 23:59: d1 Fri 7/3, d2..d4 Mon 10 to Wed 12, d5 Thu 13/3.
    assert first_contact("2025-03-06T23:59") == date(2025, 3, 13)
    # A minute later it is Friday: d1 Mon 10/3 .. d5 Fri 14/3.
    assert first_contact("2025-03-07T00:00") == date(2025, 3, 14)


def test_the_day_of_receipt_is_the_date_in_amsterdam_not_in_utc() -> None:
    # 23:30 UTC on Thu 1/5/2025 is 01:30 on Fri 2/5 in Amsterdam (summer time, +02:00).
    # From Friday: Mon 5/5 Bevrijdingsdag, Tue 6 d1, Wed 7 d2, Thu 8 d3, Fri 9 d4, Mon 12/5 d5.
    # (Had the UTC date Thursday counted: Fri 2 d1 .. Fri 9/5 d5.)
    late_utc = datetime(2025, 5, 1, 23, 30, tzinfo=UTC)
    assert request_deadlines(late_utc) == Deadlines(
        first_contact=date(2025, 5, 12), support=date(2025, 5, 30)
    )
    # 21:59 UTC is 23:59 on Thursday in Amsterdam: Fri 2 d1, Mon 5 B, Tue 6 d2 .. Fri 9/5 d5.
    thursday_evening = datetime(2025, 5, 1, 21, 59, tzinfo=UTC)
    assert request_deadlines(thursday_evening).first_contact == date(2025, 5, 9)
    # Winter time (+01:00): 23:30 UTC on Thu 9/1/2025 is 00:30 on Fri 10/1: d1 Mon 13 .. d5 Fri 17.
    winter_night = datetime(2025, 1, 9, 23, 30, tzinfo=UTC)
    assert request_deadlines(winter_night).first_contact == date(2025, 1, 17)
    # Any zone: 20:00 in New York (-04:00) on 1/5 is 02:00 on 2/5 in Amsterdam, as above.
    new_york = datetime(2025, 5, 1, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    assert request_deadlines(new_york).first_contact == date(2025, 5, 12)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        request_deadlines(datetime(2025, 4, 16, 10, 30))


# --- 5 May, both ways ------------------------------------------------------------------------


def test_liberation_day_setting_matters_in_2026_not_a_lustrum_year() -> None:
    # Tue 28/4/2026: Wed 29 d1, Thu 30 d2, Fri 1/5 d3, Mon 4 d4, then Tue 5/5:
    # a holiday every year -> d5 is Wed 6/5; lustrum years only -> Tue 5/5 is d5.
    assert first_contact("2026-04-28T10:00", every_year=True) == date(2026, 5, 6)
    assert first_contact("2026-04-28T10:00", every_year=False) == date(2026, 5, 5)


def test_liberation_day_is_a_holiday_in_2025_either_way() -> None:
    # Tue 29/4/2025: Wed 30 d1, Thu 1/5 d2, Fri 2 d3, Mon 5/5 B (2025 is a lustrum year),
    # Tue 6 d4, Wed 7/5 d5.
    for every_year in (True, False):
        assert first_contact("2025-04-29T10:00", every_year=every_year) == date(2025, 5, 7)


def test_liberation_day_default_comes_from_the_setting(settings) -> None:
    received = local("2026-04-28T10:00")
    settings.WIJK_LIBERATION_DAY_EVERY_YEAR = False
    assert request_deadlines(received).first_contact == date(2026, 5, 5)
    assert request_deadlines(received, liberation_day_every_year=True).first_contact == date(
        2026, 5, 6
    )
    settings.WIJK_LIBERATION_DAY_EVERY_YEAR = True
    assert request_deadlines(received).first_contact == date(2026, 5, 6)


# --- Support: four weeks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "support"),
    [
        ("2025-04-16T10:30", "2025-05-14"),  # Wed + 28 days = Wed
        ("2025-03-08T09:00", "2025-04-05"),  # Sat + 28 = Sat: calendar days, not working days
        ("2025-12-24T10:00", "2026-01-21"),  # across the year
        ("2024-02-01T10:00", "2024-02-29"),  # leap year
        ("2025-03-06T23:59", "2025-04-03"),  # the day of receipt, however late
    ],
)
def test_support_is_four_weeks_after_the_day_of_receipt(received: str, support: str) -> None:
    assert request_deadlines(local(received)).support == date.fromisoformat(support)


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


def test_first_contact_is_never_more_than_twelve_calendar_days_after_receipt() -> None:
    # Every day of receipt from 2000 to 2100, both settings; the longest wait is twelve days
    # (Christmas with New Year, e.g. 24/12/2025 -> 5/1/2026, or Easter with King's Day).
    longest = 0
    day = date(2000, 1, 1)
    while day <= date(2100, 12, 31):
        for every_year in (True, False):
            due = add_working_days(day, 5, liberation_day_every_year=every_year)
            longest = max(longest, (due - day).days)
        day += timedelta(days=1)
    assert longest == 12


# --- Properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 12, 31, 23, 59, 59),
    timezones=st.sampled_from(
        [AMSTERDAM, UTC, ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")]
    ),
)


@given(received_at=moments, every_year=st.booleans())
def test_first_contact_is_working_day_five_after_receipt(
    received_at: datetime, every_year: bool
) -> None:
    received_on = received_at.astimezone(AMSTERDAM).date()
    deadlines = request_deadlines(received_at, liberation_day_every_year=every_year)
    assert is_working_day(deadlines.first_contact, liberation_day_every_year=every_year)
    assert received_on < deadlines.first_contact <= received_on + timedelta(days=12)
    counted = working_days_between(
        received_on, deadlines.first_contact, liberation_day_every_year=every_year
    )
    assert counted == 5
    assert deadlines.support == received_on + timedelta(days=28)


@given(earlier=moments, later=moments, every_year=st.booleans())
def test_first_contact_never_moves_earlier_for_a_later_receipt(
    earlier: datetime, later: datetime, every_year: bool
) -> None:
    if later < earlier:
        earlier, later = later, earlier
    assert (
        request_deadlines(earlier, liberation_day_every_year=every_year).first_contact
        <= request_deadlines(later, liberation_day_every_year=every_year).first_contact
    )


@given(start=days, n=st.integers(min_value=0, max_value=600), every_year=st.booleans())
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
