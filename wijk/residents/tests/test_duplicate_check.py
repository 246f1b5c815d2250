"""The duplicate check at registration tells whether someone is known elsewhere: every check
is an access-log entry that stays when the registration is refused, and a user gets at most
WIJK_DUPLICATE_CHECK_LIMIT checks an hour (ADR 0017)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.audit import object_ref
from wijk.core.models import AccessLogEntry
from wijk.residents.models import Resident
from wijk.residents.selectors import DUPLICATE_CHECK_REASON
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory
from wijk.residents.tests.test_register import form_data

pytestmark = pytest.mark.django_db

ELSEWHERE = "Er is ook 1 inwoner buiten uw wijken met deze gegevens."
LIMIT_MESSAGE = "U heeft het afgelopen uur al heel vaak gecontroleerd"


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def known_elsewhere(team) -> Resident:
    """A client of another team: outside the professional's access."""
    outside_buurt = Buurt.objects.exclude(wijk__in=team.wijken.all()).order_by("code").first()
    return HouseholdMembershipFactory(
        resident__family_name="El Amrani",
        resident__date_of_birth="1984-03-12",
        resident__bsn="111222333",
        resident__address=AddressFactory(buurt=outside_buurt),
    ).resident


def checks_of(user) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(user_id=user.pk, reason=DUPLICATE_CHECK_REASON).order_by("id")
    )


@pytest.mark.parametrize(
    "probe",
    [
        pytest.param({"bsn": "111222333", "confirm_new": "1"}, id="bsn"),
        pytest.param({"bsn": ""}, id="family-name-and-date-of-birth"),
    ],
)
def test_a_check_that_finds_someone_elsewhere_is_logged_although_registration_is_refused(
    professional, client_for, known_elsewhere, probe
) -> None:
    response = client_for(professional).post(reverse("residents:register"), form_data(**probe))
    assert response.status_code == 200
    assert "Staat deze inwoner al in wijk?" in response.content.decode()
    assert Resident.objects.count() == 1  # refused: nobody registered
    (check,) = checks_of(professional)
    assert (check.event, check.outcome) == ("search", "success")
    assert check.objects_touched == [object_ref(known_elsewhere)]
    assert "residents:register" in check.access_point
    assert "111222333" not in str(vars(check))


def test_a_check_that_finds_nobody_is_logged_too(professional, client_for) -> None:
    response = client_for(professional).post(reverse("residents:register"), form_data())
    assert response.status_code == 302
    (check,) = checks_of(professional)
    assert (check.event, check.outcome, check.objects_touched) == ("search", "success", [])


def test_the_check_after_the_limit_is_refused_tells_nothing_and_is_logged(
    professional, client_for, known_elsewhere, make_user, team, settings
) -> None:
    settings.WIJK_DUPLICATE_CHECK_LIMIT = 3
    client = client_for(professional)
    for _n in range(3):
        allowed = client.post(reverse("residents:register"), form_data(bsn=""))
        assert ELSEWHERE in allowed.content.decode()
    refused = client.post(reverse("residents:register"), form_data(bsn=""))
    body = refused.content.decode()
    assert refused.status_code == 429
    assert LIMIT_MESSAGE in body
    assert "Staat deze inwoner al in wijk?" not in body
    assert ELSEWHERE not in body
    assert Resident.objects.count() == 1
    outcomes = [(c.outcome, c.objects_touched) for c in checks_of(professional)]
    assert outcomes == [("success", [object_ref(known_elsewhere)])] * 3 + [("refused", [])]
    # The limit is per user: a colleague still gets the answer.
    colleague = make_user(Role.PROFESSIONAL, teams=[team])
    answered = client_for(colleague).post(reverse("residents:register"), form_data(bsn=""))
    assert ELSEWHERE in answered.content.decode()
