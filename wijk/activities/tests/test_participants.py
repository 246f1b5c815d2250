"""Named participants: only for activities that register them, only residents the user may
see, and every participant read, added or removed is in the access log."""

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


def test_reading_the_list_logs_each_participant_shown(
    professional, client_for, session, neighbour, team
) -> None:
    other = HouseholdMembershipFactory().resident
    for resident in (neighbour, other):
        Participation.objects.create(session=session, resident=resident)
    response = client_for(professional).get(url(session))
    assert "Noor Zonneveld" in response.content.decode()
    reads = AccessLogEntry.objects.filter(event="read", user_id=professional.pk)
    assert sorted(reads.values_list("resident_id", flat=True)) == sorted([neighbour.pk, other.pk])


def test_the_list_costs_a_fixed_number_of_queries_plus_one_log_entry_per_participant(
    professional, client_for, session, django_assert_num_queries
) -> None:
    """Each participant shown is one access-log entry (its lock, the chain's last hash, the
    insert): the same few queries per participant, everything else fixed."""
    client = client_for(professional)

    def add_participant() -> None:
        resident = HouseholdMembershipFactory().resident
        Participation.objects.create(session=session, resident=resident)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url(session))
        return len(captured)

    add_participant()
    client.get(url(session))
    one = queries()
    add_participant()
    per_participant = queries() - one
    assert 0 < per_participant <= 5
    for _n in range(18):
        add_participant()
    with django_assert_num_queries(one + 19 * per_participant):
        client.get(url(session))


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
