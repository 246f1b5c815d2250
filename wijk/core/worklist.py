"""The worklist: "my work" and "my team's work" as one page, fed by every app (issue 13,
ADR 0037).

Core is the foundation and may not import the apps that hold person-level data, yet the
worklist shows their rows. So, as for the start page's counts (`wijk.core.home`), each app
registers a provider in its AppConfig.ready(), and the worklist asks each of them:

    register(first_contact_work, kinds=("first_contact",))

`provider(user=..., scope=..., today=..., limit=...)` returns the app's part of the list for
that user: `WorkPart(items, more)`, at most `limit` items, ordered by due date, read through
the app's own selectors (which hold the access rule and log the list: `wijk.core.rows`
`capped_rows`) in a fixed number of queries whatever the number of rows (the worklist's query
count is pinned in `core/tests/test_worklist.py`). A provider returns an empty part, without
a query, for a user or gate it has nothing for. No provider reads another app's tables.

- scope "mine": work that is the user's own (assigned to them, they coordinate it);
- scope "team": the work of the user's active teams (`Team.objects.active_for(user)`), for
  everyone in them, team leads included, whoever has it.

`kinds` at registration names the kinds of WorkItem the provider gives. When the page is
filtered by kind, only the providers of those kinds are asked, so no list is read and logged
that the page does not show. (A provider registered without kinds is always asked.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.core.access import require_or_refuse
from wijk.core.calendar import add_working_days, working_days_between

Scope = Literal["mine", "team"]
SCOPES: tuple[Scope, ...] = ("mine", "team")

# Items a provider gives at most; the page says when an app had more, and links its own list.
WORKLIST_LIMIT = 200

# The kinds of work, in the filter's order: key and label. An app that adds a kind adds it here.
KIND_LABELS: dict[str, Promise] = {
    "first_contact": _("Eerste contact"),
    "investigation": _("Onderzoek afronden"),
    "plan_evaluation": _("Evaluatie plan"),
    "pgb_evaluation": _("Evaluatie pgb"),
    "decision": _("Besluit gemeente terug"),
    "meldcode": _("Meldcode: stap open"),
}
_KIND_ORDER = {kind: index for index, kind in enumerate(KIND_LABELS)}


@dataclass(frozen=True)
class WorkItem:
    """One row of the worklist: something that must be done by a date."""

    kind: str
    """Which kind of work, one of the keys of KIND_LABELS."""
    due: dt.date | None
    """The date by which it must be done; None when it has no deadline (shown last)."""
    title: str
    """What it is about, in one short line: a reference ("HV-7KQ2-M9XD") and what is due."""
    resident_name: str
    """The resident's name as the list shows it ("" when there is no resident yet)."""
    url: str
    """Where the work is done (the record's own page)."""
    holder_name: str = ""
    """Who has it ("" when nobody: it waits in the team's queue)."""
    ref: str = ""
    """The record's access-log reference (`model_ref`), unique per item."""

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class WorkPart:
    """An app's part of the worklist."""

    items: Sequence[WorkItem]
    more: bool = False
    """The app had more than `limit` items: the page says so and links `more_url`."""
    more_url: str = ""
    """The app's own full list of this work (the request worklist, …)."""
    more_label: str = ""
    """That list's name as a link text: "Alle hulpvragen zonder eerste contact"."""


Provider = Callable[..., WorkPart]


@dataclass(frozen=True)
class _Registration:
    provider: Provider
    kinds: frozenset[str]


_REGISTRATIONS: list[_Registration] = []


def register(provider: Provider, *, kinds: Iterable[str] = ()) -> None:
    """Add an app's provider, giving the `kinds` of work it gives (keys of KIND_LABELS).
    Registering the same function again changes nothing."""
    given = frozenset(kinds)
    unknown = given - set(KIND_LABELS)
    if unknown:
        raise ValueError(
            f"Unknown kinds of work {sorted(unknown)}: add them to wijk.core.worklist.KIND_LABELS"
        )
    if all(registration.provider is not provider for registration in _REGISTRATIONS):
        _REGISTRATIONS.append(_Registration(provider=provider, kinds=given))


def providers() -> tuple[Provider, ...]:
    return tuple(registration.provider for registration in _REGISTRATIONS)


def registered_kinds() -> list[str]:
    """The kinds the registered providers give, in KIND_LABELS's order."""
    given = {kind for registration in _REGISTRATIONS for kind in registration.kinds}
    return [kind for kind in KIND_LABELS if kind in given]


