"""The generator on its own (no database): determinism, BSNs, ages, households, addresses."""

from __future__ import annotations

import collections
import csv
import datetime
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wijk.residents.bsn import bsn_is_valid
from wijk.synthetic.generate import (
    AGE_TARGETS,
    CHILD,
    PARTNER,
    REFERENCE_PERSON,
    Area,
    City,
    city_generate,
    city_households,
    load_data,
    resident_target,
)

AS_OF = datetime.date(2026, 6, 1)
# the files the areas migration loads (read directly: this module needs no Django)
AREA_DATA = Path(__file__).resolve().parents[2] / "areas" / "data"


@functools.cache
def haarlem() -> tuple[Area, ...]:
    """Haarlem's buurten as the migration loads them, numbered as if they were ids."""
    with (AREA_DATA / "stadsdelen_haarlem.csv").open(encoding="utf-8") as handle:
        district_of = {row["wijkcode"]: row["stadsdeel"] for row in csv.DictReader(handle)}
    with (AREA_DATA / "cbs_wijken_buurten_haarlem_2016.csv").open(encoding="utf-8") as handle:
        return tuple(
            Area(number, row["buurtcode"], row["wijkcode"], district_of.get(row["wijkcode"], ""))
            for number, row in enumerate(csv.DictReader(handle), start=1)
        )


@functools.cache
def city(seed: int = 1, scale: float = 0.05) -> City:
    return city_generate(seed=seed, scale=scale, years=3, as_of=AS_OF, areas=haarlem())


def age(date_of_birth: datetime.date) -> int:
    before_birthday = (AS_OF.month, AS_OF.day) < (date_of_birth.month, date_of_birth.day)
    return AS_OF.year - date_of_birth.year - before_birthday


def test_same_seed_gives_the_same_rows() -> None:
    again = city_generate(seed=1, scale=0.05, years=3, as_of=AS_OF, areas=haarlem())
    assert again.digest() == city().digest()
    assert again.residents[:50] == city().residents[:50]


def test_same_seed_gives_the_same_rows_in_other_processes() -> None:
    """Nothing depends on string hashing (set order), which differs between processes."""
    program = (
        "import datetime; from wijk.synthetic.tests.test_generate import haarlem; "
        "from wijk.synthetic.generate import city_generate; "
        "print(city_generate(seed=1, scale=0.01, years=3, "
        "as_of=datetime.date(2026, 6, 1), areas=haarlem()).digest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", program],
            env=os.environ | {"PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in (1, 2)
    }
    assert digests == {city(scale=0.01).digest()}


def test_another_seed_gives_other_rows() -> None:
    assert city(seed=2).digest() != city().digest()


def test_resident_count_is_the_scale_of_haarlem() -> None:
    # households are drawn whole, so the last one may overshoot by a few
    assert resident_target(0.05) <= len(city().residents) < resident_target(0.05) + 10


def test_every_bsn_passes_the_elfproef_and_is_unique() -> None:
    bsns = [row.bsn for row in city().residents if row.bsn is not None]
    assert all(bsn_is_valid(bsn) for bsn in bsns)
    assert len(set(bsns)) == len(bsns)
    # about 60% have one: at n = 8,250 the standard error is half a percentage point
    assert 0.57 < len(bsns) / len(city().residents) < 0.63


def test_bsns_already_taken_are_avoided() -> None:
    taken = frozenset(row.bsn for row in city(scale=0.01).residents if row.bsn)
    again = city_generate(
        seed=1, scale=0.01, years=3, as_of=AS_OF, areas=haarlem(), taken_bsns=taken
    )
    assert not taken & {row.bsn for row in again.residents}


def test_age_structure_is_haarlems() -> None:
    """Shares by age band within 2.5 percentage points of AGE_TARGETS (CBS, Haarlem). At
    scale 0.05 (8,250 residents) sampling alone moves a share by under half a point (one
    standard error); the rest of the margin is for the model: ages follow from household
    kinds and the birth gaps between children, not from a quota per band."""
    ages = [age(row.date_of_birth) for row in city().residents]
    for (first, last), target in AGE_TARGETS.items():
        share = sum(first <= value <= last for value in ages) / len(ages)
        assert share == pytest.approx(target, abs=0.025), (first, last)
    assert max(ages) <= 105


