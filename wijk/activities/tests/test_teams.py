"""Activities belong to their teams, the active teams covering their wijk (ADR 0018): only
their members edit them and reach their sessions and named participants; an edit is in the
access log; a move to another wijk waits for a team lead of the destination."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.activities.models import Activity, ActivityMove, ActivitySession, Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory
from wijk.activities.tests.test_activities import form_data
from wijk.areas.models import Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.core.audit import object_ref
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_team(team):
    """A team covering another wijk."""
    elsewhere = (
        Wijk.objects.filter(source_year=wijk_newest_year())
        .exclude(code=team.wijken.get().code)
        .order_by("code")
        .first()
    )
    return TeamFactory(wijken=[elsewhere])


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def outsider(make_user, other_team):
    """A professional of the other team."""
    return make_user(Role.PROFESSIONAL, teams=[other_team])


@pytest.fixture
def session(team):
    """A session of an activity in the team's wijk, with a named participant."""
    activity = ActivityFactory(name="Taalcafé", wijk=team.wijken.get(), registers_participants=True)
    session = ActivitySessionFactory(activity=activity)
    Participation.objects.create(session=session, resident=HouseholdMembershipFactory().resident)
    return session


def test_a_professional_of_another_team_gets_404_and_changes_nothing(
    outsider, client_for, team, other_team, session
) -> None:
    activity = session.activity
    client = client_for(outsider)
    edit = reverse("activities:edit", args=[activity.pk])
    assert client.get(edit).status_code == 404
    moved = client.post(edit, form_data(team, wijk=str(other_team.wijken.get().pk)))
    assert moved.status_code == 404
    participants = reverse("activities:participants", args=[session.pk])
    assert client.get(participants).status_code == 404
    session_edit = reverse("activities:session_edit", args=[session.pk])
    assert client.get(session_edit).status_code == 404
    today = timezone.localdate().isoformat()
    numbers = {"held_on": today, "attendance_total": "1", "attendance_youth": "0"}
    assert client.post(session_edit, numbers).status_code == 404
    session_create = reverse("activities:session_create", args=[activity.pk])
    assert client.get(session_create).status_code == 404
    assert client.post(session_create, numbers).status_code == 404
    # The same answer as for an activity that does not exist.
    missing = client.get(reverse("activities:edit", args=[activity.pk + 1000]))
    refused = client.get(edit)
    assert (missing.status_code, [t.name for t in missing.templates]) == (
        refused.status_code,
        [t.name for t in refused.templates],
    )
    activity.refresh_from_db()
    session.refresh_from_db()
    assert (activity.name, activity.wijk_id) == ("Taalcafé", team.wijken.get().pk)
    assert (ActivitySession.objects.count(), session.attendance_total) == (1, 10)
    assert not ActivityMove.objects.exists()
    # Its public, non-person data stays readable, without the links to change it.
    detail = client.get(reverse("activities:detail", args=[activity.pk]))
    assert detail.status_code == 200
    for url in (edit, participants, session_edit, session_create):
        assert url not in detail.content.decode()


def test_an_edit_is_one_update_entry_in_the_access_log(professional, client_for, team) -> None:
    activity = ActivityFactory(wijk=team.wijken.get())
    response = client_for(professional).post(
        reverse("activities:edit", args=[activity.pk]), form_data(team, name="Kookclub")
    )
    assert response.status_code == 302
    entry = AccessLogEntry.objects.get()
    assert (entry.event, entry.user_id, entry.objects_touched) == (
        "update",
        professional.pk,
        [object_ref(activity)],
    )


