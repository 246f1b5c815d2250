"""`capped_rows` with `candidates` (core.rows): reading the first CANDIDATES_PER_ROW x
(limit + 1) candidates without the access rule first gives exactly the rows, and the "more"
flag, that the list gives without it, wherever the rows the rule lets through lie: in the
window, past it (the whole list is read after all), or nowhere. Teams stand in for a list's
records, and "active" for the access rule: the mechanism does not care what narrows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from wijk.core.rows import CANDIDATES_PER_ROW, Columns, capped_rows
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory

COLUMNS = Columns({"pk": "pk", "name": "name"})
LIMIT = 1
WINDOW = CANDIDATES_PER_ROW * (LIMIT + 1)


def _teams(pattern: str) -> list[int]:
    """A team per letter, in name order: "T" passes the rule (active), "F" does not."""
    return [
        TeamFactory(name=f"Lijstteam {position:03}", active=letter == "T").pk
        for position, letter in enumerate(pattern)
    ]


def _read(user, *, queryset: QuerySet[Team], candidates: QuerySet[Team] | None):
    return capped_rows(
        user=user,
        queryset=queryset,
        columns=COLUMNS,
        build=lambda values: values["pk"],
        refs=lambda values: [],
        limit=LIMIT,
        candidates=candidates,
    )


@pytest.mark.parametrize(
    ("pattern", "reads"),
    [
        ("TFT", 1),  # the window holds both rows that pass
        ("FFT", 1),  # fewer candidates than the window: all of them were checked
        ("FFF", 1),
        ("F" * WINDOW, 2),  # a full window without a row: the whole list after all
        ("F" * WINDOW + "T", 2),  # the only row lies past the window
        ("F" * WINDOW + "TT", 2),
        ("F" + "T" + "F" * WINDOW + "T", 2),  # one row in the window, one past it
        ("T" * (WINDOW + 3), 1),
    ],
)
def test_the_candidates_give_the_rows_and_the_more_flag_of_the_whole_list(
    pattern, reads, make_user
) -> None:
    user = make_user()
    pks = _teams(pattern)
    ordered = Team.objects.filter(name__startswith="Lijstteam").order_by("name", "pk")
    expected_rows = [pk for pk, letter in zip(pks, pattern, strict=True) if letter == "T"]

    with CaptureQueriesContext(connection) as plain_queries:
        plain = _read(user, queryset=ordered.filter(active=True), candidates=None)
    with CaptureQueriesContext(connection) as windowed_queries:
        windowed = _read(user, queryset=ordered.filter(active=True), candidates=ordered)
    # One more: the candidates' read; and one more again when the list is read after all.
    assert len(windowed_queries) - len(plain_queries) == reads

    assert windowed.rows == plain.rows == expected_rows[:LIMIT]
    assert windowed.more == plain.more == (len(expected_rows) > LIMIT)
