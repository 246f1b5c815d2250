"""Requests started on a resident reached by breaking the glass (ADR 0020): they are visible
only while their resident is, so a request outlives neither the grant nor widens it to the
team, and they are flagged on the team lead's review page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.requests.models import HelpRequest
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.tests.test_register import form_data
from wijk.residents.models import Assignment, WorkUnderGrant
from wijk.residents.tests.grants import REASON, break_the_glass, expire_grants

pytestmark = pytest.mark.django_db

REVIEW = reverse("residents:break_glass_review")


def _shows(client, url: str, resident) -> bool:
    response = client.get(url)
    body = response.content.decode()
    return response.status_code == 200 and resident.family_name in body


def test_request_registered_under_a_grant_is_gone_when_the_grant_expires(
    professional, team_lead, client_for, outside, phone
) -> None:
    client = client_for(professional)
    break_the_glass(client, outside)
    response = client.post(reverse("requests:register"), form_data(phone, resident=outside.pk))
    assert response.status_code == 302
    help_request = HelpRequest.objects.get(resident=outside)
    assert help_request.assigned_to == professional
    page = reverse("requests:detail", args=[help_request.pk])
    assert _shows(client, page, outside)  # while the grant runs

    expire_grants(outside)

    response = client.get(page)
    assert response.status_code == 404
    assert outside.family_name not in response.content.decode()
    worklist = client.get(reverse("requests:worklist")).content.decode()
    assert help_request.reference not in worklist
    assert outside.family_name not in worklist
    # Flagged for the team lead: what, who and why, without the resident's name.
    review = client_for(team_lead).get(REVIEW).content.decode()
    assert help_request.reference in review
    assert REASON in review
    assert "Hulpvraag" in review
    assert outside.family_name not in review


def test_request_linked_under_a_grant_is_not_shown_to_the_team_after_it_expires(
    professional, colleague, team_lead, client_for, team, outside
) -> None:
    unlinked = HelpRequestFactory(
        team=team,
        assigned_to=professional,
        requested_by="relative",
        requester_name="Piet Jansen",
        requester_phone="0612345678",
    )
    client = client_for(professional)
    break_the_glass(client, outside)
    client.post(reverse("requests:link_resident", args=[unlinked.pk]), {"resident": outside.pk})
    unlinked.refresh_from_db()
    assert unlinked.resident == outside
    page = reverse("requests:detail", args=[unlinked.pk])
    team_worklist = reverse("requests:team_worklist")
    assert _shows(client, page, outside)

    expire_grants(outside)

    other = client_for(colleague)
    for viewer in (client, other, client_for(team_lead)):
        assert viewer.get(page).status_code == 404
        body = viewer.get(team_worklist).content.decode()
        assert unlinked.reference not in body
        assert outside.family_name not in body
    for list_name in ("requests:waiting_list", "requests:team_open"):
        body = client_for(team_lead).get(reverse(list_name)).content.decode()
        assert outside.family_name not in body
    assert unlinked.reference in client_for(team_lead).get(REVIEW).content.decode()


def test_a_request_of_a_resident_in_the_teams_wijk_is_not_flagged(
    professional, team_lead, client_for, resident, phone
) -> None:
    client = client_for(professional)
    client.post(reverse("requests:register"), form_data(phone, resident=resident.pk))
    help_request = HelpRequest.objects.get(resident=resident)
    assert _shows(
        client_for(team_lead), reverse("requests:detail", args=[help_request.pk]), resident
    )
    assert help_request.reference not in client_for(team_lead).get(REVIEW).content.decode()


def test_a_team_lead_the_request_is_assigned_to_cannot_approve_a_basis_for_themselves(
    professional, team_lead, make_user, client_for, team, outside
) -> None:
    """Linked under a grant to a request assigned to the team lead: the team lead carries the
    work on, so the team lead may not approve their own lasting access to the resident."""
    assigned = HelpRequestFactory(
        team=team,
        assigned_to=team_lead,
        requested_by="relative",
        requester_name="Piet Jansen",
        requester_phone="0612345678",
    )
    client = client_for(professional)
    break_the_glass(client, outside)
    client.post(reverse("requests:link_resident", args=[assigned.pk]), {"resident": outside.pk})
    work = WorkUnderGrant.objects.get(object_id=assigned.pk)
    assert work.responsible == team_lead
    expire_grants(outside)
    lead = client_for(team_lead)
    review = lead.get(REVIEW).content.decode()
    assert assigned.reference in review
    assert f'name="work" value="{work.pk}"' not in review

    assert lead.post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code == 404

    assert not Assignment.objects.filter(resident=outside).exists()
    assert lead.get(reverse("requests:detail", args=[assigned.pk])).status_code == 404
    other_lead = client_for(make_user(Role.TEAM_LEAD, teams=[team]))
    assert other_lead.post(REVIEW, {"work": work.pk, "decision": "reject"}).status_code == 302


def test_the_waiting_list_counts_the_teams_request_but_does_not_show_it(
    professional, client_for, team, outside
) -> None:
    """The waiting list's figures are the team's workload (the team rule: ADR 0020, "Counts");
    its rows follow the one resident rule. After the grant, the request still counts for the
    team, is not listed, and the page says why the list is shorter than the count."""
    waiting = HelpRequestFactory(
        team=team,
        assigned_to=professional,
        requested_by="relative",
        requester_name="Piet Jansen",
        requester_phone="0612345678",
    )
    client = client_for(professional)
    break_the_glass(client, outside)
    client.post(reverse("requests:link_resident", args=[waiting.pk]), {"resident": outside.pk})
    page = reverse("requests:waiting_list")
    assert "minder hulpvragen dan de aantallen" not in client.get(page).content.decode()

    expire_grants(outside)

    response = client.get(page)
    body = response.content.decode()
    assert response.context["waiting"].total == 1
    assert response.context["waiting"].rows == []
    assert waiting.reference not in body
    assert outside.family_name not in body
    assert "minder hulpvragen dan de aantallen" in body
    assert "Niemand wacht." not in body
