"""Small-number protection: no count from 1 to 4 is shown, and no hidden count can be worked out
from what is shown. The second is checked by an independent reader: a brute-force search for
another table that fits everything shown (the shown counts, the totals, "< 5" is 1 to 4,
"verborgen" is 5 or more, nothing negative) and differs in that one count."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijk.core.disclosure import (
    HIDDEN,
    SMALL,
    Figure,
    ProtectedTable,
    Share,
    Status,
    current_threshold,
    derived,
    exact,
    protect_list,
    protect_table,
    share,
    single,
)

# ---------------------------------------------------------------------------------------------
# The independent reader

type Var = tuple[str, int, int]  # ("cell", r, c), ("row", r, 0), ("column", c, 0), ("total", 0, 0)

THRESHOLD = current_threshold()  # the setting SMALL_NUMBER_THRESHOLD (5 in tests)


def _relations(rows: int, columns: int, groups: Sequence[Sequence[int]]) -> list[dict[Var, int]]:
    """What a reader knows adds up, as coefficients that sum to zero."""
    relations: list[dict[Var, int]] = []
    for r in range(rows):
        for group in groups:
            relation: dict[Var, int] = {("cell", r, c): 1 for c in group}
            relation[("row", r, 0)] = -1
            relations.append(relation)
    for c in range(columns):
        relation = {("cell", r, c): 1 for r in range(rows)}
        relation[("column", c, 0)] = -1
        relations.append(relation)
    relation = {("row", r, 0): 1 for r in range(rows)}
    relation[("total", 0, 0)] = -1
    relations.append(relation)
    for group in groups:
        relation = {("column", c, 0): 1 for c in group}
        relation[("total", 0, 0)] = -1
        relations.append(relation)
    return relations


def _table_values(
    cells: Sequence[Sequence[int]], table: ProtectedTable, first_group: Sequence[int]
) -> dict[Var, tuple[int, Figure]]:
    values: dict[Var, tuple[int, Figure]] = {}
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            values[("cell", r, c)] = (value, table.cells[r][c])
        values[("row", r, 0)] = (sum(row[c] for c in first_group), table.row_totals[r])
    for c in range(len(cells[0])):
        values[("column", c, 0)] = (sum(row[c] for row in cells), table.column_totals[c])
    total = sum(row[c] for row in cells for c in first_group)
    values[("total", 0, 0)] = (total, table.total)
    return values


def _domain(var: Var, value: int, figure: Figure, reach: int = 2) -> list[int]:
    """What the reader can tell of a hidden count, within `reach` of its true value (another
    table that fits differs, if it exists at all, by a flow of one around a cycle): "< 5" is 1
    to 4, a hidden inner cell at least 5 (a smaller one would read "< 5"), a hidden total at
    least 1 (a zero would be shown)."""
    if figure.small:
        low, high = 1, THRESHOLD - 1
    else:
        low, high = (THRESHOLD if var[0] == "cell" else 1), value + reach
    return [v for v in range(max(low, value - reach), min(high, value + reach) + 1)]


def _another_table_exists(
    relations: list[dict[Var, int]],
    values: dict[Var, tuple[int, Figure]],
    target: Var,
) -> bool:
    hidden = [var for var, (_value, figure) in values.items() if not figure.shown]
    domains = {var: _domain(var, *values[var]) for var in hidden}
    domains[target] = [v for v in domains[target] if v != values[target][0]]
    # the shown counts are known: fold them into each relation's constant
    reduced = []
    for relation in relations:
        constant = sum(k * values[var][0] for var, k in relation.items() if var not in domains)
        unknown = {var: k for var, k in relation.items() if var in domains}
        if unknown:
            reduced.append((unknown, constant))
        elif constant:
            raise AssertionError("the true table must fit its own relations")

    def search(assigned: dict[Var, int]) -> bool:
        assigned = dict(assigned)
        changed = True
        while changed:
            changed = False
            for unknown, constant in reduced:
                free = [var for var in unknown if var not in assigned]
                partial = constant + sum(unknown[v] * assigned[v] for v in unknown if v in assigned)
                if not free:
                    if partial:
                        return False
                elif len(free) == 1:
                    var = free[0]
                    value = -partial * unknown[var]  # coefficients are +1 or -1
                    if value not in domains[var]:
                        return False
                    assigned[var] = value
                    changed = True
        free = [var for var in hidden if var not in assigned]
        if not free:
            return True
        return any(search({**assigned, free[0]: value}) for value in domains[free[0]])

    return search({})


def assert_nothing_can_be_worked_out(
    cells: Sequence[Sequence[int]],
    table: ProtectedTable,
    groups: Sequence[Sequence[int]] | None = None,
) -> None:
    groups = groups or [list(range(len(cells[0])))]
    values = _table_values(cells, table, groups[0])
    relations = _relations(len(cells), len(cells[0]), groups)
    for var, (value, figure) in values.items():
        if value == 0:
            assert figure == exact(0), f"{var} = 0 is {figure.status}"
        if 0 < value < THRESHOLD:
            expected = "small" if var[0] == "cell" else "hidden"
            assert figure.status == expected, f"{var} = {value} is {figure.status}"
        elif figure.shown:
            assert figure.value == value
        if not figure.shown:
            assert _another_table_exists(relations, values, var), (
                f"{var} = {value} can be worked out from {cells}"
            )


# ---------------------------------------------------------------------------------------------
# Examples


def shown(table: ProtectedTable) -> list[list[str]]:
    rows = [
        [*map(str, row), str(total)]
        for row, total in zip(table.cells, table.row_totals, strict=True)
    ]
    return [*rows, [*map(str, table.column_totals), str(table.total)]]


def test_small_counts_read_less_than_five_and_zero_stays_zero() -> None:
    assert str(single(0)) == "0"
    assert str(single(3)) == "< 5"
    assert str(single(5)) == "5"
    assert str(HIDDEN) == "verborgen"
    assert single(3, suppress=False) == exact(3)


def test_a_single_small_cell_takes_a_rectangle_of_others_with_it() -> None:
    cells = [[2, 10, 20], [30, 40, 50], [60, 70, 80]]
    table = protect_table(cells)
    hidden = {(r, c) for r in range(3) for c in range(3) if not table.cells[r][c].shown}
    assert table.cells[0][0] == SMALL
    # the cheapest cycle: the small cell and three inner cells, totals all shown
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert all(total.shown for total in [*table.row_totals, *table.column_totals, table.total])
    assert_nothing_can_be_worked_out(cells, table)


def test_two_ones_beside_zeros_are_not_given_away() -> None:
    # The example that led sdcTable to change (Lønø): a row 0 1 7 1 0 with total 9 and every
    # zero shown. Hiding just the two ones lets a reader see both must be 1 (9 - 7 = 2, and
    # neither can be 0). The protection must take a count with room to move.
    cells = [[0, 1, 7, 1, 0], [2, 0, 0, 2, 8]]
    table = protect_table(cells)
    assert_nothing_can_be_worked_out(cells, table)


def test_a_table_without_small_counts_is_shown_whole() -> None:
    cells = [[0, 5, 9], [12, 0, 7]]
    table = protect_table(cells)
    assert shown(table) == [["0", "5", "9", "14"], ["12", "0", "7", "19"], ["12", "5", "16", "33"]]


def test_the_consortium_sees_every_count() -> None:
    table = protect_table([[1, 2], [3, 40]], suppress=False)
    assert shown(table) == [["1", "2", "3"], ["3", "40", "43"], ["4", "42", "46"]]


def test_two_groups_that_both_add_up_to_the_row_total() -> None:
    # received = first contact met + not met + not judged = support met + not met + not judged
    cells = [[20, 3, 7, 25, 5, 0], [40, 10, 0, 30, 12, 8], [15, 0, 15, 10, 1, 19]]
    groups = [[0, 1, 2], [3, 4, 5]]
    table = protect_table(cells, groups=groups)
    assert table.cells[0][1] == SMALL and table.cells[2][4] == SMALL
    assert_nothing_can_be_worked_out(cells, table, groups)
    with pytest.raises(ValueError, match="group"):
        protect_table([[1, 2, 3, 4]], groups=[[0, 1], [2, 3]])


def test_unique_residents_keep_their_own_total() -> None:
    # a resident in two parts counts once in the total: 12, not 13
    table = protect_table([[6, 2, 5]], row_totals=[12])
    assert table.row_totals[0] in (exact(12), HIDDEN)
    assert table.cells[0][1] == SMALL
    assert sum(not figure.shown for figure in table.cells[0]) >= 2


def test_a_list_and_its_total() -> None:
    protected = protect_list([7, 3, 0, 12])
    assert protected.cells[1] == SMALL
    assert protected.cells[2] == exact(0)
    assert sum(not figure.shown for figure in protected.cells) >= 2
    assert protect_list([2]).cells == [SMALL] and protect_list([2]).total == HIDDEN
    assert protect_list([6, 8], total=10).cells == [exact(6), exact(8)]


def test_an_empty_table_and_bad_input() -> None:
    assert protect_table([]).total == exact(0)
    with pytest.raises(ValueError, match="same number"):
        protect_table([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        protect_table([[-1]])


def test_derived_figures_show_only_what_their_parts_show() -> None:
    assert derived([exact(5), exact(0), exact(7)]) == exact(12)
    assert derived([exact(5), exact(7)], value=11) == exact(11)
    assert derived([exact(5), SMALL]) == HIDDEN
    assert derived([exact(50), HIDDEN], value=3) == HIDDEN
    assert derived([]) == exact(0)


def test_share_is_hidden_with_its_counts() -> None:
    assert share(exact(2), exact(1)) == Share(percent=67)
    assert share(exact(0), exact(0)) == Share()
    assert share(exact(9), SMALL) == Share(hidden=True)
    assert share(HIDDEN, exact(9)).hidden


def test_a_hidden_figure_carries_no_value() -> None:
    table = protect_table([[3, 9], [8, 9]])
    for figure in [*table.cells[0], *table.cells[1], *table.row_totals, table.total]:
        assert figure.value is None or figure.status is Status.SHOWN


# ---------------------------------------------------------------------------------------------
# Properties

small_or_any = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(0, 25))


@st.composite
def tables(draw: st.DrawFn) -> list[list[int]]:
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 4))
    return [[draw(small_or_any) for _c in range(columns)] for _r in range(rows)]


@st.composite
def two_group_tables(draw: st.DrawFn) -> list[list[int]]:
    """Rows whose first three and last three cells add up to the same total."""
    rows = []
    for _r in range(draw(st.integers(1, 3))):
        first = [draw(small_or_any) for _c in range(3)]
        total = sum(first)
        cut_a, cut_b = sorted(draw(st.integers(0, total)) for _cut in range(2))
        rows.append([*first, cut_a, cut_b - cut_a, total - cut_b])
    return rows


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(tables())
def test_no_hidden_count_can_be_worked_out_from_the_totals(cells: list[list[int]]) -> None:
    assert_nothing_can_be_worked_out(cells, protect_table(cells))


@PROPERTY
@given(two_group_tables())
def test_no_hidden_count_of_a_two_group_table_can_be_worked_out(cells: list[list[int]]) -> None:
    groups = [[0, 1, 2], [3, 4, 5]]
    assert_nothing_can_be_worked_out(cells, protect_table(cells, groups=groups), groups)


@PROPERTY
@given(st.lists(small_or_any, min_size=1, max_size=8))
def test_no_hidden_count_of_a_list_can_be_worked_out(values: list[int]) -> None:
    protected = protect_list(values)
    known: dict[Var, tuple[int, Figure]] = {
        ("cell", i, 0): (value, figure)
        for i, (value, figure) in enumerate(zip(values, protected.cells, strict=True))
    }
    known[("total", 0, 0)] = (sum(values), protected.total)
    relation: dict[Var, int] = {var: 1 for var in known}
    relation[("total", 0, 0)] = -1
    for var, (value, figure) in known.items():
        assert (figure == exact(value)) if value == 0 or figure.shown else value > 0
        if 0 < value < THRESHOLD:
            assert not figure.shown
        if not figure.shown:
            assert _another_table_exists([relation], known, var), f"{var} of {values}"


@PROPERTY
@given(tables())
def test_protection_is_the_same_every_time(cells: list[list[int]]) -> None:
    assert protect_table(cells) == protect_table(cells)


def test_the_reader_sees_through_primary_suppression_alone() -> None:
    """The reader is not too lenient: with only the small counts hidden, it works them out."""
    cells = [[0, 1, 7, 1, 0], [2, 0, 0, 2, 8]]
    network = protect_table(cells, suppress=False)
    only_primary = ProtectedTable(
        cells=[[single(v) for v in row] for row in cells],
        row_totals=[single(sum(row)) for row in cells],
        column_totals=[single(sum(col)) for col in zip(*cells, strict=True)],
        total=single(sum(map(sum, cells))),
    )
    assert network.total == exact(21)
    values = _table_values(cells, only_primary, range(5))
    relations = _relations(2, 5, [range(5)])
    # row one: 9 - 7 = 1 + 1, and neither can be 0: both ones are given away
    assert not _another_table_exists(relations, values, ("cell", 0, 1))
    assert not _another_table_exists(relations, values, ("cell", 0, 3))
