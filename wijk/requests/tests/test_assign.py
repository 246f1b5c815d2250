"""Assigning a request to a professional of its team, through the service: by a team lead of
its team, audited and in its assignment history, only open requests the actor may see, only
to an active professional or team lead of the team. The pages: test_assign_pages.py."""

from __future__ import annotations

import pytest

from wijk.accounts.models import Role
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessLogEntry
from wijk.requests.models import RequestAssignment
from wijk.requests.services import request_assign, request_close
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.workflow import Outcome

pytestmark = pytest.mark.django_db


def verified(user):
    """Past the TOTP step, as OTPMiddleware marks a request's user."""
    user.is_verified = lambda: True
    return user


@pytest.fixture
def lead(team_lead):
    return verified(team_lead)


@pytest.fixture
def help_request(team, resident):
    return HelpRequestFactory(team=team, resident=resident)


def test_the_team_lead_assigns_a_request_and_it_is_audited(
    lead, professional, help_request, resident
) -> None:
    request_assign(actor=lead, help_request=help_request, assignee=professional)
    help_request.refresh_from_db()
    assert help_request.assigned_to == professional
    entry = AccessLogEntry.objects.get()
    assert (entry.event, entry.user_id, entry.resident_id) == ("update", lead.pk, resident.pk)
    change = RequestAssignment.objects.get()
    assert (change.assignee, change.previous, change.by) == (professional, None, lead)
    assert entry.objects_touched == [
        f"requests.helprequest:{help_request.pk}",
        f"requests.requestassignment:{change.pk}",
    ]


def test_assigning_to_whom_it_already_has_changes_nothing(lead, professional, help_request) -> None:
    request_assign(actor=lead, help_request=help_request, assignee=professional)
    request_assign(actor=lead, help_request=help_request, assignee=professional)
    assert AccessLogEntry.objects.count() == 1


def test_back_to_the_teams_queue(lead, professional, team, resident) -> None:
    help_request = HelpRequestFactory(team=team, resident=resident, assigned_to=professional)
    request_assign(actor=lead, help_request=help_request, assignee=None)
    help_request.refresh_from_db()
    assert help_request.assigned_to is None


@pytest.mark.parametrize(
    "who", ["other team", "management", "inactive"], ids=["other-team", "role", "inactive"]
)
def test_only_to_an_active_professional_of_the_team(
    lead, make_user, help_request, other_team, who
) -> None:
    if who == "other team":
        assignee = make_user(Role.PROFESSIONAL, teams=[other_team])
    elif who == "management":
        assignee = make_user(Role.MANAGEMENT, teams=[help_request.team])
    else:
        assignee = make_user(Role.PROFESSIONAL, teams=[help_request.team], is_active=False)
    with pytest.raises(ValidationFailed) as refused:
        request_assign(actor=lead, help_request=help_request, assignee=assignee)
    assert refused.value.fields["assigned_to"].endswith(
        f"hoort niet bij het team van hulpvraag {help_request.reference}."
    )
    help_request.refresh_from_db()
    assert help_request.assigned_to is None
    assert not AccessLogEntry.objects.exists()


def test_a_closed_request_is_not_reassigned(lead, professional, help_request) -> None:
    request_close(actor=lead, help_request=help_request, outcome=Outcome.INFORMATION_GIVEN)
    with pytest.raises(ValidationFailed):
        request_assign(actor=lead, help_request=help_request, assignee=professional)
    help_request.refresh_from_db()
    assert help_request.assigned_to is None


def test_a_request_the_actor_may_not_see_is_not_found(
    make_user, professional, other_team, help_request
) -> None:
    outsider = verified(make_user(Role.TEAM_LEAD, teams=[other_team]))
    with pytest.raises(NotFoundError):
        request_assign(actor=outsider, help_request=help_request, assignee=professional)
    unverified = make_user(Role.TEAM_LEAD, teams=[help_request.team])
    with pytest.raises(PermissionDeniedError):
        request_assign(actor=unverified, help_request=help_request, assignee=professional)
    help_request.refresh_from_db()
    assert help_request.assigned_to is None


def test_a_professional_does_not_assign_to_others(professional, colleague, help_request) -> None:
    with pytest.raises(PermissionDeniedError):
        request_assign(actor=verified(professional), help_request=help_request, assignee=colleague)
    help_request.refresh_from_db()
    assert help_request.assigned_to is None
    assert not RequestAssignment.objects.exists()
