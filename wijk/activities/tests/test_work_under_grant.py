"""Named participants added under a break-the-glass grant (ADR 0020): listed only while their
resident is visible to the reader, so the name neither outlives the grant nor reaches the
rest of the team, and the addition is flagged for the team lead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.activities.models import Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory
from wijk.activities.tests.test_participants import url
from wijk.areas.models import Buurt
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory
from wijk.residents.tests.grants import REASON, break_the_glass, expire_grants

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def session(team):
    """A session of an activity in the team's wijk that registers participants."""
    activity = ActivityFactory(wijk=team.wijken.get(), registers_participants=True)
    return ActivitySessionFactory(activity=activity)


@pytest.fixture
def neighbour(team):
    return HouseholdMembershipFactory(resident__family_name="Zonneveld").resident


@pytest.fixture
def outsider(team):
    elsewhere = Buurt.objects.exclude(wijk__in=team.wijken.all()).order_by("code").first()
    return HouseholdMembershipFactory(
        resident__family_name="Buitenhof", resident__address=AddressFactory(buurt=elsewhere)
    ).resident


def test_a_participant_added_under_a_grant_leaves_the_list_when_it_expires(
    professional, make_user, client_for, team, session, outsider, neighbour
) -> None:
    teammate = make_user(Role.PROFESSIONAL, teams=[team])
    team_lead = make_user(Role.TEAM_LEAD, teams=[team])
    client = client_for(professional)
    client.post(url(session), {"action": "add", "resident": str(neighbour.pk)})
    break_the_glass(client, outsider)
    client.post(url(session), {"action": "add", "resident": str(outsider.pk)})
    assert Participation.objects.filter(resident=outsider).exists()
    assert outsider.family_name in client.get(url(session)).content.decode()
    # Not even while the grant runs: the grant is the professional's, not the team's.
    assert outsider.family_name not in client_for(teammate).get(url(session)).content.decode()

    expire_grants(outsider)

    for user in (professional, teammate, team_lead):
        body = client_for(user).get(url(session)).content.decode()
        assert outsider.family_name not in body
        assert neighbour.family_name in body  # the team's own residents stay listed
    review = client_for(team_lead).get(reverse("residents:break_glass_review"))
    body = review.content.decode()
    assert "Deelname aan een activiteit" in body
    assert session.activity.name in body
    assert REASON in body
    assert outsider.family_name not in body
