"""The meldcode: a structured record of the five steps of the reporting code for domestic
violence and child abuse, per resident (ADR 0039). Person-level and the most sensitive record
wijk holds: reached only through wijk.meldcode.selectors and services, never in exports or
monitoring (an import-linter contract).

A case is its identity (resident, team, coordinator, status); what was done is in its steps,
append-only rows that the database refuses to change or delete, as are its status history and
its reader rows. Who may read a case: `MeldcodeCaseQuerySet.visible_to`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from wijk.accounts.roles import gate_for
from wijk.core.workflow import StatusHistory
from wijk.meldcode.workflow import Answer, MeldcodeStatus, Step
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User

TEXT_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 500


def reader_grants_open() -> models.QuerySet[MeldcodeReader]:
    """The reader rows that have not been ended."""
    return MeldcodeReader.objects.filter(end__isnull=True)


class MeldcodeCaseQuerySet(models.QuerySet["MeldcodeCase"]):
    """The access rule for meldcode cases, held once (ADR 0039): a case is visible to its
    coordinator, to the team leads of its team and to the people added as reader (and not
    ended since), and to them only while they may see its resident (the one resident rule,
    ADR 0020). Not to the rest of the team, and a break-the-glass grant alone gives nothing."""

    def visible_to(self, user: User) -> MeldcodeCaseQuerySet:
        gate = gate_for(user)
        if not gate.person_level:
            return self.none()
        basis = Q(coordinator=user) | Q(
            Exists(reader_grants_open().filter(case=OuterRef("pk"), user=user))
        )
        if gate.oversee_teams:
            basis |= Q(team__in=Team.objects.active_for(user).values("pk"))
        return self.filter(basis, of_visible_residents(user))

    def led_by(self, user: User) -> MeldcodeCaseQuerySet:
        """The cases whose coordinator `user` is, or of whose team `user` is a team lead: who
        records steps, adds readers and closes (on top of `visible_to`)."""
        condition = Q(coordinator=user)
        if gate_for(user).oversee_teams:
            condition |= Q(team__in=Team.objects.active_for(user).values("pk"))
        return self.filter(condition)


class MeldcodeCase(models.Model):
    resident = models.ForeignKey(
        "residents.Resident", verbose_name=_("inwoner"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # The wijk of the resident's address when the case was opened (none without an address).
    # Monitoring counts the cases by it, never by the address of today: otherwise a move would
    # change an earlier month's count in two wijken, and whoever knows who moved would learn
    # that that person has a case (ADR 0042).
    wijk_at_opening = models.ForeignKey(
        "areas.Wijk",
        verbose_name=_("wijk bij opening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeldcodeStatus.choices, default=MeldcodeStatus.OPEN
    )

    objects = MeldcodeCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("meldcodetraject")
        verbose_name_plural = _("meldcodetrajecten")
        indexes = [models.Index(fields=["resident", "opened_at"], name="meldcode_case_resident")]

    def __str__(self) -> str:
        return f"meldcode case {self.pk}"


class MeldcodeStatusChange(StatusHistory):
    """Append-only history of a case's status (wijk.core.workflow)."""

    subject_field = "case"

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=16, choices=MeldcodeStatus.choices)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="meldcode_status_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.status}"


def _answer(label: StrOrPromise) -> models.CharField[str, str]:
    return models.CharField(label, max_length=8, choices=Answer.choices, blank=True)


class MeldcodeStep(models.Model):
    """One step taken, as recorded: append-only. A step may be recorded more than once (a
    second consultation, a new weighing); the newest record of a step is its current one.
    `text` is the step's main text; the other fields belong to one step each (ADR 0039)."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(_("stap"), choices=Step.choices)
    occurred_on = models.DateField(_("datum"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("tekst"))
    # Step 1: the kindcheck.
    minor_children = _answer(_("minderjarige kinderen in het huishouden"))
    children_care = models.TextField(_("wie zorgt voor de kinderen"), blank=True)
    # Step 2: whom the professional consulted.
    consulted = models.TextField(_("met wie overlegd"), blank=True)
    veilig_thuis_consulted = models.BooleanField(_("Veilig Thuis geraadpleegd"), default=False)
    injury_expert_consulted = models.BooleanField(
        _("deskundige op letselduiding geraadpleegd"), default=False
    )
    # Step 4: the five questions of the afwegingskader.
    suspicion = _answer(_("vermoeden"))
    unsafe = _answer(_("acute of structurele onveiligheid"))
    can_help = _answer(_("zelf hulp bieden of organiseren"))
    accepts_help = _answer(_("hulp aanvaard"))
    help_works = _answer(_("gewenst resultaat"))
    # Step 5: the decision.
    report = models.BooleanField(_("melden bij Veilig Thuis"), default=False)
    reported_on = models.DateField(_("datum van de melding"), null=True, blank=True)
    help = models.BooleanField(_("hulp bieden of organiseren"), default=False)

    class Meta:
        verbose_name = _("stap van de meldcode")
        verbose_name_plural = _("stappen van de meldcode")
        ordering = ["case", "number", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=5), name="meldcode_step_number"
            ),
            models.CheckConstraint(
                condition=Q(report=False, reported_on__isnull=True)
                | Q(report=True, reported_on__isnull=False),
                name="meldcode_step_report_has_date",
            ),
            models.CheckConstraint(
                condition=Q(number=5) | Q(report=False, help=False),
                name="meldcode_step_decision_in_step_5",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH),
                name="meldcode_step_text_max_length",
            ),
        ]
        indexes = [models.Index(fields=["case", "number"], name="meldcode_step_case")]

    def __str__(self) -> str:
        return f"{self.case_id} step {self.number}"


class MeldcodeReader(models.Model):
    """A person added as reader of a case, with the reason, by its coordinator or a team lead
    of its team: append-only. Ending it is a `MeldcodeReaderEnd` row; adding the person again
    is a new row."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="readers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lezer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reden"), max_length=REASON_MAX_LENGTH)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lezer van een meldcodetraject")
        verbose_name_plural = _("lezers van meldcodetrajecten")
        ordering = ["case", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="meldcode_reader_reason"),
            models.CheckConstraint(
                condition=~Q(user=models.F("added_by")), name="meldcode_reader_not_self"
            ),
        ]
        indexes = [models.Index(fields=["user", "case"], name="meldcode_reader_user")]

    def __str__(self) -> str:
        return f"{self.case_id} reader {self.user_id}"


class MeldcodeReaderEnd(models.Model):
    """The end of a reader's access: append-only, one per reader row."""

    grant = models.OneToOneField(MeldcodeReader, on_delete=models.PROTECT, related_name="end")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("einde van een lezer")
        verbose_name_plural = _("einden van lezers")

    def __str__(self) -> str:
        return f"end of reader {self.grant_id}"
