"""Unfinished investigations on the one worklist, due on the request's six weeks; and
investigations on the resident's case-file timeline. Both in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.investigations.tests.conftest import edit, finish, receive, start
from wijk.investigations.tests.worklist_rows import make_rows
from wijk.investigations.worklist import investigation_work
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db


def _row_of(body: str, url: str) -> str:
    start_at = body.index(f'href="{url}"')
    return body[body.rindex("<tr", 0, start_at) : body.index("</tr>", start_at)]


def test_an_unfinished_investigation_is_on_my_work_until_finished(
    professional, colleague, outsider, resident, team, client_for
) -> None:
    # Received on Christmas Eve 2025: six weeks is Wednesday 4 February 2026, holidays or not.
    received_at = datetime.datetime(2025, 12, 24, 10, tzinfo=datetime.UTC)
    help_request = receive(
        resident=resident, team=team, assigned_to=professional, received_at=received_at
    )
    assert help_request.investigation_due == datetime.date(2026, 2, 4)
    client = client_for(professional)
    investigation = start(client, help_request)
    url = reverse("investigations:detail", args=[investigation.pk])

    mine = client.get(reverse("core:work"), {"soort": "investigation"}).content.decode()
    row = _row_of(mine, url)
    assert f"Onderzoek bij hulpvraag {help_request.reference} afronden" in row
    assert "Anna Jansen" in row
    assert '<time datetime="2026-02-04">' in row
    # The team's work for a colleague; another team never.
    team_page = client_for(colleague).get(reverse("core:team_work")).content.decode()
    assert f'href="{url}"' in team_page
    assert f'href="{url}"' not in client_for(colleague).get(reverse("core:work")).content.decode()
    outside = client_for(outsider).get(reverse("core:team_work")).content.decode()
    assert f'href="{url}"' not in outside

    edit(client, investigation)
    finish(client, investigation)

    assert f'href="{url}"' not in client.get(reverse("core:work")).content.decode()


@pytest.mark.parametrize("scope", ["mine", "team"])
def test_the_worklist_part_reads_in_fixed_queries_whatever_the_rows(
    scope, professional, team, django_assert_num_queries
) -> None:
    """Its list query and its access-log entry (two statements: lock the chain's head; move
    it and insert), for 2 rows as for 12; the team's list reads its candidates first
    (core.rows.capped_rows), one query more."""
    user = verified(professional)
    today = timezone.localdate()
    queries = 3 if scope == "mine" else 4
    make_rows(user=user, team=team, today=today, count=2)
    with django_assert_num_queries(queries):
        few = investigation_work(user=user, scope=scope, today=today, limit=200)
    make_rows(user=user, team=team, today=today, count=10)
    with django_assert_num_queries(queries):
        many = investigation_work(user=user, scope=scope, today=today, limit=200)

    assert (len(few.items), len(many.items)) == (2, 12)
    assert [item.due for item in many.items] == sorted(item.due for item in many.items)
    entry = AccessLogEntry.objects.filter(user_id=user.pk, event=AccessEvent.SEARCH).last()
    assert len([ref for ref in entry.objects_touched if ref.startswith("investigations.")]) == 12


def test_the_case_file_shows_the_investigation(professional, help_request, resident, client_for):
    client = client_for(professional)
    investigation = start(client, help_request)

    page = client.get(reverse("residents:detail", args=[resident.pk]), {"soort": "investigation"})

    body = page.content.decode()
    assert f"Onderzoek bij hulpvraag {help_request.reference} gestart" in body
    assert reverse("investigations:detail", args=[investigation.pk]) in body
    assert "Nog niet afgerond" in body
