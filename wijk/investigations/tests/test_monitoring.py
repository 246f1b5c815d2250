"""The six weeks counted in monitoring like the other deadlines: on time when the investigation
was finished on or before the request's `investigation_due`; aggregates only."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.accounts.tests.factories import UserFactory
from wijk.investigations.models import Investigation
from wijk.monitoring.selectors import DeadlineCounts, deadline_compliance
from wijk.monitoring.tests.factories import HelpRequestFactory
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.workflow import Outcome, RequestStatus
from wijk.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2025, 3, 14)
DAY = datetime.date(2025, 1, 6)  # received on Monday 6 January 2025
DUE = DAY + datetime.timedelta(days=42)  # Monday 17 February


def request(team, *, due=DUE, closed_on=None):
    fields = {}
    if closed_on is not None:
        fields = {
            "status": RequestStatus.CLOSED,
            "outcome": Outcome.WITHDRAWN,
            "outcome_at": datetime.datetime.combine(closed_on, datetime.time(12), AMSTERDAM),
        }
    return HelpRequestFactory(
        team=team,
        resident=ResidentFactory(),
        received_at=datetime.datetime.combine(DAY, datetime.time(10), AMSTERDAM),
        investigation_due=due,
        **fields,
    )


def investigate(help_request, *, completed_on=None) -> Investigation:
    by = UserFactory(role=Role.PROFESSIONAL)
    done = {}
    if completed_on is not None:
        done = {
            "conversation_on": completed_on,
            "conversation_place": "home",
            "underlying_question": "Weer zelf boodschappen doen.",
            "completed_on": completed_on,
            "completed_by": by,
        }
    return Investigation.objects.create(
        help_request=help_request,
        resident=help_request.resident,
        started_by=by,
        updated_by=by,
        **done,
    )


def test_investigation_on_time_late_and_not_judged() -> None:
    team = TeamFactory()
    investigate(request(team), completed_on=DUE)  # met: on the last day
    investigate(request(team), completed_on=DUE + datetime.timedelta(days=1))  # not met
    investigate(request(team))  # not met: open, the six weeks have passed
    investigate(request(team, closed_on=DUE + datetime.timedelta(days=3)))  # not met
    investigate(request(team, due=TODAY))  # not judged: due today
    investigate(request(team, closed_on=DUE))  # not judged: closed within the six weeks
    request(team)  # not judged: short advice, no investigation

    rows = deadline_compliance(months=3, today=TODAY)

    assert len(rows) == 1
    assert rows[0].received == 7
    assert rows[0].investigation == DeadlineCounts(met=1, not_met=3, not_judged=3)


def test_the_deadlines_page_shows_the_investigation_share(make_user, client_for) -> None:
    team = TeamFactory()
    today = timezone.localdate()
    received = today - datetime.timedelta(days=60)
    due = received + datetime.timedelta(days=42)
    for completed_on in (due, due, due + datetime.timedelta(days=2)):
        investigate(
            HelpRequestFactory(
                team=team,
                resident=ResidentFactory(),
                received_at=datetime.datetime.combine(received, datetime.time(10), AMSTERDAM),
            ),
            completed_on=completed_on,
        )

    html = (
        client_for(make_user(Role.MANAGEMENT))
        .get(reverse("monitoring:compliance"))
        .content.decode()
    )

    assert "Onderzoek (6 weken)" in html
    assert "Onderzoek op tijd: 67% (2 van de 3 onderzoeken die we al kunnen beoordelen)." in html
