"""Rate limiting per client address: a brake on abuse that a resident does not notice. Counted
in the database (so it holds across processes), with the address stored only as a keyed hash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from wijk.portal.models import SubmissionThrottle
from wijk.portal.services import SUBMISSION_LIMIT, SUBMISSION_WINDOW, address_hash
from wijk.portal.tests.conftest import FORM_URL, events, form_data
from wijk.requests.models import HelpRequest

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


@pytest.fixture
def resident_client() -> Client:
    return Client(REMOTE_ADDR=ADDRESS)


def send(client: Client, **overrides):
    return client.post(FORM_URL, form_data(client, **overrides))


def fill_up(client: Client) -> list[dict]:
    """Send as many different forms as the limit allows; return what was sent."""
    sent = []
    for number in range(SUBMISSION_LIMIT):
        data = form_data(client, question=f"Vraag nummer {number}")
        assert client.post(FORM_URL, data).status_code == 302
        sent.append(data)
    return sent


def test_over_the_limit_the_form_is_refused_with_429_and_a_phone_number(
    resident_client, intake_team, audit
) -> None:
    fill_up(resident_client)
    data = form_data(resident_client, question="Nog een vraag")
    response = resident_client.post(FORM_URL, data)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Uw aanvraag is niet verstuurd" in html
    assert f"Probeer het over {SUBMISSION_WINDOW.seconds // 60} minuten opnieuw." in html
    assert "Bel ons dan:" in html and 'href="tel:' in html
    assert "Nog een vraag" in html  # nothing typed is lost
    assert "no-store" in response["Cache-Control"]
    assert HelpRequest.objects.count() == SUBMISSION_LIMIT
    assert SubmissionThrottle.objects.count() == SUBMISSION_LIMIT
    assert "public_request_throttled" in events(audit)


def test_a_resend_of_a_form_already_counted_passes_at_the_limit(resident_client, intake_team):
    sent = fill_up(resident_client)
    assert resident_client.post(FORM_URL, sent[-1]).status_code == 302
    assert HelpRequest.objects.count() == SUBMISSION_LIMIT


def test_the_limit_is_per_address(resident_client, intake_team) -> None:
    fill_up(resident_client)
    assert send(Client(REMOTE_ADDR="198.51.100.20")).status_code == 302


def test_after_the_window_the_address_may_send_again(resident_client, intake_team) -> None:
    fill_up(resident_client)
    assert send(resident_client).status_code == 429
    for row in SubmissionThrottle.objects.all():  # as if the window has passed
        row.at -= SUBMISSION_WINDOW + timedelta(seconds=1)
        row.save()
    assert send(resident_client).status_code == 302
    assert SubmissionThrottle.objects.count() == 1  # the old rows were pruned


def test_invalid_forms_and_honeypot_hits_do_not_count(resident_client, intake_team) -> None:
    for _attempt in range(SUBMISSION_LIMIT + 1):
        assert send(resident_client, name="").status_code == 200
        assert send(resident_client, website="spam").status_code == 302
    assert not SubmissionThrottle.objects.exists()
    assert send(resident_client).status_code == 302


def test_no_raw_address_is_stored(resident_client, intake_team) -> None:
    send(resident_client)
    row = SubmissionThrottle.objects.get()
    assert row.address_hash == address_hash(ADDRESS)
    assert len(row.address_hash) == 64
    assert ADDRESS not in str(vars(row))
    assert address_hash(ADDRESS) != address_hash("203.0.113.8")
