"""Named participants: only for activities that register them, only residents the user may
see, and every participant read (one entry per list shown), added or removed is in the access
log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.activities.models import Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory
from wijk.areas.models import Buurt, Wijk
from wijk.core.models import AccessLogEntry
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def session(team):
    activity = ActivityFactory(wijk=team.wijken.get(), registers_participants=True)
    return ActivitySessionFactory(activity=activity)


@pytest.fixture
def neighbour(team):
    """A resident living in the team's wijk: visible to its members."""
    return HouseholdMembershipFactory(
        resident__given_names="Noor", resident__family_name="Zonneveld"
    ).resident


@pytest.fixture
def outsider(team):
    """A resident living outside the team's wijken: not visible without breaking the glass."""
    elsewhere = Buurt.objects.exclude(wijk__in=team.wijken.all()).order_by("code").first()
    return HouseholdMembershipFactory(
        resident__given_names="Olaf",
        resident__family_name="Buitenhof",
        resident__address=AddressFactory(buurt=elsewhere),
    ).resident


def url(session) -> str:
    return reverse("activities:participants", args=[session.pk])


def test_no_participant_list_when_the_activity_does_not_register_names(
    professional, client_for, team
) -> None:
    session = ActivitySessionFactory(activity=ActivityFactory(wijk=team.wijken.get()))
    client = client_for(professional)
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session), {"action": "add", "resident": "1"}).status_code == 404
    detail = client.get(reverse("activities:detail", args=[session.activity.pk]))
    assert url(session) not in detail.content.decode()


def test_no_participant_list_for_an_activity_outside_the_users_wijken(
    professional, client_for, team
) -> None:
    elsewhere = Wijk.objects.exclude(pk__in=team.wijken.values("pk")).order_by("code").first()
    session = ActivitySessionFactory(
        activity=ActivityFactory(wijk=elsewhere, registers_participants=True)
    )
    assert client_for(professional).get(url(session)).status_code == 404


def test_the_search_finds_only_residents_the_user_may_see(
    professional, client_for, session, neighbour, outsider
) -> None:
    client = client_for(professional)
    found = client.post(url(session), {"action": "search", "name": "Zonneveld"})
    assert [r.pk for r in found.context["results"]] == [neighbour.pk]
    hidden = client.post(url(session), {"action": "search", "name": "Buitenhof"})
    assert hidden.context["results"] == []
    assert "Olaf Buitenhof" not in hidden.content.decode()


def test_adding_a_participant_is_logged_with_the_residents_id(
    professional, client_for, session, neighbour
) -> None:
    response = client_for(professional).post(
        url(session), {"action": "add", "resident": str(neighbour.pk)}, follow=True
    )
    participation = Participation.objects.get()
    assert participation.session == session and participation.resident == neighbour
    assert "De deelnemer is toegevoegd." in response.content.decode()
    created = AccessLogEntry.objects.get(event="create")
    assert created.resident_id == neighbour.pk
    assert created.user_id == professional.pk
    assert f"activities.participation:{participation.pk}" in created.objects_touched


def test_a_resident_the_user_may_not_see_cannot_be_added(
    professional, client_for, session, outsider
) -> None:
    response = client_for(professional).post(
        url(session), {"action": "add", "resident": str(outsider.pk)}
    )
    assert response.status_code == 404
    assert not Participation.objects.exists()
    refused = AccessLogEntry.objects.get(outcome="refused")
    assert refused.resident_id == outsider.pk
    assert not AccessLogEntry.objects.filter(event="create").exists()


def test_adding_the_same_resident_twice_is_refused(
    professional, client_for, session, neighbour
) -> None:
    client = client_for(professional)
    client.post(url(session), {"action": "add", "resident": str(neighbour.pk)})
    response = client.post(
        url(session), {"action": "add", "resident": str(neighbour.pk)}, follow=True
    )
    assert "Deze inwoner staat al op de deelnemerslijst." in response.content.decode()
    assert Participation.objects.count() == 1


def test_reading_the_list_is_one_log_entry_naming_every_participant_shown(
    professional, client_for, session, neighbour, team
) -> None:
    other = HouseholdMembershipFactory().resident
    participations = [
        Participation.objects.create(session=session, resident=resident)
        for resident in (neighbour, other)
    ]
    response = client_for(professional).get(url(session))
    assert "Noor Zonneveld" in response.content.decode()
    entry = AccessLogEntry.objects.get(user_id=professional.pk)
    assert (entry.event, entry.outcome, entry.resident_id) == ("search", "success", None)
    assert entry.objects_touched[0] == f"activities.activitysession:{session.pk}"
    assert sorted(entry.objects_touched[1:]) == sorted(
        ref
        for p in participations
        for ref in (f"activities.participation:{p.pk}", f"residents.resident:{p.resident_id}")
    )


def test_an_empty_list_shows_nobody_and_logs_nothing(professional, client_for, session) -> None:
    response = client_for(professional).get(url(session))
    assert "Nog geen deelnemers met naam." in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_the_list_costs_the_same_queries_for_one_and_for_ten_participants(
    professional, client_for, session, django_assert_num_queries
) -> None:
    """One access-log entry for the whole list: the page's queries do not grow with the
    number of participants shown."""
    client = client_for(professional)

    def add_participants(count: int) -> None:
        for _n in range(count):
            resident = HouseholdMembershipFactory().resident
            Participation.objects.create(session=session, resident=resident)

    add_participants(1)
    client.get(url(session))  # warm up: what the first request of a session loads once
    with CaptureQueriesContext(connection) as captured:
        client.get(url(session))
    one = len(captured)
    with django_assert_num_queries(one):
        response = client.get(url(session))
    assert len(response.context["participations"]) == 1
    add_participants(9)
    with django_assert_num_queries(one):
        response = client.get(url(session))
    assert len(response.context["participations"]) == 10
    assert AccessLogEntry.objects.filter(event="search").count() == 4  # one per list shown


def test_removing_a_participant_is_logged(professional, client_for, session, neighbour) -> None:
    participation = Participation.objects.create(session=session, resident=neighbour)
    response = client_for(professional).post(
        url(session), {"action": "remove", "participation": str(participation.pk)}
    )
    assert response.status_code == 302
    assert not Participation.objects.exists()
    removed = AccessLogEntry.objects.get(event="delete")
    assert removed.resident_id == neighbour.pk


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_never_see_participants(
    make_user, client_for, team, session, neighbour, role
) -> None:
    Participation.objects.create(session=session, resident=neighbour)
    user = make_user(role, teams=[team], last_name="de Boer")
    response = client_for(user).get(url(session))
    assert response.status_code == 404
    assert "Zonneveld" not in response.content.decode()