def test_households_are_plausible() -> None:
    residents = city().residents
    by_household: dict[int, list] = collections.defaultdict(list)
    for row in residents:
        by_household[row.household].append(row)
    households = list(by_household.values())
    assert len(households) == len(city().households)
    # Haarlem: about 2.05 residents per household, a bit over 40% of them living alone
    assert 1.95 < len(residents) / len(households) < 2.15
    assert 0.36 < sum(len(members) == 1 for members in households) / len(households) < 0.46
    elderly_couples = 0
    for members in households:
        relations = [row.relation for row in members]
        assert relations.count(REFERENCE_PERSON) == 1
        assert relations.count(PARTNER) <= 1
        reference = next(row for row in members if row.relation == REFERENCE_PERSON)
        for child in (row for row in members if row.relation == CHILD):
            # a parent is at least 17 years older, and a child shares the family name
            assert age(reference.date_of_birth) - age(child.date_of_birth) >= 17
            assert child.family_name == reference.family_name
        if relations == [REFERENCE_PERSON, PARTNER] and age(reference.date_of_birth) >= 65:
            elderly_couples += 1
        assert all(age(row.date_of_birth) >= 18 for row in members if row.relation == PARTNER)
    assert elderly_couples > 0.05 * len(households)


def test_addresses_are_in_haarlem_and_distinct() -> None:
    households = city().households
    buurt_ids = {area.buurt_id for area in haarlem()}
    assert all(row.buurt_id in buurt_ids for row in households)
    assert all(re.fullmatch(r"20[0-3]\d[A-Z]{2}", row.postcode) for row in households)
    addresses = [
        (row.street, row.house_number, row.house_letter, row.house_number_addition)
        for row in households
    ]
    assert len(set(addresses)) == len(addresses)
    # every buurt with a fair weight has people; the business parks hardly any
    assert len({row.buurt_id for row in households}) > 0.85 * len(buurt_ids)


def test_registration_spreads_over_the_years_and_follows_birth() -> None:
    start = datetime.datetime(2023, 6, 2, tzinfo=datetime.UTC)  # three years of 365 days
    end = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    created = sorted(row.created_at for row in city().households)
    assert start <= created[0] and created[-1] < end
    assert created[len(created) // 2] == pytest.approx(
        start + (end - start) / 2, abs=datetime.timedelta(days=60)
    )
    for row in city().residents:
        assert start <= row.created_at < end
        assert row.created_at.date() >= row.date_of_birth


def test_contact_details_are_given_to_some() -> None:
    residents = city().residents
    with_phone = [row for row in residents if row.phone]
    with_email = [row for row in residents if row.email]
    assert 0.3 < len(with_phone) / len(residents) < 0.7
    assert 0.2 < len(with_email) / len(residents) < 0.5
    assert all(re.fullmatch(r"(06-\d{8}|023-5\d{6})", row.phone) for row in with_phone)
    assert all(
        re.fullmatch(r"[a-z]+\.[a-z]+\d*@example\.(com|net|org)", row.email) for row in with_email
    )


def test_data_files_hold_hundreds_of_names() -> None:
    data = load_data()
    given = {name for names in data.given.values() for name in names}
    assert len(given) > 300
    assert sum(len(weighted.items) for weighted in data.family.values()) > 300
    assert {prefix for prefix, _ in data.family["nl"].items} >= {"", "de", "van", "van der"}
    assert len(data.streets) > 300


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"scale": 0}, "scale"),
        ({"years": 0}, "year"),
        ({"areas": ()}, "buurten"),
    ],
)
def test_nonsense_is_refused(arguments: dict, message: str) -> None:
    defaults = {"seed": 1, "scale": 0.01, "years": 1, "as_of": AS_OF, "areas": haarlem()}
    with pytest.raises(ValueError, match=message):
        city_households(**(defaults | arguments))
