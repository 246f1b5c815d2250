"""Many residents at once, through a real HTTP server (pytest-django's live server, one thread
per request) and plain urllib: every different form is stored exactly once, none is lost, and
one form sent at the same moment over several connections is still one request."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from wijk.core.audit import access_log_verify
from wijk.core.models import AccessLogEntry
from wijk.portal.models import SubmissionThrottle
from wijk.portal.tests.browserless import Answer, Browser
from wijk.portal.tests.conftest import RECEIVED_URL
from wijk.requests.models import HelpRequest, RequestStatusChange

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESIDENTS = 20
SAME_FORM_CONNECTIONS = 8


def answers(number: int) -> dict[str, str]:
    return {
        "question": f"Ik zoek hulp, aanvraag nummer {number}.",
        "for_whom": "self",
        "name": f"Inwoner {number}",
        "phone": f"06{number:08d}",
        "website": "",
    }


@pytest.fixture
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """All requests come from 127.0.0.1 here; the limit has its own tests."""
    monkeypatch.setattr("wijk.portal.services.SUBMISSION_LIMIT", 10_000)


def test_many_different_forms_at_once_are_all_stored_once(
    live_server, intake_team, no_rate_limit
) -> None:
    browsers = [Browser(live_server.url) for _ in range(RESIDENTS)]
    forms = [browser.open_form() | answers(n) for n, browser in enumerate(browsers)]
    start = threading.Barrier(RESIDENTS)

    def send(number: int) -> Answer:
        start.wait()
        return browsers[number].send(forms[number])

    with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
        results = list(pool.map(send, range(RESIDENTS)))

    assert [r.status for r in results] == [302] * RESIDENTS
    assert {r.location for r in results} == {RECEIVED_URL}
    stored = HelpRequest.objects.all()
    assert stored.count() == RESIDENTS
    assert sorted(stored.values_list("requester_name", flat=True)) == sorted(
        f"Inwoner {n}" for n in range(RESIDENTS)
    )
    assert len({r.reference for r in results}) == RESIDENTS
    assert RequestStatusChange.objects.count() == RESIDENTS
    assert SubmissionThrottle.objects.count() == RESIDENTS
    assert AccessLogEntry.objects.filter(event="create").count() == RESIDENTS
    assert access_log_verify().ok  # the hash chain stayed whole under concurrent writers


def test_one_form_sent_over_many_connections_at_once_is_one_request(
    live_server, intake_team, no_rate_limit
) -> None:
    browser = Browser(live_server.url)
    form = browser.open_form() | answers(1)
    start = threading.Barrier(SAME_FORM_CONNECTIONS)

    def send(_number: int) -> Answer:
        start.wait()
        return browser.send(form)

    with ThreadPoolExecutor(max_workers=SAME_FORM_CONNECTIONS) as pool:
        results = list(pool.map(send, range(SAME_FORM_CONNECTIONS)))

    assert [r.status for r in results] == [302] * SAME_FORM_CONNECTIONS
    help_request = HelpRequest.objects.get()
    assert {r.reference for r in results} == {help_request.reference}
    assert RequestStatusChange.objects.count() == 1
    assert SubmissionThrottle.objects.count() == 1
    assert AccessLogEntry.objects.filter(event="create").count() == 1
