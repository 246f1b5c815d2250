"""Data-quality checks (seed 002 §8.2: the data must be good enough to steer on), fed by the
apps that hold the records (docs/adr/0047-the-data-quality-report.md).

Core may not import the apps with person-level data, and monitoring may not import their
selectors; yet the report counts and lists their records. So, as for the worklist
(`wijk.core.worklist`) and the start page (`wijk.core.home`), each app registers a
`QualitySource` in its AppConfig.ready(): its checks, and three readers in its own
`selectors.py`, which hold the access rule:

- `counts(today=...)`: per check and wijk code ("" unknown), over the whole city, for nobody
  in particular (the summary that travels with every delivery of the feed): counts only;
- `team_counts(user=..., today=...)`: per check, over the records of the user's active teams
  (a team lead's; ADR 0020 "Counts": the team's own records, whoever may open them);
- `rows(user=..., code=..., today=..., limit=...)`: the records of one check that the team lead
  may open, capped and logged as a list (`wijk.core.rows.capped_rows`), each with the link to
  the page where it is fixed; None for a source whose records have no page (short contacts).

A check is a condition on one kind of record, written once in its app and used by all three.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Expression, F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.core.rows import Capped

# A record entered more than this many days after the fact it records is "registered late":
# the figures of a month already delivered then change afterwards (seed 002 §8.2).
LATE_AFTER_DAYS = 30
# How many records of one check a team lead's list shows at most.
QUALITY_LIST_LIMIT = 50


class Category(StrEnum):
    COMPLETENESS = "volledigheid"
    VALIDITY = "geldigheid"
    TIMELINESS = "tijdigheid"
    DUPLICATES = "dubbel"


CATEGORY_LABELS: dict[Category, Promise] = {
    Category.COMPLETENESS: _("Volledig"),
    Category.VALIDITY: _("Juist"),
    Category.TIMELINESS: _("Op tijd"),
    Category.DUPLICATES: _("Dubbel"),
}
_CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}


@dataclass(frozen=True)
class QualityCheck:
    """One check: a stable `code` (in the feed and the URL), its category, and the Dutch name
    and plain explanation the page shows beside the count."""

    code: str
    category: Category
    title: Promise
    explanation: Promise

    @property
    def category_label(self) -> Promise:
        return CATEGORY_LABELS[self.category]


@dataclass(frozen=True)
class QualityRow:
    """One record that fails a check, as the team lead's list shows it: what it is, its
    date, and the page where it is put right."""

    pk: int
    title: str
    day: datetime.date | None
    url: str


@dataclass(frozen=True)
class QualitySource:
    """An app's checks and its readers (see the module docstring)."""

    checks: tuple[QualityCheck, ...]
    counts: Callable[..., dict[tuple[str, str], int]]
    team_counts: Callable[..., dict[str, int]]
    rows: Callable[..., Capped[QualityRow]] | None = None


_SOURCES: list[QualitySource] = []


def register(source: QualitySource) -> None:
    """Add an app's source; a check code must be new (registering the same source again
    changes nothing)."""
    if source in _SOURCES:
        return
    known = {check.code for check in quality_checks()}
    if clash := known & {check.code for check in source.checks}:
        raise ValueError(f"quality checks registered twice: {sorted(clash)}")
    _SOURCES.append(source)


def quality_checks() -> list[QualityCheck]:
    """Every registered check, by category (completeness, validity, timeliness, duplicates),
    in the order the apps registered them within a category."""
    checks = [check for source in _SOURCES for check in source.checks]
    return sorted(checks, key=lambda check: _CATEGORY_ORDER[check.category])


def city_counts(*, today: datetime.date) -> dict[tuple[str, str], int]:
    """Per (check code, wijk code or "" unknown): how many records of the whole city fail the
    check. Counts only, for no user (the feed calls it)."""
    found: dict[tuple[str, str], int] = {}
    for source in _SOURCES:
        for key, count in source.counts(today=today).items():
            found[key] = found.get(key, 0) + count
    return found


def team_counts(*, user: Any, today: datetime.date) -> dict[str, int]:
    """Per check code: how many records of the user's active teams fail it."""
    found: dict[str, int] = {}
    for source in _SOURCES:
        found.update(source.team_counts(user=user, today=today))
    return found


def has_rows(code: str) -> bool:
    """Whether the records of check `code` can be listed (they have a page to fix them on)."""
    return any(
        source.rows is not None and any(check.code == code for check in source.checks)
        for source in _SOURCES
    )


def quality_rows(
    *, user: Any, code: str, today: datetime.date, limit: int = QUALITY_LIST_LIMIT
) -> Capped[QualityRow] | None:
    """The records of check `code` the user may open (logged as a list), or None when the
    check is unknown or its records have no page."""
    for source in _SOURCES:
        if source.rows is not None and any(check.code == code for check in source.checks):
            return source.rows(user=user, code=code, today=today, limit=limit)
    return None


# ---------------------------------------------------------------------------------------------
# Conditions the apps' checks share


def code_not_valid(path: str, day: Expression | F) -> Q:
    """The code at `path` (a foreign key to reference.Code) was not in its list on `day` (an
    expression: the record's own date): before its `valid_from` or after its `valid_until`.
    An empty foreign key passes (the join gives NULL, which compares false)."""
    return Q(**{f"{path}__valid_from__gt": day}) | Q(**{f"{path}__valid_until__lt": day})


def later_than(days: int = LATE_AFTER_DAYS) -> datetime.timedelta:
    """The delay after which a record counts as registered late."""
    return datetime.timedelta(days=days)


def counts_per_wijk(
    queryset: QuerySet[Any], *, wijk: str, conditions: dict[str, Q]
) -> dict[tuple[str, str], int]:
    """Per (check code, wijk code) the records of `queryset` that meet each check's condition
    (`conditions`: code -> the condition a failing record meets), grouped by the wijk code at
    path `wijk` ("" when unknown): one query, whatever the number of records."""
    found: dict[tuple[str, str], int] = {}
    counts = {code: Count("pk", filter=condition) for code, condition in conditions.items()}
    for values in queryset.order_by().values(wijk).annotate(**counts):
        for code in conditions:
            if values[code]:
                key = (code, values[wijk] or "")
                found[key] = found.get(key, 0) + values[code]
    return found


def counts_of(queryset: QuerySet[Any], *, conditions: dict[str, Q]) -> dict[str, int]:
    """Per check code the records of `queryset` that meet its condition: one query."""
    return queryset.aggregate(
        **{code: Count("pk", filter=condition) for code, condition in conditions.items()}
    )


def check_codes(checks: Sequence[QualityCheck]) -> list[str]:
    return [check.code for check in checks]
