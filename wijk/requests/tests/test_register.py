"""Registering a request through the HTML form: from any channel, for a resident found by a
POSTed search, for a whole household, or for someone not known yet."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessLogEntry
from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import HelpRequest, RequestStatusChange
from wijk.requests.tests.conftest import code
from wijk.requests.workflow import RequestStatus

pytestmark = pytest.mark.django_db

URL = "requests:register"


def form_data(channel: Code, **overrides) -> dict[str, str]:
    data = {
        "channel": str(channel.pk),
        "question": "Loopt vast met de post van de belastingdienst",
        "requested_by": "self",
        "requester_name": "",
        "requester_phone": "",
        "requester_email": "",
        "referrer_type": "",
        "referrer_organisation": "",
        "assign_to_me": "on",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def test_page_offers_the_channels_valid_today(professional, client_for) -> None:
    retired = code("channels", "walk_in")
    retired.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    retired.save()
    body = client_for(professional).get(reverse(URL)).content.decode()
    assert '<h1 class="utrecht-heading-1">Hulpvraag registreren</h1>' in body
    for label in ("Telefoon", "Schriftelijk", "Digitaal formulier", "Outreachend in de wijk"):
        assert label in body
    assert "Inloop op een locatie" not in body
    assert "Huisarts" in body  # referrer types
    assert "Ondersteuning gestart" not in body


def test_search_is_posted_and_logs_the_residents_found_not_the_terms(
    professional, client_for, resident, outside
) -> None:
    client = client_for(professional)
    response = client.post(reverse(URL), {"zoek-name": "Jansen", "zoek-postcode": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="resident" value="{resident.pk}"' in body
    assert f'id="inwoner-{resident.pk}" class="utrecht-radio-button utrecht-radio-button' in body
    # One resident found: chosen already, so the professional can go on typing.
    assert f'value="{resident.pk}" id="inwoner-{resident.pk}"' in body
    assert "checked" in body.split(f'id="inwoner-{resident.pk}"')[1].split(">")[0]
    search = AccessLogEntry.objects.get(event="search")
    assert search.objects_touched == [f"residents.resident:{resident.pk}"]
    assert "Jansen" not in str(vars(search))
    hidden = client.post(reverse(URL), {"zoek-name": "Buitenwijk"}).content.decode()
    assert f'name="resident" value="{outside.pk}"' not in hidden
    assert "Geen inwoners gevonden die u mag zien" in hidden


def test_search_by_htmx_returns_only_the_resident_choice(
    professional, client_for, resident
) -> None:
    response = client_for(professional).post(
        reverse(URL), {"zoek-name": "Jansen"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="inwoner-keuze"')
    assert "<html" not in body
    assert resident.full_name in body


def test_empty_search_by_htmx_shows_the_error_in_the_swapped_part(professional, client_for) -> None:
    response = client_for(professional).post(
        reverse(URL), {"zoek-name": ""}, headers={"HX-Request": "true"}
    )
    assert "Vul ten minste één zoekveld in." in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_phone_request_for_a_found_resident(professional, client_for, resident, phone) -> None:
    response = client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(resident.pk))
    )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[help_request.pk])
    assert help_request.resident == resident
    assert help_request.household is None  # the resident alone, not the household
    assert help_request.channel == phone
    assert help_request.team == professional.teams.get()  # the team of the resident's wijk
    assert help_request.assigned_to == professional
    assert help_request.created_by == professional
    assert help_request.status == RequestStatus.RECEIVED
    deadlines = request_deadlines(help_request.received_at)
    assert help_request.first_contact_due == deadlines.first_contact
    assert help_request.support_due == deadlines.support
    assert RequestStatusChange.objects.filter(help_request=help_request, seq=1).exists()
    created = AccessLogEntry.objects.get(event="create")
    assert created.user_id == professional.pk
    assert created.resident_id == resident.pk
    assert created.objects_touched == [f"requests.helprequest:{help_request.pk}"]
    # Linking the resident read their file: logged too, in the same transaction.
    assert AccessLogEntry.objects.filter(event="read", resident_id=resident.pk).exists()


def test_success_message_names_the_reference(professional, client_for, resident, phone) -> None:
    response = client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(resident.pk)), follow=True
    )
    reference = HelpRequest.objects.get().reference
    assert f"Hulpvraag {reference} is geregistreerd." in response.content.decode()


def test_request_can_concern_the_whole_household(professional, client_for, resident, phone) -> None:
    client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(resident.pk), whole_household="on")
    )
    help_request = HelpRequest.objects.get()
    assert help_request.household_id == resident.household_membership.household_id


def test_household_needs_a_resident(professional, client_for, phone) -> None:
    response = client_for(professional).post(
        reverse(URL),
        form_data(
            phone, whole_household="on", requester_name="Buurvrouw", requester_phone="0612345678"
        ),
    )
    assert response.status_code == 400
    assert "Kies eerst de inwoner van wie het huishouden hulp vraagt." in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_unknown_resident_needs_who_asked_and_how_to_reach_them(
    professional, client_for, phone
) -> None:
    response = client_for(professional).post(reverse(URL), form_data(phone))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies een inwoner, of vul de naam in van wie de vraag stelt." in body
    assert "Vul een telefoonnummer of e-mailadres in" in body
    assert not HelpRequest.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_unknown_resident_goes_to_the_professionals_team(professional, client_for) -> None:
    referral = code("channels", "referral")
    gp = code("referrer_types", "gp")
    response = client_for(professional).post(
        reverse(URL),
        form_data(
            referral,
            requested_by="referrer",
            requester_name="Praktijk De Linde",
            requester_phone="023 123 4567",
            referrer_type=str(gp.pk),
        ),
    )
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.resident is None
    assert help_request.team == professional.teams.get()
    assert help_request.referrer_type == gp
    assert help_request.requested_by == "referrer"
    assert help_request.requester_name == "Praktijk De Linde"


def test_someone_on_behalf_of_the_resident_gives_their_name(
    professional, client_for, resident, phone
) -> None:
    response = client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(resident.pk), requested_by="mentor")
    )
    assert response.status_code == 400
    assert "Vul de naam in van wie de vraag stelt." in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_resident_outside_access_cannot_be_linked(professional, client_for, outside, phone) -> None:
    response = client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(outside.pk))
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies een inwoner uit de zoekresultaten." in body
    assert outside.family_name not in body
    assert not HelpRequest.objects.exists()
    assert AccessLogEntry.objects.filter(resident_id=outside.pk, outcome="refused").exists()


def test_refused_form_keeps_the_chosen_resident(professional, client_for, resident, phone) -> None:
    response = client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(resident.pk), question="")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Beschrijf kort waar de hulp voor is." in body
    assert "checked" in body.split(f'id="inwoner-{resident.pk}"')[1].split(">")[0]


def test_missing_channel_gets_a_dutch_message(professional, client_for, resident, phone) -> None:
    response = client_for(professional).post(
        reverse(URL), {**form_data(phone, resident=str(resident.pk)), "channel": ""}
    )
    assert "Kies hoe de vraag binnenkwam." in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_written_request_dated_back_counts_from_its_receipt(
    professional, client_for, resident
) -> None:
    writing = code("channels", "writing")
    # A letter that came in on Wednesday 16 April 2025 would be overdue by now; dated back less
    # far than a year, it keeps its own deadlines.
    received = timezone.localtime() - datetime.timedelta(days=20)
    received = received.replace(hour=10, minute=30, second=0, microsecond=0)
    client_for(professional).post(
        reverse(URL),
        form_data(
            writing,
            resident=str(resident.pk),
            received_at=received.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    help_request = HelpRequest.objects.get()
    assert help_request.received_at == received
    assert help_request.first_contact_due == request_deadlines(received).first_contact


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (datetime.timedelta(days=1), "Dit moment ligt in de toekomst."),
        (-datetime.timedelta(days=400), "Dit moment ligt meer dan een jaar terug."),
    ],
)
def test_received_moment_must_be_plausible(
    professional, client_for, resident, phone, shift, message
) -> None:
    moment = (timezone.localtime() + shift).strftime("%Y-%m-%dT%H:%M")
    response = client_for(professional).post(
        reverse(URL), form_data(phone, resident=str(resident.pk), received_at=moment)
    )
    assert message in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_not_assigning_leaves_it_for_the_team(professional, client_for, resident, phone) -> None:
    data = form_data(phone, resident=str(resident.pk))
    del data["assign_to_me"]
    client = client_for(professional)
    client.post(reverse(URL), data)
    help_request = HelpRequest.objects.get()
    assert help_request.assigned_to is None
    row = f'id="hulpvraag-{help_request.pk}"'
    assert row not in client.get(reverse("requests:worklist")).content.decode()
    team_list = client.get(reverse("requests:team_worklist")).content.decode()
    assert row in team_list
    assert "Nog niemand" in team_list


def test_link_from_a_resident_file_preselects_the_resident(
    professional, client_for, resident, outside
) -> None:
    client = client_for(professional)
    page = client.get(reverse(URL) + f"?inwoner={resident.pk}").content.decode()
    assert "checked" in page.split(f'id="inwoner-{resident.pk}"')[1].split(">")[0]
    assert client.get(reverse(URL) + f"?inwoner={outside.pk}").status_code == 404
