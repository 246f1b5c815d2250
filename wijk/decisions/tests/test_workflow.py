"""The decision case's lifecycle against a table written out here (not TRANSITIONS), so a
change to the table is a reviewed change of this test too (ADR 0022); and every step taken
through the services: placed → decided (the desk) → seen (the plan's team), nothing else."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from wijk.core.errors import PermissionDeniedError, TransitionRefused
from wijk.decisions.models import DecisionStatusChange
from wijk.decisions.services import (
    DECISION_WORKFLOW,
    DecisionInput,
    decision_record,
    decision_seen,
)
from wijk.decisions.tests.conftest import place, placed
from wijk.decisions.workflow import DecisionStatus
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db

PINNED = {
    ("placed", "decided"),
    ("decided", "seen"),
}
STATES = ["placed", "decided", "seen"]


@pytest.mark.parametrize(("source", "to"), list(itertools.product(STATES, STATES)))
def test_every_pair_of_states_against_the_pinned_table(source, to):
    assert DECISION_WORKFLOW.allowed(source=source, to=to) == ((source, to) in PINNED)
    assert set(DecisionStatus.values) == set(STATES)


def _decision():
    today = timezone.localdate()
    return DecisionInput(outcome="granted", decided_on=today, reference="R-1", starts_on=today)


def test_the_steps_through_the_services(plan, professional, officer, client_for):
    case = placed(place(client_for(professional), plan))
    team, desk = verified(professional), verified(officer)
    with pytest.raises(TransitionRefused):
        decision_seen(actor=team, case=case)  # placed → seen
    with pytest.raises(PermissionDeniedError):
        decision_record(actor=team, case=case, decision=_decision())
    decision_record(actor=desk, case=case, decision=_decision())
    with pytest.raises(TransitionRefused):
        decision_record(actor=desk, case=case, decision=_decision())  # decided twice
    with pytest.raises(PermissionDeniedError):
        decision_seen(actor=desk, case=case)
    decision_seen(actor=team, case=case)
    with pytest.raises(TransitionRefused):
        decision_seen(actor=team, case=case)
    history = list(DecisionStatusChange.objects.filter(case=case).order_by("seq"))
    assert [(h.seq, h.status) for h in history] == [(1, "placed"), (2, "decided"), (3, "seen")]
    assert [h.by for h in history] == [professional, officer, professional]
