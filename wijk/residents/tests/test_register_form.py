"""The resident registration form says everything that is wrong at once, takes the buurt from
postcode and house number, reads a house number as the BAG writes it; the search form gives
one message for a BSN that is too short."""

from __future__ import annotations

import datetime
import html

import pytest
from django.conf import settings
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.residents.models import Resident
from wijk.residents.tests.factories import AddressFactory
from wijk.residents.tests.test_register import form_data

pytestmark = pytest.mark.django_db

URL = "residents:register"


@pytest.fixture
def http(make_user, team, client_for):
    return client_for(make_user(Role.PROFESSIONAL, teams=[team]))


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _buurten() -> tuple[Buurt, Buurt]:
    first, second = Buurt.objects.order_by("code")[:2]
    return first, second


def test_every_error_in_one_round_future_birth_date_with_a_missing_name(http) -> None:
    response = http.post(
        reverse(URL), form_data(family_name="", date_of_birth="2999-01-01", house_number="x")
    )
    page = _page(response)
    assert response.status_code == 200
    assert 'href="#id_family_name">Vul "Achternaam" in.</a>' in page
    assert 'href="#id_date_of_birth">De geboortedatum ligt in de toekomst.</a>' in page
    assert 'href="#id_house_number">Begin het huisnummer met het nummer' in page
    assert not Resident.objects.exists()


def test_the_page_marks_nothing_invalid_and_asks_no_buurt_before_a_submit(http) -> None:
    page = _page(http.get(reverse(URL)))
    assert "aria-invalid" not in page and "form-field--invalid" not in page
    assert "wijk-error-summary" not in page
    assert 'name="buurt"' not in page
    assert 'aria-required="true" id="id_family_name"' in page


def test_the_buurt_is_taken_from_a_known_postcode(http) -> None:
    first, _second = _buurten()
    AddressFactory(postcode="2011RD", house_number=5, buurt=first)
    data = form_data(postcode="2011 RD", house_number="2")
    del data["buurt"]
    response = http.post(reverse(URL), data)
    assert response.status_code == 302
    resident = Resident.objects.get(family_name="El Amrani")
    assert resident.address is not None and resident.address.buurt == first


def test_the_house_number_decides_between_the_buurten_of_a_postcode(http) -> None:
    first, second = _buurten()
    AddressFactory(postcode="2011RD", house_number=2, buurt=first)
    AddressFactory(postcode="2011RD", house_number=40, buurt=second)
    data = form_data(postcode="2011RD", house_number="40")
    del data["buurt"]
    assert http.post(reverse(URL), data).status_code == 302
    resident = Resident.objects.get(family_name="El Amrani")
    assert resident.address is not None and resident.address.buurt == second


def test_an_ambiguous_postcode_asks_for_the_buurt_among_its_buurten_only(http) -> None:
    first, second = _buurten()
    AddressFactory(postcode="2011RD", house_number=2, buurt=first)
    AddressFactory(postcode="2011RD", house_number=40, buurt=second)
    data = form_data(postcode="2011RD", house_number="17")
    del data["buurt"]
    response = http.post(reverse(URL), data)
    page = _page(response)
    assert 'href="#id_buurt_0">Deze postcode ligt in meer dan één buurt.' in page
    assert page.count('name="buurt"') == 2  # a radio button for each candidate
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' in page
    assert not Resident.objects.exists()
    third = Buurt.objects.exclude(pk__in=[first.pk, second.pk]).order_by("code").first()
    assert third is not None
    refused = _page(http.post(reverse(URL), {**data, "buurt": str(third.pk)}))
    assert "Deze postcode ligt in meer dan één buurt." in refused
    assert not Resident.objects.exists()
    assert http.post(reverse(URL), {**data, "buurt": str(second.pk)}).status_code == 302
    resident = Resident.objects.get(family_name="El Amrani")
    assert resident.address is not None and resident.address.buurt == second


def test_an_unknown_postcode_says_so_and_offers_every_buurt(http) -> None:
    data = form_data(postcode="2031 XX")
    del data["buurt"]
    page = _page(http.post(reverse(URL), data))
    assert "Bij deze postcode kennen wij de buurt nog niet." in page
    newest = Buurt.objects.order_by("-source_year").values_list("source_year", flat=True)[0]
    options = page.split('name="buurt"', 1)[1].split("</select>", 1)[0]
    assert options.count("<option") == Buurt.objects.filter(source_year=newest).count() + 1
    chosen = Buurt.objects.filter(source_year=newest).order_by("name").first()
    assert chosen is not None
    assert http.post(reverse(URL), {**data, "buurt": str(chosen.pk)}).status_code == 302
    resident = Resident.objects.get(family_name="El Amrani")
    assert resident.address is not None and resident.address.buurt == chosen


@pytest.mark.parametrize(
    ("typed", "number", "letter", "addition"),
    [
        ("12", 12, "", ""),
        ("12a", 12, "A", ""),
        ("12 A", 12, "A", ""),
        ("12-2", 12, "", "2"),
        ("12 bis", 12, "", "BIS"),
        ("12a-3", 12, "A", "3"),
        ("99999", 99999, "", ""),
    ],
)
def test_a_house_number_as_the_bag_writes_it(http, typed, number, letter, addition) -> None:
    assert http.post(reverse(URL), form_data(house_number=typed)).status_code == 302
    address = Resident.objects.get(family_name="El Amrani").address
    assert address is not None
    assert (address.house_number, address.house_letter, address.house_number_addition) == (
        number,
        letter,
        addition,
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul het huisnummer in."),
        ("a12", "Begin het huisnummer met het nummer, bijvoorbeeld 12 of 12a."),
        ("123456", "Een huisnummer heeft niet meer dan 5 cijfers."),
        ("0", "Een huisnummer begint bij 1."),
        ("12-", "Vul het huisnummer in als 12, 12a, 12-2 of 12 bis"),
        ("12 abcde", "Vul het huisnummer in als 12, 12a, 12-2 of 12 bis"),
    ],
)
def test_a_wrong_house_number_gets_its_own_message(http, typed, message) -> None:
    page = _page(http.post(reverse(URL), form_data(house_number=typed)))
    assert f'<a class="utrecht-link" href="#id_house_number">{message}' in page
    assert not Resident.objects.exists()


def test_a_bsn_of_three_digits_gets_one_message(http) -> None:
    form = {"name": "", "date_of_birth": "", "bsn": "123", "postcode": ""}
    page = _page(http.post(reverse("residents:search"), form))
    assert "Een BSN heeft 9 cijfers." in page
    assert "Vul ten minste één zoekveld in." not in page
    empty = _page(http.post(reverse("residents:search"), {**form, "bsn": ""}))
    assert "Vul ten minste één zoekveld in." in empty


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_date_of_birth_is_a_native_date_field_in_dutch_and_english(http, language) -> None:
    """A native date field sends and shows ISO 8601 whatever the language of the page."""
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = _page(http.post(reverse(URL), form_data(family_name="", date_of_birth="1984-03-12")))
    assert f'<html lang="{language}"' in page
    assert 'type="date" name="date_of_birth" value="1984-03-12"' in page

    assert http.post(reverse(URL), form_data(date_of_birth="1984-03-12")).status_code == 302
    assert Resident.objects.get().date_of_birth == datetime.date(1984, 3, 12)
    search = {"name": "", "date_of_birth": "1984-03-12", "bsn": "", "postcode": ""}
    found = _page(http.post(reverse("residents:search"), search))
    assert 'type="date" name="date_of_birth" value="1984-03-12"' in found
    assert "El Amrani" in found
