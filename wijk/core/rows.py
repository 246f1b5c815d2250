"""List rows: what a list page reads of its records, declared once by column name.

A list page reads named columns of an ordered queryset as values, never whole records (model
instances cost more than the page, ADR 0013); at most `limit` rows, with a flag that says there
are more; and it writes one access-log entry naming every record and resident it shows
(wijk.core.access.log_list). A row is built from a mapping of column names, so a new column is
one line in its app's `Columns` and one field of its row, never a position in a tuple.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from wijk.core.access import log_list, model_ref

if TYPE_CHECKING:
    from wijk.accounts.models import User

type Values = Mapping[str, Any]


@dataclass(frozen=True)
class Columns:
    """The columns a list reads: a name for each ORM path, e.g.
    ``Columns({"pk": "pk", "family_name": "resident__family_name"})``."""

    paths: Mapping[str, str]

    def read(self, queryset: QuerySet[Any]) -> list[dict[str, Any]]:
        """The rows of an ordered (and sliced) queryset: one query, one mapping per row."""
        names = tuple(self.paths)
        return [
            dict(zip(names, values, strict=True))
            for values in queryset.values_list(*self.paths.values())
        ]

    def of(self, instance: Model) -> dict[str, Any]:
        """The same mapping for one loaded record ("resident__family_name" of a record
        without a resident: None)."""
        return {name: _follow(instance, path) for name, path in self.paths.items()}


def _follow(instance: Model, path: str) -> Any:
    value: Any = instance
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def record_refs(
    model: type[Model], *, pk: str = "pk", resident: str | None = None
) -> Callable[[Values], list[str]]:
    """What a row names in the access log: its record (column `pk`) and, where the column
    `resident` holds one, the resident it is about (the model of `model`'s `resident` foreign
    key)."""
    resident_model: type[Model] | None = None
    if resident is not None:
        related = model._meta.get_field("resident").related_model
        assert isinstance(related, type)
        resident_model = related

    def refs(values: Values) -> list[str]:
        found = [model_ref(model, values[pk])]
        if resident_model is not None and resident is not None and values[resident] is not None:
            found.append(model_ref(resident_model, values[resident]))
        return found

    return refs


@dataclass(frozen=True)
class Capped[R]:
    """The rows of a list shown, and whether there were more than it shows."""

    rows: list[R]
    more: bool
    limit: int


def capped_rows[R](
    *,
    user: User,
    queryset: QuerySet[Any],
    columns: Columns,
    build: Callable[[Values], R],
    refs: Callable[[Values], Iterable[str]],
    limit: int,
) -> Capped[R]:
    """At most `limit` rows of the ordered `queryset` (one query for `limit` + 1, so that
    `more` needs no count), built by `build`, and one access-log entry naming what they show."""
    values = columns.read(queryset[: limit + 1])
    shown = values[:limit]
    log_list(user=user, objects=[ref for row in shown for ref in refs(row)])
    return Capped(rows=[build(row) for row in shown], more=len(values) > limit, limit=limit)


def page_rows[R](
    *,
    user: User,
    queryset: QuerySet[Any],
    columns: Columns,
    build: Callable[[Values], R],
    refs: Callable[[Values], Iterable[str]],
    offset: int,
    size: int,
) -> list[R]:
    """One page of `size` rows from `offset` of the ordered `queryset`, logged as
    `capped_rows` logs."""
    shown = columns.read(queryset[offset : offset + size])
    log_list(user=user, objects=[ref for row in shown for ref in refs(row)])
    return [build(row) for row in shown]
