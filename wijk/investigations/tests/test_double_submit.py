"""The investigation's forms sent twice (a double click, a browser that sends the POST again):
one start, one finish, one own view of the resident, one report letter; the second sending
leads to the investigation with the message that says so (wijk.core.submissions, ADR 0043)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.tests.sent_forms import submission_key
from wijk.investigations.models import Investigation, OwnView
from wijk.investigations.tests.conftest import edit, finish, start
from wijk.letters.models import Letter, LetterKind

pytestmark = pytest.mark.django_db

ALREADY_SENT = "U had dit formulier al verstuurd. Het is één keer opgeslagen."


def _led_there_with_the_message(client, response, url: str) -> None:
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == url
    assert ALREADY_SENT in client.get(url).content.decode()


def test_starting_twice_starts_one_and_says_so(professional, help_request, client_for) -> None:
    client = client_for(professional)
    url = reverse("investigations:for_request", args=[help_request.pk])
    data = {"submission_key": submission_key(client.get(url))}

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    investigation = Investigation.objects.get(help_request=help_request)
    _led_there_with_the_message(
        client, second, reverse("investigations:detail", args=[investigation.pk])
    )


def test_finishing_twice_finishes_once_and_says_so(professional, help_request, client_for) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    edit(client, investigation)
    url = reverse("investigations:finish", args=[investigation.pk])
    data = {"submission_key": submission_key(client.get(url))}

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(
        client, second, reverse("investigations:detail", args=[investigation.pk])
    )
    investigation.refresh_from_db()
    assert investigation.completed_by == professional


def test_the_residents_own_view_sent_twice_is_added_once(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    edit(client, investigation)
    finish(client, investigation)
    url = reverse("investigations:own_view", args=[investigation.pk])
    data = {
        "submission_key": submission_key(client.get(url)),
        "text": "Ik wil liever hulp op maandag dan op zaterdag.",
        "given_on": timezone.localdate().isoformat(),
    }

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(
        client, second, reverse("investigations:detail", args=[investigation.pk])
    )
    assert OwnView.objects.filter(investigation=investigation).count() == 1

    # The form shown again has a new key: the resident's next view is added beside it.
    again = {**data, "submission_key": submission_key(client.get(url))}
    assert client.post(url, again).status_code == 302
    assert OwnView.objects.filter(investigation=investigation).count() == 2


def test_the_report_button_pressed_twice_makes_one_letter(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    edit(client, investigation)
    finish(client, investigation)
    url = reverse("investigations:report", args=[investigation.pk])
    data = {"submission_key": submission_key(client.get(url))}

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(
        client, second, reverse("investigations:detail", args=[investigation.pk])
    )
    assert Letter.objects.filter(kind=LetterKind.INVESTIGATION_REPORT).count() == 1
