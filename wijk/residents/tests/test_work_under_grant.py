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
from wijk.residents.models import Assignment, BreakGlassGrant, Resident, WorkUnderGrant
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


def test_an_approved_review_adds_no_assignment_when_the_team_reaches_the_resident(
    professional, team_lead, team, client_for, elsewhere
) -> None:
    """The professional's team took on the wijk before the review: the regular basis is
    there, so approving adds no assignment that would outlive it (judged on the account, not
    on the reviewer's or anyone's signed-in session)."""
    home = AddressFactory(buurt=elsewhere)
    head = HouseholdMembershipFactory(household__address=home, resident__address=home).resident
    client = client_for(professional)
    break_the_glass(client, head)
    client.post(
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
    team.wijken.add(elsewhere.wijk)
    work = WorkUnderGrant.objects.get(resident=child)
    lead = client_for(team_lead)
    assert lead.post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code == 302
    work.refresh_from_db()
    assert work.approved
    assert not Assignment.objects.filter(resident=child).exists()
    expire_grants(head)
    expire_grants(child)
    assert client.get(reverse("residents:detail", args=[child.pk])).status_code == 200


def test_the_review_page_refuses_a_malformed_or_foreign_decision(team_lead, client_for) -> None:
    lead = client_for(team_lead)
    assert lead.post(REVIEW, {"work": "x", "decision": "approve"}).status_code == 404
    assert lead.post(REVIEW, {"work": "999999", "decision": "approve"}).status_code == 404
    assert lead.post(REVIEW, {"work": "1", "decision": "maybe"}).status_code == 404


def _register_child(client, head):
    return client.post(
        reverse("residents:register"),
        {
            "household_of": str(head.pk),
            "given_names": "Noor",
            "family_name": "Buitenhof",
            "date_of_birth": "2015-06-01",
            "relation": "child",
        },
    )


def test_the_grant_of_a_household_member_is_an_access_log_entry_of_its_own(
    professional, team_lead, client_for, elsewhere
) -> None:
    home = AddressFactory(buurt=elsewhere)
    head = HouseholdMembershipFactory(household__address=home, resident__address=home).resident
    client = client_for(professional)
    break_the_glass(client, head)
    assert _register_child(client, head).status_code == 302
    child = Resident.objects.get(family_name="Buitenhof")
    grant = BreakGlassGrant.objects.get(resident=child)
    entry = AccessLogEntry.objects.get(event="grant", resident_id=child.pk)
    assert (entry.user_id, entry.reason, entry.flagged) == (professional.pk, REASON, True)
    assert f"residents.breakglassgrant:{grant.pk}" in entry.objects_touched
    # Reviewed by the same teams as the grant it came from.
    assert set(grant.teams.all()) == set(BreakGlassGrant.objects.get(resident=head).teams.all())
    assert REASON in client_for(team_lead).get(REVIEW).content.decode()


def test_the_review_stays_with_the_team_the_grant_was_made_in(
    professional, team_lead, make_user, client_for, team, elsewhere
) -> None:
    """Leaving the team (an administrator removes the professional) does not take the grant
    and the work started under it out of the team lead's review; a new team does not get it."""
    home = AddressFactory(buurt=elsewhere)
    head = HouseholdMembershipFactory(household__address=home, resident__address=home).resident
    client = client_for(professional)
    break_the_glass(client, head)
    _register_child(client, head)
    work = WorkUnderGrant.objects.get()
    new_team = TeamFactory()
    professional.teams.set([new_team])  # moved to another team by an administrator
    new_lead = client_for(make_user(Role.TEAM_LEAD, teams=[new_team]))
    lead = client_for(team_lead)

    review = lead.get(REVIEW).content.decode()
    assert REASON in review
    assert f'name="work" value="{work.pk}"' in review
    assert REASON not in new_lead.get(REVIEW).content.decode()
    assert new_lead.post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code == 404
    assert lead.post(REVIEW, {"work": work.pk, "decision": "reject"}).status_code == 302
    work.refresh_from_db()
    assert work.approved is False


def test_no_break_the_glass_without_an_active_team(make_user, client_for, elsewhere) -> None:
    """Nobody would review the grant of a professional in no team: refused, and logged."""
    loner = make_user(Role.PROFESSIONAL)
    resident = HouseholdMembershipFactory(
        resident__address=AddressFactory(buurt=elsewhere)
    ).resident
    client = client_for(loner)
    url = reverse("residents:break_glass", args=[resident.pk])
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 403

    response = client.post(url, {"reason": REASON})

    assert response.status_code == 403
    assert "geen lid van een actief team" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    refusal = AccessLogEntry.objects.get(event="grant", resident_id=resident.pk)
    assert (refusal.user_id, refusal.outcome) == (loner.pk, "refused")
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 403
