"""Writes on letters: producing one. A letter is rendered from its template to a tagged PDF
(wijk.letters.rendering), kept in private storage (wijk.core.private_files) and recorded as
the next version for its source and kind, with one access-log entry. A letter is never
changed or sent by e-mail: the resident gets it on paper or sees it with their professional
(ADR 0036)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.audit import access_log_record, object_ref
from wijk.core.errors import PermissionDeniedError
from wijk.core.models import AccessEvent
from wijk.core.private_files import private_file_remove, private_file_write
from wijk.letters.models import Letter
from wijk.letters.models import LetterKind as LetterKind  # callers' views take it from here
from wijk.letters.rendering import letter_pdf
from wijk.organisations.models import Team
from wijk.residents.models import Resident
from wijk.residents.selectors import resident_get_for_user

log = structlog.get_logger(__name__)

# Two people producing the same letter at the same moment: the later one takes the next
# version number; it tries again at most this often.
ATTEMPTS = 3


def letter_produce(
    *,
    actor: User,
    resident: Resident,
    kind: LetterKind,
    template: str,
    context: Mapping[str, Any],
    source: models.Model,
    team: Team,
) -> Letter:
    """Render `template` (the calling app's letter, which extends `letters/letter.html`) with
    `context` to a tagged PDF for `resident`, about the record `source` (an investigation, a
    plan version…), keep it, and record it as the next version of this kind of letter about
    this source (version 1 first; earlier versions stay readable).

    The template also gets, and these names win over `context`: `letter_title` (the kind's
    name), `letter_date`, `letter_kind`, `letter_version`, `resident`, `recipient_address`
    and `sender_name` (the actor's name).

    The actor must be allowed to see the resident (NotFoundError, or BreakGlassRequired,
    otherwise); roles without person-level access get PermissionDeniedError. Runs in its own
    transaction, or inside the calling service's, so that the letter commits with the record
    it is about; the access-log entry names the letter and its source. `team` is the team
    whose record `source` is (the plan's, the request's): only its members read the letter."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    kind = LetterKind(kind)
    source_ref = object_ref(source)
    source_resident = getattr(source, "resident_id", None)
    if source_resident is not None and source_resident != resident.pk:
        raise ValueError("the letter's source belongs to another resident")
    resident = resident_get_for_user(user=actor, pk=resident.pk).resident
    for attempt in range(1, ATTEMPTS + 1):
        version = _next_version(source_ref=source_ref, kind=kind)
        pdf = letter_pdf(
            template=template,
            context={
                **context,
                "letter_title": kind.label,
                "letter_date": timezone.localdate(),
                "letter_kind": kind,
                "letter_version": version,
                "resident": resident,
                "recipient_address": resident.address,
                "sender_name": actor.get_full_name() or actor.get_username(),
            },
        )
        stored = private_file_write(folder="letters", data=pdf, suffix=".pdf")
        try:
            with transaction.atomic():
                letter = Letter.objects.create(
                    resident=resident,
                    team=team,
                    kind=kind,
                    source=source_ref,
                    version=version,
                    title=str(kind.label),
                    file_path=stored.path,
                    sha256=stored.sha256,
                    size=stored.size,
                    created_by=actor,
                )
                access_log_record(
                    actor=actor,
                    event=AccessEvent.CREATE,
                    resident_id=resident.pk,
                    objects=[letter, source_ref],
                )
        except IntegrityError:
            private_file_remove(stored.path)
            if attempt == ATTEMPTS:
                raise
            continue
        except BaseException:
            private_file_remove(stored.path)
            raise
        log.info(
            "letter_produced",
            letter_id=letter.pk,
            resident_id=resident.pk,
            kind=str(kind),
            version=version,
        )
        return letter
    raise AssertionError("unreachable")  # pragma: no cover


def _next_version(*, source_ref: str, kind: LetterKind) -> int:
    newest = Letter.objects.filter(source=source_ref, kind=kind).aggregate(newest=Max("version"))
    return (newest["newest"] or 0) + 1
