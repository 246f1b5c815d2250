"""protect_breakdown: counts that break down a total another table already shows. The reader
is assumed to know that total exactly (when it is not small itself), every shown count, that
"< 5" is 1 to 4, and that a hidden count of a partly shown list is at least 5 (zeros and small
counts are marked); when every count is hidden, each may be anything from 0 to the total."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wijk.core.disclosure import Figure, current_threshold, exact, protect_breakdown

THRESHOLD = current_threshold()  # the setting SMALL_NUMBER_THRESHOLD (5 in tests)


def _bounds(figure: Figure, total: int, *, all_hidden: bool) -> tuple[int, int]:
    """The values a count may have, as far as the reader can tell (an interval)."""
    if figure.shown:
        assert figure.value is not None
        return figure.value, figure.value
    if figure.small:
        return 1, THRESHOLD - 1
    return (0 if all_hidden else THRESHOLD), total


def _can_be_worked_out(values: list[int], figures: list[Figure], index: int) -> bool:
    """Whether the count at `index` has only one value that fits the total and the rest."""
    total = sum(values)
    all_hidden = not any(figure.shown or figure.small for figure in figures)
    bounds = [_bounds(figure, total, all_hidden=all_hidden) for figure in figures]
    others_low = sum(low for i, (low, _) in enumerate(bounds) if i != index)
    others_high = sum(high for i, (_, high) in enumerate(bounds) if i != index)
    low, high = bounds[index]
    alternatives = [
        value
        for value in range(low, high + 1)
        if value != values[index] and others_low <= total - value <= others_high
    ]
    return not alternatives


counts = st.one_of(st.integers(0, THRESHOLD - 1), st.integers(0, 14))


@settings(max_examples=400, deadline=None)
@given(st.lists(counts, min_size=1, max_size=7))
def test_no_hidden_count_of_a_breakdown_can_be_worked_out(values: list[int]) -> None:
    protected = protect_breakdown(values)
    total = sum(values)
    for value, figure in zip(values, protected.cells, strict=True):
        if 0 < value < THRESHOLD:
            assert not figure.shown, values
    if total < THRESHOLD:  # the total is small itself: protected as a list of its own
        assert not protected.total.shown or total == 0, values
        return
    for index, figure in enumerate(protected.cells):
        if not figure.shown:
            assert not _can_be_worked_out(values, protected.cells, index), (values, index)


def test_cells_that_would_give_each_other_away_are_all_hidden() -> None:
    """Channel counts 1 and 5 of a month whose total 6 the wijk table shows: hiding the 1
    alone gives it away (6 - 5), so both go, and the zero with them."""
    protected = protect_breakdown([1, 5, 0])
    assert not any(figure.shown for figure in protected.cells)
    assert protected.total == exact(6)


def test_the_reader_model_sees_through_hiding_the_small_count_alone() -> None:
    """The check above is not too lenient: with only the 1 marked, it works it out."""
    values = [1, 5, 0]
    only_small = [Figure(None, protect_breakdown([1]).cells[0].status), exact(5), exact(0)]
    assert _can_be_worked_out(values, only_small, 0)


def test_the_consortium_sees_every_count() -> None:
    protected = protect_breakdown([1, 5, 0], suppress=False)
    assert protected.cells == [exact(1), exact(5), exact(0)]
