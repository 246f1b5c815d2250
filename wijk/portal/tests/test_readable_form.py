"""The public form says what it needs, and what it gives back can be read aloud: one of phone
and e-mail is needed (neither is "niet verplicht"), the error summary takes the focus, the
reference has no look-alike characters and comes in groups, and the name in the header leads
back to the form, not to the staff login."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wijk.portal.tests.conftest import FORM_URL, RECEIVED_URL, form_data
from wijk.requests.models import HelpRequest
from wijk.requests.services import reference_new

pytestmark = pytest.mark.django_db

READABLE = re.compile(r"HV-[34679ACEFGHKMNPRTWXY]{4}-[34679ACEFGHKMNPRTWXY]{4}")
CONTACT_FIELDSET = re.compile(
    r'<fieldset[^>]*aria-describedby="uitleg-bereiken">.*?</fieldset>', re.S
)


def test_phone_and_email_are_one_question_that_needs_one_answer(client) -> None:
    html = client.get(FORM_URL).content.decode()
    fieldset = CONTACT_FIELDSET.search(html)
    assert fieldset is not None
    assert (
        '<legend class="utrecht-form-fieldset__legend utrecht-form-label">'
        "Hoe kunnen wij u bereiken? Vul telefoon of e-mail in, of allebei</legend>"
    ) in fieldset.group(0)
    assert "Telefoonnummer" in fieldset.group(0) and "E-mailadres" in fieldset.group(0)
    assert "niet verplicht" not in fieldset.group(0)
    # the questions that may really be left empty still say so
    address = html[html.index('id="uitleg-adres"') :]
    assert 'Postcode <span class="wijk-optional">(niet verplicht)</span>' in address


def test_the_error_summary_takes_the_focus(client, intake_team) -> None:
    response = client.post(FORM_URL, form_data(client, phone="", email=""))
    html = response.content.decode()
    summary = re.search(r'<div class="utrecht-alert[^"]*wijk-error-summary"[^>]*>', html)
    assert summary is not None
    assert 'tabindex="-1"' in summary.group(0) and "autofocus" in summary.group(0)
    assert html.count("autofocus") == 1  # nothing else competes for the focus
    assert 'href="#id_phone">Vul uw telefoonnummer of uw e-mailadres in.' in html


def test_a_new_reference_can_be_read_aloud_and_written_down(client, intake_team) -> None:
    client.post(FORM_URL, form_data(client))
    reference = HelpRequest.objects.get().reference
    assert READABLE.fullmatch(reference)
    html = client.get(RECEIVED_URL).content.decode()
    assert f'id="kenmerk">{reference}</p>' in html
    drawn = {reference_new() for _n in range(300)}
    assert all(READABLE.fullmatch(value) for value in drawn)
    assert not set("".join(drawn)) & set("0O1ILQDJ2Z5S8BUV") - set("HV")
    assert len(drawn) == 300


def test_the_header_name_leads_residents_to_the_form(client, intake_team) -> None:
    staff_home = reverse("core:home")
    for html in (
        client.get(FORM_URL).content.decode(),
        client.post(FORM_URL, form_data(client, phone="")).content.decode(),
    ):
        name = re.search(r'<a class="utrecht-link wijk-header__name" href="([^"]+)"', html)
        assert name is not None and name.group(1) == FORM_URL
        assert f'href="{staff_home}"' not in html
    client.post(FORM_URL, form_data(client))
    receipt = client.get(RECEIVED_URL).content.decode()
    assert f'wijk-header__name" href="{FORM_URL}"' in receipt
    assert f'href="{staff_home}"' not in receipt
