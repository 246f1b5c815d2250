"""Recording a session of an activity with its attendance, counted without names, and
correcting it afterwards through its own form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.activities.models import ActivitySession, Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory
from wijk.core.models import AccessLogEntry
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def activity():
    return ActivityFactory()


def post(client, activity, **overrides):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "attendance_total": "14",
        "attendance_youth": "5",
    }
    data.update(overrides)
    return client.post(reverse("activities:session_create", args=[activity.pk]), data)


def test_a_session_is_recorded_with_its_attendance(professional, client_for, activity) -> None:
    response = post(client_for(professional), activity)
    session = ActivitySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("activities:detail", args=[activity.pk]) + f"?jaar={session.held_on.year}"
    )
    assert (session.attendance_total, session.attendance_youth) == (14, 5)
    assert session.registered_by == professional
    assert not AccessLogEntry.objects.exists()  # counted, nobody registered


def test_the_form_starts_at_today_with_no_young_people(professional, client_for, activity):
    form = (
        client_for(professional)
        .get(reverse("activities:session_create", args=[activity.pk]))
        .context["form"]
    )
    assert form["held_on"].value() == timezone.localdate()
    assert form["attendance_youth"].value() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"attendance_youth": "15"},
            "attendance_youth",
            "Er kunnen niet meer jongeren zijn dan deelnemers in totaal.",
        ),
        (
            {"held_on": "2999-01-01"},
            "held_on",
            "De datum ligt in de toekomst. Registreer een bijeenkomst als die geweest is.",
        ),
        (
            {"attendance_total": "-1"},
            "attendance_total",
            "Het aantal deelnemers kan niet negatief zijn.",
        ),
        ({"attendance_total": ""}, "attendance_total", "Vul het aantal deelnemers in."),
    ],
)
def test_invalid_attendance_gets_a_dutch_message(
    professional, client_for, activity, overrides, field, message
) -> None:
    response = post(client_for(professional), activity, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not ActivitySession.objects.exists()


def test_one_session_per_activity_a_day(professional, client_for, activity) -> None:
    day = timezone.localdate() - datetime.timedelta(days=2)
    ActivitySessionFactory(activity=activity, held_on=day)
    response = post(client_for(professional), activity, held_on=day.isoformat())
    assert response.context["form"].errors["held_on"] == [
        "Er is al een bijeenkomst van deze activiteit op deze datum."
    ]
    assert ActivitySession.objects.count() == 1
    other = ActivityFactory()
    assert post(client_for(professional), other, held_on=day.isoformat()).status_code == 302


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_only_professionals_and_team_leads_record_sessions(
    make_user, client_for, team, activity, role
) -> None:
    response = post(client_for(make_user(role, teams=[team])), activity)
    assert response.status_code == 404
    assert not ActivitySession.objects.exists()


# --- correcting a recorded session ----------------------------------------------------------


@pytest.fixture
def recorded(activity):
    return ActivitySessionFactory(
        activity=activity,
        held_on=timezone.localdate() - datetime.timedelta(days=7),
        attendance_total=10,
        attendance_youth=3,
    )


def edit_url(session) -> str:
    return reverse("activities:session_edit", args=[session.pk])


def edit(client, session, **overrides):
    data = {
        "held_on": session.held_on.isoformat(),
        "attendance_total": str(session.attendance_total),
        "attendance_youth": str(session.attendance_youth),
    }
    data.update(overrides)
    return client.post(edit_url(session), data)


def as_saved(session) -> tuple[datetime.date, int, int]:
    session.refresh_from_db()
    return session.held_on, session.attendance_total, session.attendance_youth


def test_the_activity_page_links_each_session_to_its_edit_form(
    professional, client_for, recorded
) -> None:
    client = client_for(professional)
    detail = client.get(reverse("activities:detail", args=[recorded.activity.pk]))
    assert f'href="{edit_url(recorded)}"' in detail.content.decode()
    form = client.get(edit_url(recorded)).context["form"]
    assert form["held_on"].value() == recorded.held_on
    assert form["attendance_total"].value() == 10
    assert form["attendance_youth"].value() == 3


def test_a_session_is_corrected_through_its_form(professional, client_for, recorded) -> None:
    day = timezone.localdate() - datetime.timedelta(days=8)
    client = client_for(professional)
    response = edit(
        client,
        recorded,
        held_on=day.isoformat(),
        attendance_total="16",
        attendance_youth="16",
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("activities:detail", args=[recorded.activity.pk]) + f"?jaar={day.year}"
    )
    assert as_saved(recorded) == (day, 16, 16)
    assert ActivitySession.objects.count() == 1
    assert not AccessLogEntry.objects.exists()  # counted, nobody named
    page = client.get(response["Location"])
    assert "De bijeenkomst is opgeslagen." in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"attendance_youth": "21"},
            "attendance_youth",
            "Er kunnen niet meer jongeren zijn dan deelnemers in totaal.",
        ),
        (
            {"attendance_total": "2"},
            "attendance_youth",
            "Er kunnen niet meer jongeren zijn dan deelnemers in totaal.",
        ),
        (
            {"held_on": "2999-01-01"},
            "held_on",
            "De datum ligt in de toekomst. Registreer een bijeenkomst als die geweest is.",
        ),
        (
            {"attendance_total": "-1"},
            "attendance_total",
            "Het aantal deelnemers kan niet negatief zijn.",
        ),
        (
            {"attendance_youth": "-1"},
            "attendance_youth",
            "Het aantal jongeren kan niet negatief zijn.",
        ),
        ({"attendance_total": ""}, "attendance_total", "Vul het aantal deelnemers in."),
        ({"held_on": ""}, "held_on", "Vul de datum in."),
    ],
)
def test_an_invalid_correction_gets_a_dutch_message_and_saves_nothing(
    professional, client_for, recorded, overrides, field, message
) -> None:
    before = as_saved(recorded)
    other_day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    # Every other field changed as well: none of it may be saved.
    changes = {"held_on": other_day, "attendance_total": "20", "attendance_youth": "4"}
    response = edit(client_for(professional), recorded, **{**changes, **overrides})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert as_saved(recorded) == before


def test_a_session_cannot_move_onto_another_session_of_its_activity(
    professional, client_for, recorded, activity
) -> None:
    taken = ActivitySessionFactory(
        activity=activity, held_on=recorded.held_on - datetime.timedelta(days=7)
    )
    before = as_saved(recorded)
    response = edit(
        client_for(professional), recorded, held_on=taken.held_on.isoformat(), attendance_total="9"
    )
    assert response.context["form"].errors["held_on"] == [
        "Er is al een bijeenkomst van deze activiteit op deze datum."
    ]
    assert as_saved(recorded) == before


def test_moving_a_session_with_named_participants_is_in_the_access_log(
    professional, client_for, team
) -> None:
    activity = ActivityFactory(wijk=team.wijken.get(), registers_participants=True)
    session = ActivitySessionFactory(
        activity=activity, held_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    residents = [HouseholdMembershipFactory().resident for _n in range(2)]
    participations = [Participation.objects.create(session=session, resident=r) for r in residents]
    client = client_for(professional)

    edit(client, session, attendance_total="12")  # the counts only: nobody's data changes
    assert not AccessLogEntry.objects.exists()

    day = session.held_on - datetime.timedelta(days=1)
    assert edit(client, session, held_on=day.isoformat()).status_code == 302
    entry = AccessLogEntry.objects.get()
    assert (entry.event, entry.user_id, entry.resident_id) == ("update", professional.pk, None)
    assert entry.objects_touched == [
        f"activities.activitysession:{session.pk}",
        *(
            ref
            for p in participations
            for ref in (f"activities.participation:{p.pk}", f"residents.resident:{p.resident_id}")
        ),
    ]


def test_an_unknown_session_is_not_found(professional, client_for) -> None:
    response = client_for(professional).get(reverse("activities:session_edit", args=[987654]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_only_professionals_and_team_leads_correct_sessions(
    make_user, client_for, team, recorded, role
) -> None:
    before = as_saved(recorded)
    response = edit(client_for(make_user(role, teams=[team])), recorded, attendance_total="99")
    assert response.status_code == 404
    assert as_saved(recorded) == before
