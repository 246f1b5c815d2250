"""What a delivery table is: its name, its Dutch title and description, its typed fields with
their code lists and constraints, its primary key, and where its rows come from.

A table is described once here and every writer (CSV, XML with its XSD, SQLite and its SQL
script, Parquet), the data package (`datapackage.json`) and the data dictionary page read the
same description, so the formats never disagree about a column.

Rows are streamed: `rows()` returns an iterator of tuples in the order of `fields`, sorted by
the primary key (the writers refuse a row whose key is not greater than the one before, so a
delivery is always written in the same order and rerunning a day gives the same bytes). A
source reads the database in chunks (`.values_list(...).iterator(chunk_size=...)`) or is a
generator; it never holds the whole table in memory.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any

Row = tuple[Any, ...]


class FieldType(StrEnum):
    """The types a field can have; the names are those of Frictionless Table Schema."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class Code:
    """One value of a field's code list and what it means, in Dutch."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # lower-case ASCII, digits and underscores: a column name in every format
    type: FieldType
    description: str  # Dutch, for the data dictionary
    required: bool = True
    codes: tuple[Code, ...] = ()  # a closed code list (string fields only)
    minimum: int | None = None  # integer fields only
    maximum: int | None = None

    def __post_init__(self) -> None:
        if not _is_identifier(self.name):
            raise ValueError(f"field name {self.name!r}: use a-z, 0-9 and _ only")
        if self.codes and self.type is not FieldType.STRING:
            raise ValueError(f"field {self.name}: a code list needs a string field")
        if (self.minimum is not None or self.maximum is not None) and (
            self.type is not FieldType.INTEGER
        ):
            raise ValueError(f"field {self.name}: a minimum or maximum needs an integer field")


@dataclass(frozen=True)
class TableSpec:
    """One table of a delivery."""

    name: str  # lower-case ASCII: the file name and the table name in every format
    title: str  # Dutch
    description: str  # Dutch: what one row is, which rows there are
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[], Iterator[Row]] = field(repr=False, compare=False)
    # Whether the table holds records about (pseudonymised) persons rather than aggregates.
    records: bool = False

    def __post_init__(self) -> None:
        if not _is_identifier(self.name):
            raise ValueError(f"table name {self.name!r}: use a-z, 0-9 and _ only")
        names = [spec.name for spec in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name}: a field name occurs twice")
        if not self.primary_key or not set(self.primary_key) <= set(names):
            raise ValueError(f"table {self.name}: the primary key must name its fields")
        for name in self.primary_key:
            if not self.field(name).required:
                raise ValueError(f"table {self.name}: key field {name} must be required")

    def field(self, name: str) -> Field:
        return next(spec for spec in self.fields if spec.name == name)

    @property
    def key_positions(self) -> tuple[int, ...]:
        names = [spec.name for spec in self.fields]
        return tuple(names.index(name) for name in self.primary_key)


def rows_of(items: Iterable[object], fields: Sequence[Field]) -> Iterator[Row]:
    """The rows of objects (dataclasses, named tuples) read by field name, not by position."""
    read = attrgetter(*(spec.name for spec in fields))
    if len(fields) == 1:
        for item in items:
            yield (read(item),)
        return
    for item in items:
        yield read(item)


def row_checker(table: TableSpec) -> Callable[[Row], None]:
    """A function that refuses a row its table does not allow (FeedDataError)."""
    width = len(table.fields)
    allowed = [frozenset(code.value for code in spec.codes) for spec in table.fields]
    checks = list(zip(table.fields, allowed, strict=True))

    def check(row: Row) -> None:
        if len(row) != width:
            raise FeedDataError(f"{table.name}: a row of {len(row)} values, not {width}")
        for (spec, codes), value in zip(checks, row, strict=True):
            check_value(table, spec, value, codes)

    return check


def check_value(
    table: TableSpec, spec: Field, value: object, codes: frozenset[str] = frozenset()
) -> None:
    """Refuse a value its field does not allow: the delivery fails rather than sending a file
    that its own schema rejects."""
    if value is None:
        if spec.required:
            raise FeedDataError(f"{table.name}.{spec.name}: a required field is empty")
        return
    expected: tuple[type, ...] = _PYTHON_TYPES[spec.type]
    if not isinstance(value, expected) or (
        spec.type is FieldType.INTEGER and isinstance(value, bool)
    ):
        raise FeedDataError(f"{table.name}.{spec.name}: not a {spec.type} value")
    if spec.type is FieldType.DATE and isinstance(value, datetime.datetime):
        raise FeedDataError(f"{table.name}.{spec.name}: a moment where a date is expected")
    if spec.type is FieldType.DATETIME and (
        not isinstance(value, datetime.datetime) or value.utcoffset() is None
    ):
        raise FeedDataError(f"{table.name}.{spec.name}: a moment needs a time zone")
    if spec.required and value == "":
        # CSV cannot tell an empty text from an empty value.
        raise FeedDataError(f"{table.name}.{spec.name}: a required text is empty")
    if isinstance(value, float) and not math.isfinite(value):
        raise FeedDataError(f"{table.name}.{spec.name}: a number that is not finite")
    if codes and value not in codes:
        raise FeedDataError(f"{table.name}.{spec.name}: a value outside its code list")
    if isinstance(value, int) and (
        (spec.minimum is not None and value < spec.minimum)
        or (spec.maximum is not None and value > spec.maximum)
    ):
        raise FeedDataError(f"{table.name}.{spec.name}: a value outside its range")


class FeedDataError(ValueError):
    """A row that does not fit its table's description. The message names the table and
    field, never the value (it might be personal)."""


_PYTHON_TYPES: dict[FieldType, tuple[type, ...]] = {
    FieldType.STRING: (str,),
    FieldType.INTEGER: (int,),
    FieldType.NUMBER: (int, float),
    FieldType.DATE: (datetime.date,),
    FieldType.DATETIME: (datetime.datetime,),
    FieldType.BOOLEAN: (bool,),
}


def _is_identifier(name: str) -> bool:
    return (
        bool(name)
        and name[0].isascii()
        and name[0].isalpha()
        and name.islower()
        and all(char.isascii() and (char.isalnum() or char == "_") for char in name)
    )
