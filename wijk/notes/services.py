"""Writes on case notes: writing one on a resident's file and editing it. An edit never
changes a version: it appends the next one, so every version stays readable (ADR 0027). Each
write is one transaction that writes its access-log entry inside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.notes.models import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    CaseNote,
    CaseNoteVersion,
    NoteKind,
    is_readable,
)
from wijk.requests.models import HelpRequest
from wijk.residents.models import Resident
from wijk.residents.selectors import resident_get_for_user
from wijk.trajectories.models import Trajectory

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class NoteContent:
    """What a version of a note says: the fields an author fills in."""

    kind: NoteKind | str
    occurred_on: datetime.date
    text: str
    confidential: bool = False
    work_note: bool = False
    work_note_reason: str = ""


FUTURE_DATE = _("De datum ligt in de toekomst. Schrijf een notitie over iets dat al gebeurd is.")
REASON_REQUIRED = _("Schrijf waarom de inwoner deze werkaantekening later niet mag zien.")


class NoteChangedMeanwhile(ValidationFailed):
    """Someone saved a newer version after the editor opened the note: the edit is refused,
    and `newer` is what they saved (None when the editor may no longer read it)."""

    code = "note_changed"

    def __init__(self, *, newer: CaseNoteVersion | None) -> None:
        if newer is None:
            message = _(
                "Iemand anders heeft deze notitie intussen vertrouwelijk gemaakt. "
                "U kunt hem niet meer lezen of bewerken."
            )
        else:
            message = _(
                "Iemand anders heeft deze notitie intussen veranderd. Uw wijziging is niet "
                "opgeslagen. Lees hieronder wat er nu staat en pas het zo nodig opnieuw aan."
            )
        super().__init__(message)
        self.newer = newer


def _validated(content: NoteContent) -> NoteContent:
    """The content with its reason normalised, or ValidationFailed naming every field that is
    wrong at once. The text is never cut: a text that is too long is refused."""
    errors: dict[str, str] = {}
    if content.kind not in NoteKind.values:
        errors["kind"] = str(_("Kies wat voor contact het was."))
    if content.occurred_on > timezone.localdate():
        errors["occurred_on"] = str(FUTURE_DATE)
    if not content.text.strip():
        errors["text"] = str(_("Schrijf wat er gebeurd is."))
    elif len(content.text) > TEXT_MAX_LENGTH:
        errors["text"] = str(
            _(
                "De tekst is %(length)s tekens lang. Er passen er hooguit %(max)s in. "
                "Maak de tekst %(over)s tekens korter."
            )
            % {
                "length": number_format(len(content.text), force_grouping=True),
                "max": number_format(TEXT_MAX_LENGTH, force_grouping=True),
                "over": number_format(len(content.text) - TEXT_MAX_LENGTH, force_grouping=True),
            }
        )
    reason = " ".join(content.work_note_reason.split())
    if content.work_note and not reason:
        errors["work_note_reason"] = str(REASON_REQUIRED)
    elif len(reason) > REASON_MAX_LENGTH:
        errors["work_note_reason"] = str(_("Schrijf de reden in hooguit 200 tekens."))
    if errors:
        raise ValidationFailed(fields=errors)
    return NoteContent(
        kind=str(content.kind),
        occurred_on=content.occurred_on,
        text=content.text,
        confidential=content.confidential,
        work_note=content.work_note,
        work_note_reason=reason if content.work_note else "",
    )


def _version(*, note: CaseNote, seq: int, content: NoteContent, by: User) -> CaseNoteVersion:
    return CaseNoteVersion.objects.create(
        note=note,
        seq=seq,
        kind=str(content.kind),
        occurred_on=content.occurred_on,
        text=content.text,
        confidential=content.confidential,
        work_note=content.work_note,
        work_note_reason=content.work_note_reason,
        edited_by=by,
    )


def case_note_write(
    *,
    actor: User,
    resident: Resident,
    content: NoteContent,
    help_request: HelpRequest | None = None,
    trajectory: Trajectory | None = None,
) -> CaseNote:
    """Write a note on the file of a resident the actor may see, optionally about one of the
    resident's requests or trajectories (read by the caller through their selectors): the
    note and its first version, and one access-log entry."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    if help_request is not None and trajectory is not None:
        raise ValidationFailed(_("Koppel een notitie aan één hulpvraag of één traject."))
    linked = help_request or trajectory
    if linked is not None and linked.resident_id != resident.pk:
        raise ValidationFailed(_("Deze hulpvraag of dit traject hoort bij een andere inwoner."))
    content = _validated(content)
    with transaction.atomic(durable=True):
        view = resident_get_for_user(user=actor, pk=resident.pk)
        note = CaseNote.objects.create(
            resident=view.resident,
            help_request=help_request,
            trajectory=trajectory,
            author=actor,
        )
        version = _version(note=note, seq=1, content=content, by=actor)
        note.current = version
        note.save(update_fields=["current"])
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=resident.pk,
            objects=[note, version, *([linked] if linked is not None else [])],
        )
    log.info("case_note_written", note_id=note.pk, resident_id=resident.pk)
    return note


def case_note_edit(
    *, actor: User, note: CaseNote, based_on: int, content: NoteContent
) -> CaseNoteVersion:
    """Save `content` as the next version of `note`, which the actor opened at version
    `based_on`. Refused with NoteChangedMeanwhile when someone saved a newer version since,
    with ValidationFailed when nothing changed, and with NotFoundError when the actor may
    not see the note (any more). Only who may read a note's text may edit it (ADR 0027)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    content = _validated(content)
    with transaction.atomic(durable=True):
        locked = (
            CaseNote.objects.visible_to(actor)
            .with_readable(actor)
            .select_related("current")
            .select_for_update(of=("self",))
            .filter(pk=note.pk)
            .first()
        )
        if locked is None:
            raise NotFoundError
        current = locked.current
        assert current is not None  # written in the same transaction as the note
        if current.seq != based_on:
            raise NoteChangedMeanwhile(newer=current if is_readable(locked) else None)
        if not is_readable(locked):
            raise NotFoundError
        if _same(current, content):
            raise ValidationFailed(_("U heeft niets veranderd. Er is geen nieuwe versie gemaakt."))
        version = _version(note=locked, seq=current.seq + 1, content=content, by=actor)
        locked.current = version
        locked.save(update_fields=["current"])
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            resident_id=locked.resident_id,
            objects=[locked, version],
        )
    log.info("case_note_edited", note_id=locked.pk, seq=version.seq)
    return version


def _same(version: CaseNoteVersion, content: NoteContent) -> bool:
    return (
        version.kind == content.kind
        and version.occurred_on == content.occurred_on
        and version.text == content.text
        and version.confidential == content.confidential
        and version.work_note == content.work_note
        and version.work_note_reason == content.work_note_reason
    )
