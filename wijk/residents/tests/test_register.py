"""Registering residents through the HTML form: validation, duplicates, households."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.models import AccessLogEntry
from wijk.residents.models import Assignment, HouseholdMembership, Resident
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


def form_data(**overrides):
    buurt = Buurt.objects.order_by("code").first()
    data = {
        "given_names": "Fatima",
        "name_prefix": "",
        "family_name": "El Amrani",
        "date_of_birth": "1984-03-12",
        "bsn": "111222333",
        "phone": "",
        "email": "",
        "street": "Grote Markt",
        "house_number": "2",
        "house_letter": "",
        "house_number_addition": "",
        "postcode": "2011 rd",
        "city": "Haarlem",
        "buurt": str(buurt.pk),
    }
    data.update(overrides)
    return data


def test_register_creates_resident_household_and_assignment(professional, client_for) -> None:
    response = client_for(professional).post(reverse("residents:register"), form_data())
    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:detail", args=[resident.pk])
    assert resident.address.postcode == "2011RD"
    assert HouseholdMembership.objects.get(resident=resident).relation == "reference_person"
    assert Assignment.objects.filter(resident=resident, user=professional).exists()
    created = AccessLogEntry.objects.get(event="create")
    assert created.resident_id == resident.pk
    assert "111222333" not in str(vars(created))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bsn", "123456789", "Dit BSN klopt niet"),
        ("postcode", "20111", "Vul een postcode in als 1234 AB."),
        ("date_of_birth", "2999-01-01", "De geboortedatum ligt in de toekomst."),
        ("street", "", "Vul de straat in."),
    ],
)
def test_invalid_input_gets_a_dutch_message_and_saves_nothing(
    professional, client_for, field, value, message
) -> None:
    response = client_for(professional).post(
        reverse("residents:register"), form_data(**{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resident.objects.exists()
    assert not AccessLogEntry.objects.filter(event="create").exists()


def test_existing_bsn_is_refused(professional, client_for) -> None:
    HouseholdMembershipFactory(resident__bsn="111222333")
    response = client_for(professional).post(
        reverse("residents:register"), {**form_data(), "confirm_new": "1"}
    )
    body = response.content.decode()
    assert "Staat deze inwoner al in wijk?" in body
    assert "Toch registreren" not in body
    assert Resident.objects.count() == 1


def test_same_name_and_birth_date_asks_for_confirmation(professional, client_for) -> None:
    outside_buurt = Buurt.objects.exclude(wijk__code="WK039201").first()
    HouseholdMembershipFactory(
        resident__given_names="Fatima",
        resident__family_name="El Amrani",
        resident__date_of_birth="1984-03-12",
        resident__address=AddressFactory(buurt=outside_buurt),
    )
    client = client_for(professional)
    first = client.post(reverse("residents:register"), form_data(bsn=""))
    body = first.content.decode()
    assert "Er is ook 1 inwoner buiten uw wijken met deze gegevens." in body
    assert "Fatima" not in body.split("Staat deze inwoner al in wijk?")[1].split("</div>")[0]
    assert Resident.objects.count() == 1
    confirmed = client.post(
        reverse("residents:register"), {**form_data(bsn=""), "confirm_new": "1"}
    )
    assert confirmed.status_code == 302
    assert Resident.objects.count() == 2


def test_household_member_joins_the_household_and_address(professional, client_for) -> None:
    head = HouseholdMembershipFactory().resident
    client = client_for(professional)
    page = client.get(reverse("residents:register") + f"?huishouden={head.pk}")
    assert page.status_code == 200
    assert "Huisgenoot registreren" in page.content.decode()
    response = client.post(
        reverse("residents:register"),
        {
            "household_of": str(head.pk),
            "given_names": "Noor",
            "family_name": "Jansen",
            "date_of_birth": "2015-06-01",
            "relation": "child",
        },
    )
    assert response.status_code == 302
    child = Resident.objects.exclude(pk=head.pk).get()
    assert child.address_id == head.address_id
    assert child.household_membership.household_id == head.household_membership.household_id
    assert child.household_membership.relation == "child"
