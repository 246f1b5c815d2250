"""Recording the five steps through the pages, the decision rules of step 5, the status
workflow (every pair of states against a pinned table), and the append-only rows."""

from __future__ import annotations

import itertools

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from wijk.core.errors import TransitionRefused
from wijk.core.models import AccessLogEntry
from wijk.meldcode.models import MeldcodeCase, MeldcodeStep
from wijk.meldcode.services import MELDCODE_WORKFLOW, meldcode_case_close
from wijk.meldcode.tests.conftest import TODAY, YESTERDAY, open_case, record_step
from wijk.meldcode.workflow import TRANSITIONS, MeldcodeStatus
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db

# The table as the ADR writes it; a change to the workflow must change this too.
EXPECTED = {
    "open": {"reported", "help", "closed"},
    "help": {"reported", "closed"},
    "reported": {"closed"},
    "closed": set(),
}
STATES = list(EXPECTED)


def test_the_pinned_table_is_the_workflow() -> None:
    assert set(EXPECTED) == set(MeldcodeStatus.values)
    assert {state: set(targets) for state, targets in TRANSITIONS.items()} == EXPECTED


def test_opening_a_case_starts_its_history_and_is_audited(client_for, coordinator, resident, team):
    case = open_case(client_for(coordinator), resident, team)
    assert case.coordinator == coordinator and case.team == team
    assert case.status == MeldcodeStatus.OPEN
    assert list(case.status_changes.values_list("seq", "status")) == [(1, "open")]
    entry = AccessLogEntry.objects.filter(user_id=coordinator.pk, event="create").get()
    assert f"meldcode.meldcodecase:{case.pk}" in entry.objects_touched


def test_a_case_is_opened_only_in_one_of_ones_own_teams(
    client_for, coordinator, resident, other_team
):
    response = client_for(coordinator).post(
        reverse("meldcode:open", args=[resident.pk]), {"team": other_team.pk}
    )
    assert response.status_code == 200
    assert not MeldcodeCase.objects.exists()


def test_the_five_steps_through_the_pages(case, client_for, coordinator):
    client = client_for(coordinator)
    for number in (1, 2, 3, 4):
        before = AccessLogEntry.objects.filter(event="create").count()
        response = record_step(client, case, number)
        assert response.status_code == 302, response.content.decode()
        assert AccessLogEntry.objects.filter(event="create").count() == before + 1
    step1 = case.steps.get(number=1)
    assert (step1.minor_children, step1.by) == ("ja", coordinator)
    step4 = case.steps.get(number=4)
    assert (step4.suspicion, step4.unsafe, step4.help_works) == ("ja", "nee", "onbekend")
    assert record_step(client, case, 5).status_code == 302
    case.refresh_from_db()
    assert case.status == MeldcodeStatus.HELP
    page = client.get(reverse("meldcode:detail", args=[case.pk])).content.decode()
    for number in range(1, 6):
        assert f"Stap {number}: feiten zoals gezien en gehoord." in page


def test_the_kindcheck_must_be_answered_in_step_1(case, client_for, coordinator):
    response = record_step(client_for(coordinator), case, 1, minor_children=None)
    assert response.status_code == 200
    assert not case.steps.exists()


def test_a_step_in_the_future_is_refused(case, client_for, coordinator):
    import datetime

    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    assert record_step(client_for(coordinator), case, 1, occurred_on=tomorrow).status_code == 200
    assert not case.steps.exists()


def test_step_5_needs_step_4(case, client_for, coordinator):
    response = record_step(client_for(coordinator), case, 5)
    assert response.status_code == 200
    assert "Leg eerst stap 4 vast" in response.content.decode()
    case.refresh_from_db()
    assert case.status == MeldcodeStatus.OPEN and not case.steps.exists()


