"""The synthetic city, generated: pure and deterministic.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same seed, scale,
years and as-of date give the same rows on any machine and any database. Nothing here touches
the database: the areas come in as plain values, and rows refer to each other by list index
(a resident names its household by position); wijk.synthetic.services turns positions into
ids while it writes.

The shape follows Haarlem: about 165,000 residents in about 80,000 households at scale 1, an
age structure and household composition close to CBS figures for Haarlem and the Netherlands
(see AGE_TARGETS), names drawn from the lists in wijk/synthetic/data (Dutch names with
tussenvoegsels, and the names of Haarlem's larger migrant groups), addresses with a
postcode in Haarlem's 20xx range, and a valid, unique BSN for about 60% of the residents.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import functools
import hashlib
import itertools
import random
import string
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"

RESIDENTS_AT_SCALE_1 = 165_000
BSN_SHARE = 0.60

# Shares of the population by age band that the generator aims at (CBS, Haarlem around
# 2023: 0-14 17%, 15-19 about 6%, 20-64 about 59%, 65+ about 18%). Tested in
# wijk/synthetic/tests/test_generate.py.
AGE_TARGETS: dict[tuple[int, int], float] = {
    (0, 14): 0.17,
    (15, 19): 0.06,
    (20, 64): 0.59,
    (65, 120): 0.18,
}

REFERENCE_PERSON = "reference_person"
PARTNER = "partner"
CHILD = "child"
PARENT = "parent"
OTHER_FAMILY = "other_family"
OTHER = "other"

_YOUNG_FROM = 1995  # birth years from here use the "young" given names
_OLD_BEFORE = 1960  # birth years before this use the "old" ones
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # RFC 2606: never delivered
# Letter pairs of a Dutch postcode; SA, SD and SS are not used.
_POSTCODE_LETTERS = tuple(
    a + b
    for a, b in itertools.product(string.ascii_uppercase, repeat=2)
    if a + b not in {"SA", "SD", "SS"}
)


@dataclass(frozen=True)
class Area:
    """A buurt, as the generator needs it."""

    buurt_id: int
    buurt_code: str
    wijk_code: str
    district: str  # the stadsdeel's name, "" when the wijk has none


class DrawnHousehold(NamedTuple):
    """A household and its address (one each), as drawn; the writer makes the rows of both
    tables from it (wijk.synthetic.rows)."""

    street: str
    house_number: int
    house_letter: str
    house_number_addition: str
    postcode: str
    buurt_id: int
    created_at: datetime.datetime


class DrawnResident(NamedTuple):
    """A resident and their household membership, as drawn."""

    household: int  # position in City.households
    relation: str
    given_names: str
    name_prefix: str
    family_name: str
    date_of_birth: datetime.date
    bsn: str | None
    phone: str
    email: str
    created_at: datetime.datetime


@dataclass
class City:
    households: list[DrawnHousehold]
    residents: list[DrawnResident]

    def digest(self) -> str:
        """A SHA-256 over every generated row: equal digests, equal cities."""
        digest = hashlib.sha256()
        for rows in (self.households, self.residents):
            for row in rows:
                digest.update(repr(tuple(row)).encode())
            digest.update(b"|")
        return digest.hexdigest()


# -- the data files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Weighted:
    items: tuple[tuple[str, str], ...]  # (prefix, name)
    cumulative: tuple[float, ...]


@dataclass(frozen=True)
class NameData:
    given: dict[tuple[str, str, str], tuple[str, ...]]  # (sex, origin, cohort) -> names
    family: dict[str, _Weighted]  # origin -> weighted (prefix, name)
    slugs: dict[str, str]  # name part -> lower-case ASCII, for e-mail addresses
    streets: tuple[str, ...]
    profiles: dict[str, tuple[float, float]]  # buurt code -> (weight, share of flats)
    postcodes: dict[str, tuple[str, ...]]  # stadsdeel -> its four-digit postcodes


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in ascii_text.lower() if c in string.ascii_lowercase)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def load_data() -> NameData:
    """The name, street and area lists in wijk/synthetic/data, checked once."""
    given: dict[tuple[str, str, str], list[str]] = {}
    for row in _read_csv("given_names.csv"):
        given.setdefault((row["sex"], row["origin"], row["cohort"]), []).append(row["name"])
    family: dict[str, list[tuple[str, str, int]]] = {}
    for row in _read_csv("family_names.csv"):
        family.setdefault(row["origin"], []).append(
            (row["prefix"], row["name"], int(row["weight"]))
        )
    streets = tuple(
        line.strip()
        for line in (DATA_DIR / "streets.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    profiles = {
        row["buurtcode"]: (float(row["weight"]), float(row["flats"]))
        for row in _read_csv("buurt_profiles.csv")
    }
    postcodes = {row["stadsdeel"]: tuple(row["pc4"].split()) for row in _read_csv("postcodes.csv")}
    words = [*itertools.chain.from_iterable(given.values())]
    words += [
        part for rows in family.values() for prefix, name, _ in rows for part in (prefix, name)
    ]
    return NameData(
        given={key: tuple(names) for key, names in given.items()},
        family={
            origin: _Weighted(
                items=tuple((prefix, name) for prefix, name, _ in rows),
                cumulative=tuple(itertools.accumulate(weight for _, _, weight in rows)),
            )
            for origin, rows in family.items()
        },
        slugs={word: _slug(word) for word in words},  # given and family names
        streets=streets,
        profiles=profiles,
        postcodes=postcodes,
    )


# -- distributions -----------------------------------------------------------------------------


def _per_year(bands: Iterable[tuple[int, int, float]]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Expand (first age, last age, weight of the band) into cumulative weights per year."""
    ages: list[int] = []
    weights: list[float] = []
    for first, last, weight in bands:
        years = last - first + 1
        ages.extend(range(first, last + 1))
        weights.extend([weight / years] * years)
    return tuple(ages), tuple(itertools.accumulate(weights))