class DueGroup:
    """Where a piece of work stands against its date: the groups of the page, most urgent
    first. "Soon" is within SOON_WORKING_DAYS working days after today."""

    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"
    UNDATED = "undated"

    ORDER = (OVERDUE, TODAY, SOON, LATER, UNDATED)
    LABELS = {
        OVERDUE: _("Te laat"),
        TODAY: _("Vandaag"),
        SOON: _("Binnen vijf werkdagen"),
        LATER: _("Later"),
        UNDATED: _("Zonder datum"),
    }


SOON_WORKING_DAYS = 5


def due_group(*, due: dt.date | None, today: dt.date, soon_until: dt.date) -> str:
    """The group of work due on `due`; `soon_until` is the last day of "soon"
    (`add_working_days(today, SOON_WORKING_DAYS)`, computed once per list)."""
    if due is None:
        return DueGroup.UNDATED
    if due < today:
        return DueGroup.OVERDUE
    if due == today:
        return DueGroup.TODAY
    if due <= soon_until:
        return DueGroup.SOON
    return DueGroup.LATER


@dataclass(frozen=True)
class WorkRow:
    """An item as the page shows it: with its group and, when overdue, by how many working
    days (0 when it became overdue on a day off: "te laat" without a number)."""

    item: WorkItem
    group: str
    overdue_working_days: int


@dataclass(frozen=True)
class WorkGroup:
    key: str
    label: str
    rows: list[WorkRow]


@dataclass(frozen=True)
class KindChoice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Worklist:
    scope: Scope
    groups: list[WorkGroup]
    count: int
    kinds: list[str]
    """The kinds the list is narrowed to; empty: every kind."""
    choices: list[KindChoice]
    """The filter's choices: every kind a provider gives, and any kind asked for."""
    more: list[WorkPart]
    """The parts of apps that had more than the list shows."""
    limit: int
    """How many items each app gave at most."""


def _order(item: WorkItem, today: dt.date) -> tuple[Any, ...]:
    return (
        item.due is None,
        item.due or today,
        _KIND_ORDER.get(item.kind, len(_KIND_ORDER)),
        item.title,
        item.ref,
    )


def worklist(
    *,
    user: Any,
    scope: Scope,
    today: dt.date,
    kinds: Collection[str] = (),
    limit: int | None = None,
) -> Worklist:
    """Every provider's part for the user, merged and grouped by due date: overdue, today,
    within five working days, later, without a date. Within a group: due date, then kind
    (in KIND_LABELS's order), title and reference, so the order is fixed. `kinds` narrows it
    (only those providers are asked); `limit` caps each provider (default WORKLIST_LIMIT).
    A role without person-level access: a logged refusal (NotFoundError)."""
    require_or_refuse(gate_for(user).person_level, user=user)
    limit = WORKLIST_LIMIT if limit is None else limit
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    wanted = frozenset(kinds)
    parts = [
        registration.provider(user=user, scope=scope, today=today, limit=limit)
        for registration in _REGISTRATIONS
        if not wanted or not registration.kinds or registration.kinds & wanted
    ]
    items = sorted(
        (item for part in parts for item in part.items if not wanted or item.kind in wanted),
        key=lambda item: _order(item, today),
    )
    soon_until = add_working_days(today, SOON_WORKING_DAYS)
    by_group: dict[str, list[WorkRow]] = {group: [] for group in DueGroup.ORDER}
    for item in items:
        group = due_group(due=item.due, today=today, soon_until=soon_until)
        overdue = (
            max(working_days_between(item.due, today), 0)
            if item.due is not None and group == DueGroup.OVERDUE
            else 0
        )
        by_group[group].append(WorkRow(item=item, group=group, overdue_working_days=overdue))
    offered = set(registered_kinds()) | wanted | {item.kind for item in items}
    return Worklist(
        scope=scope,
        groups=[
            WorkGroup(key=key, label=str(DueGroup.LABELS[key]), rows=rows)
            for key, rows in by_group.items()
        ],
        count=len(items),
        kinds=[kind for kind in KIND_LABELS if kind in wanted],
        choices=[
            KindChoice(value=kind, label=str(label), checked=kind in wanted)
            for kind, label in KIND_LABELS.items()
            if kind in offered
        ],
        more=[part for part in parts if part.more],
        limit=limit,
    )
