"""The meldcode count does not follow the page's team filter (review of issue 13, ADR 0042:
"never per team, the teams of the user's scope added up"). Counted per chosen team, two
figures that are each shown (all teams, one team) give the other teams' count by
subtraction: a number from 1 to 4 that no one may see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.meldcode.models import MeldcodeCase, MeldcodeStatusChange
from wijk.meldcode.workflow import MeldcodeStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

COMPLIANCE = reverse("monitoring:compliance")


def _opened(team, coordinator) -> None:
    resident = HouseholdMembershipFactory().resident
    case = MeldcodeCase.objects.create(
        resident=resident,
        team=team,
        coordinator=coordinator,
        wijk_at_opening_id=resident.address.buurt.wijk_id,
        opened_at=timezone.now(),
    )
    MeldcodeStatusChange.objects.create(
        case=case, seq=1, status=MeldcodeStatus.OPEN, by=coordinator
    )


def _this_month(html: str) -> str:
    """The first row (this month) of the meldcode's table per month: the city's figure."""
    section = html[html.index('id="meldcode"') :]
    table = section[section.index('id="meldcode-per-maand"') :]
    return re.findall(r"<td[^>]*>([^<]*)</td>", table)[0].strip()


def test_choosing_a_team_does_not_show_a_meldcode_count_of_that_team(
    client_for, make_user, coordinator, team, other_team, outsider
) -> None:
    """This month: five cases of the team, one of the other team, all in one wijk. All teams
    show 6 and the team alone would show 5: together they tell the other team's single case."""
    for _ in range(5):
        _opened(team, coordinator)
    _opened(other_team, outsider)
    management = client_for(make_user(Role.MANAGEMENT))

    everyone = _this_month(management.get(COMPLIANCE).content.decode())
    page = management.get(COMPLIANCE, {"team": team.pk}).content.decode()

    assert everyone == "6"
    assert _this_month(page) == everyone
    assert "Dit aantal geldt altijd voor al uw teams samen." in page
