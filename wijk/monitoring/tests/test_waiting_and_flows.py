"""Waiting-list counts per team and the inflow and outflow of unique residents per period (the
counts of the indicators `instroom` and `uitstroom`), from hand-made requests and trajectories
with a fixed `today`."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from wijk.monitoring.selectors import (
    PartCounts,
    Period,
    PeriodUnit,
    WaitingRow,
    inflow_per_wijk,
    median_of_counts,
    outflow_per_wijk,
    waiting_counts,
    waiting_total,
)
from wijk.monitoring.tests.factories import HelpRequestFactory, TrajectoryFactory
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.workflow import Outcome, RequestStatus
from wijk.residents.tests.factories import ResidentFactory
from wijk.trajectories.workflow import Part

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2025, 3, 14)


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


def test_waiting_counts_per_team() -> None:
    team, quiet_team = TeamFactory(name="Team Noord"), TeamFactory(name="Team Zuid")
    HelpRequestFactory(team=team, received_at=days_ago(1))  # new, no contact yet
    HelpRequestFactory(team=team, received_at=days_ago(10))  # no contact, 5 working days passed
    HelpRequestFactory(  # contacted, waiting exactly four weeks: not longer
        team=team,
        received_at=days_ago(28),
        first_contact_at=days_ago(27),
        status=RequestStatus.CONTACTED,
    )
    HelpRequestFactory(  # contacted, waiting 29 days: longer than four weeks
        team=team,
        received_at=days_ago(29),
        first_contact_at=days_ago(27),
        status=RequestStatus.CONTACTED,
    )
    HelpRequestFactory(  # closed: not waiting
        team=team,
        received_at=days_ago(60),
        status=RequestStatus.CLOSED,
        outcome=Outcome.INFORMATION_GIVEN,
        outcome_at=days_ago(59),
    )

    rows = waiting_counts(today=TODAY)

    assert rows == [
        WaitingRow(
            team_id=team.pk,
            team_name="Team Noord",
            open=4,
            without_first_contact=2,
            first_contact_overdue=1,
            over_four_weeks=1,
            median_waiting_days=19.0,  # 1, 10, 28, 29
        ),
        WaitingRow(team_id=quiet_team.pk, team_name="Team Zuid"),
    ]
    assert waiting_total(rows).open == 4
    assert waiting_counts(team_ids=[quiet_team.pk], today=TODAY) == [rows[1]]


def test_waiting_days_count_from_the_local_day_of_receipt() -> None:
    team = TeamFactory()
    # 23:30 local on the day 3 days ago is 22:30 UTC: 3 days, not 2 or 4.
    HelpRequestFactory(team=team, received_at=days_ago(3, hour=23))
    HelpRequestFactory(team=team, received_at=days_ago(3, hour=0))
    HelpRequestFactory(team=team, received_at=days_ago(40))
    (row,) = waiting_counts(team_ids=[team.pk], today=TODAY)
    assert row.median_waiting_days == 3.0
    assert row.over_four_weeks == 1


def test_an_inactive_team_shows_only_while_requests_wait() -> None:
    inactive = TeamFactory(active=False)
    assert waiting_counts(team_ids=[inactive.pk], today=TODAY) == []
    HelpRequestFactory(team=inactive, received_at=days_ago(2))
    assert [row.open for row in waiting_counts(team_ids=[inactive.pk], today=TODAY)] == [1]


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({7: 1}, 7.0),
        ({1: 1, 3: 1}, 2.0),
        ({1: 2, 3: 1}, 1.0),
        ({1: 1, 2: 1, 10: 2}, 6.0),
        ({0: 3, 5: 3}, 2.5),
        ({4: 100, 1: 1, 90: 1}, 4.0),
    ],
)
def test_median_from_a_histogram(counts, median) -> None:
    assert median_of_counts(counts) == median


def test_inflow_and_outflow_count_unique_residents_per_month_and_part() -> None:
    twice, other, young = ResidentFactory(), ResidentFactory(), ResidentFactory()
    march, february = datetime.date(2025, 3, 3), datetime.date(2025, 2, 28)
    # one resident, two trajectories started in March in two parts: once in the total
    TrajectoryFactory(resident=twice, inflow_date=march, part=Part.SOCIAAL_WIJKTEAM)
    TrajectoryFactory(resident=twice, inflow_date=march, part=Part.AANVULLENDE_ONDERSTEUNING)
    # started in February, ended in March
    TrajectoryFactory(
        resident=other,
        inflow_date=february,
        part=Part.SOCIALE_BASIS,
        closed_on=datetime.date(2025, 3, 1),
    )
    TrajectoryFactory(resident=young, inflow_date=march, youth_support=True)
    # started before the period, ended in February
    TrajectoryFactory(
        resident=young,
        inflow_date=datetime.date(2024, 11, 30),
        closed_on=datetime.date(2025, 2, 1),
        youth_support=True,
    )
    # after the period: April
    TrajectoryFactory(inflow_date=datetime.date(2025, 4, 1))

    march, february = (Period(datetime.date(2025, m, 1), PeriodUnit.MONTH) for m in (3, 2))
    quarter = Period(datetime.date(2025, 1, 1), PeriodUnit.QUARTER)  # starts in neither month
    periods = [march, february, quarter]
    inflow, outflow = _city(inflow_per_wijk(periods)), _city(outflow_per_wijk(periods))

    assert inflow[march.start] == PartCounts(
        total=2, sociaal_wijkteam=2, aanvullende_ondersteuning=1, youth=1
    )
    assert outflow[march.start] == PartCounts(total=1, sociale_basis=1)
    assert inflow[february.start] == PartCounts(total=1, sociale_basis=1)
    assert outflow[february.start] == PartCounts(total=1, sociaal_wijkteam=1, youth=1)
    # the quarter counts each resident once, also across months
    assert inflow[quarter.start] == PartCounts(
        total=3, sociale_basis=1, sociaal_wijkteam=2, aanvullende_ondersteuning=1, youth=1
    )
    assert outflow[quarter.start] == PartCounts(
        total=2, sociale_basis=1, sociaal_wijkteam=1, youth=1
    )


def _city(found: dict[tuple[datetime.date, str], PartCounts]) -> dict[datetime.date, PartCounts]:
    """The counts per wijk added up per period start: each resident lives in one wijk."""
    city: dict[datetime.date, PartCounts] = {}
    for (start, _wijk), counts in found.items():
        before = city.get(start, PartCounts())
        city[start] = PartCounts(
            **{
                name: getattr(before, name) + getattr(counts, name)
                for name in ("total", *_PARTS, "youth")
            }
        )
    return city


_PARTS = ("sociale_basis", "sociaal_wijkteam", "aanvullende_ondersteuning")


def test_a_resident_flowing_in_twice_in_a_period_counts_once_for_the_period() -> None:
    resident = ResidentFactory()
    TrajectoryFactory(resident=resident, inflow_date=datetime.date(2025, 1, 10))
    TrajectoryFactory(resident=resident, inflow_date=datetime.date(2025, 3, 10))
    months = [Period(datetime.date(2025, m, 1), PeriodUnit.MONTH) for m in (3, 2, 1)]
    by_month = _city(inflow_per_wijk(months))
    assert [by_month.get(month.start, PartCounts()).total for month in months] == [1, 0, 1]
    quarter = Period(datetime.date(2025, 1, 1), PeriodUnit.QUARTER)
    assert _city(inflow_per_wijk([quarter]))[quarter.start].total == 1
