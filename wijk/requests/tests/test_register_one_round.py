"""The request form says everything that is wrong in one round: the service's rules (a
moment in the future, who asked and how to reach them) beside the fields' own errors."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.requests.models import HelpRequest
from wijk.requests.tests.conftest import code
from wijk.requests.tests.test_register import form_data

pytestmark = pytest.mark.django_db


def test_a_missing_question_and_a_future_moment_in_one_round(professional, client_for) -> None:
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = client_for(professional).post(
        reverse("requests:register"),
        form_data(
            code("channels", "phone"),
            question="",
            requested_by="relative",
            received_at=later.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    summary = page.split("wijk-error-summary", 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_question">Beschrijf kort waar de hulp voor is.</a>' in summary
    assert 'href="#id_received_at">Dit moment ligt in de toekomst.</a>' in summary
    assert 'href="#id_requester_name">Kies een inwoner, of vul de naam in' in summary
    assert 'href="#id_requester_phone">Vul een telefoonnummer of e-mailadres in' in summary
    assert not HelpRequest.objects.exists()


def test_no_contact_rule_beside_a_wrong_email(professional, client_for) -> None:
    """A wrong e-mail address has its own message; "fill in a phone or e-mail" would
    contradict it."""
    response = client_for(professional).post(
        reverse("requests:register"),
        form_data(code("channels", "phone"), requester_name="Jansen", requester_email="jansen@"),
    )
    page = html.unescape(response.content.decode())
    assert 'Vul bij "E-mailadres van wie de vraag stelt" een e-mailadres in' in page
    assert "Vul een telefoonnummer of e-mailadres in" not in page
