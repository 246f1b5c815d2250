"""Small numbers are kept from the municipality where they count people, and only there
(docs/adr/0028-small-numbers-count-people.md): the requests a wijk received in a month count
people (one resident each); whether their deadlines were met counts the team's work.

`protect_people_split` protects the row totals (people) and shows each shown row's split
exactly. An independent reader checks that no hidden count of people can be worked out from
what is shown: a search for another table that fits every shown figure (the shown rows, the
whole city's split, "< 5" is 1 to 4, "verborgen" is 5 or more, a hidden split cell 0 or more,
every group of a row adding up to its total) and differs in that row's total."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijk.core.disclosure import (
    HIDDEN,
    SMALL,
    ProtectedTable,
    current_threshold,
    exact,
    protect_people_split,
    share,
)

THRESHOLD = current_threshold()  # the setting SMALL_NUMBER_THRESHOLD (5 in tests)

GROUPS = [[0, 1, 2], [3, 4, 5]]


@st.composite
def split_rows(draw: st.DrawFn, *, low: int = 0) -> list[list[int]]:
    """Rows of received requests split twice (first contact and support: met, not met, not
    judged), each split adding up to the row's total."""
    rows = []
    for _r in range(draw(st.integers(1, 4))):
        total = draw(st.one_of(st.integers(0, 4), st.integers(low, 12)))
        row = []
        for _group in GROUPS:
            cut_a, cut_b = sorted(draw(st.integers(0, total)) for _cut in range(2))
            row += [cut_a, cut_b - cut_a, total - cut_b]
        rows.append(row)
    return rows


def protect(rows: Sequence[Sequence[int]]) -> ProtectedTable:
    return protect_people_split(rows, row_totals=[sum(row[:3]) for row in rows], groups=GROUPS)


# ---------------------------------------------------------------------------------------------
# The independent reader


def _splits(total: int, capacity: Sequence[int]) -> list[tuple[int, ...]]:
    """Every way to split `total` into len(capacity) counts of at most `capacity` each."""
    if len(capacity) == 1:
        return [(total,)] if total <= capacity[0] else []
    return [
        (first, *rest)
        for first in range(min(total, capacity[0]) + 1)
        for rest in _splits(total - first, capacity[1:])
    ]


def _fits(totals: Sequence[int], columns: Sequence[int] | None) -> bool:
    """Whether hidden rows with these totals can be split, in each group, into counts of 0 or
    more that add up to `columns` (the whole city's split minus the shown rows'); None: the
    city's split is hidden too, so only the rows' own sums bind."""
    if columns is None:
        return True
    for group in GROUPS:
        wanted = [columns[c] for c in group]
        if sum(wanted) != sum(totals):
            return False

        def place(index: int, left: tuple[int, ...]) -> bool:
            if index == len(totals):
                return not any(left)
            return any(
                place(index + 1, tuple(a - b for a, b in zip(left, split, strict=True)))
                for split in _splits(totals[index], left)
            )

        if not place(0, tuple(wanted)):
            return False
    return True


def another_total_fits(rows: Sequence[Sequence[int]], table: ProtectedTable, target: int) -> bool:
    """Whether a table that fits everything shown gives row `target` another total."""
    hidden = [r for r, figure in enumerate(table.row_totals) if not figure.shown]
    true = [sum(rows[r][:3]) for r in hidden]
    columns = None
    if all(figure.shown for figure in table.column_totals):
        columns = [
            figure.value - sum(rows[r][c] for r in range(len(rows)) if r not in hidden)
            for c, figure in enumerate(table.column_totals)
            if figure.value is not None
        ]
    domains = []
    for r, value in zip(hidden, true, strict=True):
        low, high = (1, THRESHOLD - 1) if table.row_totals[r].small else (THRESHOLD, value + 3)
        domains.append([v for v in range(low, high + 1) if r != target or v != value])

    def search(index: int, chosen: list[int]) -> bool:
        if index == len(domains):
            grand = table.total.value if table.total.shown else None
            shown_sum = sum(sum(rows[r][:3]) for r in range(len(rows)) if r not in hidden)
            if grand is not None and shown_sum + sum(chosen) != grand:
                return False
            return _fits(chosen, columns)
        return any(search(index + 1, [*chosen, value]) for value in domains[index])

    return search(0, [])


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(split_rows())
def test_no_hidden_count_of_people_can_be_worked_out(rows: list[list[int]]) -> None:
    table = protect(rows)
    for r, (row, figure) in enumerate(zip(rows, table.row_totals, strict=True)):
        total = sum(row[:3])
        if 0 < total < THRESHOLD:
            assert figure == SMALL
        if total == 0:
            assert figure == exact(0)
        if not figure.shown:
            assert another_total_fits(rows, table, r), f"row {r} of {rows} can be worked out"


@PROPERTY
@given(split_rows())
def test_a_shown_row_shows_its_split_and_a_hidden_row_none_of_it(rows: list[list[int]]) -> None:
    table = protect(rows)
    for row, total, cells in zip(rows, table.row_totals, table.cells, strict=True):
        if total.shown:
            assert cells == [exact(value) for value in row]
            assert share(cells[0], cells[1]).hidden is False
        else:
            assert cells == [HIDDEN] * 6  # zeros too: a 0 would narrow the total down
            assert share(cells[0], cells[1]).hidden
    if table.total.shown:
        assert [figure.value for figure in table.column_totals] == [
            sum(row[c] for row in rows) for c in range(6)
        ]
    else:
        assert table.column_totals == [HIDDEN] * 6


@PROPERTY
@given(split_rows(low=THRESHOLD))
def test_rows_of_five_or_more_people_are_shown_whole(rows: list[list[int]]) -> None:
    """What may now be shown: with no small count of people, every count is shown, however
    small the split (1 late request of 7 is the team's work, not a person)."""
    if any(0 < sum(row[:3]) < THRESHOLD for row in rows):
        return
    table = protect(rows)
    assert table.cells == [[exact(value) for value in row] for row in rows]
    assert table.total == exact(sum(sum(row[:3]) for row in rows))


def test_the_reader_sees_through_a_split_shown_beside_the_city() -> None:
    """The reader is not too lenient: show a small row's split, or hide a lone small row
    beside a shown grand total, and it works the count out."""
    rows = [[6, 1, 0, 5, 2, 0], [2, 0, 0, 1, 1, 0]]
    table = protect(rows)
    assert table.row_totals == [HIDDEN, SMALL]  # 7 hidden with the 2, or 9 - 7 gives it away
    leaky = ProtectedTable(
        cells=[[exact(v) for v in rows[0]], [HIDDEN] * 6],
        row_totals=[exact(7), SMALL],
        column_totals=table.column_totals,
        total=table.total,
    )
    assert not another_total_fits(rows, leaky, 1)
    assert another_total_fits(rows, table, 1)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="each group"):
        protect_people_split([[1, 0, 0, 0, 0, 0]], row_totals=[2], groups=GROUPS)
    with pytest.raises(ValueError, match="one row total"):
        protect_people_split([[1, 0, 0, 1, 0, 0]], row_totals=[1, 1], groups=GROUPS)
