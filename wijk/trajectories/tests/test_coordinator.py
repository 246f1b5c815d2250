"""Handing a trajectory's coordination to a colleague of its team, through the service: by a
team lead of the trajectory's team, with a reason, audited and in the coordinator history,
open trajectories only, only to an active professional or team lead of the team. The pages:
test_coordinator_pages.py."""

from __future__ import annotations

import pytest

from wijk.accounts.models import Role
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.trajectories.models import TrajectoryCoordinatorChange
from wijk.trajectories.services import trajectory_coordinator_change, trajectory_transition
from wijk.trajectories.tests.conftest import code, verified
from wijk.trajectories.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db

REASON = "Fatima gaat met verlof"


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def lead(make_user, team):
    return verified(make_user(Role.TEAM_LEAD, teams=[team]))


def test_the_team_lead_hands_over_and_it_is_audited(start, lead, professional, colleague) -> None:
    trajectory = start()
    before = AccessLogEntry.objects.count()
    trajectory_coordinator_change(
        actor=lead, trajectory=trajectory, coordinator=colleague, reason=f"  {REASON} "
    )
    trajectory.refresh_from_db()
    assert trajectory.coordinator == colleague
    change = TrajectoryCoordinatorChange.objects.get()
    assert (change.previous, change.assignee, change.by, change.reason) == (
        professional,
        colleague,
        lead,
        REASON,
    )
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.event, entry.user_id, entry.resident_id) == (
        "update",
        lead.pk,
        trajectory.resident_id,
    )
    assert f"trajectories.trajectorycoordinatorchange:{change.pk}" in entry.objects_touched
    # naming the coordinator it already has changes nothing
    trajectory_coordinator_change(
        actor=lead, trajectory=trajectory, coordinator=colleague, reason=REASON
    )
    assert AccessLogEntry.objects.count() == before + 1
    assert TrajectoryCoordinatorChange.objects.count() == 1


def test_a_reason_is_required(start, lead, colleague) -> None:
    trajectory = start()
    with pytest.raises(ValidationFailed) as refused:
        trajectory_coordinator_change(
            actor=lead, trajectory=trajectory, coordinator=colleague, reason="  "
        )
    assert refused.value.fields == {"reason": "Schrijf op waarom de regisseur verandert."}
    assert not TrajectoryCoordinatorChange.objects.exists()


def test_a_professional_does_not_hand_over(start, professional, colleague) -> None:
    trajectory = start()
    with pytest.raises(PermissionDeniedError):
        trajectory_coordinator_change(
            actor=professional, trajectory=trajectory, coordinator=colleague, reason=REASON
        )
    trajectory.refresh_from_db()
    assert trajectory.coordinator == professional


def test_only_a_professional_of_the_team(start, lead, professional, make_user) -> None:
    trajectory = start()
    elsewhere = make_user(Role.PROFESSIONAL, teams=[TeamFactory()])
    with pytest.raises(ValidationFailed) as refused:
        trajectory_coordinator_change(
            actor=lead, trajectory=trajectory, coordinator=elsewhere, reason=REASON
        )
    assert refused.value.fields == {
        "coordinator": "De regisseur moet een medewerker van dit team zijn."
    }
    trajectory.refresh_from_db()
    assert trajectory.coordinator == professional


def test_not_for_a_closed_trajectory(start, lead, professional, colleague) -> None:
    started = start()
    trajectory = trajectory_transition(
        actor=professional,
        trajectory=started,
        to=TrajectoryStatus.CLOSED,
        outflow_date=started.inflow_date,
        outflow_reason=code("outflow_reasons", "19"),
    )
    with pytest.raises(ValidationFailed):
        trajectory_coordinator_change(
            actor=lead, trajectory=trajectory, coordinator=colleague, reason=REASON
        )


def test_not_for_a_trajectory_the_actor_may_not_see(start, colleague, make_user) -> None:
    trajectory = start()
    outsider = verified(make_user(Role.TEAM_LEAD, teams=[TeamFactory()]))
    with pytest.raises(NotFoundError):
        trajectory_coordinator_change(
            actor=outsider, trajectory=trajectory, coordinator=colleague, reason=REASON
        )
