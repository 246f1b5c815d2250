"""Set-up shared by the trajectory tests: a professional of the team, a resident living in
the team's wijk, the reference codes used, and a helper that starts a trajectory."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.reference.models import Code
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.services import trajectory_start


def verified(user):
    """Mark the user as past the TOTP step, as OTPMiddleware does for a request's user, so
    that services can be called directly."""
    user.is_verified = lambda: True
    return user


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


@pytest.fixture
def professional(make_user, team):
    return verified(
        make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")
    )


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk, with a household."""
    return HouseholdMembershipFactory().resident


@pytest.fixture
def start(professional, resident, team):
    """Start a trajectory through the service; keyword arguments override the defaults."""

    def run(**overrides: Any):
        arguments: dict[str, Any] = {
            "actor": professional,
            "resident": resident,
            "part": "sociaal_wijkteam",
            "inflow_date": timezone.localdate() - datetime.timedelta(days=30),
            "inflow_reason": code("inflow_reasons", "own_request"),
            "primary_life_domain": code("life_domains", "finances"),
            "life_domains": [code("life_domains", "housing")],
            "coordinator": professional,
            "team": team,
            "youth_support": False,
        }
        arguments.update(overrides)
        return trajectory_start(**arguments)

    return run
