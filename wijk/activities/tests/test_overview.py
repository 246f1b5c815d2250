"""The aggregated attendance overview: sessions and attendance per theme, wijk and month with
the share of young people; nothing about participants, for any role that may see it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.activities.models import Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory, code
from wijk.areas.models import Wijk
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("activities:overview")


def session(activity, day: datetime.date, total: int, youth: int):
    return ActivitySessionFactory(
        activity=activity, held_on=day, attendance_total=total, attendance_youth=youth
    )


def test_the_numbers_match_the_sessions(make_user, client_for) -> None:
    first, second = Wijk.objects.order_by("code")[:2]
    meeting = ActivityFactory(wijk=first, theme=code("policy_themes", "meeting"))
    sport = ActivityFactory(wijk=second, theme=code("policy_themes", "healthy_lifestyle"))
    session(meeting, datetime.date(2025, 2, 3), 10, 5)
    session(meeting, datetime.date(2025, 2, 10), 6, 0)
    session(sport, datetime.date(2025, 5, 1), 4, 4)
    session(sport, datetime.date(2024, 5, 1), 99, 99)  # another year

    response = client_for(make_user(Role.MANAGEMENT)).get(URL, {"year": "2025"})
    overview = response.context["overview"]
    assert response.status_code == 200
    assert (
        overview.total.sessions.value,
        overview.total.attendance.value,
        overview.total.youth.value,
    ) == (
        3,
        20,
        9,
    )
    assert overview.total.youth_share == 45
    assert overview.activity_count.value == 2
    groups = {group.total.label: group for group in overview.per_theme}
    assert list(groups) == [
        "Fysiek en sociaal zelfredzaam",
        "Praktisch zelfredzaam",
        "Samen zelfredzaam",
        "Meedoen",
    ]
    assert (groups["Meedoen"].total.sessions.value, groups["Meedoen"].total.attendance.value) == (
        2,
        16,
    )
    assert groups["Samen zelfredzaam"].total.sessions.value == 0
    themes = {row.label: row for group in overview.per_theme for row in group.rows}
    assert (
        themes["Elkaar ontmoeten"].attendance.value,
        themes["Elkaar ontmoeten"].youth.value,
    ) == (16, 5)
    assert themes["Gezonde leefstijl"].youth_share == 100
    assert themes["Mantelzorg"].sessions.value == 0
    wijken = {row.label: row.attendance.value for row in overview.per_wijk}
    assert wijken == {first.name: 16, second.name: 4}
    months = {month.month: row for month, row in overview.per_month}
    assert (months[2].sessions.value, months[2].attendance.value, months[5].youth.value) == (
        2,
        16,
        4,
    )
    assert months[1].sessions.value == 0


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY])
def test_aggregated_pages_show_no_resident_names_even_when_participants_exist(
    make_user, client_for, team, role
) -> None:
    resident = HouseholdMembershipFactory(
        resident__given_names="Sanne", resident__family_name="Vermeulen"
    ).resident
    activity = ActivityFactory(
        name="Huiswerkclub", wijk=team.wijken.get(), registers_participants=True
    )
    attended = session(activity, datetime.date(2025, 3, 3), 8, 6)
    Participation.objects.create(session=attended, resident=resident)
    client = client_for(make_user(role, teams=[team], first_name="Kim", last_name="de Boer"))
    for url in (URL, reverse("contacts:overview")):
        page = client.get(url, {"year": "2025"}).content.decode()
        assert "Vermeulen" not in page and "Sanne" not in page


def test_the_activity_detail_page_counts_participants_without_naming_them(
    make_user, client_for, team
) -> None:
    resident = HouseholdMembershipFactory(resident__family_name="Vermeulen").resident
    activity = ActivityFactory(wijk=team.wijken.get(), registers_participants=True)
    attended = session(activity, datetime.date(2025, 3, 3), 8, 6)
    Participation.objects.create(session=attended, resident=resident)
    page = (
        client_for(make_user(Role.PROFESSIONAL, teams=[team], last_name="de Boer"))
        .get(reverse("activities:detail", args=[activity.pk]), {"jaar": "2025"})
        .content.decode()
    )
    assert "1 met naam op 3 maart" in page
    assert "Vermeulen" not in page


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ADMINISTRATOR])
def test_roles_without_the_overview_get_not_found(make_user, client_for, team, role) -> None:
    assert client_for(make_user(role, teams=[team])).get(URL).status_code == 404


def test_the_overview_takes_a_fixed_number_of_queries(
    make_user, client_for, django_assert_num_queries
) -> None:
    client = client_for(make_user(Role.MANAGEMENT))
    session(ActivityFactory(), datetime.date(2025, 1, 6), 5, 1)
    client.get(URL, {"year": "2025"})
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"year": "2025"})
    expected = len(one)
    wijken = list(Wijk.objects.order_by("code")[:5])
    for n in range(19):
        activity = ActivityFactory(wijk=wijken[n % 5], theme=code("policy_themes", "mobility"))
        session(activity, datetime.date(2025, 1 + n % 12, 7), 5, 1)
    with django_assert_num_queries(expected):
        response = client.get(URL, {"year": "2025"})
    assert response.context["overview"].total.sessions.value == 20


def test_the_municipality_sees_sessions_and_visits_exactly(make_user, client_for) -> None:
    """Sessions and visits count meetings, not people: the municipality sees a session with
    4 visitors as 4 (docs/adr/0028-small-numbers-count-people.md)."""
    first, second = Wijk.objects.order_by("code")[:2]
    meeting = ActivityFactory(wijk=first, theme=code("policy_themes", "meeting"))
    sport = ActivityFactory(wijk=second, theme=code("policy_themes", "healthy_lifestyle"))
    session(meeting, datetime.date(2025, 2, 3), 10, 5)
    session(meeting, datetime.date(2025, 2, 10), 6, 0)
    session(sport, datetime.date(2025, 5, 1), 4, 3)
    response = client_for(make_user(Role.MUNICIPALITY)).get(URL, {"year": "2025"})
    overview = response.context["overview"]
    page = response.content.decode()
    assert not overview.protected and "&lt; 5" not in page and "verborgen" not in page
    assert overview.total.attendance.value == 20
    per_wijk = {(row.sessions.value, row.attendance.value) for row in overview.per_wijk}
    assert per_wijk == {(2, 16), (1, 4)}
    may = dict(overview.per_month)[datetime.date(2025, 5, 1)]
    assert (may.sessions.value, may.attendance.value, may.youth.value) == (1, 4, 3)
