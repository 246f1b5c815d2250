"""The request's lifecycle on wijk.core.workflow: every pair of states through the services,
checked against a table pinned here (not against workflow.TRANSITIONS); every service that
changes a request locks it through the visibility rule and refuses roles without person-level
access; closing is durable on its own; the history is append-only in the database."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from wijk.accounts.models import Role, User
from wijk.core.errors import (
    NotFoundError,
    PermissionDeniedError,
    TransitionRefused,
    ValidationFailed,
)
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.models import HelpRequest
from wijk.requests.services import (
    REQUEST_WORKFLOW,
    request_close,
    request_link_resident,
    request_pick_up,
    request_record_attempt,
)
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.workflow import Outcome, RequestStatus

pytestmark = pytest.mark.django_db

# The lifecycle as the law and the teams describe it (ADR 0009), written out by hand: a change
# to workflow.TRANSITIONS that does not match it fails here.
EXPECTED: dict[str, set[str]] = {
    "received": {"contacted", "closed"},
    "contacted": {"closed"},
    "closed": set(),
}
STATES = list(EXPECTED)


def verified(user: User) -> User:
    """Past the TOTP step, as OTPMiddleware marks a request's user."""
    user.is_verified = lambda: True  # type: ignore[method-assign]
    return user


@pytest.fixture
def actor(professional):
    return verified(professional)


@pytest.fixture
def help_request(team, resident):
    return HelpRequestFactory(team=team, resident=resident)


def move(help_request: HelpRequest, actor: User, to: str) -> HelpRequest:
    """Take the step to `to` through the service that leads there. No service leads back to
    "received", so that step is asked of the shared mechanism itself."""
    if to == RequestStatus.CONTACTED:
        return request_record_attempt(actor=actor, help_request=help_request, reached=True)
    if to == RequestStatus.CLOSED:
        return request_close(actor=actor, help_request=help_request, outcome=Outcome.WITHDRAWN)
    with transaction.atomic():
        return REQUEST_WORKFLOW.transition(subject=help_request, to=to, actor=actor)


def test_the_pinned_table_names_every_state() -> None:
    assert set(EXPECTED) == set(RequestStatus.values)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STATES, STATES)))
def test_every_pair_of_states(actor, help_request, source, target) -> None:
    if source != RequestStatus.RECEIVED:
        help_request = move(help_request, actor, source)
    history = list(help_request.status_changes.values_list("seq", "status"))
    entries = AccessLogEntry.objects.count()
    if target in EXPECTED[source]:
        moved = move(help_request, actor, target)
        assert moved.status == target
        assert list(moved.status_changes.values_list("seq", "status")) == [
            *history,
            (len(history) + 1, target),
        ]
        change = moved.status_changes.get(seq=len(history) + 1)
        assert change.by == actor
        update = AccessLogEntry.objects.order_by("-id").first()
        assert AccessLogEntry.objects.count() == entries + 1
        assert (update.event, update.resident_id) == ("update", help_request.resident_id)
        assert update.objects_touched[:2] == [
            f"requests.helprequest:{help_request.pk}",
            f"requests.requeststatuschange:{change.pk}",
        ]
    elif (source, target) == ("contacted", "contacted"):
        # A later successful contact is recorded as an attempt, not as a step.
        move(help_request, actor, target)
    else:
        with pytest.raises(ValidationFailed) as refused:
            move(help_request, actor, target)
        if target == RequestStatus.RECEIVED:
            assert isinstance(refused.value, TransitionRefused)
            assert "Deze stap kan niet" in refused.value.fields["to"]
        assert AccessLogEntry.objects.count() == entries
    help_request.refresh_from_db()
    if target not in EXPECTED[source]:
        assert help_request.status == source
        assert list(help_request.status_changes.values_list("seq", "status")) == history


# --- every change locks the request through the visibility rule (issue 11, hole 8) ----------


def _outsider(make_user) -> User:
    return verified(make_user(Role.PROFESSIONAL, teams=[TeamFactory()]))


def _manager(make_user) -> User:
    return verified(make_user(Role.MANAGEMENT))


CHANGES: dict[str, Callable[[User, HelpRequest], object]] = {
    "attempt": lambda user, r: request_record_attempt(actor=user, help_request=r, reached=False),
    "first-contact": lambda user, r: request_record_attempt(
        actor=user, help_request=r, reached=True
    ),
    "close": lambda user, r: request_close(
        actor=user, help_request=r, outcome=Outcome.INFORMATION_GIVEN
    ),
    "pick-up": lambda user, r: request_pick_up(actor=user, help_request=r),
    "link": lambda user, r: request_link_resident(
        actor=user, help_request=r, resident_id=r.resident_id or 0
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_colleague_of_another_team_finds_no_request_to_change(
    make_user, team, resident, change
) -> None:
    help_request = HelpRequestFactory(
        team=team, resident=resident if change != "link" else None, assigned_to=None
    )
    history = list(help_request.status_changes.values_list("seq", "status"))
    with pytest.raises(NotFoundError):
        CHANGES[change](_outsider(make_user), help_request)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.RECEIVED
    assert not help_request.contact_attempts.exists()
    assert list(help_request.status_changes.values_list("seq", "status")) == history
    assert not AccessLogEntry.objects.filter(event="update").exists()


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_role_without_person_level_access_is_refused(make_user, help_request, change) -> None:
    with pytest.raises(PermissionDeniedError):
        CHANGES[change](_manager(make_user), help_request)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.RECEIVED
    assert not help_request.contact_attempts.exists()
    assert not AccessLogEntry.objects.filter(event="update").exists()


def test_closing_on_its_own_is_a_durable_transaction(actor, help_request) -> None:
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        request_close(actor=actor, help_request=help_request, outcome=Outcome.WITHDRAWN)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.RECEIVED


def test_a_refused_close_leaves_no_trace(actor, help_request) -> None:
    with pytest.raises(ValidationFailed, match="contactpogingen"):
        request_close(actor=actor, help_request=help_request, outcome=Outcome.NOT_REACHABLE)
    help_request.refresh_from_db()
    assert (help_request.status, help_request.outcome) == (RequestStatus.RECEIVED, "")
    assert help_request.status_changes.count() == 1
    assert not AccessLogEntry.objects.exists()


# --- the history is append-only ------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE requests_requeststatuschange SET reason = 'changed'",
        "DELETE FROM requests_requeststatuschange",
    ],
)
def test_the_database_refuses_to_rewrite_the_history(help_request, statement) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert help_request.status_changes.count() == 1
