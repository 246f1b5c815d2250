"""Fixtures of the case-note tests: a team with its professionals (the author, the coordinator
of the resident's trajectory, a colleague) and team lead, a professional of another team, a
resident of the team's wijk, and a way to write a note through the real page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.notes.models import CaseNote
from wijk.organisations.tests.factories import TeamFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.services import trajectory_start
from wijk.trajectories.tests.conftest import code, verified


@pytest.fixture
def author(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def coordinator(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Ruud", last_name="Smit")


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
def other_team_lead(make_user, other_team):
    return make_user(Role.TEAM_LEAD, teams=[other_team])


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk."""
    return HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    ).resident


@pytest.fixture
def trajectory(resident, team, author, coordinator):
    """The resident's open trajectory, started by the author, coordinated by the coordinator."""
    return trajectory_start(
        actor=verified(author),
        resident=resident,
        part="sociaal_wijkteam",
        inflow_date=timezone.localdate() - datetime.timedelta(days=30),
        inflow_reason=code("inflow_reasons", "own_request"),
        primary_life_domain=code("life_domains", "finances"),
        life_domains=[],
        coordinator=coordinator,
        team=team,
        youth_support=False,
    )


TEXT = "Huisbezoek afgelegd. Mevrouw heeft hulp nodig bij het openen van de post."


def note_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "huisbezoek",
        "occurred_on": timezone.localdate().isoformat(),
        "text": TEXT,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def write_note(client: Client, resident, query: str = "", **changes: Any) -> CaseNote:
    """Write a note through the page; it must be saved."""
    url = reverse("notes:write", args=[resident.pk]) + query
    response = client.post(url, note_data(**changes))
    assert response.status_code == 302, response.content.decode()
    return CaseNote.objects.order_by("-pk").first()
