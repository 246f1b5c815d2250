"""The meldcode's part of the worklist: open cases with their next step, due 5 working days
after the last step (or the opening), for the coordinator (mine) and the team lead (team)."""

from __future__ import annotations

import datetime

import pytest

from wijk.core.worklist import providers
from wijk.meldcode.selectors import next_step_due
from wijk.meldcode.tests.conftest import record_step
from wijk.meldcode.worklist import meldcode_work
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db


def test_the_provider_is_registered() -> None:
    assert meldcode_work in providers()


def test_next_step_due_counts_working_days_past_holidays() -> None:
    # Thursday 24 December 2026: Christmas and Boxing Day and the weekend do not count.
    assert next_step_due(datetime.date(2026, 12, 24)) == datetime.date(2027, 1, 4)
    assert next_step_due(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 14)


def test_coordinator_sees_the_next_step_as_mine(
    case, client_for, coordinator, team_lead, colleague
):
    record_step(client_for(coordinator), case, 1)
    today = datetime.date.today()
    mine = meldcode_work(user=verified(coordinator), scope="mine", today=today, limit=10)
    assert [item.title for item in mine.items] == [
        "Meldcode stap 2: Collegiale consultatie en zo nodig Veilig Thuis raadplegen"
    ]
    assert mine.items[0].kind == "meldcode"
    assert mine.items[0].due == next_step_due(case.steps.get().at.date())
    team = meldcode_work(user=verified(team_lead), scope="team", today=today, limit=10)
    assert [item.url for item in team.items] == [mine.items[0].url]
    own = meldcode_work(user=verified(coordinator), scope="team", today=today, limit=10)
    assert [item.url for item in own.items] == [mine.items[0].url]
    for scope in ("mine", "team"):
        assert not meldcode_work(user=verified(colleague), scope=scope, today=today, limit=10).items
    assert not meldcode_work(user=verified(team_lead), scope="mine", today=today, limit=10).items


def test_an_added_reader_has_no_work_from_the_case(case, client_for, coordinator, reader):
    client_for(coordinator).post(
        f"/meldcode/{case.pk}/lezers", {"user": reader.pk, "reason": "Denkt mee in stap 2."}
    )
    today = datetime.date.today()
    for scope in ("mine", "team"):
        assert not meldcode_work(user=verified(reader), scope=scope, today=today, limit=10).items


def test_the_oldest_step_comes_first_and_the_limit_holds(client_for, coordinator, resident, team):
    from wijk.meldcode.tests.conftest import open_case

    client = client_for(coordinator)
    first = open_case(client, resident, team)
    second = open_case(client, resident, team)
    record_step(client, first, 1)  # the first case moved on: the second one is due first
    today = datetime.date.today()
    part = meldcode_work(user=verified(coordinator), scope="mine", today=today, limit=1)
    assert [item.url for item in part.items] == [f"/meldcode/{second.pk}"]
    assert part.more


def test_decided_cases_leave_the_worklist(case, client_for, coordinator):
    client = client_for(coordinator)
    record_step(client, case, 4)
    record_step(client, case, 5)
    today = datetime.date.today()
    assert not meldcode_work(user=verified(coordinator), scope="mine", today=today, limit=10).items
