"""The plan's create forms sent twice (a double click on "Opslaan", a browser that sends the
POST again): one evaluation, one explanation of rights, one summary letter; the second
sending leads to what the first made, never to an error (wijk.core.submissions)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.tests.sent_forms import submission_key
from wijk.letters.models import Letter
from wijk.plans.models import Evaluation, PlanGoal, RightsExplanation, SupportPlan
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import sign_directly
from wijk.plans.workflow import PlanStatus

pytestmark = pytest.mark.django_db

ALREADY_SENT = "U had dit formulier al verstuurd. Het is één keer opgeslagen."


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def plan(professional, team):
    """An active (signed) plan with two goals and no trajectory."""
    return SupportPlanFactory(
        team=team, coordinator=professional, created_by=professional, status=PlanStatus.ACTIVE
    )


def evaluation_form(plan: SupportPlan, key: str) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "submission_key": key,
        "held_on": today.isoformat(),
        "resident_view": "Het gaat beter.",
        "version": str(plan.current_id),
        "next_evaluation_on": (today + datetime.timedelta(days=120)).isoformat(),
        "no_zrm_reason": "Er loopt geen traject.",
    }
    for goal in PlanGoal.objects.filter(version_id=plan.current_id):
        data[f"progress_{goal.pk}"] = "progressing"
    return data


def test_an_evaluation_sent_twice_is_recorded_once(plan, professional, client_for) -> None:
    client = client_for(professional)
    url = reverse("plans:evaluation_new", args=[plan.pk])
    data = evaluation_form(plan, submission_key(client.get(url)))

    first = client.post(url, data)
    second = client.post(url, data)

    evaluation = Evaluation.objects.get(plan=plan)
    detail = reverse("plans:evaluation_detail", args=[plan.pk, evaluation.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail
    assert ALREADY_SENT in client.get(detail).content.decode()


def test_an_evaluation_key_sent_by_a_colleague_does_not_lead_to_the_first(
    plan, professional, colleague, client_for
) -> None:
    url = reverse("plans:evaluation_new", args=[plan.pk])
    data = evaluation_form(plan, submission_key(client_for(professional).get(url)))
    first = client_for(professional).post(url, data)

    replayed = client_for(colleague).post(url, data)

    assert replayed.status_code == 302
    assert replayed["Location"] != first["Location"]
    assert sorted(Evaluation.objects.values_list("by_id", flat=True)) == sorted(
        [professional.pk, colleague.pk]
    )


def test_an_explanation_of_rights_sent_twice_is_recorded_once(
    plan, professional, client_for
) -> None:
    client = client_for(professional)
    url = reverse("plans:rights", args=[plan.pk])
    data = {
        "submission_key": submission_key(client.get(url)),
        "explained_on": timezone.localdate().isoformat(),
        "privacy": "on",
    }

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302

    assert RightsExplanation.objects.filter(plan=plan).count() == 1


def test_the_summary_letter_button_pressed_twice_makes_one_letter(
    plan, professional, client_for
) -> None:
    sign_directly(plan, witness=professional)
    client = client_for(professional)
    url = reverse("plans:summary_letter", args=[plan.pk, plan.current.number])
    data = {"submission_key": submission_key(client.get(url))}

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Letter.objects.count() == 1

    # The page shown again has a new key: pressing the button then makes a new version.
    assert client.post(url, {"submission_key": submission_key(client.get(url))}).status_code == 302
    assert sorted(Letter.objects.values_list("version", flat=True)) == [1, 2]
