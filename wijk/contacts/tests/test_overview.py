"""The aggregated overview of short contacts: the numbers match the rows, team leads see their
own teams, management and the municipality every team, and the query count is fixed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Wijk
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


def contacts(
    n: int, *, team, by, day: datetime.date, wijk=None, channel="walk_in", domain="finances"
):
    ShortContact.objects.bulk_create(
        ShortContact(
            contact_date=day,
            channel=code("channels", channel),
            life_domain=code("life_domains", domain),
            team=team,
            wijk=wijk,
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
    assert overview.total.value == 9
    per_team = {row.label: row for row in overview.per_team}
    assert per_team[team.name].counts[2].value == 5  # March
    assert per_team[team.name].total.value == 5
    assert per_team["Team Schalkwijk"].counts[10].value == 4  # November
    assert overview.month_totals[2].value == 5 and overview.month_totals[10].value == 4
    channels = [c.code for c in overview.channels]
    march = overview.per_month[2]
    assert march.counts[channels.index("walk_in")].value == 3
    assert march.counts[channels.index("phone")].value == 2
    assert overview.channel_totals[channels.index("walk_in")].value == 7
    domains = {d.code: (count.value, share) for d, count, share in overview.per_life_domain}
    assert domains["finances"] == (5, 56)
    assert domains["housing"] == (4, 44)
    assert domains["justice"] == (0, 0)


def test_one_team_can_be_chosen(make_user, client_for, team, registrar) -> None:
    other = TeamFactory()
    contacts(3, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    contacts(4, team=other, by=registrar, day=datetime.date(2025, 3, 4))
    response = client_for(make_user(Role.MANAGEMENT)).get(URL, {"year": "2025", "team": other.pk})
    overview = response.context["overview"]
    assert [row.label for row in overview.per_team] == [other.name]
    assert overview.total.value == 4


def test_a_team_lead_sees_only_their_own_teams(make_user, client_for, team, registrar) -> None:
    other = TeamFactory(name="Team Elders")
    contacts(3, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    contacts(4, team=other, by=registrar, day=datetime.date(2025, 3, 4))
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team]))
    overview = client.get(URL, {"year": "2025"}).context["overview"]
    assert [row.label for row in overview.per_team] == [team.name]
    assert overview.total.value == 3
    refused = client.get(URL, {"year": "2025", "team": other.pk})
    assert "team" in refused.context["form"].errors  # not a choice for this team lead
    assert [row.label for row in refused.context["overview"].per_team] == [team.name]
    assert "Team Elders" not in refused.content.decode()


def test_a_team_lead_does_not_see_a_team_that_is_no_longer_active(
    make_user, client_for, team, registrar
) -> None:
    former = TeamFactory(name="Team Opgeheven", active=False)
    contacts(4, team=former, by=registrar, day=datetime.date(2025, 3, 4))
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team, former]))
    response = client.get(URL, {"year": "2025"})
    assert [row.label for row in response.context["overview"].per_team] == [team.name]
    assert "Team Opgeheven" not in response.content.decode()


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
    assert response.context["overview"].total.value == 25


# The municipality: per wijk, never per team, and no small numbers (ADR 0004, ADR 0011).

SMALL_COUNT = re.compile(r">\s*[1-4]\s*<")  # a table cell (or any element) showing 1 to 4


def test_the_municipality_sees_wijken_without_small_numbers_or_team_names(
    make_user, client_for, registrar
) -> None:
    first, second = Wijk.objects.order_by("code")[:2]
    north = TeamFactory(name="Team Noordkwartier")
    south = TeamFactory(name="Team Zuiderpolder")
    contacts(3, team=north, by=registrar, day=datetime.date(2025, 3, 4), wijk=first)
    contacts(7, team=south, by=registrar, day=datetime.date(2025, 3, 5), wijk=second)
    contacts(2, team=south, by=registrar, day=datetime.date(2025, 3, 6), wijk=None)
    contacts(9, team=north, by=registrar, day=datetime.date(2025, 5, 6), wijk=first)

    response = client_for(make_user(Role.MUNICIPALITY)).get(URL, {"year": "2025"})
    page = response.content.decode()
    overview = response.context["overview"]
    assert response.status_code == 200
    assert overview.per_wijk
    assert "Team Noordkwartier" not in page and "Team Zuiderpolder" not in page
    assert "team" not in response.context["form"].fields
    assert not SMALL_COUNT.search(page), SMALL_COUNT.search(page)
    assert "&lt; 5" in page
    rows = {row.label: row for row in overview.per_team}
    assert f"{first.name} ({first.code})" in rows and "Wijk onbekend" in rows
    march = [row.counts[2] for row in overview.per_team]
    assert all(not figure.shown or figure.value in (0, 7) or figure.value >= 5 for figure in march)
    assert all(
        figure.value is None or not 0 < figure.value < 5
        for row in overview.per_team
        for figure in [*row.counts, row.total]
    )
    # May: one wijk of 9, every other wijk 0: shown exactly, and they add up to the month.
    may = [row.counts[4] for row in overview.per_team]
    assert sum(figure.value or 0 for figure in may) == overview.month_totals[4].value == 9
    # Where every figure of a month is shown, the wijken add up to the month's total.
    for i, total in enumerate(overview.month_totals):
        column = [row.counts[i] for row in overview.per_team]
        if total.shown and all(figure.shown for figure in column):
            assert sum(figure.value for figure in column) == total.value
    # Every month's total is shown, so the year's is; a wijk's year with a hidden March is not.
    assert overview.total.value == 21
    assert rows[f"{first.name} ({first.code})"].total.hidden


def test_the_municipality_cannot_choose_a_team(make_user, client_for, team, registrar) -> None:
    contacts(6, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    response = client_for(make_user(Role.MUNICIPALITY)).get(URL, {"year": "2025", "team": team.pk})
    assert response.status_code == 200
    assert response.context["overview"].per_wijk
    assert team.name not in response.content.decode()


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.MANAGEMENT])
def test_the_consortium_sees_exact_numbers_per_team(
    make_user, client_for, team, registrar, role
) -> None:
    contacts(2, team=team, by=registrar, day=datetime.date(2025, 3, 4))
    response = client_for(make_user(role, teams=[team])).get(URL, {"year": "2025"})
    overview = response.context["overview"]
    assert not overview.per_wijk
    row = next(row for row in overview.per_team if row.label == team.name)
    assert row.counts[2].value == 2 and row.counts[2].shown
    assert overview.total.value == 2
    page = response.content.decode()
    assert team.name in page and "&lt; 5" not in page


def test_the_municipality_overview_takes_a_fixed_number_of_queries(
    make_user, client_for, team, registrar, django_assert_num_queries
) -> None:
    client = client_for(make_user(Role.MUNICIPALITY))
    wijken = list(Wijk.objects.order_by("code")[:5])
    contacts(1, team=team, by=registrar, day=datetime.date(2025, 1, 2), wijk=wijken[0])
    client.get(URL, {"year": "2025"})
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"year": "2025"})
    expected = len(one)
    for month in range(1, 13):
        contacts(
            2,
            team=TeamFactory(),
            by=registrar,
            day=datetime.date(2025, month, 3),
            wijk=wijken[month % 5],
        )
    with django_assert_num_queries(expected):
        response = client.get(URL, {"year": "2025"})
    assert response.context["overview"].per_wijk