# Age of a person living alone: young adults and the very old are over-represented.
SINGLE_AGES = _per_year(
    [(18, 19, 1.5), (20, 24, 7), (25, 29, 10), (30, 34, 8), (35, 44, 10), (45, 54, 10),
     (55, 64, 12), (65, 74, 14), (75, 84, 11), (85, 99, 5)]
)  # fmt: skip
# Age of the reference person of a couple without children at home.
COUPLE_AGES = _per_year(
    [(20, 24, 3), (25, 29, 10), (30, 34, 8), (35, 44, 6), (45, 54, 9), (55, 64, 20),
     (65, 74, 24), (75, 84, 11), (85, 95, 2)]
)  # fmt: skip
# Age of the oldest child living at home; the younger ones follow from birth gaps.
OLDEST_CHILD_AGES = _per_year(
    [(0, 4, 17), (5, 9, 21), (10, 14, 23), (15, 19, 22), (20, 24, 12), (25, 29, 3)]
)  # fmt: skip
# Household kinds, as shares of households (CBS, Haarlem and the Netherlands).
SINGLE, COUPLE, FAMILY, SINGLE_PARENT, SHARED, WITH_PARENT = range(6)
HOUSEHOLD_KINDS = tuple(itertools.accumulate([40.0, 26.0, 23.0, 8.5, 1.5, 1.0]))
CHILDREN_IN_FAMILY = tuple(itertools.accumulate([40.0, 42.0, 14.0, 4.0]))  # 1, 2, 3, 4
CHILDREN_WITH_ONE_PARENT = tuple(itertools.accumulate([55.0, 35.0, 10.0]))  # 1, 2, 3
NAME_COUNTS = {  # how many given names, by cohort: shares having (at most) one, two
    "old": (0.25, 0.75),
    "middle": (0.35, 0.85),
    "young": (0.45, 0.90),
    "any": (0.70, 1.0),
}
ORIGINS = ("nl", "ma", "tr", "sr", "pl", "int")
ORIGIN_WEIGHTS = tuple(itertools.accumulate([78.0, 5.0, 4.0, 4.0, 3.0, 6.0]))
_BIRTH_GAPS = (1, 2, 2, 3, 3, 4, 5)  # years between siblings
_DAYS_OLD = tuple(round(age * 365.2425) for age in range(130))  # days in so many years


def _weighted_digit_sums(weights: tuple[int, ...]) -> tuple[int, ...]:
    """For every number of len(weights) digits, the sum of its digits times the weights."""
    return tuple(
        sum(
            int(digit) * weight
            for digit, weight in zip(f"{number:0{len(weights)}d}", weights, strict=True)
        )
        for number in range(10 ** len(weights))
    )


# The elfproef's sum over a BSN's first eight digits, looked up four digits at a time.
_ELFPROEF_HIGH = _weighted_digit_sums((9, 8, 7, 6))
_ELFPROEF_LOW = _weighted_digit_sums((5, 4, 3, 2))


# -- generation --------------------------------------------------------------------------------


class _Person(NamedTuple):
    relation: str
    age: int
    sex: str  # "f" or "m"
    origin: str
    family: tuple[str, str]  # (prefix, name)


@dataclass
class _Street:
    name: str
    next_number: int = 0
    units_left: int = 0
    unit: int = 0
    units: int = 0
    block_left: int = 0
    postcode: str = ""


