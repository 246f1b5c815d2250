"""The indicators (wijk.monitoring.indicators): the figures the municipality receives, from
records whose true counts the test knows; the version in force; and that no difference
between published figures (a quarter and its months, a stadsdeel and its wijken) gives a
hidden count away."""

from __future__ import annotations

import dataclasses
import datetime
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijk.areas.models import Buurt
from wijk.monitoring.indicators import (
    AREA_CITY,
    AREA_DISTRICT,
    AREA_WIJK,
    UNKNOWN_AREA,
    Counts,
    Definition,
    IndicatorRow,
    Protection,
    definition_for,
    definitions,
    in_force,
    indicator_codes,
    indicator_rows,
    rows_from_counts,
)
from wijk.monitoring.selectors import Period, PeriodUnit
from wijk.monitoring.tests.factories import HelpRequestFactory, TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory
from wijk.trajectories.workflow import Part

D = datetime.date
TODAY = D(2025, 5, 14)
APRIL = Period(D(2025, 4, 1), PeriodUnit.MONTH)
Q1 = Period(D(2025, 1, 1), PeriodUnit.QUARTER)


def _rows(rows: list[IndicatorRow], **match: object) -> list[IndicatorRow]:
    return [row for row in rows if all(getattr(row, k) == v for k, v in match.items())]


def _one(rows: list[IndicatorRow], **match: object) -> IndicatorRow:
    found = _rows(rows, **match)
    assert len(found) == 1, (match, found)
    return found[0]


# ---------------------------------------------------------------------------------------------
# Definitions and versions


def test_every_indicator_has_a_written_definition_and_a_first_version() -> None:
    codes = indicator_codes()
    assert {"bereik", "instroom", "uitstroom", "korte_contacten", "wachtlijst"} <= set(codes)
    for definition in definitions():
        assert len(str(definition.title)) > 10
        assert len(str(definition.description)) > 60
        assert definition.version >= 1
    for code in codes:
        assert definition_for(code, D(2022, 7, 1)).version == 1


def _version(number: int, valid_from: datetime.date) -> Definition:
    return Definition(
        code="x",
        version=number,
        valid_from=valid_from,
        title="x",
        description="x",
        unit="x",
        breakdowns=(),
        additive=True,
    )


def test_the_version_in_force_is_the_newest_that_holds_on_the_day() -> None:
    first, second = _version(1, D(2022, 7, 1)), _version(2, D(2027, 1, 1))
    assert in_force([second, first], D(2026, 12, 31)) == first
    assert in_force([second, first], D(2027, 1, 1)) == second
    assert in_force([second, first], D(2020, 1, 1)) == first  # before the contract
    with pytest.raises(KeyError):
        definition_for("geen_indicator", TODAY)


def test_a_period_that_has_not_begun_has_no_figures() -> None:
    with pytest.raises(ValueError, match="not begun"):
        list(indicator_rows(periods=[Period(D(2025, 6, 1), PeriodUnit.MONTH)], today=TODAY))


# ---------------------------------------------------------------------------------------------
# Figures from records with known counts


@pytest.fixture
def two_wijken() -> tuple[Buurt, Buurt]:
    buurten = list(Buurt.objects.select_related("wijk__district").order_by("code"))
    first = buurten[0]
    second = next(b for b in buurten if b.wijk.code != first.wijk.code)
    return first, second


def _resident_in(buurt: Buurt):  # type: ignore[no-untyped-def]
    return ResidentFactory(address=AddressFactory(buurt=buurt))


