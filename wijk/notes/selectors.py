"""Every read of case notes. A note is visible exactly when its resident is (the one resident
rule, ADR 0020); the text of a confidential note only to its readers (ADR 0027). Every read
is logged through wijk.core.access; a note that is missing and one that may not be seen give
the same NotFoundError."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from wijk.accounts.roles import gate_for
from wijk.core.access import log_read, model_ref, refs_with_resident, visible_or_refuse
from wijk.core.timeline import TimelineEntry, on_day
from wijk.notes.models import CaseNote, CaseNoteQuerySet, CaseNoteVersion, NoteKind, is_readable

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.residents.models import Resident

# The timeline shows at most this many notes of a resident, the newest first.
TIMELINE_LIMIT = 1000
# The timeline shows the start of a note's text, never all of it.
PREVIEW_LENGTH = 100


@dataclass(frozen=True)
class CaseNoteView:
    """A note as a user may see it. `readable` False: a confidential note whose text (and
    versions) the user may not read; only its date, author and kind are shown."""

    note: CaseNote
    current: CaseNoteVersion
    readable: bool
    versions: list[CaseNoteVersion]
    """Every version, oldest first; empty when not `readable`."""


def _queryset(user: User) -> CaseNoteQuerySet:
    return (
        CaseNote.objects.visible_to(user)
        .with_readable(user)
        .select_related("current__edited_by", "author", "resident", "help_request", "trajectory")
    )


def case_note_get_for_user(*, user: User, pk: int) -> CaseNoteView:
    """One note with every version, or NotFoundError. The read names the note, its resident
    and the versions shown."""
    note = visible_or_refuse(queryset=_queryset(user), pk=pk, user=user)
    current = note.current
    assert current is not None  # written in the same transaction as the note
    versions = (
        list(note.versions.select_related("edited_by").order_by("seq")) if is_readable(note) else []
    )
    log_read(
        user=user,
        objects=[*refs_with_resident([note]), *versions],
        resident_id=note.resident_id,
    )
    return CaseNoteView(note=note, current=current, readable=is_readable(note), versions=versions)


def note_title(kind: str, author: str) -> str:
    return _("%(kind)s: notitie van %(author)s") % {
        "kind": NoteKind(kind).label,
        "author": author,
    }


def _preview(text: str) -> str:
    """The start of the text, on one line, cut at a word with "…" when it is longer."""
    line = " ".join(text.split())
    if len(line) <= PREVIEW_LENGTH:
        return line
    cut = line[:PREVIEW_LENGTH].rsplit(" ", 1)[0] or line[:PREVIEW_LENGTH]
    return f"{cut}…"


def timeline_notes_for_user(
    *,
    user: User,
    resident: Resident,
    kinds: Collection[str] = ("note",),
    limit: int = TIMELINE_LIMIT,
) -> list[TimelineEntry]:
    """The resident's notes for the case-file timeline: the newest `limit` (at most
    TIMELINE_LIMIT) in the order of `wijk.core.timeline.newest_first` (the day it happened,
    then the id), in one query and one access-log entry, whatever the number of notes. For
    the case file, which has already checked that the user may see the resident. A note whose
    text the user may not read shows only that it exists (kind, author, date, flagged
    "vertrouwelijk"); the others show the start of their text, never all of it."""
    if not gate_for(user).person_level or "note" not in kinds:
        return []
    notes = list(
        _queryset(user)
        .filter(resident=resident)
        .order_by("-current__occurred_on", "-pk")[: min(limit, TIMELINE_LIMIT)]
    )
    if not notes:
        return []
    log_read(user=user, objects=notes, resident_id=resident.pk)
    entries = []
    for note in notes:
        current = note.current
        assert current is not None
        author = note.author.get_full_name() or note.author.username
        if current.confidential:
            flag = _("vertrouwelijk")
        elif current.work_note:
            flag = _("werkaantekening")
        else:
            flag = ""
        entries.append(
            TimelineEntry(
                at=on_day(current.occurred_on),
                kind="note",
                title=note_title(current.kind, author),
                detail=_preview(current.text) if is_readable(note) else "",
                url=reverse("notes:detail", args=[note.pk]),
                ref=model_ref(CaseNote, note.pk),
                flag=flag,
            )
        )
    return entries
