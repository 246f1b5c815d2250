"""One entry on a resident's case-file timeline.

Each app that holds a resident's records offers a selector that returns its part of the
timeline as `TimelineEntry` rows, read through that app's own access rule as the signed-in
user (and logged there). The case file (`wijk.casefiles`) merges the parts, newest first. An
entry carries only what the timeline shows; the record itself is opened on its own page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

TimelineKind = Literal[
    "request", "trajectory", "contact", "zrm", "handover", "note", "plan", "letter"
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