@pytest.mark.django_db
def test_reach_inflow_and_waiting_list_from_known_records(two_wijken) -> None:  # type: ignore[no-untyped-def]
    big, small = two_wijken
    # Seven residents in the first wijk in support in April (one with two trajectories in
    # two parts: once in each part, once in the total); two in the second wijk.
    residents = [_resident_in(big) for _ in range(7)]
    for resident in residents:
        TrajectoryFactory(resident=resident, inflow_date=D(2025, 4, 3))
    TrajectoryFactory(resident=residents[0], inflow_date=D(2025, 4, 8), part=Part.SOCIALE_BASIS)
    for _ in range(2):
        TrajectoryFactory(resident=_resident_in(small), inflow_date=D(2025, 3, 20))
    # Ended before April: not in April's reach.
    TrajectoryFactory(
        resident=_resident_in(big), inflow_date=D(2025, 1, 2), closed_on=D(2025, 3, 31)
    )
    # Six requests received in April in the first wijk, one of them closed in April.
    for day in range(1, 7):
        HelpRequestFactory(
            buurt=big,
            received_at=datetime.datetime(2025, 4, day, 10, tzinfo=datetime.UTC),
            outcome_at=datetime.datetime(2025, 4, 20, 10, tzinfo=datetime.UTC)
            if day == 1
            else None,
        )

    exact = list(
        indicator_rows(
            periods=[APRIL], codes=["bereik", "instroom", "wachtlijst"], exact=True, today=TODAY
        )
    )
    reach = dict(indicator="bereik", period_start=APRIL.start, breakdown="")
    assert _one(exact, **reach, area_level=AREA_CITY).value == 9
    assert _one(exact, **reach, area_level=AREA_WIJK, area_code=big.wijk.code).value == 7
    assert _one(exact, **reach, area_level=AREA_WIJK, area_code=small.wijk.code).value == 2
    parts = dict(indicator="bereik", area_level=AREA_WIJK, area_code=big.wijk.code)
    assert _one(exact, **parts, category="sociaal_wijkteam").value == 7
    assert _one(exact, **parts, category="sociale_basis").value == 1
    inflow = dict(indicator="instroom", area_level=AREA_CITY, breakdown="")
    assert _one(exact, **inflow).value == 7  # the second wijk's started in March
    waiting = dict(indicator="wachtlijst", area_level=AREA_WIJK, area_code=big.wijk.code)
    assert _one(exact, **waiting).value == 5
    if big.wijk.district_id:
        district = dict(indicator="bereik", area_level=AREA_DISTRICT, breakdown="")
        assert _one(exact, **district, area_code=big.wijk.district.name).value >= 7

    # The municipality's view: the second wijk's 2 is small (its total reads "verborgen", its
    # part "< 5"), and so something else in its table is hidden too; no figure that is not
    # shown carries a value.
    protected = list(
        indicator_rows(periods=[APRIL], codes=["bereik"], today=TODAY, levels=(AREA_WIJK,))
    )
    second = _one(protected, **reach, area_level=AREA_WIJK, area_code=small.wijk.code)
    assert (second.value, second.status) == (None, "hidden")
    part = dict(area_level=AREA_WIJK, area_code=small.wijk.code, category="sociaal_wijkteam")
    assert _one(protected, **part).status == "small"
    assert any(row.status == "hidden" for row in protected)
    assert all((row.value is None) == (row.status != "shown") for row in protected)
    assert _one(protected, **reach, area_level=AREA_WIJK, area_code=UNKNOWN_AREA).value == 0


@pytest.mark.django_db
def test_every_indicator_computes_for_months_quarters_and_years() -> None:
    periods = [APRIL, Q1, Period(D(2024, 1, 1), PeriodUnit.YEAR)]
    rows = list(indicator_rows(periods=periods, today=TODAY))
    assert {row.indicator for row in rows} == set(indicator_codes())
    for row in rows:
        assert row.status in {"shown", "small", "hidden"}
        assert row.area_level in {AREA_CITY, AREA_DISTRICT, AREA_WIJK}
    # The same request gives the same rows in the same order.
    assert rows == list(indicator_rows(periods=periods, today=TODAY))


# ---------------------------------------------------------------------------------------------
# No difference between published figures gives a hidden count away (property test)
#
# An indicator that adds up is protected per month and wijk; quarters add up their months
# and stadsdelen their wijken. Each published count is then a sum of monthly wijk counts, a
# linear equation the reader knows. A protected count that is not shown (small or hidden)
# must not follow from the shown ones: its equation must not be a combination of theirs.
# (The bounds within one table, "< 5" and "at least 5", are checked by the tests of
# wijk.core.disclosure.)

MONTHS = [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)]
WIJKEN = {"WK039201": "Noord", "WK039202": "Noord", "WK039203": "Zuid"}
ADDITIVE = Definition(
    code="proef",
    version=1,
    valid_from=D(2022, 7, 1),
    title="proef",
    description="proef",
    unit="trajecten",
    breakdowns=("reden",),
    additive=True,
)


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank, width = 0, len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


