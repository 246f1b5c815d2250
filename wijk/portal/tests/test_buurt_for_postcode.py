"""wijk.areas.selectors.buurt_for_postcode: routing the public form's requests by postcode
without reading anyone's data (it answers with an area only and writes nothing to the access
log)."""

from __future__ import annotations

import pytest

from wijk.areas.models import Buurt
from wijk.areas.selectors import buurt_for_postcode
from wijk.core.models import AccessLogEntry
from wijk.residents.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_buurten() -> tuple[Buurt, Buurt]:
    first, second = Buurt.objects.order_by("code")[:2]
    return first, second


def test_the_buurt_most_addresses_with_the_postcode_lie_in(two_buurten) -> None:
    first, second = two_buurten
    AddressFactory(postcode="2034XY", house_number=1, buurt=first)
    AddressFactory(postcode="2034XY", house_number=2, buurt=second)
    AddressFactory(postcode="2034XY", house_number=3, buurt=second)
    assert buurt_for_postcode(postcode="2034XY") == second
    assert not AccessLogEntry.objects.exists()


def test_the_house_number_picks_its_own_buurt(two_buurten) -> None:
    first, second = two_buurten
    AddressFactory(postcode="2034XY", house_number=1, buurt=first)
    AddressFactory(postcode="2034XY", house_number=2, buurt=second)
    AddressFactory(postcode="2034XY", house_number=3, buurt=second)
    assert buurt_for_postcode(postcode="2034XY", house_number=1) == first
    assert buurt_for_postcode(postcode="2034XY", house_number=99) == second  # unknown number


def test_an_unknown_postcode_has_no_buurt(two_buurten) -> None:
    AddressFactory(postcode="2034XY", house_number=1, buurt=two_buurten[0])
    assert buurt_for_postcode(postcode="9999ZZ") is None
    assert buurt_for_postcode(postcode="9999ZZ", house_number=1) is None


def test_the_buurt_comes_with_its_wijk(two_buurten, django_assert_num_queries) -> None:
    AddressFactory(postcode="2034XY", house_number=1, buurt=two_buurten[0])
    with django_assert_num_queries(1):
        buurt = buurt_for_postcode(postcode="2034XY", house_number=1)
        assert buurt is not None
        assert buurt.wijk.code.startswith("WK")
    with django_assert_num_queries(2):  # an unknown number: then by the postcode alone
        buurt = buurt_for_postcode(postcode="2034XY", house_number=99)
        assert buurt is not None
        assert buurt.wijk.code.startswith("WK")


def test_a_tie_goes_to_the_buurt_with_the_lowest_id(two_buurten) -> None:
    first, second = sorted(two_buurten, key=lambda buurt: buurt.pk)
    AddressFactory(postcode="2034XY", house_number=2, buurt=second)
    AddressFactory(postcode="2034XY", house_number=1, buurt=first)
    assert buurt_for_postcode(postcode="2034XY") == first
