"""One entry on a resident's case-file timeline.

Each app that holds a resident's records offers a selector that returns its part of the
timeline as `TimelineEntry` rows, read through that app's own access rule as the signed-in
user (and logged there). The case file (`wijk.casefiles`) merges the parts, newest first. An
entry carries only what the timeline shows; the record itself is opened on its own page.

A part is paged without counting: asked for its `limit` newest entries, a source returns, per
kind of record, the newest `limit` of them in the order of `newest_first` (in SQL: the moment
descending, then the id descending). The newest `limit` entries of the whole timeline are
then among the ones returned (ADR 0024)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.utils import timezone

from wijk.core.params import parse_int

TimelineKind = Literal[
    "request",
    "trajectory",
    "contact",
    "zrm",
    "handover",
    "note",
    "investigation",
    "plan",
    "letter",
    "decision",
]


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    """When it happened (timezone-aware); the timeline is ordered on this, newest first."""
    kind: TimelineKind
    title: str
    """One line, e.g. "Hulpvraag HV-2026-00123 ontvangen"."""
    detail: str
    """A short second line ("" for none); never the full free text of a note."""
    url: str | None
    """The record's own page, where the user may open it; None when there is none."""
    ref: str
    """The record's access-log reference (`wijk.core.audit.model_ref`), unique per entry."""
    flag: str = ""
    """A short warning shown with the entry (e.g. "vertrouwelijk"), "" for none."""


def on_day(day: dt.date) -> dt.datetime:
    """The moment on the timeline of a record that has a date only (a trajectory's inflow, a
    ZRM assessment, a handover): the end of that day, local time, so that it comes after the
    timed entries of the same day (a request received that morning, a phone call)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def newest_first(entry: TimelineEntry) -> tuple[dt.datetime, str, int]:
    """The timeline's order as a sort key, to sort with `reverse=True`: the moment, then the
    kind of record and its id from `ref` ("requests.helprequest:12"), so that entries of the
    same moment keep one fixed order, the same one a source reads them in."""
    label, _colon, pk = entry.ref.rpartition(":")
    return (entry.at, label, parse_int(pk, minimum=0) or 0)
