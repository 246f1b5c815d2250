"""Recording a session of an activity with its attendance, counted without names."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.activities.models import ActivitySession
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory
from wijk.core.models import AccessLogEntry

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
