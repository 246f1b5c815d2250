"""The aggregated overview of short contacts: the numbers match the rows, team leads see their
own teams, management and the municipality every team, and the query count is fixed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.contacts.models import ShortContact
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code

pytestmark = pytest.mark.django_db

URL = reverse("contacts:overview")


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


@pytest.fixture
def registrar(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


def contacts(n: int, *, team, by, day: datetime.date, channel="walk_in", domain="finances"):
    ShortContact.objects.bulk_create(
        ShortContact(
            contact_date=day,
            channel=code("channels", channel),
            life_domain=code("life_domains", domain),
            team=team,
            registered_by=by,
        )
        for _n in range(n)
    )


def test_the_numbers_match_the_rows(make_user, client_for, team, registrar) -> None:
    other = TeamFactory(name="Team Schalkwijk")
    contacts(3, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    contacts(2, team=team, by=registrar, day=datetime.date(2025, 3, 30), channel="phone")
    contacts(4, team=other, by=registrar, day=datetime.date(2025, 11, 1), domain="housing")
    contacts(7, team=team, by=registrar, day=datetime.date(2024, 3, 4))  # another year

    response = client_for(make_user(Role.MANAGEMENT)).get(URL, {"year": "2025"})
    overview = response.context["overview"]
    assert response.status_code == 200
    assert overview.total == 9
    per_team = {row.label: row for row in overview.per_team}
    assert per_team[team.name].counts[2] == 5  # March
    assert per_team[team.name].total == 5
    assert per_team["Team Schalkwijk"].counts[10] == 4  # November
    assert overview.month_totals[2] == 5 and overview.month_totals[10] == 4
    channels = [c.code for c in overview.channels]
    march = overview.per_month[2]
    assert march.counts[channels.index("walk_in")] == 3
    assert march.counts[channels.index("phone")] == 2
    assert overview.channel_totals[channels.index("walk_in")] == 7
    domains = {d.code: (count, share) for d, count, share in overview.per_life_domain}
    assert domains["finances"] == (5, 56)
    assert domains["housing"] == (4, 44)
    assert domains["justice"] == (0, 0)


def test_one_team_can_be_chosen(make_user, client_for, team, registrar) -> None:
    other = TeamFactory()
    contacts(3, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    contacts(4, team=other, by=registrar, day=datetime.date(2025, 3, 4))
    response = client_for(make_user(Role.MUNICIPALITY)).get(URL, {"year": "2025", "team": other.pk})
    overview = response.context["overview"]
    assert [row.label for row in overview.per_team] == [other.name]
    assert overview.total == 4


def test_a_team_lead_sees_only_their_own_teams(make_user, client_for, team, registrar) -> None:
    other = TeamFactory(name="Team Elders")
    contacts(3, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    contacts(4, team=other, by=registrar, day=datetime.date(2025, 3, 4))
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team]))
    overview = client.get(URL, {"year": "2025"}).context["overview"]
    assert [row.label for row in overview.per_team] == [team.name]
    assert overview.total == 3
    refused = client.get(URL, {"year": "2025", "team": other.pk})
    assert "team" in refused.context["form"].errors  # not a choice for this team lead
    assert [row.label for row in refused.context["overview"].per_team] == [team.name]
    assert "Team Elders" not in refused.content.decode()


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ADMINISTRATOR])
def test_roles_without_the_overview_get_not_found(make_user, client_for, team, role) -> None:
    assert client_for(make_user(role, teams=[team])).get(URL).status_code == 404


def test_the_overview_takes_a_fixed_number_of_queries(
    make_user, client_for, team, registrar, django_assert_num_queries
) -> None:
    client = client_for(make_user(Role.MANAGEMENT))
    contacts(1, team=team, by=registrar, day=datetime.date(2025, 1, 2))
    client.get(URL, {"year": "2025"})
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"year": "2025"})
    expected = len(one)
    for month in range(1, 13):
        contacts(2, team=TeamFactory(), by=registrar, day=datetime.date(2025, month, 3))
    with django_assert_num_queries(expected):
        response = client.get(URL, {"year": "2025"})
    assert response.context["overview"].total == 25