def test_a_new_activity_goes_only_in_a_wijk_of_ones_teams(
    professional, client_for, team, other_team
) -> None:
    response = client_for(professional).post(
        reverse("activities:create"), form_data(team, wijk=str(other_team.wijken.get().pk))
    )
    assert response.status_code == 200
    assert "Kies een wijk van uw team." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_move_shows_only_after_a_team_lead_of_the_destination_approves(
    professional, outsider, make_user, client_for, team, other_team, session
) -> None:
    activity = session.activity
    here, there = team.wijken.get(), other_team.wijken.get()
    asked = client_for(professional).post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(team, name="Taalcafé", registers_participants="on", wijk=str(there.pk)),
    )
    assert asked.status_code == 302
    activity.refresh_from_db()
    assert activity.wijk == here  # not moved yet
    move = ActivityMove.objects.get()
    entry = AccessLogEntry.objects.get(event="update")
    assert entry.objects_touched == [object_ref(activity), object_ref(move)]
    detail = client_for(outsider).get(reverse("activities:detail", args=[activity.pk]))
    assert "Dat gebeurt pas als een teamleider van die wijk akkoord geeft." in (
        detail.content.decode()
    )
    participants = reverse("activities:participants", args=[session.pk])
    assert client_for(outsider).get(participants).status_code == 404

    # Neither a team lead of the wijk it leaves nor a professional of the destination decides.
    review = reverse("activities:move_review", args=[move.pk])
    own_lead = make_user(Role.TEAM_LEAD, teams=[team])
    assert client_for(own_lead).post(review, {"action": "approve"}).status_code == 404
    assert client_for(outsider).post(review, {"action": "approve"}).status_code == 404
    activity.refresh_from_db()
    assert activity.wijk == here

    lead = make_user(Role.TEAM_LEAD, teams=[other_team])
    waiting = client_for(lead).get(reverse("activities:move_list"))
    assert review in waiting.content.decode()
    approved = client_for(lead).post(review, {"action": "approve"})
    assert approved.status_code == 302
    activity.refresh_from_db()
    assert activity.wijk == there
    entry = AccessLogEntry.objects.get(event="approve")
    assert (entry.user_id, entry.objects_touched) == (
        lead.pk,
        [object_ref(activity), object_ref(move)],
    )
    # Now the activity belongs to the destination's teams, and no longer to the old one.
    assert client_for(outsider).get(participants).status_code == 200
    edit = reverse("activities:edit", args=[activity.pk])
    assert client_for(professional).get(edit).status_code == 404
    assert client_for(lead).post(review, {"action": "approve"}).status_code == 404


def test_a_rejected_move_leaves_the_activity_where_it_was(
    professional, make_user, client_for, team, other_team
) -> None:
    activity = ActivityFactory(wijk=team.wijken.get())
    client_for(professional).post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(team, wijk=str(other_team.wijken.get().pk)),
    )
    move = ActivityMove.objects.get()
    lead = make_user(Role.TEAM_LEAD, teams=[other_team])
    response = client_for(lead).post(
        reverse("activities:move_review", args=[move.pk]), {"action": "reject"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    move.refresh_from_db()
    assert (activity.wijk, move.status, move.decided_by) == (team.wijken.get(), "rejected", lead)
    assert AccessLogEntry.objects.filter(event="reject", user_id=lead.pk).count() == 1


def test_the_one_who_asks_for_a_move_does_not_approve_it(
    make_user, client_for, team, other_team
) -> None:
    lead_of_both = make_user(Role.TEAM_LEAD, teams=[team, other_team])
    activity = ActivityFactory(wijk=team.wijken.get())
    client_for(lead_of_both).post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(team, wijk=str(other_team.wijken.get().pk)),
    )
    move = ActivityMove.objects.get()
    review = reverse("activities:move_review", args=[move.pk])
    client = client_for(lead_of_both)
    assert review not in client.get(reverse("activities:move_list")).content.decode()
    assert client.post(review, {"action": "approve"}).status_code == 404
    activity.refresh_from_db()
    assert activity.wijk == team.wijken.get()


def test_a_second_move_waits_until_the_first_is_decided(
    professional, client_for, team, other_team
) -> None:
    activity = ActivityFactory(wijk=team.wijken.get())
    edit = reverse("activities:edit", args=[activity.pk])
    client = client_for(professional)
    client.post(edit, form_data(team, wijk=str(other_team.wijken.get().pk)))
    third = Wijk.objects.filter(source_year=wijk_newest_year()).exclude(
        code__in=[team.wijken.get().code, other_team.wijken.get().code]
    )
    response = client.post(edit, form_data(team, wijk=str(third.order_by("code").first().pk)))
    assert response.status_code == 200
    assert "Er wacht al een verhuizing naar een andere wijk op goedkeuring." in (
        response.content.decode()
    )
    assert ActivityMove.objects.count() == 1
