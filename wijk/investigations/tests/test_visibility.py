"""An investigation is visible exactly when its request is (InvestigationQuerySet.visible_to
writes the request's rule on the investigation's own paths): checked against the requests'
own rule for every kind of reader, also with a grant and after it ran out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.investigations.models import Investigation
from wijk.investigations.tests.conftest import receive, start
from wijk.requests.models import HelpRequest
from wijk.residents.tests.grants import break_the_glass, expire_grants
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db


def _same_answer(user, help_request, investigation) -> bool:
    sees_request = HelpRequest.objects.visible_to(user).filter(pk=help_request.pk).exists()
    sees_investigation = Investigation.objects.visible_to(user).filter(pk=investigation.pk).exists()
    assert sees_request == sees_investigation, user.role
    return sees_investigation


def test_visible_exactly_when_the_request_is(
    professional, colleague, team_lead, outsider, other_team, resident, team, make_user, client_for
) -> None:
    help_request = receive(resident=resident, team=team, assigned_to=professional)
    investigation = start(client_for(professional), help_request)
    # A request of the resident assigned to a professional of another team: assigned, but
    # the resident is not theirs.
    assigned_out = receive(resident=resident, team=team, assigned_to=outsider)
    investigation_out = start(client_for(professional), assigned_out)
    others = [make_user(role, teams=[team]) for role in (Role.MANAGEMENT, Role.MUNICIPALITY)]

    for user in (professional, colleague, team_lead):
        assert _same_answer(verified(user), help_request, investigation)
    for user in (outsider, *others):
        assert not _same_answer(verified(user), help_request, investigation)
    assert not _same_answer(verified(outsider), assigned_out, investigation_out)

    # Breaking the glass opens the resident, so the request assigned to the outsider and its
    # investigation; when the grant runs out, both close again.
    break_the_glass(client_for(outsider), resident)
    assert _same_answer(verified(outsider), assigned_out, investigation_out)
    assert (
        client_for(outsider)
        .get(reverse("investigations:detail", args=[investigation_out.pk]))
        .status_code
        == 200
    )
    expire_grants(resident)
    assert not _same_answer(verified(outsider), assigned_out, investigation_out)
