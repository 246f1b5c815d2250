"""Aanvullende Ondersteuning starts only on a signed plan: the signed version of the
household's plan that records the support's scope, start date and review date is the
decision (seed 002 §5.1, ADR 0038). Through the trajectory start page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.core.models import AccessLogEntry
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import AO_DECISION, add_version, sign_directly
from wijk.trajectories.models import Trajectory
from wijk.trajectories.services import AO_NEEDS_SIGNED_PLAN
from wijk.trajectories.tests.test_start import form_data

pytestmark = pytest.mark.django_db

START = reverse("trajectories:start")
REFUSAL = "Aanvullende Ondersteuning kan pas starten als de inwoner het plan"


@pytest.fixture
def plan(resident, team, professional):
    """A draft plan of the resident's household, version 1 without the AO fields."""
    return SupportPlanFactory(
        resident=resident, team=team, coordinator=professional, created_by=professional
    )


@pytest.fixture
def post_start(professional, client_for, resident, team):
    client = client_for(professional)

    def run():
        return client.post(
            f"{START}?inwoner={resident.pk}",
            form_data(team, professional, part="aanvullende_ondersteuning"),
        )

    return run


def test_the_message_is_the_one_the_page_shows() -> None:
    assert str(AO_NEEDS_SIGNED_PLAN).startswith(REFUSAL)


def test_refused_without_a_plan(post_start) -> None:
    response = post_start()
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Trajectory.objects.exists()
    assert not AccessLogEntry.objects.filter(event="create").exists()


def test_refused_with_an_unsigned_plan_that_records_the_support(plan, post_start) -> None:
    add_version(plan, **AO_DECISION)
    response = post_start()
    assert REFUSAL in response.content.decode()
    assert not Trajectory.objects.exists()


def test_refused_with_a_signed_plan_without_the_scope_and_dates(
    plan, post_start, professional
) -> None:
    sign_directly(plan, witness=professional)
    response = post_start()
    assert REFUSAL in response.content.decode()
    assert not Trajectory.objects.exists()


def test_started_on_the_signed_version_that_records_the_support(
    plan, post_start, professional
) -> None:
    decision = add_version(plan, **AO_DECISION)
    sign_directly(plan, witness=professional)

    response = post_start()

    assert response.status_code == 302
    trajectory = Trajectory.objects.get()
    assert trajectory.part == "aanvullende_ondersteuning"
    assert trajectory.decision_version == decision
    created = AccessLogEntry.objects.get(event="create", resident_id=trajectory.resident_id)
    assert f"plans.planversion:{decision.pk}" in created.objects_touched


def test_a_newer_unsigned_version_does_not_replace_the_signed_decision(
    plan, post_start, professional
) -> None:
    decision = add_version(plan, **AO_DECISION)
    sign_directly(plan, witness=professional)
    add_version(plan, ao_scope="Vier uur per week.")  # not signed (and incomplete)

    post_start()

    assert Trajectory.objects.get().decision_version == decision


def test_the_other_parts_need_no_plan(professional, client_for, resident, team) -> None:
    response = client_for(professional).post(
        f"{START}?inwoner={resident.pk}", form_data(team, professional)
    )
    assert response.status_code == 302
    assert Trajectory.objects.get().decision_version is None
