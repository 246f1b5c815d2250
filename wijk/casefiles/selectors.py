"""The resident's case file (dossier): who the resident is, their household, and one timeline
of everything that happened in their file, newest first.

Each part of the timeline comes from the app that holds the records, through that app's own
selector as the signed-in user (`timeline_*_for_user`), so every part is access-checked by
its own rule and logged as a read of its own. The parts are merged and paged here without
counting (ADR 0024): for page p of PAGE_SIZE entries every source returns its newest
p * PAGE_SIZE + 1 entries per kind, and the page is a slice of their merge.

One selector builds the whole page's data before rendering starts: no template tag reads
person-level data while the page renders."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.core.timeline import TimelineEntry, TimelineKind, newest_first
from wijk.decisions.selectors import timeline_decisions_for_user
from wijk.investigations.selectors import timeline_investigations_for_user
from wijk.letters.selectors import timeline_letters_for_user
from wijk.notes.selectors import timeline_notes_for_user
from wijk.plans.selectors import timeline_plans_for_user
from wijk.requests.selectors import timeline_requests_for_user
from wijk.residents.selectors import ResidentView, resident_get_for_user
from wijk.trajectories.selectors import timeline_trajectories_for_user

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.residents.models import Resident

# Entries on one page of the timeline.
PAGE_SIZE = 20

# What the kind filter calls each kind of entry, in the order it offers them.
KIND_LABELS: dict[TimelineKind, Promise] = {
    "request": _("Hulpvragen"),
    "contact": _("Contactpogingen"),
    "trajectory": _("Trajecten"),
    "zrm": _("ZRM-metingen"),
    "handover": _("Warme overdrachten"),
    "note": _("Notities"),
    "investigation": _("Onderzoeken"),
    "plan": _("Plannen"),
    "letter": _("Brieven"),
    "decision": _("Besluiten van de gemeente"),
}


@dataclass(frozen=True)
class TimelineSource:
    """One app's part of the timeline: the kinds of entry it gives, and its selector, called
    as `read(user=…, resident=…, kinds=…, limit=…)` with the kinds asked of it (never none)
    and the number of newest entries needed per kind."""

    kinds: tuple[TimelineKind, ...]
    read: Callable[..., list[TimelineEntry]]


# THE SOURCES OF THE TIMELINE: one line per app. A new kind of record (plans, letters) is one
# line here, with its app's `timeline_*_for_user` selector.
SOURCES: tuple[TimelineSource, ...] = (
    TimelineSource(kinds=("request", "contact"), read=timeline_requests_for_user),
    TimelineSource(kinds=("trajectory", "zrm", "handover"), read=timeline_trajectories_for_user),
    TimelineSource(kinds=("note",), read=timeline_notes_for_user),
    TimelineSource(kinds=("plan",), read=timeline_plans_for_user),
    TimelineSource(kinds=("investigation",), read=timeline_investigations_for_user),
    TimelineSource(kinds=("letter",), read=timeline_letters_for_user),
    TimelineSource(kinds=("decision",), read=timeline_decisions_for_user),
)

# The kinds the timeline has, in the filter's order.
KINDS: tuple[TimelineKind, ...] = tuple(
    kind for kind in KIND_LABELS if any(kind in source.kinds for source in SOURCES)
)


@dataclass(frozen=True)
class KindChoice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class TimelineRow:
    entry: TimelineEntry
    kind_label: str


@dataclass(frozen=True)
class Timeline:
    """One page of the timeline: its entries, newest first, of the kinds chosen."""

    rows: list[TimelineRow]
    choices: list[KindChoice]
    filtered: bool  # some kinds are left out
    page: int  # 1-based; a page past the last one became the last one
    more: bool  # there is an older page

    @property
    def first_number(self) -> int:
        """The place on the timeline of the first entry on this page (1-based)."""
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.rows) - 1

    @property
    def kinds_query(self) -> str:
        """The kinds chosen as the start of a query string ("soort=zrm&"), "" for all: for
        the links to the other pages."""
        if not self.filtered:
            return ""
        return "".join(f"soort={choice.value}&" for choice in self.choices if choice.checked)


@dataclass(frozen=True)
class CaseFile:
    view: ResidentView
    timeline: Timeline


def case_file_for_user(
    *, user: User, pk: int, kinds: Collection[str] = (), page: int = 1
) -> CaseFile:
    """The case file of resident `pk` with page `page` of its timeline, of the kinds in
    `kinds` (all when none of them is a kind the timeline has), or the resident selector's
    NotFoundError / BreakGlassRequired. The timeline is read only once the resident is known
    to be visible, and each part only as far as its own access rule allows."""
    view = resident_get_for_user(user=user, pk=pk)
    return CaseFile(
        view=view,
        timeline=_timeline(user=user, resident=view.resident, kinds=kinds, page=max(page, 1)),
    )


def _timeline(*, user: User, resident: Resident, kinds: Collection[str], page: int) -> Timeline:
    chosen = [kind for kind in KINDS if kind in kinds] or list(KINDS)
    # The newest page * PAGE_SIZE + 1 entries of the timeline are among the newest that many
    # of each kind: enough for this page and to know whether an older one exists.
    limit = page * PAGE_SIZE + 1
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        asked = [kind for kind in source.kinds if kind in chosen]
        if asked:
            part = source.read(user=user, resident=resident, kinds=asked, limit=limit)
            entries.extend(entry for entry in part if entry.kind in asked)
    entries.sort(key=newest_first, reverse=True)
    if len(entries) <= (page - 1) * PAGE_SIZE:
        # Past the last page every source returned all it has: show the last page.
        page = max(1, -(-len(entries) // PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    return Timeline(
        rows=[
            TimelineRow(entry=entry, kind_label=str(KIND_LABELS[entry.kind]))
            for entry in entries[start : start + PAGE_SIZE]
        ],
        choices=[
            KindChoice(value=kind, label=str(KIND_LABELS[kind]), checked=kind in chosen)
            for kind in KINDS
        ],
        filtered=len(chosen) < len(KINDS),
        page=page,
        more=len(entries) > start + PAGE_SIZE,
    )
