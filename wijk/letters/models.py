"""Letters to a resident (the investigation report, the plan summary, a draft decision, a pgb
decision): each one a tagged PDF kept in private storage (wijk.core.private_files), with its
record here. Person-level: reached only through wijk.letters.selectors and services.

A letter is never changed. Producing the same kind of letter about the same record again
makes the next version (numbered per source and kind from 1); every version stays readable.
The table is append-only in the database (wijk.core.workflow.append_only). ADR 0036."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User

TITLE_MAX_LENGTH = 200
SOURCE_MAX_LENGTH = 100


class LetterKind(models.TextChoices):
    INVESTIGATION_REPORT = "investigation_report", _("Verslag van het onderzoek")
    PLAN_SUMMARY = "plan_summary", _("Samenvatting van het plan")
    DRAFT_DECISION = "draft_decision", _("Concept-beschikking")
    PGB_DECISION = "pgb_decision", _("Beschikking pgb")


class LetterQuerySet(models.QuerySet["Letter"]):
    """The access rule for letters, held once: a letter is visible to the members of the
    team whose record it is about (the plan's, the request's), and of those only when its
    resident is visible to them (the one rule for every record of a resident, ADR 0020). So a
    letter never reaches further than the record it summarises: a break-the-glass grant on
    the resident does not open another team's letters, as it does not open their plans.
    Roles without person-level access see none."""

    def visible_to(self, user: User) -> LetterQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        teams = Team.objects.active_for(user).values("pk")
        return self.filter(Q(team__in=teams), of_visible_residents(user))


class Letter(models.Model):
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="letters"
    )
    # The team whose record the letter is about: who may read it (LetterQuerySet).
    team = models.ForeignKey(
        "organisations.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort brief"), max_length=24, choices=LetterKind.choices)
    # The record the letter is about, as its access-log reference ("plans.planversion:12").
    source = models.CharField(max_length=SOURCE_MAX_LENGTH)
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=TITLE_MAX_LENGTH)
    # The PDF: a path relative to WIJK_PRIVATE_ROOT, its checksum and size in bytes.
    file_path = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemaakt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "version"], name="letter_version_per_source_kind"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="letter_version_from_one"),
            models.CheckConstraint(condition=Q(size__gt=0), name="letter_not_empty"),
        ]
        indexes = [models.Index(fields=["resident", "created_at"], name="letter_resident")]

    def __str__(self) -> str:
        return f"letter {self.pk}"
