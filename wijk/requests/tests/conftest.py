"""Fixtures of the request tests: a professional and a team lead of the team, residents
inside and outside the team's wijk, and the codes the forms offer."""

from __future__ import annotations

import pytest

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def team_lead(make_user, team):
    return make_user(Role.TEAM_LEAD, teams=[team])


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk, with a partner in the same household."""
    membership = HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    )
    HouseholdMembershipFactory(
        household=membership.household,
        resident__address=membership.resident.address,
        relation="partner",
    )
    return membership.resident


@pytest.fixture
def other_team():
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    return TeamFactory(wijken=[wijk])


@pytest.fixture
def outside(other_team):
    """A resident in a buurt of the other team's wijk."""
    buurt = other_team.wijken.get().buurten.order_by("code").first()
    return HouseholdMembershipFactory(
        resident__family_name="Buitenwijk", resident__address=AddressFactory(buurt=buurt)
    ).resident


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


@pytest.fixture
def phone():
    return code("channels", "phone")
