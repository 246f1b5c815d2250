"""Creating, editing, listing and reading activities through the HTML pages."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.activities.models import Activity, Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory, code
from wijk.organisations.models import OrganisationKind
from wijk.organisations.tests.factories import OrganisationFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


def form_data(team, **overrides):
    organiser = OrganisationFactory(name="Buurtvereniging De Kamp", kind=OrganisationKind.VOLUNTEER)
    data = {
        "name": "Jongerenkookclub",
        "organiser": str(organiser.pk),
        "theme": str(code("policy_themes", "belonging").pk),
        "target_group": str(code("target_groups", "youth").pk),
        "wijk": str(team.wijken.get().pk),
        "location": "Buurthuis De Kamp",
        "registers_participants": "",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_the_theme_is_chosen_from_sub_themes_grouped_under_the_four_themes(
    professional, client_for
) -> None:
    page = client_for(professional).get(reverse("activities:create")).content.decode()
    for main in ("Fysiek en sociaal zelfredzaam", "Praktisch zelfredzaam", "Samen zelfredzaam"):
        assert f'<optgroup label="{main}">' in page
    assert '<optgroup label="Meedoen">' in page
    assert "Erbij horen en ontwikkelen" in page
    assert "Alleen als dat de drempel niet verhoogt." in page


def test_create_an_activity(professional, client_for, team) -> None:
    response = client_for(professional).post(reverse("activities:create"), form_data(team))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.theme.parent.code == "participation"
    assert activity.target_group.code == "youth"
    assert activity.active and not activity.registers_participants


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Vul de naam van de activiteit in."),
        ("location", "", "Vul de locatie in."),
        ("theme", "", "Kies een thema."),
        ("wijk", "", "Kies de wijk."),
    ],
)
def test_missing_input_gets_a_dutch_message(
    professional, client_for, team, field, value, message
) -> None:
    response = client_for(professional).post(
        reverse("activities:create"), form_data(team, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_a_main_theme_is_not_a_choice(professional, client_for, team) -> None:
    main = code("policy_themes", "participation")
    response = client_for(professional).post(
        reverse("activities:create"), form_data(team, theme=str(main.pk))
    )
    assert response.status_code == 200
    assert "theme" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_edit_an_activity(professional, client_for, team) -> None:
    activity = ActivityFactory(wijk=team.wijken.get())
    response = client_for(professional).post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(team, name="Kookclub", registers_participants="on", active=""),
    )
    activity.refresh_from_db()
    assert response.status_code == 302
    assert (activity.name, activity.registers_participants, activity.active) == (
        "Kookclub",
        True,
        False,
    )


def test_named_participants_cannot_be_switched_off_while_any_are_recorded(
    professional, client_for, team
) -> None:
    session = ActivitySessionFactory(
        activity=ActivityFactory(wijk=team.wijken.get(), registers_participants=True)
    )
    Participation.objects.create(session=session, resident=HouseholdMembershipFactory().resident)
    response = client_for(professional).post(
        reverse("activities:edit", args=[session.activity.pk]),
        form_data(team, registers_participants=""),
    )
    assert response.status_code == 200
    assert "Er zijn al deelnemers met naam vastgelegd." in response.content.decode()
    session.activity.refresh_from_db()
    assert session.activity.registers_participants


def test_the_list_shows_active_activities_and_on_request_stopped_ones(
    professional, client_for
) -> None:
    ActivityFactory(name="Taalcafé")
    ActivityFactory(name="Oude breiclub", active=False)
    client = client_for(professional)
    names = [a.name for a in client.get(reverse("activities:list")).context["activities"]]
    assert names == ["Taalcafé"]
    response = client.get(reverse("activities:list"), {"include_inactive": "on"})
    assert [a.name for a in response.context["activities"]] == ["Taalcafé", "Oude breiclub"]


def test_the_list_takes_a_fixed_number_of_queries(
    professional, client_for, django_assert_num_queries
) -> None:
    client = client_for(professional)
    url = reverse("activities:list")
    ActivitySessionFactory()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    expected = len(one)
    for _n in range(19):
        ActivitySessionFactory(activity=ActivityFactory(organiser=OrganisationFactory()))
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["activities"]) == 20
    assert all(a.session_count == 1 for a in response.context["activities"])


def test_the_detail_page_totals_sessions_per_month(professional, client_for) -> None:
    activity = ActivityFactory()
    for day, total, youth in [(3, 10, 4), (17, 12, 2), (40, 8, 8)]:
        ActivitySessionFactory(
            activity=activity,
            held_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
            attendance_total=total,
            attendance_youth=youth,
        )
    ActivitySessionFactory(activity=activity, held_on=datetime.date(2024, 6, 1))
    response = client_for(professional).get(
        reverse("activities:detail", args=[activity.pk]), {"jaar": "2025"}
    )
    detail = response.context["detail"]
    assert detail.years == [2025, 2024]
    assert [(m.month.month, m.sessions, m.attendance, m.youth) for m in detail.months] == [
        (2, 1, 8, 8),
        (1, 2, 22, 6),
    ]
    assert len(detail.sessions) == 3


def test_the_detail_page_takes_a_fixed_number_of_queries(
    professional, client_for, django_assert_num_queries
) -> None:
    client = client_for(professional)
    activity = ActivityFactory(registers_participants=True)
    url = reverse("activities:detail", args=[activity.pk])
    ActivitySessionFactory(activity=activity, held_on=datetime.date(2025, 1, 1))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    expected = len(one)
    for day in range(2, 21):
        ActivitySessionFactory(activity=activity, held_on=datetime.date(2025, 1, day))
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["detail"].sessions) == 20
