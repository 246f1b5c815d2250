"""Counts that other apps give the monitoring pages, without monitoring reading their tables
(docs/adr/0042-evaluations-on-time-in-monitoring.md).

As for the worklist (`wijk.core.worklist`, ADR 0037), each app registers a provider in its
AppConfig.ready(); the page asks the provider of each kind it shows:

    register_due("plan_evaluation", plan_evaluations_on_time)
    register_count("meldcode_opened", meldcode_cases_opened)

A provider reads its own app's tables (in its `selectors.py`) and returns counts only: rows
per month, team and wijk, in a fixed number of queries whatever the number of records. No
row can carry a name, a step, a date of one person or any text: the dataclasses below have
counts and keys, nothing else (test_pages checks their fields). This is how the meldcode
reaches monitoring as a count while monitoring never imports it (the import-linter contract
"monitoring does not import meldcode" stands).

- A *due* provider counts evaluations that were due in the period, by the date they were
  due as it was set (`DueRow`), split by what happened to them.
- A *count* provider counts records started in the period (`CountRow`).

Both take `start` (the first day of the period's first month) and `end` (the first day
after it), and `team_ids`, the teams whose records count (the user's scope).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

# The kinds the monitoring page knows how to show; an unknown kind at registration is an
# error at start-up.
DUE_KINDS = ("plan_evaluation", "pgb_evaluation")
COUNT_KINDS = ("meldcode_opened",)


@dataclass(frozen=True, slots=True)
class DueRow:
    """Evaluations due in one month (`month`: its first day), of one team's records, of
    residents living in one wijk (`wijk_code` "" when unknown). Each is counted once:
    on time, late, not held or not judged (see the ADR for each kind)."""

    month: datetime.date
    team_id: int
    wijk_code: str
    on_time: int = 0
    late: int = 0
    not_held: int = 0
    not_judged: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.not_held + self.not_judged


class DueTally:
    """DueRows built up from grouped query rows: `add` takes a row with "month", "in_team"
    and "in_wijk" (its keys) and adds counts to that key's row; `rows` gives them. What a due
    provider does with each of its queries' rows, written once."""

    _OUTCOMES = ("on_time", "late", "not_held", "not_judged")

    def __init__(self) -> None:
        self._rows: dict[tuple[datetime.date, int, str], dict[str, int]] = {}

    def add(self, values: Mapping[str, Any], **counts: int) -> None:
        key = (values["month"], values["in_team"], values["in_wijk"] or "")
        row = self._rows.setdefault(key, dict.fromkeys(self._OUTCOMES, 0))
        for name, count in counts.items():
            row[name] += count

    def rows(self) -> list[DueRow]:
        return [
            DueRow(month=month, team_id=team, wijk_code=wijk, **counts)
            for (month, team, wijk), counts in self._rows.items()
        ]


@dataclass(frozen=True, slots=True)
class CountRow:
    """Records started in one month, of one team, of residents living in one wijk."""

    month: datetime.date
    team_id: int
    wijk_code: str
    count: int = 0


class DueProvider(Protocol):
    def __call__(
        self,
        *,
        start: datetime.date,
        end: datetime.date,
        team_ids: Sequence[int],
        today: datetime.date,
    ) -> list[DueRow]: ...


class CountProvider(Protocol):
    def __call__(
        self, *, start: datetime.date, end: datetime.date, team_ids: Sequence[int]
    ) -> list[CountRow]: ...


_DUE: dict[str, DueProvider] = {}
_COUNT: dict[str, CountProvider] = {}


def _check(
    kind: str,
    provider: Callable[..., object],
    known: tuple[str, ...],
    registry: Mapping[str, Callable[..., object]],
) -> None:
    if kind not in known:
        raise ImproperlyConfigured(f"monitoring has no place for {kind!r}; known: {known}")
    if registry.get(kind, provider) is not provider:
        raise ImproperlyConfigured(f"a second provider for {kind!r}")


def register_due(kind: str, provider: DueProvider) -> None:
    """Add the provider of `kind` (one of DUE_KINDS). Registering it again changes nothing."""
    _check(kind, provider, DUE_KINDS, _DUE)
    _DUE[kind] = provider


def register_count(kind: str, provider: CountProvider) -> None:
    """Add the provider of `kind` (one of COUNT_KINDS). Registering it again changes nothing."""
    _check(kind, provider, COUNT_KINDS, _COUNT)
    _COUNT[kind] = provider


def due_rows(
    kind: str,
    *,
    start: datetime.date,
    end: datetime.date,
    team_ids: Sequence[int],
    today: datetime.date,
) -> list[DueRow] | None:
    """The rows of `kind`, or None when no installed app gives them."""
    provider = _DUE.get(kind)
    if provider is None:
        return None
    return provider(start=start, end=end, team_ids=list(team_ids), today=today)


def count_rows(
    kind: str, *, start: datetime.date, end: datetime.date, team_ids: Sequence[int]
) -> list[CountRow] | None:
    """The rows of `kind`, or None when no installed app gives them."""
    provider = _COUNT.get(kind)
    if provider is None:
        return None
    return provider(start=start, end=end, team_ids=list(team_ids))
