"""The resident's page is their case file: the resident, their household, their requests and
their trajectories, each read through its own selector before the page renders, with a
query count that does not grow with the number of records."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.services import trajectory_start
from wijk.trajectories.tests.conftest import code, verified

pytestmark = pytest.mark.django_db

# Session and user, the menu, the resident with household, and per part its rows and its
# access-log entry: pinned, so that a query per record (N+1) cannot creep in.
CASE_FILE_QUERIES = 11


@pytest.fixture
def professional(make_user, team):
    return verified(make_user(Role.PROFESSIONAL, teams=[team]))


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk."""
    return HouseholdMembershipFactory().resident


def _start(*, actor, resident, team, days_ago: int):
    return trajectory_start(
        actor=actor,
        resident=resident,
        part="sociaal_wijkteam",
        inflow_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        inflow_reason=code("inflow_reasons", "own_request"),
        primary_life_domain=code("life_domains", "finances"),
        life_domains=[],
        coordinator=actor,
        team=team,
        youth_support=False,
    )


def _page(client, resident) -> str:
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_case_file_lists_the_residents_requests_newest_first_with_links(
    professional, client_for, team, resident
) -> None:
    older = HelpRequestFactory(
        team=team,
        resident=resident,
        question="Vraag over de huur",
        received_at=timezone.now() - datetime.timedelta(days=20),
    )
    newer = HelpRequestFactory(team=team, resident=resident, question="Vraag over school")
    other = HelpRequestFactory(team=team, question="Vraag van iemand anders")
    body = _page(client_for(professional), resident)
    assert reverse("requests:detail", args=[newer.pk]) in body
    assert reverse("requests:detail", args=[older.pk]) in body
    assert body.index(newer.reference) < body.index(older.reference)
    assert other.reference not in body
    assert "Vraag van iemand anders" not in body


def test_case_file_shows_no_request_of_a_team_the_user_is_not_in(
    professional, client_for, resident
) -> None:
    elsewhere = TeamFactory(name="Wijkteam elders")
    hidden = HelpRequestFactory(team=elsewhere, resident=resident, question="Elders gevraagd")
    body = _page(client_for(professional), resident)
    assert hidden.reference not in body
    assert "Geen hulpvragen die u kunt zien." in body


def test_case_file_lists_the_residents_trajectories_with_links(
    professional, client_for, team, resident
) -> None:
    trajectory = _start(actor=professional, resident=resident, team=team, days_ago=10)
    body = _page(client_for(professional), resident)
    assert reverse("trajectories:detail", args=[trajectory.pk]) in body


def test_case_file_logs_each_part_it_shows(professional, client_for, team, resident) -> None:
    request = HelpRequestFactory(team=team, resident=resident)
    trajectory = _start(actor=professional, resident=resident, team=team, days_ago=10)
    before = AccessLogEntry.objects.count()
    _page(client_for(professional), resident)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    touched = {ref for entry in entries for ref in entry.objects_touched}
    assert f"residents.resident:{resident.pk}" in touched
    assert f"requests.helprequest:{request.pk}" in touched
    assert f"trajectories.trajectory:{trajectory.pk}" in touched
    assert {entry.event for entry in entries} <= {AccessEvent.READ, AccessEvent.SEARCH}
    assert all(entry.user_id == professional.pk for entry in entries)


def test_case_file_query_count_does_not_grow_with_its_records(
    professional, client_for, team, resident
) -> None:
    client = client_for(professional)
    HelpRequestFactory(team=team, resident=resident)
    _start(actor=professional, resident=resident, team=team, days_ago=30)
    _page(client, resident)  # warm the session and the menu
    with CaptureQueriesContext(connection) as few:
        _page(client, resident)
    for days_ago in (20, 10):
        HelpRequestFactory(team=team, resident=resident)
        _start(actor=professional, resident=resident, team=team, days_ago=days_ago)
    with CaptureQueriesContext(connection) as many:
        _page(client, resident)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(few) == CASE_FILE_QUERIES, [q["sql"][:120] for q in few.captured_queries]
