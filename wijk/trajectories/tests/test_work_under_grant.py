"""Trajectories started on a resident reached by breaking the glass (ADR 0020): visible only
while their resident is, to the coordinator and the team alike, and flagged for the team
lead; approving gives the coordinator an assignment, a regular basis, and nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.models import AccessLogEntry
from wijk.residents.models import Assignment
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory
from wijk.residents.tests.grants import REASON, break_the_glass, expire_grants
from wijk.trajectories.models import Trajectory
from wijk.trajectories.services import trajectory_coordinator_change
from wijk.trajectories.tests.conftest import verified
from wijk.trajectories.tests.test_start import START, form_data

pytestmark = pytest.mark.django_db

REVIEW = reverse("residents:break_glass_review")


@pytest.fixture
def outside(team):
    """A resident living outside the team's wijken."""
    elsewhere = Buurt.objects.exclude(wijk__in=team.wijken.all()).order_by("code").first()
    return HouseholdMembershipFactory(
        resident__family_name="Buitenhof", resident__address=AddressFactory(buurt=elsewhere)
    ).resident


@pytest.fixture
def teammate(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def team_lead(make_user, team):
    return make_user(Role.TEAM_LEAD, teams=[team])


@pytest.fixture
def started(professional, client_for, team, outside):
    """A trajectory for the outside resident, started in the team under a grant."""
    client = client_for(professional)
    break_the_glass(client, outside)
    response = client.post(f"{START}?inwoner={outside.pk}", form_data(team, professional))
    assert response.status_code == 302
    return Trajectory.objects.get(resident=outside)


def _page(trajectory) -> str:
    return reverse("trajectories:detail", args=[trajectory.pk])


def test_trajectory_started_under_a_grant_is_gone_for_everyone_when_it_expires(
    professional, teammate, team_lead, client_for, outside, started
) -> None:
    birth_date = outside.date_of_birth.strftime("%-d-%-m-%Y")
    assert client_for(professional).get(_page(started)).status_code == 200

    expire_grants(outside)

    for user in (professional, teammate, team_lead):
        client = client_for(user)
        response = client.get(_page(started))
        assert response.status_code == 404
        listing = client.get(reverse("trajectories:list")).content.decode()
        assert outside.family_name not in listing
        assert birth_date not in listing
        assert _page(started) not in listing


def test_the_team_lead_sees_the_flagged_trajectory_and_approving_gives_the_coordinator_a_basis(
    professional, teammate, team_lead, client_for, outside, started
) -> None:
    expire_grants(outside)
    lead = client_for(team_lead)
    review = lead.get(REVIEW).content.decode()
    assert f"Traject {started.pk}" in review
    assert REASON in review
    assert outside.family_name not in review
    work = outside.break_glass_grants.get().work.get()

    response = lead.post(REVIEW, {"work": work.pk, "decision": "approve"})

    assert response.status_code == 302
    assert Assignment.objects.filter(resident=outside, user=professional, ended_at=None).exists()
    assert AccessLogEntry.objects.filter(
        event="approve", user_id=team_lead.pk, resident_id=outside.pk
    ).exists()
    assert client_for(professional).get(_page(started)).status_code == 200
    assert client_for(teammate).get(_page(started)).status_code == 404  # the team: no basis
    assert lead.post(REVIEW, {"work": work.pk, "decision": "reject"}).status_code == 404


def test_not_approving_leaves_the_trajectory_out_of_reach(
    professional, team_lead, client_for, outside, started
) -> None:
    expire_grants(outside)
    work = outside.break_glass_grants.get().work.get()
    response = client_for(team_lead).post(REVIEW, {"work": work.pk, "decision": "reject"})
    assert response.status_code == 302
    assert not Assignment.objects.filter(resident=outside, user=professional).exists()
    assert client_for(professional).get(_page(started)).status_code == 404
    assert "Geen vaste toegang" in client_for(team_lead).get(REVIEW).content.decode()


def test_only_a_team_lead_of_the_actor_reviews_and_never_their_own_work(
    professional, team_lead, make_user, client_for, team, outside, started
) -> None:
    work = outside.break_glass_grants.get().work.get()
    assert (
        client_for(professional).post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code
        == 404
    )
    stranger = make_user(Role.TEAM_LEAD)
    assert (
        client_for(stranger).post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code
        == 404
    )
    assert f"Traject {started.pk}" not in client_for(stranger).get(REVIEW).content.decode()
    # A team lead who broke the glass: their own work waits for another team lead.
    client = client_for(team_lead)
    break_the_glass(client, outside)
    client.post(f"{START}?inwoner={outside.pk}", form_data(team, team_lead))
    own = outside.break_glass_grants.get(user=team_lead).work.get()
    assert client.post(REVIEW, {"work": own.pk, "decision": "approve"}).status_code == 404
    assert not Assignment.objects.filter(resident=outside).exists()


def test_a_coordinator_gets_a_basis_from_regular_access_only(
    professional, teammate, team_lead, client_for, start, resident, started, outside
) -> None:
    regular = start()
    assert Assignment.objects.filter(resident=resident, user=professional).exists()
    lead = verified(team_lead)
    trajectory_coordinator_change(
        actor=lead, trajectory=regular, coordinator=verified(teammate), reason="Verlof"
    )
    assert Assignment.objects.filter(resident=resident, user=teammate, ended_at=None).exists()
    # Under a grant the coordination moves, but no basis is made: the review decides.
    break_the_glass(client_for(team_lead), outside)
    trajectory_coordinator_change(
        actor=lead, trajectory=started, coordinator=teammate, reason="Verlof"
    )
    started.refresh_from_db()
    assert started.coordinator == teammate
    assert not Assignment.objects.filter(resident=outside).exists()


def test_a_team_lead_named_coordinator_cannot_approve_a_basis_for_themselves(
    professional, team_lead, make_user, client_for, team, outside
) -> None:
    """A professional breaks the glass and names their team lead coordinator: the team lead
    carries the work on, so another team lead decides on the lasting basis, never they."""
    client = client_for(professional)
    break_the_glass(client, outside)
    client.post(f"{START}?inwoner={outside.pk}", form_data(team, team_lead))
    work = outside.break_glass_grants.get().work.get()
    assert work.responsible == team_lead
    expire_grants(outside)
    lead = client_for(team_lead)
    review = lead.get(REVIEW).content.decode()
    assert f"Traject {work.object_id}" in review
    assert f'name="work" value="{work.pk}"' not in review  # no buttons offered
    assert "Door een andere teamleider" in review

    assert lead.post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code == 404

    assert not Assignment.objects.filter(resident=outside).exists()
    work.refresh_from_db()
    assert work.reviewed_at is None
    other_lead = client_for(make_user(Role.TEAM_LEAD, teams=[team]))
    assert other_lead.post(REVIEW, {"work": work.pk, "decision": "approve"}).status_code == 302
    assert Assignment.objects.filter(resident=outside, user=team_lead, ended_at=None).exists()
