"""Fixtures of the investigation tests: a team with its professionals and team lead, a
professional of another team, a resident of the team's wijk with an open request assigned to
the professional, and the pages driven as people use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.investigations.models import Investigation
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code
from wijk.requests.services import request_receive
from wijk.residents.tests.factories import HouseholdMembershipFactory


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def team_lead(make_user, team):
    return make_user(Role.TEAM_LEAD, teams=[team], first_name="Lotte", last_name="de Wit")


@pytest.fixture
def other_team():
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    return TeamFactory(wijken=[wijk])


@pytest.fixture
def outsider(make_user, other_team):
    """A professional of another team: does not reach the resident without breaking the glass."""
    return make_user(Role.PROFESSIONAL, teams=[other_team], first_name="Om", last_name="Buiten")


@pytest.fixture
def resident(team):
    return HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    ).resident


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


def receive(*, resident, team, assigned_to=None, received_at=None, household=None):
    """An open request as the public form or the phone would bring it in."""
    return request_receive(
        actor=None,
        channel=code("channels", "phone"),
        question="Ik kan de boodschappen niet meer zelf doen.",
        resident=resident,
        household=household,
        team=team,
        assigned_to=assigned_to,
        received_at=received_at,
    )


@pytest.fixture
def help_request(resident, team, professional):
    return receive(resident=resident, team=team, assigned_to=professional)


def start(client: Client, help_request) -> Investigation:
    """Start the investigation through the request's page; it must be started."""
    response = client.post(reverse("investigations:for_request", args=[help_request.pk]))
    assert response.status_code == 302, response.content.decode()
    return Investigation.objects.get(help_request=help_request)


def complete_data(**changes: Any) -> dict[str, Any]:
    """Everything the report needs, as the edit form posts it."""
    data: dict[str, Any] = {
        "conversation_on": timezone.localdate().isoformat(),
        "conversation_place": "home",
        "network_present": "on",
        "network_who": "Dochter Sara",
        "underlying_question": "Mevrouw wil weer zelf kunnen koken en boodschappen doen.",
        "life_domains": [code("life_domains", "finances").pk, code("life_domains", "housing").pk],
        "own_strength": "Dochter Sara helpt op zaterdag. Mevrouw kan zelf nog koken.",
        "preceding_provisions": "De boodschappendienst van de wijk; de huisarts voor de heup.",
        "expertise_asked": "on",
        "expertise_which": "Advies van een ergotherapeut",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit(client: Client, investigation: Investigation, **changes: Any):
    return client.post(
        reverse("investigations:edit", args=[investigation.pk]), complete_data(**changes)
    )


def finish(client: Client, investigation: Investigation):
    return client.post(reverse("investigations:finish", args=[investigation.pk]))
