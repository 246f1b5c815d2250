"""The rows the seed writes, declared by name (wijk.synthetic.rows): each declaration matches
its model, the writer takes its columns from it, and rows are built by keyword only."""

from __future__ import annotations

import datetime
from typing import NamedTuple

import pytest
from django.apps import apps
from django.db.models import NOT_PROVIDED, Field

from wijk.synthetic import services
from wijk.synthetic.rows import CITY_TABLES, WORK_TABLES, ZrmScoreRow, row_builder, zrm_score_row
from wijk.synthetic.work import WORK_FIELDS

DECLARED = CITY_TABLES | WORK_TABLES


@pytest.mark.parametrize("key", list(DECLARED))
def test_each_declared_field_is_a_column_of_its_model(key: str) -> None:
    """A renamed or removed model field fails here, not halfway through a seed."""
    model = apps.get_model(DECLARED[key].model)
    for name in DECLARED[key].fields:
        field = model._meta.get_field(name)
        assert isinstance(field, Field), (key, name)
        assert field.column is not None, (key, name)


@pytest.mark.parametrize("key", list(DECLARED))
def test_columns_left_out_of_a_declaration_can_take_their_default(key: str) -> None:
    """The writer gives a column the declaration does not name its default (copy_columns):
    a new column without a default or NULL must be declared (and filled) where the rows are
    made."""
    model = apps.get_model(DECLARED[key].model)
    declared = {model._meta.get_field(name).column for name in DECLARED[key].fields}
    for field in model._meta.concrete_fields:
        if field.column not in declared:
            assert field.null or field.default is not NOT_PROVIDED, (key, field.name)


def test_the_writer_takes_its_columns_from_the_declarations() -> None:
    assert list(services.TABLES) == list(DECLARED)
    for key, (model, fields) in services.TABLES.items():
        assert model is apps.get_model(DECLARED[key].model)
        assert fields == DECLARED[key].row._fields
    assert {key: table.fields for key, table in WORK_TABLES.items()} == WORK_FIELDS


def test_a_builder_makes_the_declared_row_from_keywords_only() -> None:
    row = zrm_score_row(score=4, domain=3, id=1, assessment=2)
    assert type(row) is tuple  # binary COPY's fast path
    assert row == ZrmScoreRow(id=1, assessment=2, domain=3, score=4) == (1, 2, 3, 4)
    with pytest.raises(TypeError):
        zrm_score_row(1, 2, 3, 4)  # positional: refused at runtime
    with pytest.raises(TypeError, match="score"):
        zrm_score_row(id=1, assessment=2, domain=3)  # type: ignore[call-arg]


def test_a_builder_fills_the_declared_defaults() -> None:
    class NoteRow(NamedTuple):
        id: int
        written_on: datetime.date
        note: str = ""
        reviewed_by: int | None = None

    note_row = row_builder(NoteRow)
    day = datetime.date(2026, 1, 5)
    assert note_row(id=1, written_on=day) == NoteRow(1, day, "", None)
    assert note_row(id=1, written_on=day, reviewed_by=7) == NoteRow(1, day, "", 7)
