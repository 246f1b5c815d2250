"""Authorization matrix rows for the case-note pages: person-level, so professionals and team
leads who may see the note's resident; 404 for every other role."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wijk.core.tests.matrix_kit import PERSON_LEVEL, RESIDENT, Kwargs, row
from wijk.notes.models import CaseNote, CaseNoteVersion, NoteKind

NOTE: Kwargs = lambda objects: {"pk": objects["case_note"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "notes:write": (row(PERSON_LEVEL), RESIDENT),
    "notes:detail": (row(PERSON_LEVEL), NOTE),
    "notes:edit": (row(PERSON_LEVEL), NOTE),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """An ordinary (not confidential) note on the matrix's resident by a colleague. Written
    without the service: a user outside a request has no TOTP-verified session, so no gate."""
    note = CaseNote.objects.create(resident=objects["resident"], author=objects["other_user"])
    version = CaseNoteVersion.objects.create(
        note=note,
        seq=1,
        kind=NoteKind.HOME_VISIT,
        occurred_on=timezone.localdate(),
        text="Huisbezoek afgelegd, afspraken gemaakt over de post.",
        edited_by=objects["other_user"],
    )
    note.current = version
    note.save(update_fields=["current"])
    objects["case_note"] = note
