"""Handing a trajectory's coordination to a colleague of its team, through the service:
audited, open trajectories only, only to an active professional or team lead of the team."""

from __future__ import annotations

import pytest

from wijk.accounts.models import Role
from wijk.core.errors import NotFoundError, ValidationFailed
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.trajectories.services import trajectory_coordinator_change, trajectory_transition
from wijk.trajectories.tests.conftest import code, verified
from wijk.trajectories.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


def test_a_colleague_takes_over_and_it_is_audited(start, professional, colleague) -> None:
    trajectory = start()
    before = AccessLogEntry.objects.count()
    trajectory_coordinator_change(actor=professional, trajectory=trajectory, coordinator=colleague)
    trajectory.refresh_from_db()
    assert trajectory.coordinator == colleague
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.event, entry.user_id, entry.resident_id) == (
        "update",
        professional.pk,
        trajectory.resident_id,
    )
    # naming the coordinator it already has changes nothing
    trajectory_coordinator_change(actor=professional, trajectory=trajectory, coordinator=colleague)
    assert AccessLogEntry.objects.count() == before + 1


def test_only_a_professional_of_the_team(start, professional, make_user) -> None:
    trajectory = start()
    elsewhere = make_user(Role.PROFESSIONAL, teams=[TeamFactory()])
    with pytest.raises(ValidationFailed) as refused:
        trajectory_coordinator_change(
            actor=professional, trajectory=trajectory, coordinator=elsewhere
        )
    assert refused.value.fields == {
        "coordinator": "De regisseur moet een medewerker van dit team zijn."
    }
    trajectory.refresh_from_db()
    assert trajectory.coordinator == professional


def test_not_for_a_closed_trajectory(start, professional, colleague) -> None:
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
            actor=professional, trajectory=trajectory, coordinator=colleague
        )


def test_not_for_a_trajectory_the_actor_may_not_see(start, colleague, make_user) -> None:
    trajectory = start()
    outsider = verified(make_user(Role.TEAM_LEAD, teams=[TeamFactory()]))
    with pytest.raises(NotFoundError):
        trajectory_coordinator_change(actor=outsider, trajectory=trajectory, coordinator=colleague)
