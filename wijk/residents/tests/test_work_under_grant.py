"""Residents and work reached through a break-the-glass grant (ADR 0020): registering a
resident still assigns them to the registering professional, while a household member
registered under a grant gets no assignment that would outlive it, only the same grant, and
is flagged for the team lead, whose approval gives the assignment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code
from wijk.requests.models import HelpRequest
from wijk.requests.tests.test_register import form_data as request_form
from wijk.residents.models import Assignment, Resident, WorkUnderGrant
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory
from wijk.residents.tests.grants import REASON, break_the_glass, expire_grants
from wijk.residents.tests.test_register import form_data

pytestmark = pytest.mark.django_db

REVIEW = reverse("residents:break_glass_review")


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def team_lead(make_user, team):
    return make_user(Role.TEAM_LEAD, teams=[team])


@pytest.fixture
def elsewhere(team):
    """A buurt outside the team's wijken, covered by another team."""
    buurt = Buurt.objects.exclude(wijk__in=team.wijken.all()).order_by("code").first()
    TeamFactory(wijken=[buurt.wijk])
    return buurt


def test_a_resident_registered_outside_the_teams_wijken_stays_with_its_professional(
    professional, team_lead, client_for, elsewhere
) -> None:
    client = client_for(professional)
    client.post(reverse("residents:register"), form_data(buurt=str(elsewhere.pk)))
    resident = Resident.objects.get()
    assert Assignment.objects.filter(resident=resident, user=professional, ended_at=None).exists()
    phone = Code.objects.get(code_list__slug="channels", code="phone")
    client.post(reverse("requests:register"), request_form(phone, resident=str(resident.pk)))
    help_request = HelpRequest.objects.get(resident=resident)
    page = client.get(reverse("requests:detail", args=[help_request.pk]))
    assert page.status_code == 200
    assert resident.family_name in page.content.decode()
    assert not WorkUnderGrant.objects.exists()  # a regular basis: nothing to review


def test_a_household_member_registered_under_a_grant_gets_no_lasting_assignment(
    professional, team_lead, client_for, elsewhere
) -> None:
    home = AddressFactory(buurt=elsewhere)
    head = HouseholdMembershipFactory(household__address=home, resident__address=home).resident
    client = client_for(professional)
    break_the_glass(client, head)
    response = client.post(
        reverse("residents:register"),
        {
            "household_of": str(head.pk),
            "given_names": "Noor",
            "family_name": "Buitenhof",
            "date_of_birth": "2015-06-01",
            "relation": "child",
        },
    )
    child = Resident.objects.get(family_name="Buitenhof")
    assert response.status_code == 302
    assert client.get(reverse("residents:detail", args=[child.pk])).status_code == 200
    assert not Assignment.objects.filter(resident=child).exists()

    expire_grants(head)
    expire_grants(child)

    assert client.get(reverse("residents:detail", args=[child.pk])).status_code == 403
    lead = client_for(team_lead)
    review = lead.get(REVIEW).content.decode()
    assert "Inwoner ingeschreven in het huishouden" in review
    assert REASON in review
    assert child.family_name not in review
    work = WorkUnderGrant.objects.get(resident=child)
    assert lead.post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code == 302
    assert Assignment.objects.filter(resident=child, user=professional, ended_at=None).exists()
    assert AccessLogEntry.objects.filter(event="approve", resident_id=child.pk).exists()
    assert client.get(reverse("residents:detail", args=[child.pk])).status_code == 200


def test_the_review_page_refuses_a_malformed_or_foreign_decision(team_lead, client_for) -> None:
    lead = client_for(team_lead)
    assert lead.post(REVIEW, {"work": "x", "decision": "approve"}).status_code == 404
    assert lead.post(REVIEW, {"work": "999999", "decision": "approve"}).status_code == 404
    assert lead.post(REVIEW, {"work": "1", "decision": "maybe"}).status_code == 404