counts_strategy = st.lists(st.integers(0, 9), min_size=3 * 4 * 2, max_size=3 * 4 * 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=counts_strategy, split=st.booleans())
def test_no_difference_of_published_figures_gives_a_hidden_count_away(
    values: list[int], split: bool
) -> None:
    wijken = [*WIJKEN, ""]
    categories = ["a", "b"]
    cells = {
        (month, wijk): [values[(m * 4 + w) * 2 + c] for c in range(2)]
        for m, month in enumerate(MONTHS)
        for w, wijk in enumerate(wijken)
    }
    counts = Counts(
        categories=categories, cells=cells, totals={k: sum(v) for k, v in cells.items()}
    )
    periods = [Period(month, PeriodUnit.MONTH) for month in MONTHS]
    periods.append(Period(MONTHS[0], PeriodUnit.QUARTER))
    rows = list(
        rows_from_counts(
            definition=ADDITIVE,
            protection=Protection.PEOPLE_SPLIT if split else Protection.COUNT,
            counts=counts,
            periods=periods,
            districts=WIJKEN,
        )
    )
    variables = [(month, wijk, c) for month in MONTHS for wijk in wijken for c in range(2)]

    def equation(row: IndicatorRow) -> list[Fraction]:
        months = [m for m in MONTHS if row.period_start <= m < row.period_end]
        if row.area_level == AREA_CITY:
            members = wijken
        elif row.area_level == AREA_DISTRICT:
            members = [code for code, name in WIJKEN.items() if name == row.area_code]
        else:
            members = ["" if row.area_code == UNKNOWN_AREA else row.area_code]
        columns = [0, 1] if row.category == "" else [categories.index(row.category)]
        return [
            Fraction(1 if (m in months and w in members and c in columns) else 0)
            for m, w, c in variables
        ]

    shown = [equation(row) for row in rows if row.status == "shown"]
    base = _rank(shown) if shown else 0
    checked: list[IndicatorRow] = []
    for row in rows:
        if row.status == "shown":
            value = sum(
                cells[(m, w)][c] for (m, w, c), x in zip(variables, equation(row), strict=True) if x
            )
            assert row.value == value
            continue
        # A month's count of a wijk that is not shown (the counts protected): adding its
        # equation must raise the rank, or the shown figures determine it. A sum that is not
        # shown (a quarter, a stadsdeel) is hidden because a part is; the reader may work
        # such a sum out from the table's other rows, which tells no part.
        if row.period_unit == PeriodUnit.MONTH and row.area_level == AREA_WIJK:
            assert _rank([*shown, equation(row)]) == base + 1, row
            checked.append(row)
    assert checked or all(row.status == "shown" for row in rows)


# A part of another indicator's residents (youth reach of reach, youth inflow of inflow): the
# rest (total less youth) has no indicator of its own, but a shown total and a shown youth
# count tell it. A small rest of a wijk in a month must not follow from the shown figures of
# the two indicators together (ADR 0051).

PEOPLE_ADDITIVE = dataclasses.replace(ADDITIVE, breakdowns=())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    youth=st.lists(st.integers(0, 9), min_size=3 * 4, max_size=3 * 4),
    rest=st.lists(st.integers(0, 6), min_size=3 * 4, max_size=3 * 4),
)
def test_no_difference_of_a_total_and_its_youth_gives_a_small_rest_away(
    youth: list[int], rest: list[int]
) -> None:
    wijken = [*WIJKEN, ""]
    keys = [(month, wijk) for month in MONTHS for wijk in wijken]
    parts = dict(zip(keys, youth, strict=True))
    rests = dict(zip(keys, rest, strict=True))
    wholes = {key: parts[key] + rests[key] for key in keys}
    periods = [Period(month, PeriodUnit.MONTH) for month in MONTHS]
    periods.append(Period(MONTHS[0], PeriodUnit.QUARTER))

    def rows_of(counts: Counts) -> list[IndicatorRow]:
        return list(
            rows_from_counts(
                definition=PEOPLE_ADDITIVE,
                protection=Protection.PEOPLE,
                counts=counts,
                periods=periods,
                districts=WIJKEN,
            )
        )

    youth_rows = rows_of(
        Counts(categories=[], cells={k: [] for k in keys}, totals=parts, whole=wholes)
    )
    total_rows = rows_of(Counts(categories=[], cells={k: [] for k in keys}, totals=wholes))
    variables = [(key, kind) for key in keys for kind in ("youth", "rest")]

    def members(row: IndicatorRow) -> set[tuple[datetime.date, str]]:
        if row.area_level == AREA_CITY:
            area = wijken
        elif row.area_level == AREA_DISTRICT:
            area = [code for code, name in WIJKEN.items() if name == row.area_code]
        else:
            area = ["" if row.area_code == UNKNOWN_AREA else row.area_code]
        return {(m, w) for m, w in keys if row.period_start <= m < row.period_end and w in area}

    def equation(row: IndicatorRow, kinds: tuple[str, ...]) -> list[Fraction]:
        inside = members(row)
        return [Fraction(1 if key in inside and kind in kinds else 0) for key, kind in variables]

    shown = [equation(row, ("youth",)) for row in youth_rows if row.status == "shown"]
    shown += [equation(row, ("youth", "rest")) for row in total_rows if row.status == "shown"]
    base = _rank(shown) if shown else 0
    checked = 0
    for row in youth_rows:
        # As above: a month's rest of a wijk. (A sum of rests, of a stadsdeel or a quarter, is
        # the total's sum where youth is 0, which the reader may work out from the total's
        # table alone, as above; it tells no wijk's month.)
        if row.area_level != AREA_WIJK or row.period_unit != PeriodUnit.MONTH:
            continue
        if 0 < sum(rests[key] for key in members(row)) < 5:
            assert _rank([*shown, equation(row, ("rest",))]) == base + 1, row
            checked += 1
    assert checked or not any(0 < value < 5 for value in rest)
