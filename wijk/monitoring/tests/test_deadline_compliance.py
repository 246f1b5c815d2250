"""Deadline compliance counted from hand-made requests: each request's dates are chosen to sit
just inside or just outside a rule, and `today` is fixed."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from wijk.areas.models import Buurt
from wijk.monitoring.selectors import (
    UNKNOWN_WIJK,
    ComplianceRow,
    ComplianceSum,
    DeadlineCounts,
    WijkOption,
    compliance_overview,
    deadline_compliance,
    period_months,
    period_start,
)
from wijk.monitoring.tests.factories import HelpRequestFactory, first_code
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.workflow import Outcome, RequestStatus

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC
TODAY = datetime.date(2025, 3, 14)  # a Friday


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local (Amsterdam) moment."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def received(day: datetime.date, **fields):
    """A request received on `day` at 10:00 local time, its deadlines fixed by hand:
    first contact 7 days later, support 28 days later, unless given."""
    fields.setdefault("first_contact_due", day + datetime.timedelta(days=7))
    fields.setdefault("support_due", day + datetime.timedelta(days=28))
    return HelpRequestFactory(received_at=at(day), **fields)


def closed(day: datetime.date, outcome: Outcome, on: datetime.datetime, **fields):
    if outcome == Outcome.REFERRED_OUT:
        fields["outcome_provision"] = first_code("out_of_scope_provisions")
    return received(day, status=RequestStatus.CLOSED, outcome=outcome, outcome_at=on, **fields)


def only_row(**kwargs) -> ComplianceRow:
    rows = deadline_compliance(today=TODAY, **kwargs)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def team():
    return TeamFactory()


def test_a_request_late_on_31_january_local_time_belongs_to_january(team) -> None:
    # 31 January 23:30 in Amsterdam is 22:30 UTC: January either way.
    HelpRequestFactory(team=team, received_at=datetime.datetime(2025, 1, 31, 22, 30, tzinfo=UTC))
    # 28 February 23:30 UTC is 1 March 00:30 in Amsterdam: March, not February.
    HelpRequestFactory(team=team, received_at=datetime.datetime(2025, 2, 28, 23, 30, tzinfo=UTC))
    # 31 March 22:30 UTC is 1 April 00:30 in summer time: after the period that ends with March.
    HelpRequestFactory(team=team, received_at=datetime.datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
    # 31 December 23:30 UTC is 1 January 00:30 local: the first moment of the period.
    HelpRequestFactory(team=team, received_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC))
    # 31 December 22:30 UTC is 23:30 local on 31 December: before the period.
    HelpRequestFactory(team=team, received_at=datetime.datetime(2024, 12, 31, 22, 30, tzinfo=UTC))

    rows = deadline_compliance(months=3, today=TODAY)

    assert {row.month: row.received for row in rows} == {
        datetime.date(2025, 3, 1): 1,
        datetime.date(2025, 1, 1): 2,
    }


def test_first_contact_met_late_overdue_and_not_yet_due(team) -> None:
    day = datetime.date(2025, 2, 3)
    due = datetime.date(2025, 2, 10)
    # met: contact on the due day, late in the evening (local)
    received(day, team=team, first_contact_at=at(due, 23, 30), status=RequestStatus.CONTACTED)
    # not met: 00:30 local the day after the deadline, still the due day in UTC
    received(day, team=team, first_contact_at=at(due + datetime.timedelta(days=1), 0, 30))
    # not met: open without contact, the deadline passed (overdue)
    received(day, team=team)
    # not judged: open without contact, the deadline is today
    received(
        day,
        team=team,
        first_contact_due=TODAY,
        support_due=TODAY + datetime.timedelta(days=21),
    )
    # met: closed with information and advice on the first call, no separate contact
    closed(day, Outcome.INFORMATION_GIVEN, at(day, 15), team=team)
    # not judged: withdrawn before the deadline, without contact
    closed(day, Outcome.WITHDRAWN, at(day + datetime.timedelta(days=2)), team=team)
    # not met: not reachable, closed after the deadline without contact
    closed(day, Outcome.NOT_REACHABLE, at(due + datetime.timedelta(days=3)), team=team)

    row = only_row(months=2)

    assert row.received == 7
    assert row.first_contact == DeadlineCounts(met=2, not_met=3, not_judged=2)
    assert row.first_contact.percent_met == 40


def test_support_met_late_and_not_judged(team) -> None:
    day = datetime.date(2025, 1, 6)
    due = day + datetime.timedelta(days=28)  # 3 February
    contact = {"first_contact_at": at(day + datetime.timedelta(days=1))}
    # met: support started on the last day, in the evening
    closed(day, Outcome.SUPPORT_STARTED, at(due, 23, 59), team=team, **contact)
    # met: referred out in time
    closed(day, Outcome.REFERRED_OUT, at(day + datetime.timedelta(days=10)), team=team, **contact)
    # not met: support started a day late (00:15 local, still the due day in UTC)
    closed(
        day,
        Outcome.SUPPORT_STARTED,
        at(due + datetime.timedelta(days=1), 0, 15),
        team=team,
        **contact,
    )
    # not met: still open while the four weeks have passed
    received(day, team=team, status=RequestStatus.CONTACTED, **contact)
    # not met: withdrawn after the deadline
    closed(day, Outcome.WITHDRAWN, at(due + datetime.timedelta(days=5)), team=team, **contact)
    # not judged: withdrawn within the four weeks
    closed(day, Outcome.WITHDRAWN, at(day + datetime.timedelta(days=3)), team=team, **contact)
    # not judged: still open, support deadline not yet passed
    received(
        day,
        team=team,
        support_due=TODAY + datetime.timedelta(days=1),
        status=RequestStatus.CONTACTED,
        **contact,
    )

    row = only_row(months=3)

    assert row.received == 7
    assert row.support == DeadlineCounts(met=2, not_met=3, not_judged=2)
    assert row.support.percent_met == 40
    assert row.first_contact == DeadlineCounts(met=7, not_met=0, not_judged=0)


def test_rows_per_team_and_wijk_and_the_unknown_wijk(team) -> None:
    other_team = TeamFactory()
    buurten = list(Buurt.objects.order_by("code"))
    first = buurten[0]
    elsewhere = next(b for b in buurten if b.wijk.code != first.wijk.code)
    day = datetime.date(2025, 3, 3)
    received(day, team=team, buurt=first)
    received(day, team=team, buurt=first)
    received(day, team=team, buurt=elsewhere)
    received(day, team=team, buurt=None)
    received(day, team=other_team, buurt=first)

    rows = deadline_compliance(months=1, today=TODAY)
    assert {(r.team_id, r.wijk_code, r.received) for r in rows} == {
        (team.pk, first.wijk.code, 2),
        (team.pk, elsewhere.wijk.code, 1),
        (team.pk, "", 1),
        (other_team.pk, first.wijk.code, 1),
    }
    ours = [r.wijk_code for r in rows if r.team_id == team.pk]
    assert ours == [*sorted([first.wijk.code, elsewhere.wijk.code]), ""]  # unknown last
    assert {r.wijk_name for r in rows if r.wijk_code == first.wijk.code} == {first.wijk.name}

    only_team = deadline_compliance(months=1, team_ids=[other_team.pk], today=TODAY)
    assert [(r.team_name, r.received) for r in only_team] == [(other_team.name, 1)]

    one_wijk = deadline_compliance(months=1, wijk_code=first.wijk.code, today=TODAY)
    assert sorted(r.received for r in one_wijk) == [1, 2]
    unknown = deadline_compliance(months=1, wijk_code=UNKNOWN_WIJK, today=TODAY)
    assert [(r.team_id, r.wijk_code, r.received) for r in unknown] == [(team.pk, "", 1)]

    per_wijk = deadline_compliance(months=1, per_team=False, today=TODAY)
    expected = [*sorted([(first.wijk.code, 3), (elsewhere.wijk.code, 1)]), ("", 1)]
    assert [(r.team_id, r.team_name, r.wijk_code, r.received) for r in per_wijk] == [
        (None, "", code, count) for code, count in expected
    ]


def test_requests_of_teams_outside_the_selection_are_left_out(team) -> None:
    received(datetime.date(2025, 3, 3), team=TeamFactory())
    assert deadline_compliance(months=1, team_ids=[team.pk], today=TODAY) == []
    assert deadline_compliance(months=1, team_ids=[], today=TODAY) == []


def test_overview_adds_up_per_month_team_and_wijk_with_the_empty_months(team) -> None:
    other_team = TeamFactory()
    buurt = Buurt.objects.order_by("code").first()
    received(
        datetime.date(2025, 1, 6),
        team=team,
        buurt=buurt,
        first_contact_at=at(datetime.date(2025, 1, 7)),
    )
    received(datetime.date(2025, 3, 3), team=team, first_contact_at=at(datetime.date(2025, 3, 3)))
    received(datetime.date(2025, 3, 10), team=other_team)  # due 17 March: not judged
    rows = deadline_compliance(months=3, today=TODAY)

    overview = compliance_overview(rows, months=3, today=TODAY)

    assert [(month, total.received) for month, total in overview.by_month] == [
        (datetime.date(2025, 3, 1), 2),
        (datetime.date(2025, 2, 1), 0),
        (datetime.date(2025, 1, 1), 1),
    ]
    assert overview.total.received == 3
    assert overview.total.first_contact == DeadlineCounts(met=2, not_met=0, not_judged=1)
    assert dict(overview.by_team) == {
        team.name: ComplianceSum(
            received=2,
            first_contact=DeadlineCounts(met=2),
            support=DeadlineCounts(not_met=1, not_judged=1),  # January's is open past its due
            investigation=DeadlineCounts(not_judged=2),  # none was started
        ),
        other_team.name: ComplianceSum(
            received=1,
            first_contact=DeadlineCounts(not_judged=1),
            support=DeadlineCounts(not_judged=1),
            investigation=DeadlineCounts(not_judged=1),
        ),
    }
    assert [(wijk, total.received) for wijk, total in overview.by_wijk] == [
        (WijkOption(code=buurt.wijk.code, name=buurt.wijk.name), 1),
        (WijkOption(code="", name=""), 2),
    ]


@pytest.mark.parametrize(
    ("met", "not_met", "percent"),
    [(0, 0, None), (1, 0, 100), (0, 3, 0), (2, 1, 67), (1, 2, 33), (1, 7, 13), (1, 1, 50)],
)
def test_share_met_is_rounded_half_up_and_absent_without_judged_requests(
    met, not_met, percent
) -> None:
    assert DeadlineCounts(met=met, not_met=not_met, not_judged=5).percent_met == percent


@pytest.mark.parametrize(
    ("today", "months", "start"),
    [
        (datetime.date(2025, 3, 14), 1, datetime.date(2025, 3, 1)),
        (datetime.date(2025, 3, 14), 3, datetime.date(2025, 1, 1)),
        (datetime.date(2025, 3, 14), 12, datetime.date(2024, 4, 1)),
        (datetime.date(2025, 1, 31), 36, datetime.date(2022, 2, 1)),
    ],
)
def test_period_starts_on_the_first_of_a_month(today, months, start) -> None:
    assert period_start(today, months) == start
    assert period_months(today, months)[-1] == start
    assert len(period_months(today, months)) == months
