"""A request registered while the resident was not known yet gets its resident later: found
by a POSTed search and linked, so that support can start from it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessLogEntry
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.workflow import Outcome, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlinked(team, professional):
    return HelpRequestFactory(
        team=team,
        assigned_to=professional,
        requested_by="relative",
        requester_name="Piet Jansen",
        requester_phone="0612345678",
    )


def url(help_request) -> str:
    return reverse("requests:link_resident", args=[help_request.pk])


def test_request_page_offers_to_link_the_resident(professional, client_for, unlinked) -> None:
    body = client_for(professional).get(reverse("requests:detail", args=[unlinked.pk]))
    assert url(unlinked) in body.content.decode()


def test_search_then_link_the_resident_with_the_household(
    professional, client_for, unlinked, resident
) -> None:
    client = client_for(professional)
    found = client.post(url(unlinked), {"zoek-name": "Jansen"}, headers={"HX-Request": "true"})
    body = found.content.decode()
    assert body.lstrip().startswith('<div id="inwoner-keuze"')
    assert f'form="koppelen" name="resident" value="{resident.pk}"' in body
    assert "Nog niet bekend" not in body
    response = client.post(url(unlinked), {"resident": str(resident.pk), "whole_household": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[unlinked.pk])
    unlinked.refresh_from_db()
    assert unlinked.resident == resident
    assert unlinked.household_id == resident.household_membership.household_id
    assert unlinked.team_id == professional.teams.get().pk  # the team and deadlines stay
    update = AccessLogEntry.objects.get(event="update")
    assert update.resident_id == resident.pk
    assert update.objects_touched == [f"requests.helprequest:{unlinked.pk}"]


def test_linking_needs_a_chosen_resident(professional, client_for, unlinked) -> None:
    response = client_for(professional).post(url(unlinked), {"resident": ""})
    assert response.status_code == 400
    assert "Kies een inwoner uit de zoekresultaten." in response.content.decode()
    unlinked.refresh_from_db()
    assert unlinked.resident is None


def test_resident_outside_access_cannot_be_linked(
    professional, client_for, unlinked, outside
) -> None:
    response = client_for(professional).post(url(unlinked), {"resident": str(outside.pk)})
    assert response.status_code == 400
    assert outside.family_name not in response.content.decode()
    unlinked.refresh_from_db()
    assert unlinked.resident is None


def test_linked_or_closed_request_offers_no_form(
    professional, client_for, unlinked, resident
) -> None:
    client = client_for(professional)
    client.post(url(unlinked), {"resident": str(resident.pk)})
    body = client.get(url(unlinked)).content.decode()
    assert "Bij deze hulpvraag hoort al een inwoner." in body
    assert 'id="koppelen"' not in body
    closed = HelpRequestFactory(
        team=unlinked.team,
        status=RequestStatus.CLOSED,
        outcome=Outcome.WITHDRAWN,
        outcome_at=timezone.now(),
        requester_name="Iemand",
    )
    assert "Deze hulpvraag is al afgerond." in client.get(url(closed)).content.decode()
    client.post(url(closed), {"resident": str(resident.pk)})
    closed.refresh_from_db()
    assert closed.resident is None
