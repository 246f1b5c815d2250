"""The lifecycle: every pair of states through the service, allowed and refused against a table
pinned here (not against workflow.TRANSITIONS), and closing through the HTML form with the
outflow and a warm handover."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.errors import (
    NotFoundError,
    PermissionDeniedError,
    TransitionRefused,
    ValidationFailed,
)
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.trajectories.models import Handover, Trajectory
from wijk.trajectories.services import trajectory_transition
from wijk.trajectories.tests.conftest import code, verified
from wijk.trajectories.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db

# The lifecycle written out by hand: a change to workflow.TRANSITIONS that does not match it
# fails here. Closed is final; a new trajectory starts instead.
EXPECTED: dict[str, set[str]] = {
    "active": {"paused", "closed"},
    "paused": {"active", "closed"},
    "closed": set(),
}
STATES = list(EXPECTED)


def outflow() -> dict:
    return {"outflow_date": timezone.localdate(), "outflow_reason": code("outflow_reasons", "19")}


def move(trajectory, actor, to):
    extra = outflow() if to == TrajectoryStatus.CLOSED else {}
    return trajectory_transition(actor=actor, trajectory=trajectory, to=to, **extra)


def in_state(start, professional, state):
    """A trajectory brought to `state` by the service itself."""
    trajectory = start()
    if state != TrajectoryStatus.ACTIVE:
        trajectory = move(trajectory, professional, state)
    return trajectory


def test_the_pinned_table_names_every_state() -> None:
    assert set(EXPECTED) == set(TrajectoryStatus.values)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STATES, STATES)))
def test_every_pair_of_states(start, professional, source, target) -> None:
    trajectory = in_state(start, professional, source)
    history = list(trajectory.status_changes.values_list("seq", "status"))
    entries = AccessLogEntry.objects.count()
    if target in EXPECTED[source]:
        moved = move(trajectory, professional, target)
        assert moved.status == target
        assert list(moved.status_changes.values_list("seq", "status")) == [
            *history,
            (len(history) + 1, target),
        ]
        update = AccessLogEntry.objects.order_by("-id").first()
        assert AccessLogEntry.objects.count() == entries + 1
        assert update.event == "update"
        assert update.resident_id == trajectory.resident_id
        assert f"trajectories.trajectory:{trajectory.pk}" in update.objects_touched
    else:
        with pytest.raises(TransitionRefused) as refused:
            move(trajectory, professional, target)
        assert "Deze stap kan niet" in refused.value.fields["to"]
        trajectory.refresh_from_db()
        assert trajectory.status == source
        assert list(trajectory.status_changes.values_list("seq", "status")) == history
        assert AccessLogEntry.objects.count() == entries


def test_an_unknown_state_is_refused(start, professional) -> None:
    with pytest.raises(ValidationFailed):
        trajectory_transition(actor=professional, trajectory=start(), to="deleted")


def test_pausing_takes_no_outflow(start, professional) -> None:
    with pytest.raises(ValidationFailed, match="alleen bij afsluiten"):
        trajectory_transition(actor=professional, trajectory=start(), to="paused", **outflow())


def test_a_colleague_of_another_team_cannot_move_it(start, make_user) -> None:
    outsider = verified(make_user(Role.PROFESSIONAL, teams=[TeamFactory()]))
    with pytest.raises(NotFoundError):
        trajectory_transition(actor=outsider, trajectory=start(), to="paused")


def test_a_role_without_person_level_access_cannot_move_it(start, make_user) -> None:
    manager = verified(make_user(Role.MANAGEMENT))
    with pytest.raises(PermissionDeniedError):
        trajectory_transition(actor=manager, trajectory=start(), to="paused")
    assert Trajectory.objects.get().status == "active"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE trajectories_trajectorystatuschange SET reason = 'changed'",
        "DELETE FROM trajectories_trajectorystatuschange",
    ],
)
def test_the_database_refuses_to_rewrite_the_history(start, statement) -> None:
    trajectory = start()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert trajectory.status_changes.count() == 1


@pytest.fixture
def trajectory(start):
    return start(inflow_date=timezone.localdate() - datetime.timedelta(days=60))


def close_data(**overrides):
    data = {
        "to": "closed",
        "reason": "Doelen bereikt",
        "outflow_date": timezone.localdate().isoformat(),
        "outflow_reason": str(code("outflow_reasons", "39").pk),
        "handover_destination": "wlz",
        "handover_receiver": "Zorgkantoor Zilveren Kruis",
        "handover_date": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_close_with_outflow_and_a_warm_handover_to_the_wlz(
    professional, client_for, trajectory
) -> None:
    client = client_for(professional)
    url = reverse("trajectories:transition", args=[trajectory.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Afsluiten" in page.content.decode()

    response = client.post(url, close_data())

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == "closed"
    assert trajectory.outflow_date == timezone.localdate()
    assert trajectory.outflow_reason.code == "39"
    handover = Handover.objects.get(trajectory=trajectory)
    assert (handover.destination, handover.receiver) == ("wlz", "Zorgkantoor Zilveren Kruis")
    last = trajectory.status_changes.order_by("-seq").first()
    assert (last.seq, last.status, last.reason) == (2, "closed", "Doelen bereikt")
    entry = AccessLogEntry.objects.filter(event="update").get()
    assert f"trajectories.handover:{handover.pk}" in entry.objects_touched
    detail = client.get(response["Location"]).content.decode()
    assert "Wet langdurige zorg (Wlz)" in detail
    assert "Zorgkantoor Zilveren Kruis" in detail
    assert "Uitstroom naar ander domein" in detail
    # Closed is final: the page says so and offers no form.
    closed_page = client.get(url).content.decode()
    assert "gaat niet meer open" in closed_page
    assert 'name="to"' not in closed_page


def test_close_without_handover(professional, client_for, trajectory) -> None:
    response = client_for(professional).post(
        reverse("trajectories:transition", args=[trajectory.pk]),
        close_data(handover_destination="", handover_receiver="", handover_date=""),
    )
    assert response.status_code == 302
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"outflow_date": ""}, "Vul de datum uitstroom in."),
        ({"outflow_reason": ""}, "Kies de reden uitstroom."),
        (
            {"outflow_date": (timezone.localdate() - datetime.timedelta(days=61)).isoformat()},
            "De datum uitstroom ligt voor de datum instroom.",
        ),
        (
            {"outflow_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "De datum uitstroom ligt in de toekomst.",
        ),
        ({"handover_receiver": ""}, "Vul de naam van de organisatie of gemeente in"),
        ({"handover_date": ""}, "Vul de datum van de overdracht in."),
        ({"handover_destination": ""}, "Kies aan wie u overdraagt."),
        ({"to": "active"}, "Deze stap kan niet."),
    ],
)
def test_closing_refused_with_a_dutch_message(
    professional, client_for, trajectory, overrides, message
) -> None:
    response = client_for(professional).post(
        reverse("trajectories:transition", args=[trajectory.pk]), close_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.status == "active"
    assert not Handover.objects.exists()
    assert trajectory.status_changes.count() == 1


def test_pause_and_resume_through_the_form(professional, client_for, trajectory) -> None:
    client = client_for(professional)
    url = reverse("trajectories:transition", args=[trajectory.pk])
    client.post(url, {"to": "paused", "reason": "Inwoner is drie maanden in het buitenland"})
    page = client.get(url).content.decode()
    assert "Hervatten" in page
    client.post(url, {"to": "active"})
    trajectory.refresh_from_db()
    assert trajectory.status == "active"
    assert list(trajectory.status_changes.values_list("seq", "status")) == [
        (1, "active"),
        (2, "paused"),
        (3, "active"),
    ]


def test_another_teams_trajectory_looks_missing(client_for, make_user, trajectory) -> None:
    outsider = client_for(make_user(Role.PROFESSIONAL, teams=[TeamFactory()]))
    url = reverse("trajectories:transition", args=[trajectory.pk])
    missing = reverse("trajectories:transition", args=[trajectory.pk + 1000])
    assert outsider.post(url, close_data()).status_code == 404
    assert outsider.get(url).status_code == outsider.get(missing).status_code == 404
    assert Trajectory.objects.get().status == "active"
