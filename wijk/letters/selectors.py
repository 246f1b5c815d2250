"""Every read of letters. A letter is visible exactly when its resident is (the one resident
rule, ADR 0020); roles without person-level access see none. Every read is logged through
wijk.core.access; a letter that is missing and one that may not be seen give the same
NotFoundError."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijk.accounts.roles import gate_for
from wijk.core.access import get_visible_or_refuse, log_read, model_ref
from wijk.core.errors import NotFoundError
from wijk.core.private_files import private_file_read
from wijk.core.timeline import TimelineEntry
from wijk.letters.models import Letter, LetterQuerySet

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.residents.models import Resident

log = structlog.get_logger(__name__)

# The timeline shows at most this many letters of a resident, the newest first.
TIMELINE_LIMIT = 1000


@dataclass(frozen=True)
class LetterFile:
    letter: Letter
    pdf: bytes

    @property
    def filename(self) -> str:
        """The name the browser saves it under: no name of the resident in it."""
        return f"brief-{self.letter.pk}-versie-{self.letter.version}.pdf"


def _queryset(user: User) -> LetterQuerySet:
    return Letter.objects.visible_to(user)


def letter_get_for_user(*, user: User, pk: int) -> LetterFile:
    """Letter `pk` with its PDF, read as `user`, or NotFoundError (also when its file is
    missing or is not the file that was made: the checksum must match). The read names the
    letter and its resident."""
    letter = get_visible_or_refuse(queryset=_queryset(user), pk=pk, user=user)
    try:
        pdf = private_file_read(letter.file_path)
    except (FileNotFoundError, ValueError):
        log.error("letter_file_missing", letter_id=letter.pk)
        raise NotFoundError from None
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        log.error("letter_file_changed", letter_id=letter.pk)
        raise NotFoundError
    return LetterFile(letter=letter, pdf=pdf)


def letter_versions_for_user(*, user: User, source: str, kind: str) -> list[Letter]:
    """Every version of one kind of letter about one record (its `model_ref`), oldest
    first, as far as `user` may see them; the list is logged as a read."""
    letters = list(_queryset(user).filter(source=source, kind=kind).order_by("version"))
    if letters:
        log_read(user=user, objects=letters, resident_id=letters[0].resident_id)
    return letters


def timeline_letters_for_user(
    *,
    user: User,
    resident: Resident,
    kinds: Collection[str] = ("letter",),
    limit: int = TIMELINE_LIMIT,
) -> list[TimelineEntry]:
    """The resident's letters for the case-file timeline: the newest `limit` (at most
    TIMELINE_LIMIT) in the order of `wijk.core.timeline.newest_first`, in one query and one
    access-log entry, whatever the number of letters. For the case file, which has already
    checked that the user may see the resident."""
    if not gate_for(user).person_level or "letter" not in kinds:
        return []
    letters = list(
        _queryset(user)
        .filter(resident=resident)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[: min(limit, TIMELINE_LIMIT)]
    )
    if not letters:
        return []
    log_read(user=user, objects=letters, resident_id=resident.pk)
    entries = []
    for letter in letters:
        author = letter.created_by.get_full_name() or letter.created_by.username
        entries.append(
            TimelineEntry(
                at=letter.created_at,
                kind="letter",
                title=_("Brief: %(title)s (versie %(version)s)")
                % {"title": letter.get_kind_display(), "version": letter.version},
                detail=_("Gemaakt door %(author)s op %(date)s (PDF)")
                % {
                    "author": author,
                    "date": date_format(timezone.localtime(letter.created_at), "DATE_FORMAT"),
                },
                url=reverse("letters:file", args=[letter.pk]),
                ref=model_ref(Letter, letter.pk),
            )
        )
    return entries
