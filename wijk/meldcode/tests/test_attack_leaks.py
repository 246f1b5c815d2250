"""Attacks on the meldcode's few-readers rule (reviewer R1, ADR 0039): that a resident is in
a meldcode at all must not reach the application log, and a case must not show anywhere a
colleague of the team looks."""

from __future__ import annotations

import pytest
import structlog
from django.urls import reverse
from structlog.testing import capture_logs

from wijk.meldcode import services
from wijk.meldcode.tests.conftest import open_case

pytestmark = pytest.mark.django_db


def test_opening_a_case_puts_no_resident_in_the_application_log(
    coordinator, resident, team, client_for, monkeypatch
) -> None:
    """structlog lines go to a log far more people read than the access log: a line that
    ties a resident to a meldcode case would tell them the resident is in one."""
    with capture_logs() as events:
        # The settings cache a logger on its first use, after which capture_logs cannot see
        # it: a logger first used here writes to the capture (the module's own is restored).
        monkeypatch.setattr(services, "log", structlog.get_logger(services.__name__))
        case = open_case(client_for(coordinator), resident, team)

    meldcode_events = [event for event in events if "meldcode" in event["event"]]
    assert meldcode_events
    for event in meldcode_events:
        assert "resident_id" not in event, event
    assert case is not None


def test_a_colleague_finds_no_trace_of_the_case_on_the_file_timeline_worklist_or_search(
    coordinator, colleague, resident, team, client_for
) -> None:
    case = open_case(client_for(coordinator), resident, team)
    client = client_for(colleague)
    pages = [
        client.get(reverse("residents:detail", args=[resident.pk])),
        client.get(reverse("meldcode:resident", args=[resident.pk])),
        client.get("/werk/"),
        client.get("/werk/team"),
    ]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert reverse("meldcode:detail", args=[case.pk]) not in body
    assert client.get(reverse("meldcode:detail", args=[case.pk])).status_code == 404
