"""Fixtures of the meldcode tests: a team with the coordinator (who opens the case), a
colleague, a professional who is added as reader, and the team lead; a professional and team
lead of another team; a resident of the team's wijk; and the case opened through the page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.meldcode.models import MeldcodeCase
from wijk.organisations.tests.factories import TeamFactory
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory


@pytest.fixture
def coordinator(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def reader(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Rana", last_name="Lezer")


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
def other_team_lead(make_user, other_team):
    return make_user(Role.TEAM_LEAD, teams=[other_team], first_name="Tom", last_name="Elders")


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk."""
    return HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    ).resident


def move_away(resident, other_team) -> None:
    """The resident moves to an address in the other team's wijk."""
    buurt = Buurt.objects.filter(wijk__in=other_team.wijken.all()).order_by("code").first()
    resident.address = AddressFactory(buurt=buurt)
    resident.save(update_fields=["address"])


def open_case(client: Client, resident, team) -> MeldcodeCase:
    """Open a case through the page; it must be opened."""
    response = client.post(reverse("meldcode:open", args=[resident.pk]), {"team": team.pk})
    assert response.status_code == 302, response.content.decode()
    return MeldcodeCase.objects.order_by("-pk").first()


@pytest.fixture
def case(client_for, coordinator, resident, team) -> MeldcodeCase:
    return open_case(client_for(coordinator), resident, team)


TODAY = timezone.localdate


def step_data(number: int, **changes: Any) -> dict[str, Any]:
    """A complete form of step `number`; `changes` overrides fields (None leaves one out)."""
    data: dict[str, Any] = {
        "occurred_on": TODAY().isoformat(),
        "text": f"Stap {number}: feiten zoals gezien en gehoord.",
    }
    if number == 1:
        data |= {"minor_children": "ja", "children_care": "Twee kinderen, 4 en 7 jaar."}
    elif number == 2:
        data |= {"consulted": "Aandachtsfunctionaris van het team", "veilig_thuis_consulted": "on"}
    elif number == 4:
        data |= {
            "suspicion": "ja",
            "unsafe": "nee",
            "can_help": "ja",
            "accepts_help": "ja",
            "help_works": "onbekend",
        }
    elif number == 5:
        data |= {"help": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def record_step(client: Client, case, number: int, **changes: Any):
    return client.post(
        reverse("meldcode:step", args=[case.pk, number]), step_data(number, **changes)
    )


YESTERDAY = lambda: TODAY() - datetime.timedelta(days=1)  # noqa: E731
