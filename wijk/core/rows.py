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


# How many candidates `capped_rows` reads per row it may show (see there).
CANDIDATES_PER_ROW = 4


def _read_capped(
    queryset: QuerySet[Any], columns: Columns, limit: int, candidates: QuerySet[Any] | None
) -> list[dict[str, Any]]:
    """The first `limit` + 1 rows of the ordered `queryset`. With `candidates` (the same list
    in the same total order, with its own filters only and not the access rule, so a superset
    of `queryset`): the rule is checked on the first CANDIDATES_PER_ROW * (`limit` + 1)
    candidates only. That is the same answer whenever that window holds `limit` + 1 rows that
    pass the rule (they are then the first ones of the whole list) or holds every candidate;
    otherwise the whole list is read after all. Without it, PostgreSQL checks the rule (a
    record's resident, address and buurt) on every record of a team before it sorts them: at
    scale 10, some 5,000 of a team's plans due for evaluation for 200 rows shown. The
    candidates' ids are only a filter: nothing of them is shown or logged."""
    if candidates is None:
        return columns.read(queryset[: limit + 1])
    window = CANDIDATES_PER_ROW * (limit + 1)
    ids = list(candidates.values_list("pk", flat=True)[:window])
    values = columns.read(queryset.filter(pk__in=ids)[: limit + 1])
    if len(values) <= limit and len(ids) == window:
        values = columns.read(queryset[: limit + 1])
    return values


def capped_rows[R](
    *,
    user: User,
    queryset: QuerySet[Any],
    columns: Columns,
    build: Callable[[Values], R],
    refs: Callable[[Values], Iterable[str]],
    limit: int,
    candidates: QuerySet[Any] | None = None,
) -> Capped[R]:
    """At most `limit` rows of the ordered `queryset` (one query for `limit` + 1, so that
    `more` needs no count), built by `build`, and one access-log entry naming what they show.
    `candidates`, for a long list whose records nearly all pass the access rule (a team's):
    the same list without the rule, read first (see `_read_capped`)."""
    values = _read_capped(queryset, columns, limit, candidates)
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
