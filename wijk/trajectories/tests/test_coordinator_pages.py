"""Changing a trajectory's coordinator through its page (issue 12): the team lead of the
trajectory's team names a colleague and gives a reason; the change is in the trajectory's
history and the access log. A missing reason or a colleague outside the team is refused with
a message; professionals, other roles and other teams' team leads get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.models import Assignment
from wijk.trajectories.models import Trajectory, TrajectoryCoordinatorChange
from wijk.trajectories.services import trajectory_transition
from wijk.trajectories.tests.conftest import code

pytestmark = pytest.mark.django_db

REASON = "Fatima gaat drie maanden met verlof."


@pytest.fixture
def trajectory(start):
    return start()


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def other_team():
    return TeamFactory()


@pytest.fixture
def lead(make_user, team):
    return make_user(Role.TEAM_LEAD, teams=[team])


def change_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:coordinator", args=[trajectory.pk])


def detail_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:detail", args=[trajectory.pk])


def change_data(trajectory: Trajectory, coordinator, reason: str) -> dict[str, object]:
    """The form as the page shows it: against the coordinator it has now."""
    return {"coordinator": coordinator.pk, "reason": reason, "expected": trajectory.coordinator_id}


def coordinator_of(trajectory: Trajectory) -> int:
    trajectory.refresh_from_db()
    return trajectory.coordinator_id


def test_the_team_lead_changes_the_coordinator_with_a_reason(
    lead, professional, colleague, client_for, trajectory
) -> None:
    client = client_for(lead)
    assert f'href="{change_url(trajectory)}"' in client.get(detail_url(trajectory)).content.decode()

    response = client.post(change_url(trajectory), change_data(trajectory, colleague, REASON))

    assert response.status_code == 302
    assert response["Location"] == detail_url(trajectory)
    assert coordinator_of(trajectory) == colleague.pk
    change = TrajectoryCoordinatorChange.objects.get()
    assert (change.previous, change.assignee, change.by, change.reason) == (
        professional,
        colleague,
        lead,
        REASON,
    )
    entry = AccessLogEntry.objects.filter(event="update", user_id=lead.pk).get()
    assert f"trajectories.trajectorycoordinatorchange:{change.pk}" in entry.objects_touched
    assert entry.resident_id == trajectory.resident_id
    page = client.get(detail_url(trajectory)).content.decode()
    assert "Kees Visser is nu de regisseur van dit traject." in page
    assert "Wisselingen van regisseur" in page and REASON in page


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Schrijf op waarom de regisseur verandert."),
        ("Verlof \u202egiz", "onzichtbare tekens"),
        ("x" * 1001, "Schrijf de reden in hooguit 1000 tekens."),
    ],
    ids=["missing", "hidden-characters", "too-long"],
)
def test_the_reason_is_checked(
    lead, professional, colleague, client_for, trajectory, reason, message
) -> None:
    response = client_for(lead).post(
        change_url(trajectory), change_data(trajectory, colleague, reason)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "wijk-error-summary" in page and message in page
    assert coordinator_of(trajectory) == professional.pk
    assert not TrajectoryCoordinatorChange.objects.exists()


def test_only_a_colleague_of_the_team_can_be_chosen(
    lead, professional, make_user, other_team, client_for, trajectory
) -> None:
    elsewhere = make_user(Role.PROFESSIONAL, teams=[other_team], first_name="Olaf")
    client = client_for(lead)
    assert "Olaf" not in client.get(change_url(trajectory)).content.decode()
    response = client.post(change_url(trajectory), change_data(trajectory, elsewhere, REASON))
    assert response.status_code == 400
    assert "Kies een medewerker van het team uit de lijst." in response.content.decode()
    assert coordinator_of(trajectory) == professional.pk


def test_a_closed_trajectory_keeps_its_coordinator(
    lead, professional, colleague, client_for, trajectory
) -> None:
    trajectory_transition(
        actor=professional,
        trajectory=trajectory,
        to="closed",
        outflow_date=trajectory.inflow_date,
        outflow_reason=code("outflow_reasons", "19"),
    )
    client = client_for(lead)
    assert (
        f'href="{change_url(trajectory)}"'
        not in client.get(detail_url(trajectory)).content.decode()
    )
    assert "afgesloten" in client.get(change_url(trajectory)).content.decode()
    client.post(change_url(trajectory), change_data(trajectory, colleague, REASON))
    assert coordinator_of(trajectory) == professional.pk


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR]
)
def test_only_the_team_lead_changes_the_coordinator(
    make_user, client_for, team, professional, colleague, trajectory, role
) -> None:
    user = professional if role == Role.PROFESSIONAL else make_user(role)
    client = client_for(user)
    if role == Role.PROFESSIONAL:  # the coordinator sees the trajectory, not the button
        page = client.get(detail_url(trajectory)).content.decode()
        assert change_url(trajectory) not in page
    assert client.get(change_url(trajectory)).status_code == 404
    response = client.post(change_url(trajectory), change_data(trajectory, colleague, REASON))
    assert response.status_code == 404
    assert coordinator_of(trajectory) == professional.pk


def test_a_team_lead_of_another_team_is_not_found(
    make_user, other_team, client_for, professional, colleague, trajectory
) -> None:
    elsewhere = make_user(Role.TEAM_LEAD, teams=[other_team])
    response = client_for(elsewhere).post(
        change_url(trajectory), change_data(trajectory, colleague, REASON)
    )
    assert response.status_code == 404
    assert coordinator_of(trajectory) == professional.pk


def test_a_change_made_meanwhile_by_another_team_lead_is_not_overwritten(
    lead, make_user, team, professional, colleague, client_for, trajectory
) -> None:
    """Found in review: two team leads open the page; the second save silently replaced the
    first. The form carries the coordinator it was shown with (ADR 0026)."""
    other_lead = make_user(Role.TEAM_LEAD, teams=[team], first_name="Ada", last_name="Smit")
    first = change_data(trajectory, colleague, REASON)
    second = change_data(trajectory, professional, REASON) | {"coordinator": other_lead.pk}
    assert client_for(lead).post(change_url(trajectory), first).status_code == 302

    response = client_for(other_lead).post(change_url(trajectory), second)

    assert response.status_code == 400
    assert "Intussen is Kees Visser regisseur geworden. Er is niets veranderd." in (
        response.content.decode()
    )
    assert f'name="expected" value="{colleague.pk}"' in response.content.decode()
    assert coordinator_of(trajectory) == colleague.pk
    assert TrajectoryCoordinatorChange.objects.count() == 1


def test_the_previous_coordinator_keeps_no_basis_once_their_work_is_handed_over(
    lead, professional, colleague, client_for, trajectory, start
) -> None:
    """Found in review: a coordinator change gave the new coordinator an assignment and left
    the old one's open, a lasting personal basis (ADR 0020). It ends, unless the previous
    coordinator still coordinates another open trajectory of the resident."""
    resident = trajectory.resident
    Assignment.objects.get_or_create(resident=resident, user=professional, ended_at=None)
    second = start()  # the previous coordinator also coordinates a second trajectory
    client = client_for(lead)
    client.post(change_url(trajectory), change_data(trajectory, colleague, REASON))
    assert Assignment.objects.filter(resident=resident, user=professional, ended_at=None).exists()

    client.post(change_url(second), change_data(second, colleague, REASON))

    assert not Assignment.objects.filter(
        resident=resident, user=professional, ended_at=None
    ).exists()
    assert Assignment.objects.filter(resident=resident, user=colleague, ended_at=None).exists()
    ended = Assignment.objects.get(resident=resident, user=professional)
    change = TrajectoryCoordinatorChange.objects.get(trajectory=second)
    entry = AccessLogEntry.objects.filter(event="update", user_id=lead.pk).order_by("-pk")[0]
    assert f"residents.assignment:{ended.pk}" in entry.objects_touched
    assert f"trajectories.trajectorycoordinatorchange:{change.pk}" in entry.objects_touched


def test_the_previous_coordinator_with_an_open_request_of_the_resident_keeps_the_basis(
    lead, professional, colleague, client_for, trajectory, team
) -> None:
    resident = trajectory.resident
    Assignment.objects.get_or_create(resident=resident, user=professional, ended_at=None)
    HelpRequestFactory(team=team, resident=resident, assigned_to=professional)

    client_for(lead).post(change_url(trajectory), change_data(trajectory, colleague, REASON))

    assert coordinator_of(trajectory) == colleague.pk
    assert Assignment.objects.filter(resident=resident, user=professional, ended_at=None).exists()
