"""Searching residents by name, through the search form: which words find whom, in which
order, and the cap; on PostgreSQL (the indexed union of capped branches) and SQLite (one
query) alike."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.residents.models import Resident
from wijk.residents.selectors import SEARCH_LIMIT
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def search(make_user, team, client_for):
    """Posts the search form as a professional of the team; returns the residents found, in
    the order shown (read from the access log entry, which names them in that order)."""
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))

    def run(**fields: str) -> list[Resident]:
        form = {"name": "", "date_of_birth": "", "bsn": "", "postcode": ""} | fields
        response = client.post(reverse("residents:search"), form)
        assert response.status_code == 200
        entry = AccessLogEntry.objects.filter(event="search").order_by("-id").first()
        assert entry is not None
        pks = [int(ref.split(":")[1]) for ref in entry.objects_touched]
        by_pk = Resident.objects.in_bulk(pks)
        found = [by_pk[pk] for pk in pks]
        page = response.content.decode()
        assert all(r.family_name in page for r in found)
        return found

    return run


def _names(residents: list[Resident]) -> list[str]:
    return [r.full_name for r in residents]


def test_words_match_the_start_of_family_or_given_names(search) -> None:
    jan = ResidentFactory(given_names="Jan Pieter", name_prefix="de", family_name="Jong")
    pieter = ResidentFactory(given_names="Pieter", family_name="Jongeneel")
    ResidentFactory(given_names="Anna", family_name="Bongers")  # "ong" inside: no match

    assert _names(search(name="jong")) == _names([jan, pieter])
    assert _names(search(name="JO")) == _names([jan, pieter])
    assert _names(search(name="pieter jong")) == _names([jan, pieter])
    assert _names(search(name="jan jong")) == [jan.full_name]
    assert _names(search(name="Pie")) == _names([jan, pieter])  # a second given name too
    assert search(name="ongers") == []


def test_tussenvoegsels_are_left_out_unless_alone(search) -> None:
    de_jong = ResidentFactory(given_names="Aaltje", name_prefix="de", family_name="Jong")
    jong = ResidentFactory(given_names="Bram", family_name="Jong")
    # Entered with the tussenvoegsel in the family name: found by the whole phrase.
    van_dijk = ResidentFactory(given_names="Cor", family_name="van Dijk")
    ter_horst = ResidentFactory(given_names="Dirk", name_prefix="ter", family_name="Horst")

    assert _names(search(name="de jong")) == _names([de_jong, jong])
    assert _names(search(name="van dijk")) == [van_dijk.full_name]
    assert _names(search(name="ter")) == [ter_horst.full_name]


def test_a_double_family_name_typed_whole_is_found(search) -> None:
    # A word that comes twice ("van") is part of the name as typed, not a duplicate to drop.
    double = ResidentFactory(given_names="Thijn", family_name="van Hoevel en van Zwindrecht")
    ResidentFactory(given_names="Sanne", family_name="van Hoevel")

    assert _names(search(name="van Hoevel en van Zwindrecht")) == [double.full_name]
    assert _names(search(name="van  hoevel EN van zwindrecht")) == [double.full_name]


def test_results_are_in_name_order_and_capped(search) -> None:
    """More matches than the cap, some by family name and some by given name only: the
    first SEARCH_LIMIT in the order of family name, then given names."""
    family = [
        ResidentFactory(given_names=f"Kees {i:02d}", family_name="Visser")
        for i in range(SEARCH_LIMIT)
    ]
    given = [
        ResidentFactory(given_names="Visserman", family_name=name)
        for name in ("Aarts", "Zwart", "Bakker")
    ]
    expected = sorted(
        family + given, key=lambda r: (r.family_name.lower(), r.given_names.lower(), r.pk)
    )[:SEARCH_LIMIT]

    found = search(name="visser")

    assert len(found) == SEARCH_LIMIT
    assert [r.pk for r in found] == [r.pk for r in expected]


def test_other_criteria_narrow_a_name_search(search) -> None:
    els = ResidentFactory(
        given_names="Els",
        family_name="Mulder",
        date_of_birth=datetime.date(1961, 3, 14),
        address=AddressFactory(postcode="2011AB"),
    )
    eva = ResidentFactory(
        given_names="Eva",
        family_name="Mulder",
        date_of_birth=datetime.date(1961, 3, 1),
        address=AddressFactory(postcode="2012CD"),
    )
    assert _names(search(name="mulder")) == _names([els, eva])

    assert _names(search(name="mulder", date_of_birth="1961-03-14")) == [els.full_name]
    assert _names(search(name="mulder", date_of_birth="1961-03-01")) == [eva.full_name]
    assert _names(search(name="mulder", postcode="2011AB")) == [els.full_name]
    assert _names(search(name="mulder", postcode="2012 cd")) == [eva.full_name]
    assert search(name="mulder", date_of_birth="1961-03-14", postcode="2012CD") == []


def test_query_count_does_not_grow_with_the_matches(search) -> None:
    ResidentFactory(given_names="Ria", family_name="Smit")

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            search(name=name)
        return len(captured)

    few = queries("smit ria")
    ResidentFactory.create_batch(30, family_name="Smit", given_names="Ria")
    assert queries("smit ria") == few
