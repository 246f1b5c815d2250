"""One request: its page, the one-click contact buttons (with and without htmx) and closing it
with an outcome. No request can vanish: there is no delete, and every close records why."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.core.tests.page_echo import without_request_echo
from wijk.requests.models import ContactAttempt, HelpRequest, RequestStatusChange
from wijk.requests.tests.conftest import code
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.workflow import MIN_ATTEMPTS_FOR_NOT_REACHABLE, Outcome, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_request(team, professional, resident):
    return HelpRequestFactory(
        team=team,
        assigned_to=professional,
        resident=resident,
        requested_by="relative",
        requester_name="Piet Jansen",
        requester_phone="0612345678",
    )


def detail_url(help_request) -> str:
    return reverse("requests:detail", args=[help_request.pk])


def attempt_url(help_request) -> str:
    return reverse("requests:attempt", args=[help_request.pk])


def close_url(help_request) -> str:
    return reverse("requests:close", args=[help_request.pk])


# --- the page -------------------------------------------------------------------------------


def test_request_page_shows_the_request_and_logs_the_read(
    professional, client_for, help_request, resident
) -> None:
    response = client_for(professional).get(detail_url(help_request))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert f"Hulpvraag {help_request.reference}" in body
    assert resident.full_name in body
    assert "Familielid of naaste: Piet Jansen" in body
    assert "0612345678" in body
    assert "Nog geen contactpogingen vastgelegd." in body
    entry = AccessLogEntry.objects.get()
    assert (entry.event, entry.outcome) == ("read", "success")
    assert entry.resident_id == resident.pk
    assert entry.objects_touched == [
        f"requests.helprequest:{help_request.pk}",
        f"residents.resident:{resident.pk}",
    ]


def test_team_lead_of_the_team_sees_a_request_assigned_to_someone_else(
    team_lead, client_for, help_request
) -> None:
    assert client_for(team_lead).get(detail_url(help_request)).status_code == 200


def test_request_assigned_to_me_in_another_team_is_visible(
    professional, client_for, other_team
) -> None:
    mine = HelpRequestFactory(team=other_team, assigned_to=professional)
    assert client_for(professional).get(detail_url(mine)).status_code == 200


def test_request_of_another_team_looks_like_a_missing_one(
    professional, client_for, other_team
) -> None:
    foreign = HelpRequestFactory(team=other_team, requester_name="Geheim Persoon")
    client = client_for(professional)
    forbidden = client.get(detail_url(foreign))
    missing = client.get(reverse("requests:detail", args=[foreign.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert without_request_echo(forbidden.content) == without_request_echo(missing.content)
    assert "Geheim Persoon" not in forbidden.content.decode()
    refused = AccessLogEntry.objects.filter(outcome="refused").order_by("id").first()
    assert refused.objects_touched == [f"requests.helprequest:{foreign.pk}"]
    for url in (attempt_url(foreign), close_url(foreign)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"reached": "ja", "outcome": "withdrawn"}).status_code == 404
    assert not ContactAttempt.objects.exists()
    assert HelpRequest.objects.get(pk=foreign.pk).status == RequestStatus.RECEIVED


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_never_see_a_request(
    role, make_user, client_for, team, help_request
) -> None:
    client = client_for(make_user(role, teams=[team]))
    for url in (detail_url(help_request), attempt_url(help_request), close_url(help_request)):
        assert client.get(url).status_code == 404
    assert client.post(attempt_url(help_request), {"reached": "ja"}).status_code == 404
    assert not ContactAttempt.objects.exists()


def test_request_of_a_resident_links_to_starting_a_trajectory_for_it(
    professional, client_for, team, help_request
) -> None:
    client = client_for(professional)
    link = f'href="/trajecten/starten?hulpvraag={help_request.pk}"'
    assert link in client.get(detail_url(help_request)).content.decode()
    assert link in client.get(close_url(help_request)).content.decode()
    # Without a resident there is nobody to start support for: no link.
    anonymous = HelpRequestFactory(team=team, assigned_to=professional, resident=None)
    for url in (detail_url(anonymous), close_url(anonymous)):
        body = client.get(url).content.decode()
        assert "?hulpvraag=" not in body and "Traject starten" not in body


# --- the one-click buttons ---------------------------------------------------------------------


def test_contact_from_the_worklist_without_javascript(
    professional, client_for, help_request
) -> None:
    client = client_for(professional)
    worklist = reverse("requests:worklist")
    response = client.post(attempt_url(help_request), {"reached": "ja", "next": worklist})
    assert response.status_code == 302
    assert response["Location"] == worklist
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CONTACTED
    assert help_request.first_contact_at is not None
    attempt = ContactAttempt.objects.get()
    assert attempt.reached and attempt.by == professional
    change = RequestStatusChange.objects.get(
        help_request=help_request, status=RequestStatus.CONTACTED, by=professional
    )
    update = AccessLogEntry.objects.get(event="update")
    assert update.objects_touched == [
        f"requests.helprequest:{help_request.pk}",
        f"requests.requeststatuschange:{change.pk}",
        f"requests.contactattempt:{attempt.pk}",
    ]
    assert update.resident_id == help_request.resident_id
    page = client.get(worklist).content.decode()
    assert f"Contact vastgelegd voor hulpvraag {help_request.reference}." in page
    assert "Eerste contact gehad, uitkomst nog vastleggen (1)" in page


def test_contact_by_htmx_swaps_the_row_and_announces_it(
    professional, client_for, help_request
) -> None:
    response = client_for(professional).post(
        attempt_url(help_request),
        {"reached": "ja", "next": reverse("requests:worklist"), "weergave": "mijn"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith(
        f'<tr class="utrecht-table__row" id="hulpvraag-{help_request.pk}"'
    )
    assert "Eerste contact gehad op" in body
    assert f'id="bereikt-{help_request.pk}"' in body  # the focused button comes back
    assert 'hx-swap-oob="innerHTML"' in body
    assert f"Contact vastgelegd voor hulpvraag {help_request.reference}." in body
    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.CONTACTED


def test_not_reached_records_an_attempt_and_keeps_the_deadline(
    professional, client_for, help_request
) -> None:
    client = client_for(professional)
    response = client.post(
        attempt_url(help_request),
        {"reached": "nee", "next": reverse("requests:team_worklist"), "weergave": "team"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "1 keer niet bereikt." in body
    assert "Kees Visser" not in body and "Fatima Bakker" in body  # the team view's column
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.RECEIVED
    assert help_request.first_contact_at is None
    assert help_request.unreached_attempts == 1  # what the lists show, without counting
    assert ContactAttempt.objects.get().reached is False
    client.post(attempt_url(help_request), {"reached": "ja"})
    help_request.refresh_from_db()
    assert help_request.unreached_attempts == 1  # reaching the resident counts no failure


def test_contact_from_the_request_page_returns_there(
    professional, client_for, help_request
) -> None:
    client = client_for(professional)
    response = client.post(
        attempt_url(help_request), {"reached": "nee", "next": detail_url(help_request)}
    )
    assert response["Location"] == detail_url(help_request)
    page = client.get(detail_url(help_request)).content.decode()
    assert "Poging vastgelegd" in page
    assert "Niet bereikt</td>" in page


def test_next_to_another_site_is_ignored(professional, client_for, help_request) -> None:
    response = client_for(professional).post(
        attempt_url(help_request), {"reached": "ja", "next": "https://example.org/"}
    )
    assert response["Location"] == detail_url(help_request)


def test_attempt_page_shows_the_phone_number_and_the_buttons(
    professional, client_for, help_request
) -> None:
    body = client_for(professional).get(attempt_url(help_request)).content.decode()
    assert "0612345678" in body
    assert 'name="reached" value="ja"' in body
    assert 'name="reached" value="nee"' in body


def test_unknown_button_value_is_refused(professional, client_for, help_request) -> None:
    response = client_for(professional).post(attempt_url(help_request), {"reached": "misschien"})
    assert response.status_code == 400
    assert not ContactAttempt.objects.exists()


def test_no_attempt_on_a_closed_request(professional, client_for, help_request) -> None:
    help_request.status = RequestStatus.CLOSED
    help_request.outcome = Outcome.WITHDRAWN
    help_request.outcome_at = timezone.now()
    help_request.save()
    client = client_for(professional)
    response = client.post(
        attempt_url(help_request),
        {"reached": "ja", "next": reverse("requests:worklist")},
        follow=True,
    )
    assert "Deze hulpvraag is al afgerond." in response.content.decode()
    assert not ContactAttempt.objects.exists()


# --- closing --------------------------------------------------------------------------------


def test_close_form_offers_the_outcomes_but_not_support_started(
    professional, client_for, help_request
) -> None:
    body = client_for(professional).get(close_url(help_request)).content.decode()
    for label in (
        "Korte informatie of advies gegeven",
        "Verwezen naar een voorziening buiten de opdracht",
        "Ingetrokken door de inwoner",
        "Niet bereikbaar na contactpogingen",
    ):
        assert label in body
    assert "Ondersteuning gestart" not in body
    assert "Veilig Thuis" in body  # the out-of-scope provisions
    assert "Nu: 0." in body


def test_posting_support_started_is_refused(professional, client_for, help_request) -> None:
    response = client_for(professional).post(
        close_url(help_request), {"outcome": "support_started"}
    )
    assert response.status_code == 400
    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.RECEIVED


def test_referral_names_the_provision(professional, client_for, help_request) -> None:
    client = client_for(professional)
    missing = client.post(close_url(help_request), {"outcome": "referred_out", "provision": ""})
    assert missing.status_code == 400
    assert "Kies de voorziening waarnaar u verwijst." in missing.content.decode()
    assert 'aria-invalid="true"' in missing.content.decode()
    assert HelpRequest.objects.get(pk=help_request.pk).status == RequestStatus.RECEIVED
    assert not AccessLogEntry.objects.filter(event="update").exists()

    ggz = code("out_of_scope_provisions", "ggz")
    response = client.post(
        close_url(help_request),
        {"outcome": "referred_out", "provision": str(ggz.pk), "note": "Via huisarts"},
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(help_request)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CLOSED
    assert help_request.outcome == Outcome.REFERRED_OUT
    assert help_request.outcome_provision == ggz
    assert help_request.outcome_at is not None
    closing = help_request.status_changes.get(status=RequestStatus.CLOSED)
    assert (closing.by, closing.reason) == (professional, "Via huisarts")
    update = AccessLogEntry.objects.get(event="update")
    assert update.objects_touched == [
        f"requests.helprequest:{help_request.pk}",
        f"requests.requeststatuschange:{closing.pk}",
    ]
    page = client.get(detail_url(help_request)).content.decode()
    assert "Verwezen naar een voorziening buiten de opdracht: GGZ" in page
    assert "Contact gehad</button>" not in page  # closed: no more buttons
    for name in ("requests:worklist", "requests:team_worklist", "requests:waiting_list"):
        assert help_request.reference not in client.get(reverse(name)).content.decode()


def test_not_reachable_needs_the_recorded_attempts(professional, client_for, help_request) -> None:
    client = client_for(professional)
    too_soon = client.post(close_url(help_request), {"outcome": "not_reachable"})
    assert too_soon.status_code == 400
    assert "Leg eerst 3 contactpogingen vast. Nu zijn het er 0." in too_soon.content.decode()
    for _ in range(MIN_ATTEMPTS_FOR_NOT_REACHABLE):
        client.post(attempt_url(help_request), {"reached": "nee"})
    assert "Nu: 3." in client.get(close_url(help_request)).content.decode()
    response = client.post(close_url(help_request), {"outcome": "not_reachable"})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.outcome == Outcome.NOT_REACHABLE


def test_closed_request_cannot_be_closed_again(professional, client_for, help_request) -> None:
    client = client_for(professional)
    client.post(close_url(help_request), {"outcome": "withdrawn"})
    page = client.get(close_url(help_request))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Deze hulpvraag is al afgerond. Uitkomst: Ingetrokken door de inwoner." in body
    assert 'name="outcome"' not in body
    again = client.post(close_url(help_request), {"outcome": "information_given"})
    assert again.status_code == 200
    help_request.refresh_from_db()
    assert help_request.outcome == Outcome.WITHDRAWN
    assert help_request.status_changes.filter(status=RequestStatus.CLOSED).count() == 1


def test_there_is_no_way_to_delete_a_request(professional, client_for, help_request) -> None:
    client = client_for(professional)
    for url in (detail_url(help_request), close_url(help_request), attempt_url(help_request)):
        assert client.delete(url).status_code == 405
    assert HelpRequest.objects.filter(pk=help_request.pk).exists()
