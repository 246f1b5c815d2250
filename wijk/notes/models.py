"""Case notes (journaalnotities) on a resident's file. Person-level free text: reached only
through wijk.notes.selectors and services, never in exports or monitoring.

A note is its identity (resident, optional link to a request or trajectory, author, created);
what it says lives in its versions, append-only rows numbered from 1 that the database refuses
to change or delete (wijk.core.workflow.append_only). The note points at its current version.
Who may read a note: ADR 0027."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User

# Generous: a long home visit report fits; the form refuses (never cuts) a longer text.
TEXT_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 200


class NoteKind(models.TextChoices):
    CONVERSATION = "gesprek", _("Gesprek")
    PHONE_CALL = "telefoongesprek", _("Telefoongesprek")
    HOME_VISIT = "huisbezoek", _("Huisbezoek")
    CONSULTATION = "overleg", _("Overleg")
    OTHER = "anders", _("Anders")


class CaseNoteQuerySet(models.QuerySet["CaseNote"]):
    """The access rule for notes, held once: a note is visible exactly when its resident is
    (the one resident rule, ADR 0020); roles without person-level access see none. Whether
    the *text* of a confidential note may be read is `readable_by` (ADR 0027)."""

    def visible_to(self, user: User) -> CaseNoteQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        return self.filter(of_visible_residents(user))

    def with_readable(self, user: User) -> CaseNoteQuerySet:
        """Each note annotated `readable`: may `user` read its text (in the same query)."""
        return self.annotate(
            readable=Case(When(readable_by(user), then=True), default=False)  # never NULL
        )


def readable_by(user: User) -> Q:
    """The text of a note may be read by `user` when its current version is not
    confidential, or when `user` is its author, the coordinator of the trajectory it is
    linked to, or a team lead of a team the author is a member of (ADR 0027): never by a
    reader who made themselves a reader (by starting a trajectory, say). Applies on top of
    `visible_to`."""
    condition = Q(current__confidential=False) | Q(author=user) | Q(trajectory__coordinator=user)
    if gate_for(user).oversee_teams:
        condition |= Q(Exists(Team.objects.active_for(user).filter(members=OuterRef("author"))))
    return condition


def is_readable(note: CaseNote) -> bool:
    """Whether the user it was read for may read the note's text: the annotation of
    `CaseNoteQuerySet.with_readable`, which every read of a note goes through."""
    value = note.__dict__.get("readable")
    assert value is not None, "read notes through CaseNoteQuerySet.with_readable"
    return bool(value)


class CaseNote(models.Model):
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="case_notes"
    )
    help_request = models.ForeignKey(
        "requests.HelpRequest",
        verbose_name=_("hulpvraag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_notes",
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        verbose_name=_("traject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geschreven door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The newest version; set in the transaction that writes it (ADR 0027).
    current = models.OneToOneField(
        "CaseNoteVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        constraints = [
            models.CheckConstraint(
                condition=Q(help_request__isnull=True) | Q(trajectory__isnull=True),
                name="case_note_one_link",
            )
        ]
        indexes = [models.Index(fields=["resident", "created_at"], name="case_note_resident")]

    def __str__(self) -> str:
        return f"case note {self.pk}"


class CaseNoteVersion(models.Model):
    """One version of a note: append-only, numbered per note from 1 (ADR 0027)."""

    note = models.ForeignKey(CaseNote, on_delete=models.PROTECT, related_name="versions")
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("soort"), max_length=16, choices=NoteKind.choices)
    occurred_on = models.DateField(_("datum"))
    text = models.TextField(_("tekst"))
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    work_note = models.BooleanField(_("werkaantekening"), default=False)
    work_note_reason = models.CharField(
        _("reden werkaantekening"), max_length=REASON_MAX_LENGTH, blank=True
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("versie van een notitie")
        verbose_name_plural = _("versies van notities")
        ordering = ["note", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["note", "seq"], name="case_note_version_seq"),
            models.CheckConstraint(
                condition=Q(work_note=False) | ~Q(work_note_reason=""),
                name="case_note_work_note_has_reason",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH),
                name="case_note_text_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note_id}#{self.seq}"
