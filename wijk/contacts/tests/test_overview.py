"""The aggregated overview of short contacts: the numbers match the rows, team leads see their
own teams, management and the municipality every team, and the query count is fixed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Wijk
from wijk.contacts.models import ShortContact
from wijk.core.disclosure import exact
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


# The municipality: per wijk, never per team (ADR 0004), and every count exact: contacts count
# conversations, not people (docs/adr/0028-small-numbers-count-people.md).


def test_the_municipality_sees_exact_contact_counts_per_wijk_without_team_names(
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
    assert "&lt; 5" not in page and "verborgen" not in page
    rows = {row.label: row for row in overview.per_team}
    first_row = rows[f"{first.name} ({first.code})"]
    assert first_row.counts[2] == exact(3) and first_row.total == exact(12)
    assert rows["Wijk onbekend"].counts[2] == exact(2)
    assert [figure.value for figure in overview.month_totals][2:5] == [12, 0, 9]
    assert overview.total == exact(21)


def test_the_municipality_sees_every_topic_count(make_user, client_for, registrar) -> None:
    """Thirteen topics (life domains), most with a handful of contacts: every count and share
    is shown, none reads "verborgen"; the long breakdowns come after, folded away."""
    domains = list(
        Code.objects.filter(code_list__slug="life_domains", valid_until=None).order_by("sort_order")
    )
    wijk = Wijk.objects.order_by("code").first()
    team = TeamFactory()
    for number, domain in enumerate(domains):
        for _n in range(1 + number % 4):
            ShortContact.objects.create(
                contact_date=datetime.date(2025, 1 + number % 12, 3),
                channel=Code.objects.get(code_list__slug="channels", code="phone"),
                life_domain=domain,
                team=team,
                wijk=wijk,
                registered_by=registrar,
            )
    response = client_for(make_user(Role.MUNICIPALITY)).get(URL, {"year": "2025"})
    page = response.content.decode()
    per_domain = response.context["overview"].per_life_domain
    assert len(per_domain) == len(domains) >= 10
    assert all(count.shown and share is not None for _domain, count, share in per_domain)
    assert [count.value for _domain, count, _share in per_domain] == [
        1 + number % 4 for number in range(len(domains))
    ]
    assert "verborgen" not in page
    # the summary (the total, the topics) first; the tables per wijk and per channel on demand
    topics = page.index("Korte contacten per leefgebied")
    assert page.index("<details", topics) < page.index("Korte contacten per wijk en maand")
    assert page.index("Korte contacten per maand en kanaal") > page.rindex("<details")
    assert "<summary" in page


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
