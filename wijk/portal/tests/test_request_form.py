"""The public request form as a resident uses it: the Django test client opens the page and
posts the real form, without logging in."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.organisations.models import Team
from wijk.portal.models import SubmissionThrottle
from wijk.portal.tests.conftest import FORM_URL, POSTCODE, RECEIVED_URL, events, form_data
from wijk.portal.views import RECEIPT_COOKIE
from wijk.requests.models import HelpRequest, RequestStatusChange
from wijk.requests.services import request_receive

pytestmark = pytest.mark.django_db


# No look-alikes (0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V), two groups of four after "HV-".
READABLE_REFERENCE = r"HV-[34679ACEFGHKMNPRTWXY]{4}-[34679ACEFGHKMNPRTWXY]{4}"


def reference_on(html: str) -> str:
    match = re.search(r'<p class="utrecht-heading-1" id="kenmerk">([0-9A-Z-]+)</p>', html)
    assert match, "no reference on the confirmation page"
    return match.group(1)


def test_urls_are_the_public_paths() -> None:
    assert reverse("portal:request_form") == FORM_URL
    assert reverse("portal:request_received") == RECEIVED_URL


def test_form_opens_without_login_and_without_touching_the_database(
    client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        response = client.get(FORM_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert html.count("<h1") == 1
    assert '<form method="post" class="wijk-form" novalidate' in html
    assert 'name="submission_key"' in html
    assert 'class="wijk-honeypot" aria-hidden="true"' in html
    assert re.search(
        r'name="website" id="id_website" value="" tabindex="-1" autocomplete="off"', html
    )
    assert "style=" not in html and "<script>" not in html


def test_each_showing_of_the_form_gets_its_own_submission_key(client) -> None:
    assert form_data(client)["submission_key"] != form_data(client)["submission_key"]


def test_sending_the_form_stores_the_request_for_the_buurts_team(
    client, team, buurt, intake_team, audit
) -> None:
    response = client.post(FORM_URL, form_data(client))
    assert response.status_code == 302
    assert response["Location"] == RECEIVED_URL

    help_request = HelpRequest.objects.get()
    assert help_request.channel.code == "digital_form"
    assert help_request.created_by is None
    assert help_request.requested_by == "self"
    assert help_request.requester_name == "Sanne de Vries"
    assert help_request.requester_phone == "0612345678"
    assert help_request.requester_email == ""
    assert help_request.postcode == POSTCODE
    assert help_request.buurt == buurt
    assert help_request.team == team
    assert help_request.status == "received"
    assert list(RequestStatusChange.objects.values_list("seq", "status", "by")) == [
        (1, "received", None)
    ]
    entry = AccessLogEntry.objects.get()
    assert entry.event == "create" and entry.outcome == "success"
    assert entry.user_id is None and entry.on_behalf_of == "public form"
    assert entry.objects_touched == [f"requests.helprequest:{help_request.pk}"]
    assert entry.access_point == "web 127.0.0.1 portal:request_form"
    assert "public_request_submitted" in events(audit)
    assert all("Sanne" not in repr(call) for call in audit.calls)


def test_confirmation_shows_reference_and_date_and_nothing_personal(
    client, team, buurt, intake_team, django_assert_num_queries
) -> None:
    client.post(FORM_URL, form_data(client, email="sanne@example.org"))
    help_request = HelpRequest.objects.get()
    with django_assert_num_queries(0):
        response = client.get(RECEIVED_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert reference_on(html) == help_request.reference
    assert "Noteer dit nummer." in html
    due = help_request.first_contact_due
    weekdays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    months = "januari februari maart april mei juni juli augustus september oktober november"
    month = [*months.split(), "december"][due.month - 1]
    assert f"We nemen uiterlijk op {weekdays[due.weekday()]} {due.day} {month} contact" in html
    assert "U krijgt geen e-mail van ons; bewaar dit nummer." in html
    for personal in ("Sanne", "Vries", "0612345678", "06 1234 5678", "sanne@example.org", "2012"):
        assert personal not in html
    assert help_request.reference not in response.get("Location", "")


def test_confirmation_without_a_receipt_says_the_page_expired(client) -> None:
    response = client.get(RECEIVED_URL)
    assert response.status_code == 200
    assert "Deze pagina is verlopen" in response.content.decode()


def test_a_forged_receipt_cookie_is_not_shown(client) -> None:
    client.cookies[RECEIPT_COOKIE] = "ABCDEFGH|2030-01-01"
    html = client.get(RECEIVED_URL).content.decode()
    assert "Deze pagina is verlopen" in html
    assert "ABCDEFGH" not in html


@pytest.mark.parametrize("postcode", ["", "9999 ZZ"])
def test_unknown_or_no_postcode_goes_to_the_intake_team(
    client, team, buurt, intake_team, postcode
) -> None:
    response = client.post(FORM_URL, form_data(client, postcode=postcode, house_number=""))
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.team == intake_team
    assert help_request.buurt is None
    assert help_request.postcode == postcode.replace(" ", "")


def test_request_is_on_the_worklist_of_the_routed_team_only(
    client, team, buurt, intake_team, make_user
) -> None:
    client.post(FORM_URL, form_data(client))
    member = make_user(Role.PROFESSIONAL, teams=[team])
    intake_member = make_user(Role.PROFESSIONAL, teams=[intake_team])
    municipality = make_user(Role.MUNICIPALITY, teams=[team])
    for user in (member, intake_member, municipality):
        user.is_verified = lambda: True  # as OTPMiddleware marks a verified request user
    assert HelpRequest.objects.visible_to(member).open().count() == 1
    assert not HelpRequest.objects.visible_to(intake_member).exists()
    assert not HelpRequest.objects.visible_to(municipality).exists()


def test_request_for_someone_else_records_the_relation(client, team, buurt, intake_team) -> None:
    data = form_data(client, for_whom="someone_else", relation="relative", phone="", email="a@b.nl")
    assert client.post(FORM_URL, data).status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.requested_by == "relative"
    assert help_request.requester_email == "a@b.nl"


def test_a_relation_given_for_oneself_is_ignored(client, team, buurt, intake_team) -> None:
    assert client.post(FORM_URL, form_data(client, relation="mentor")).status_code == 302
    assert HelpRequest.objects.get().requested_by == "self"


def test_empty_form_lists_every_error_at_the_top_linking_to_its_field(client) -> None:
    data = form_data(client, question="", name="", phone="", for_whom="")
    response = client.post(FORM_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    summary = html[html.index('role="alert"') : html.index("</ul>")]
    assert re.findall(r'href="#([a-z_0-9]+)"', summary) == [
        "id_question",
        "id_for_whom_0",
        "id_name",
        "id_phone",
    ]
    for message in (
        "Schrijf op waar u hulp bij wilt.",
        "Kies voor wie de hulp is.",
        "Vul uw naam in.",
        "Vul uw telefoonnummer of uw e-mailadres in. Eén van de twee is genoeg.",
    ):
        assert message in summary
    assert "Controleer uw antwoorden" in html
    assert data["submission_key"] in html  # corrected and sent again, it is the same form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "20111", "Vul de postcode in als 1234 AB."),
        ("house_number", "12a", "Vul alleen het nummer in, zonder letter."),
        ("phone", "12345", "Dit telefoonnummer klopt niet."),
        ("email", "geen-adres", "Vul een e-mailadres in als naam@voorbeeld.nl."),
        ("relation", "", "Kies wat u van die persoon bent."),
        ("question", "x" * 2001, "Uw tekst is te lang."),
    ],
)
def test_wrong_answers_get_a_plain_dutch_message_and_nothing_is_stored(
    client, field, value, message
) -> None:
    answers = {"for_whom": "someone_else", "relation": "relative", field: value}
    data = form_data(client, **answers)
    response = client.post(FORM_URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()
    assert not HelpRequest.objects.exists()
    assert not SubmissionThrottle.objects.exists()


def test_email_alone_is_enough_to_be_reached(client, intake_team) -> None:
    data = form_data(client, phone="", email="bewoner@example.org", postcode="")
    assert client.post(FORM_URL, data).status_code == 302
    assert HelpRequest.objects.get().requester_email == "bewoner@example.org"


def test_sending_the_same_form_twice_stores_one_request(client, team, buurt, intake_team) -> None:
    data = form_data(client)
    first = client.post(FORM_URL, data)
    first_receipt = first.cookies[RECEIPT_COOKIE].value
    second = client.post(FORM_URL, data)  # a double click, or a resend after a time-out
    assert first.status_code == second.status_code == 302
    assert HelpRequest.objects.count() == 1
    assert RequestStatusChange.objects.count() == 1
    assert AccessLogEntry.objects.count() == 1
    assert SubmissionThrottle.objects.count() == 1
    reference = HelpRequest.objects.get().reference
    assert first_receipt.startswith(reference) and second.cookies[RECEIPT_COOKIE].value.startswith(
        reference
    )


def test_a_form_without_a_usable_key_is_still_stored(client, intake_team) -> None:
    for key in ("", "not-a-uuid"):
        assert client.post(FORM_URL, form_data(client, submission_key=key)).status_code == 302
    assert HelpRequest.objects.count() == 2


def test_honeypot_answers_like_success_and_stores_nothing(client, intake_team, audit) -> None:
    response = client.post(FORM_URL, form_data(client, website="https://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == RECEIVED_URL
    page = client.get(RECEIVED_URL).content.decode()
    assert re.fullmatch(READABLE_REFERENCE, reference_on(page))
    assert "We nemen uiterlijk op" in page
    assert not HelpRequest.objects.exists()
    assert not AccessLogEntry.objects.exists()
    assert not SubmissionThrottle.objects.exists()
    assert events(audit) == ["public_request_honeypot"]
    assert audit.calls[0].kwargs == {}


def test_database_failure_answers_503_in_dutch_and_stores_nothing(
    client, team, buurt, intake_team, monkeypatch, audit
) -> None:
    def database_gone(**kwargs):
        request_receive(**kwargs)  # written, then the connection breaks before the commit
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("wijk.portal.services.request_receive", database_gone)
    data = form_data(client)
    response = client.post(FORM_URL, data)
    html = response.content.decode()
    assert response.status_code == 503
    assert "Het lukt nu even niet om uw aanvraag te versturen." in html
    assert "023 000 00 00" in html
    assert data["question"] in html  # the answers are kept, to send again later
    assert not HelpRequest.objects.exists()
    assert not RequestStatusChange.objects.exists()
    assert not AccessLogEntry.objects.exists()
    assert not SubmissionThrottle.objects.exists()
    assert "no-store" in response["Cache-Control"]

    monkeypatch.undo()
    assert client.post(FORM_URL, data).status_code == 302  # later, the same form goes through
    assert HelpRequest.objects.count() == 1


def test_without_an_intake_team_the_resident_gets_503_not_an_error_page(client, audit) -> None:
    assert not Team.objects.filter(is_intake=True).exists()
    response = client.post(FORM_URL, form_data(client, postcode=""))
    assert response.status_code == 503
    assert "Het lukt nu even niet" in response.content.decode()
    assert not HelpRequest.objects.exists()
    assert "public_request_not_routable" in events(audit)