@dataclass
class _Place:
    area: Area
    pc4: str
    flats: float
    streets: list[_Street] = field(default_factory=list)


class _Generator:
    """Draws the city. Hot paths use `random()` scaled to an int rather than randrange: the
    same determinism at a third of the cost."""

    def __init__(
        self,
        *,
        rng: random.Random,
        data: NameData,
        areas: Sequence[Area],
        as_of: datetime.date,
        years: int,
        taken_bsns: frozenset[str],
    ) -> None:
        self.rng = rng
        self.random = rng.random
        self.data = data
        self.as_of_ordinal = as_of.toordinal()
        end = datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.UTC)
        self.end_ts = int(end.timestamp())
        self.span = years * 365 * 86400
        self.taken_bsns = taken_bsns
        self.bsns: set[str] = set()
        self.letters_used: dict[str, int] = {}
        self.places = self._places(sorted(areas, key=lambda area: area.buurt_code))
        weights = []
        for place in self.places:
            profile = data.profiles.get(place.area.buurt_code)
            # buurten without a profile vary around the average
            weights.append(profile[0] if profile else rng.uniform(0.6, 1.4))
        self.place_weights = tuple(itertools.accumulate(weights))

    def _below(self, count: int) -> int:
        return int(self.random() * count)

    def _pick(self, cumulative: Sequence[float]) -> int:
        """An index drawn with the given cumulative weights."""
        return bisect.bisect(cumulative, self.random() * cumulative[-1], 0, len(cumulative) - 1)

    # areas and addresses

    def _places(self, areas: list[Area]) -> list[_Place]:
        all_pc4 = sorted({pc4 for pc4s in self.data.postcodes.values() for pc4 in pc4s})
        by_district: dict[str, list[Area]] = {}
        for area in areas:
            by_district.setdefault(area.district, []).append(area)
        places: list[_Place] = []
        for number, area in enumerate(areas):
            pc4s = self.data.postcodes.get(area.district)
            if pc4s:  # the stadsdeel's postcodes, spread over its buurten in code order
                siblings = by_district[area.district]
                pc4 = pc4s[siblings.index(area) * len(pc4s) // len(siblings)]
            else:
                pc4 = all_pc4[number % len(all_pc4)]
            flats = self.data.profiles.get(area.buurt_code, (1.0, 0.35))[1]
            places.append(_Place(area=area, pc4=pc4, flats=flats))
        # every buurt gets its own few streets, dealt from the shuffled list (reused when short)
        streets = list(self.data.streets)
        self.rng.shuffle(streets)
        per_place = max(3, len(streets) // max(len(places), 1))
        states = {name: _Street(name) for name in streets}
        deal = itertools.cycle(streets)
        for place in places:
            place.streets = [states[next(deal)] for _ in range(per_place)]
        return places

    def _postcode(self, pc4: str) -> str:
        used = self.letters_used.get(pc4, 0)
        self.letters_used[pc4] = used + 1
        return pc4 + _POSTCODE_LETTERS[used % len(_POSTCODE_LETTERS)]

    def _address(self, place: _Place) -> tuple[str, int, str, str, str]:
        """The next free address on one of the buurt's streets: a house, a house split in two
        or three (12, 12A, 12B) or a block of flats (12-1 ... 12-9); a postcode covers a run
        of 12 to 30 addresses on one street."""
        street = place.streets[self._below(len(place.streets))]
        if street.units_left == 0:
            street.next_number += 1 if self.random() < 0.3 else 2
            street.units = 2 + self._below(2) if self.random() < 0.15 else 1
            if self.random() < place.flats:
                street.units = 4 + self._below(9)
            street.units_left = street.units
            street.unit = 0
        if street.block_left == 0:
            street.postcode = self._postcode(place.pc4)
            street.block_left = 12 + self._below(19)
        street.units_left -= 1
        street.block_left -= 1
        unit = street.unit
        street.unit += 1
        letter = addition = ""
        if 1 < street.units <= 3:
            letter = ("", "A", "B")[unit]
        elif street.units > 3:
            addition = str(unit + 1)
        return street.name, street.next_number, letter, addition, street.postcode

    # people

    def _age(self, distribution: tuple[tuple[int, ...], tuple[float, ...]]) -> int:
        ages, cumulative = distribution
        return ages[self._pick(cumulative)]

    def _family_name(self, origin: str) -> tuple[str, str]:
        weighted = self.data.family[origin]
        return weighted.items[self._pick(weighted.cumulative)]

    def _sex(self, female_share: float = 0.5) -> str:
        return "f" if self.random() < female_share else "m"

    def _household(self) -> list[_Person]:
        """The members of one household: kind, ages, sexes, origins and family names."""
        kind = self._pick(HOUSEHOLD_KINDS)
        origin = ORIGINS[self._pick(ORIGIN_WEIGHTS)]
        family = self._family_name(origin)

        def partner(age: int, sex: str) -> _Person:
            partner_origin = origin if self.random() < 0.85 else "nl"
            other_sex = sex if self.random() < 0.03 else ("m" if sex == "f" else "f")
            shift = -2 if sex == "m" else 2  # men are on average two years older
            partner_age = min(max(age + shift + round(self.rng.gauss(0, 3.5)), 18), 104)
            return _Person(
                PARTNER, partner_age, other_sex, partner_origin, self._family_name(partner_origin)
            )

        def children(count_weights: Sequence[float]) -> tuple[list[_Person], int]:
            """The children (oldest first) and the age of their parent."""
            count = self._pick(count_weights) + 1
            age = self._age(OLDEST_CHILD_AGES)
            members = []
            for _ in range(count):
                if age < 0:  # the family is not complete yet
                    break
                members.append(_Person(CHILD, age, self._sex(), origin, family))
                age -= _BIRTH_GAPS[self._below(len(_BIRTH_GAPS))]
            parent_at_birth = min(max(round(self.rng.gauss(31, 4.5)), 18), 45)
            return members, members[0].age + parent_at_birth

        if kind == SINGLE:
            age = self._age(SINGLE_AGES)
            return [
                _Person(
                    REFERENCE_PERSON, age, self._sex(0.68 if age >= 75 else 0.5), origin, family
                )
            ]
        if kind == COUPLE:
            age, sex = self._age(COUPLE_AGES), self._sex()
            return [_Person(REFERENCE_PERSON, age, sex, origin, family), partner(age, sex)]
        if kind == FAMILY:
            kids, age = children(CHILDREN_IN_FAMILY)
            sex = self._sex()
            members = [
                _Person(REFERENCE_PERSON, age, sex, origin, family),
                partner(age, sex),
                *kids,
            ]
            if self.random() < 0.02:  # a grandparent moved in
                grandparent_age = min(age + 24 + self._below(13), 100)
                grandparent = _Person(
                    PARENT, grandparent_age, "f", origin, self._family_name(origin)
                )
                members.append(grandparent)
            return members
        if kind == SINGLE_PARENT:
            kids, age = children(CHILDREN_WITH_ONE_PARENT)
            return [_Person(REFERENCE_PERSON, age, self._sex(0.82), origin, family), *kids]
        if kind == SHARED:  # young adults sharing a house; some are siblings
            relation = OTHER_FAMILY if self.random() < 0.2 else OTHER
            members = [_Person(REFERENCE_PERSON, 18 + self._below(13), self._sex(), origin, family)]
            for _ in range(1 + self._below(3)):
                member_family = family if relation == OTHER_FAMILY else self._family_name(origin)
                members.append(
                    _Person(relation, 18 + self._below(13), self._sex(), origin, member_family)
                )
            return members
        # an adult child living with an elderly parent
        age = 40 + self._below(25)
        parent_age = min(age + 22 + self._below(17), 102)
        return [
            _Person(REFERENCE_PERSON, age, self._sex(), origin, family),
            _Person(PARENT, parent_age, self._sex(0.75), origin, family),
        ]

    def _given_names(self, sex: str, origin: str, birth_year: int) -> str:
        if origin != "nl":
            cohort = "any"
        elif birth_year < _OLD_BEFORE:
            cohort = "old"
        elif birth_year >= _YOUNG_FROM:
            cohort = "young"
        else:
            cohort = "middle"
        names = self.data.given[(sex, origin, cohort)]
        random, size = self.random, len(names)
        first = names[int(random() * size)]
        one, two = NAME_COUNTS[cohort]
        draw = random()
        if draw < one:
            return first
        chosen = [first, names[int(random() * size)]]
        if draw >= two:
            chosen.append(names[int(random() * size)])
        return " ".join(dict.fromkeys(chosen))  # no name twice

    def _bsn(self) -> str:
        """Nine digits passing the elfproef, unique in this city and in the database."""
        while True:
            prefix = 10_000_000 + int(self.random() * 90_000_000)
            high, low = divmod(prefix, 10_000)
            check = (_ELFPROEF_HIGH[high] + _ELFPROEF_LOW[low]) % 11
            if check == 10:  # no ninth digit makes this prefix pass
                continue
            value = f"{prefix}{check}"
            if value not in self.bsns and value not in self.taken_bsns:
                self.bsns.add(value)
                return value

    def _contact(self, age: int, given_names: str, family: tuple[str, str]) -> tuple[str, str]:
        """A phone number for some teenagers and most adults, an e-mail address for fewer."""
        random = self.random
        phone = email = ""
        if (age >= 18 and random() < 0.6) or (15 <= age < 18 and random() < 0.4):
            if age < 18 or random() < 0.85:
                phone = f"06-{10_000_000 + self._below(90_000_000)}"
            else:
                phone = f"023-5{100_000 + self._below(900_000)}"
        if age >= 18 and random() < (0.45 if age < 80 else 0.1):
            slugs = self.data.slugs
            first = slugs[given_names.split(" ", 1)[0]]
            last = slugs[family[0]] + slugs[family[1]]
            number = str(10 + self._below(90)) if random() < 0.4 else ""
            email = f"{first}.{last}{number}@{_EMAIL_DOMAINS[self._below(3)]}"
        return phone, email

    def households(self, target: int) -> Iterator[tuple[DrawnHousehold, list[DrawnResident]]]:
        """Households with their residents until there are `target` residents."""
        random, utc = self.random, datetime.UTC
        fromtimestamp, fromordinal = datetime.datetime.fromtimestamp, datetime.date.fromordinal
        as_of_ordinal, end_ts = self.as_of_ordinal, self.end_ts
        made = index = 0
        while made < target:
            place = self.places[self._pick(self.place_weights)]
            street, number, letter, addition, postcode = self._address(place)
            household_ts = end_ts - 1 - self._below(self.span)
            household = DrawnHousehold(
                street=street,
                house_number=number,
                house_letter=letter,
                house_number_addition=addition,
                postcode=postcode,
                buurt_id=place.area.buurt_id,
                created_at=fromtimestamp(household_ts, utc),
            )
            residents = []
            for person in self._household():
                born = as_of_ordinal - _DAYS_OLD[person.age] - 1 - self._below(364)
                date_of_birth = fromordinal(born)
                given_names = self._given_names(person.sex, person.origin, date_of_birth.year)
                phone, email = self._contact(person.age, given_names, person.family)
                bsn = self._bsn() if random() < BSN_SHARE else None
                # registered with the household, or some days after birth when born later
                created = household.created_at
                birth_ts = end_ts - (as_of_ordinal - born) * 86400
                if birth_ts > household_ts:
                    created_ts = min(birth_ts + 86400 + self._below(13 * 86400), end_ts - 1)
                    created = fromtimestamp(created_ts, utc)
                residents.append(
                    DrawnResident(
                        household=index,
                        relation=person.relation,
                        given_names=given_names,
                        name_prefix=person.family[0],
                        family_name=person.family[1],
                        date_of_birth=date_of_birth,
                        bsn=bsn,
                        phone=phone,
                        email=email,
                        created_at=created,
                    )
                )
            made += len(residents)
            index += 1
            yield household, residents


def resident_target(scale: float) -> int:
    """How many residents a city of this scale has."""
    return max(1, round(RESIDENTS_AT_SCALE_1 * scale))


def city_households(
    *,
    seed: int,
    scale: float,
    years: int,
    as_of: datetime.date,
    areas: Sequence[Area],
    taken_bsns: frozenset[str] = frozenset(),
) -> Iterator[tuple[DrawnHousehold, list[DrawnResident]]]:
    """The city's households, each with its residents, drawn one by one until there are
    `resident_target(scale)` residents (the last household may overshoot by a few). `years`
    of history end at the start of `as_of`: households and residents were registered in that
    time, and ages are counted on `as_of`. `taken_bsns` are avoided (the BSNs already in the
    database). The same arguments give the same rows."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    if years < 1:
        raise ValueError("The history must be at least one year.")
    if not areas:
        raise ValueError("There are no buurten to put households in: load the areas first.")
    generator = _Generator(
        rng=random.Random(seed),
        data=load_data(),
        areas=areas,
        as_of=as_of,
        years=years,
        taken_bsns=taken_bsns,
    )
    return generator.households(resident_target(scale))


def city_generate(
    *,
    seed: int,
    scale: float,
    years: int,
    as_of: datetime.date,
    areas: Sequence[Area],
    taken_bsns: frozenset[str] = frozenset(),
) -> City:
    """The whole city in memory (see city_households)."""
    city = City(households=[], residents=[])
    for household, residents in city_households(
        seed=seed, scale=scale, years=years, as_of=as_of, areas=areas, taken_bsns=taken_bsns
    ):
        city.households.append(household)
        city.residents.extend(residents)
    return city
