"""The plan pages as a social worker and a resident read them (issue 13's review): the
resident sees what they agree to where they sign, a name is not said twice, the side-by-side
view lists a goal before whom it is for, and the form has no empty group of trajectories."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.plans.models import PlanGoal
from wijk.plans.tests.factories import DEFAULT_GOALS, SupportPlanFactory
from wijk.plans.tests.signatures import add_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def plan(professional, team):
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def test_the_signing_page_shows_the_version_the_resident_agrees_to(
    plan, professional, client_for
) -> None:
    html = (
        client_for(professional)
        .get(
            reverse("plans:version_sign", args=[plan.pk, plan.current.number]),
            {"wijze": "typed"},
        )
        .content.decode()
    )

    shown = html.index("Dit staat in versie 1 van het plan")
    assert shown < html.index(DEFAULT_GOALS[0][0]) < html.index("Ondertekening opslaan")
    assert "Een zus die helpt met boodschappen." in html


def _sign(client, plan, signer_name: str) -> str:
    today = timezone.localdate()
    response = client.post(
        reverse("plans:version_sign", args=[plan.pk, plan.current.number]),
        {
            "method": "typed",
            "signer": str(plan.resident_id),
            "signer_name": signer_name,
            "confirmed": "on",
            "signed_on": today.isoformat(),
            "next_evaluation_on": (today + datetime.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    return client.get(reverse("plans:detail", args=[plan.pk])).content.decode()


def test_the_typed_name_is_told_only_when_it_is_not_the_signers_own(
    plan, professional, client_for
) -> None:
    client = client_for(professional)

    html = _sign(client, plan, plan.resident.full_name)

    assert f"Akkoord gegeven door {plan.resident.full_name}." in html
    assert "Naam bij de ondertekening" not in html

    add_version(plan, own_strength="Haar zoon helpt nu ook.")
    html = _sign(client, plan, "Karim Ouazzani")

    assert "Naam bij de ondertekening: Karim Ouazzani." in html


def test_the_side_by_side_view_names_a_goal_before_whom_it_is_for(
    plan, professional, client_for
) -> None:
    version = add_version(plan)
    PlanGoal.objects.create(
        version=version, position=1, goal="Zelf boodschappen doen.", member=plan.resident
    )

    html = (
        client_for(professional)
        .get(reverse("plans:versions", args=[plan.pk]), {"van": 1, "naar": 2})
        .content.decode()
    )

    goal = html.index('scope="row">Doel 1</th>')
    member = html.index('scope="row">Doel 1: voor wie</th>')
    result = html.index('scope="row">Doel 1: gewenst resultaat</th>')
    assert goal < member < result


def test_the_form_has_no_empty_group_of_trajectories_to_link(
    plan, professional, client_for
) -> None:
    html = client_for(professional).get(reverse("plans:edit", args=[plan.pk])).content.decode()

    assert "Trajecten die hierbij horen" not in html
    assert "Deel 1 van het plan" in html
