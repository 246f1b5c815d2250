"""The deadlines of contract 002 §4.3: first contact on working day 5, support within 4 weeks.

Every expected date below was worked out by hand from the rules (see the comments), not by
running the code. Notation: d1..d5 are working days 1 to 5 after the day of receipt.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijk.core.calendar import add_working_days, is_working_day, working_days_between
from wijk.requests.deadlines import Deadlines, request_deadlines

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(text: str) -> datetime:
    """A moment in Amsterdam local time, e.g. local("2025-04-16T10:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM)


def first_contact(text: str, *, every_year: bool = True) -> date:
    return request_deadlines(local(text), liberation_day_every_year=every_year).first_contact


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
    # Investigation from Friday 2/5: + 42 days = Friday 13/6 (29 days to 31/5, 13 more).
    assert request_deadlines(late_utc) == Deadlines(
        first_contact=date(2025, 5, 12), support=date(2025, 5, 30), investigation=date(2025, 6, 13)
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


# --- Investigation: six weeks (Wmo 2015 art. 2.3.2) ------------------------------------------


@pytest.mark.parametrize(
    ("received", "investigation"),
    [
        # Wed 16/4/2025 + 42 = Wed 28/5: over Easter (18/4, 21/4), Koningsdag (26/4) and
        # Bevrijdingsdag (5/5), which change nothing: calendar days.
        ("2025-04-16T10:30", "2025-05-28"),
        # Christmas Eve 2025: 7 days to 31/12, 35 more into January = Wed 4/2/2026.
        ("2025-12-24T10:00", "2026-02-04"),
        # New Year's Eve 2026, late: still 31/12 -> Thu 11/2/2027 (31 + 11 = 42).
        ("2026-12-31T23:59", "2027-02-11"),
        # A minute after midnight it is 1/1/2027: Fri 12/2/2027.
        ("2027-01-01T00:00", "2027-02-12"),
        # Christmas Day 2026 (a Friday, a holiday): 6 days to 31/12, 36 more = Fri 5/2/2027.
        ("2026-12-25T09:00", "2027-02-05"),
        # Into a leap February: 20/1/2024 + 42 = 2/3/2024 (11 days to 31/1, 29 in February, 2).
        ("2024-01-20T10:00", "2024-03-02"),
        # Saturday receipt: Sat 8/3/2025 + 42 = Sat 19/4/2025, the day before Easter.
        ("2025-03-08T09:00", "2025-04-19"),
    ],
)
def test_investigation_is_six_weeks_after_the_day_of_receipt(
    received: str, investigation: str
) -> None:
    assert request_deadlines(local(received)).investigation == date.fromisoformat(investigation)


def test_investigation_ignores_the_liberation_day_setting() -> None:
    # Tue 28/4/2026 + 42 = Tue 9/6/2026 whether 5 May is a holiday or not.
    for every_year in (True, False):
        deadlines = request_deadlines(
            local("2026-04-28T10:00"), liberation_day_every_year=every_year
        )
        assert deadlines.investigation == date(2026, 6, 9)


def test_investigation_is_the_local_date_not_the_utc_date() -> None:
    # 23:30 UTC on 31/12/2025 is 00:30 on 1/1/2026 in Amsterdam: 1/1 + 42 = 12/2/2026.
    assert request_deadlines(datetime(2025, 12, 31, 23, 30, tzinfo=UTC)).investigation == date(
        2026, 2, 12
    )
    # 22:59 UTC is 23:59 local on 31/12/2025: 31/12 + 42 = 11/2/2026.
    assert request_deadlines(datetime(2025, 12, 31, 22, 59, tzinfo=UTC)).investigation == date(
        2026, 2, 11
    )


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
    assert deadlines.investigation == received_on + timedelta(days=42)


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
