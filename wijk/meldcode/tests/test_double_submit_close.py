"""Closing a meldcode case sent twice (a double click, a browser that sends the POST again):
closed once, and the second sending leads to the case with the message that says so instead
of the 404 of the closing page of a closed case (wijk.core.submissions, ADR 0043)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.core.tests.sent_forms import submission_key
from wijk.meldcode.workflow import MeldcodeStatus

pytestmark = pytest.mark.django_db

ALREADY_SENT = "U had dit formulier al verstuurd. Het is één keer opgeslagen."


def test_closing_a_case_twice_closes_it_once_and_leads_to_it(case, client_for, coordinator) -> None:
    client = client_for(coordinator)
    url = reverse("meldcode:close", args=[case.pk])
    data = {"submission_key": submission_key(client.get(url)), "reason": "Geen vermoeden meer."}

    first = client.post(url, data)
    second = client.post(url, data)

    detail = reverse("meldcode:detail", args=[case.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail
    assert ALREADY_SENT in client.get(detail).content.decode()
    case.refresh_from_db()
    assert case.status == MeldcodeStatus.CLOSED
    assert case.status_changes.filter(status=MeldcodeStatus.CLOSED).count() == 1


def test_a_closed_case_is_not_found_by_a_new_closing_form_or_by_a_colleague(
    case, client_for, coordinator, colleague
) -> None:
    """Only the user's own sending leads on: another closing form, or the same key sent by
    someone who does not lead the case, is the 404 it always was."""
    client = client_for(coordinator)
    url = reverse("meldcode:close", args=[case.pk])
    keys = [submission_key(client.get(url)), submission_key(client.get(url))]
    assert client.post(url, {"submission_key": keys[0], "reason": "Klaar."}).status_code == 302

    assert client.post(url, {"submission_key": keys[1], "reason": "Klaar."}).status_code == 404
    replayed = client_for(colleague).post(url, {"submission_key": keys[0], "reason": "Klaar."})
    assert replayed.status_code == 404
