"""A refused access is logged even when the request's transaction is rolled back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.models import AccessLogEntry
from wijk.residents.models import Resident
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_refused_household_join_is_logged_and_nothing_is_written(
    make_user, team, client_for
) -> None:
    """Registering into the household of a resident outside the user's access: the service's
    transaction rolls back, the refusal stays in the log."""
    outside_buurt = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first()
    head = HouseholdMembershipFactory(
        resident__address=AddressFactory(buurt=outside_buurt)
    ).resident
    professional = make_user(Role.PROFESSIONAL, teams=[team])
    response = client_for(professional).post(
        reverse("residents:register"),
        {
            "household_of": str(head.pk),
            "given_names": "Sem",
            "family_name": "de Vries",
            "date_of_birth": "2012-01-01",
            "relation": "child",
        },
    )
    assert response.status_code == 403
    assert Resident.objects.count() == 1
    refused = AccessLogEntry.objects.get(resident_id=head.pk)
    assert refused.outcome == "refused"
    assert refused.user_id == professional.pk
    assert "residents:register" in refused.access_point


def test_refusal_inside_a_service_transaction_survives_its_rollback(make_user, team) -> None:
    """The household head is checked inside the service's durable transaction; the refusal
    is kept aside and written after that transaction has rolled back."""
    from wijk.core.audit import request_context_end, request_context_start
    from wijk.core.errors import BreakGlassRequired
    from wijk.residents.services import resident_register

    outside_buurt = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first()
    head = HouseholdMembershipFactory(
        resident__address=AddressFactory(buurt=outside_buurt)
    ).resident
    professional = make_user(Role.PROFESSIONAL, teams=[team])
    professional.is_verified = lambda: True  # as OTPMiddleware marks a verified request user
    token = request_context_start(access_point="web 127.0.0.1 test")
    try:
        with pytest.raises(BreakGlassRequired):
            resident_register(
                actor=professional,
                given_names="Sem",
                name_prefix="de",
                family_name="Vries",
                date_of_birth=head.date_of_birth,
                bsn=None,
                address=None,
                household_of=head.pk,
                relation="child",
                confirmed_not_duplicate=True,
            )
        assert not AccessLogEntry.objects.exists()  # kept aside while the request runs
    finally:
        request_context_end(token)
    assert Resident.objects.count() == 1
    assert AccessLogEntry.objects.get().outcome == "refused"