def test_step_5_must_report_when_the_afwegingskader_says_so(case, client_for, coordinator):
    client = client_for(coordinator)
    record_step(client, case, 4, unsafe="ja")
    refused = record_step(client, case, 5)
    assert refused.status_code == 200
    assert "moet u melden bij Veilig Thuis" in refused.content.decode()
    assert not case.steps.filter(number=5).exists()
    missing_date = record_step(client, case, 5, report="on")
    assert missing_date.status_code == 200
    reported = record_step(client, case, 5, report="on", reported_on=YESTERDAY().isoformat())
    assert reported.status_code == 302
    case.refresh_from_db()
    assert case.status == MeldcodeStatus.REPORTED
    decision = case.steps.get(number=5)
    assert (decision.report, decision.reported_on, decision.help) == (True, YESTERDAY(), True)
    update = AccessLogEntry.objects.filter(event="update").order_by("-id").first()
    assert f"meldcode.meldcodestep:{decision.pk}" in update.objects_touched


def test_step_5_decides_something(case, client_for, coordinator):
    client = client_for(coordinator)
    record_step(client, case, 4)
    assert record_step(client, case, 5, help=None).status_code == 200
    assert not case.steps.filter(number=5).exists()


def test_help_that_does_not_work_is_reported_after_all(case, client_for, coordinator):
    client = client_for(coordinator)
    record_step(client, case, 4)
    record_step(client, case, 5)
    record_step(client, case, 4, help_works="nee")
    assert record_step(client, case, 5).status_code == 200  # help alone is refused now
    record_step(client, case, 5, report="on", reported_on=TODAY().isoformat(), help=None)
    case.refresh_from_db()
    assert case.status == MeldcodeStatus.REPORTED
    assert list(case.status_changes.values_list("status", flat=True)) == [
        "open",
        "help",
        "reported",
    ]


def test_closing_needs_a_reason_and_is_final(case, client_for, team_lead):
    client = client_for(team_lead)
    assert client.post(reverse("meldcode:close", args=[case.pk]), {"reason": ""}).status_code == 200
    response = client.post(
        reverse("meldcode:close", args=[case.pk]), {"reason": "Geen vermoeden na het wegen."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == MeldcodeStatus.CLOSED
    assert case.status_changes.order_by("-seq").first().reason == "Geen vermoeden na het wegen."
    # Nothing more after closing.
    assert record_step(client, case, 1).status_code == 404
    assert client.get(reverse("meldcode:close", args=[case.pk])).status_code == 404


def _bring_to(case, actor, state: str) -> None:
    if state == "open":
        return
    if state == "closed":
        meldcode_case_close(actor=actor, case=case, reason="Afgerond.")
        return
    with transaction.atomic():
        MELDCODE_WORKFLOW.transition(subject=case, to=state, actor=actor)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STATES, STATES)))
def test_every_pair_of_states(case, coordinator, source, target) -> None:
    actor = verified(coordinator)
    _bring_to(case, actor, source)
    case.refresh_from_db()
    history = list(case.status_changes.values_list("seq", "status"))
    if target in EXPECTED[source]:
        with transaction.atomic():
            moved = MELDCODE_WORKFLOW.transition(subject=case, to=target, actor=actor)
        assert moved.status == target
        assert list(moved.status_changes.values_list("seq", "status")) == [
            *history,
            (len(history) + 1, target),
        ]
    else:
        with pytest.raises(TransitionRefused), transaction.atomic():
            MELDCODE_WORKFLOW.transition(subject=case, to=target, actor=actor)
        case.refresh_from_db()
        assert case.status == source
        assert list(case.status_changes.values_list("seq", "status")) == history


def test_steps_are_append_only_in_the_database(case, client_for, coordinator):
    record_step(client_for(coordinator), case, 1)
    step = MeldcodeStep.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        MeldcodeStep.objects.filter(pk=step.pk).update(text="Overschreven.")
    with pytest.raises(DatabaseError), transaction.atomic():
        MeldcodeStep.objects.filter(pk=step.pk).delete()
    step.refresh_from_db()
    assert step.text == "Stap 1: feiten zoals gezien en gehoord."
