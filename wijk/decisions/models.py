"""Cases on the municipality's decision desk (ADR 0040): a separate written decision that the
consortium drafts and the municipality issues (issue 13, seed 002 §5.1), and the pgb
(seed 002 §5.2) with its evaluations. Person-level: reached only through
wijk.decisions.selectors and services.

A case names the plan and the exact signed version it is about, the investigation report of
the plan's request (when there is a finished one), the draft decision (a letter, and its text)
and, once the municipality decided, the decision. Its status runs on the shared workflow
(wijk.core.workflow) with an append-only history; pgb evaluations are append-only too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.core.workflow import StatusHistory
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User

TEXT_MAX_LENGTH = 10_000
REFERENCE_MAX_LENGTH = 40
# Euro amounts up to 9,999,999.99: far above any pgb, small enough to read at a glance.
AMOUNT_DIGITS = 9
AMOUNT_DECIMALS = 2


class DecisionCaseQuerySet(models.QuerySet["DecisionCase"]):
    """The access rule for decision cases, held once.

    - The municipality's decision desk (`Gate.decision_desk`): every case placed in its
      queue, and through the case only what the case names (ADR 0040). A case exists only
      once the consortium placed it, so "placed in the queue" is every case.
    - Person-level roles: the cases of plans of the user's active teams and of plans the user
      coordinates, and only while the user may see the resident (the one rule, ADR 0020).
    - Everyone else: none."""

    def visible_to(self, user: User) -> DecisionCaseQuerySet:
        gate = gate_for(user)
        if gate.decision_desk:
            return self.all()
        if not gate.person_level:
            return self.none()
        teams = Team.objects.active_for(user).values("pk")
        return self.filter(
            Q(plan__team__in=teams) | Q(plan__coordinator=user), of_visible_residents(user)
        )


class DecisionCase(models.Model):
    plan = models.ForeignKey(
        "plans.SupportPlan",
        verbose_name=_("ondersteuningsplan"),
        on_delete=models.PROTECT,
        related_name="decision_cases",
    )
    # The exact signed version the decision is about: the desk sees this version only.
    version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("ondertekende versie"),
        on_delete=models.PROTECT,
        related_name="decision_cases",
    )
    # The plan's resident: the access rule and the access log follow this resident.
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="decision_cases",
    )
    # The finished investigation of the plan's request, when there is one.
    investigation = models.ForeignKey(
        "investigations.Investigation",
        verbose_name=_("onderzoek"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_cases",
    )
    kind = models.CharField(_("soort"), max_length=16, choices=DecisionKind.choices)
    # The draft decision: its text, and the letter (tagged PDF) made of it.
    draft_text = models.TextField(_("concept-beschikking"), max_length=TEXT_MAX_LENGTH)
    draft_letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("concept-beschikking (brief)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A pgb: the resident's pgb plan and the amount asked for.
    pgb_plan = models.TextField(_("pgb-plan"), max_length=TEXT_MAX_LENGTH, blank=True)
    amount_requested = models.DecimalField(
        _("gevraagd bedrag"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.PLACED
    )
    placed_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geplaatst door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The municipality's decision.
    outcome = models.CharField(
        _("besluit"), max_length=16, choices=DecisionOutcome.choices, blank=True
    )
    decided_on = models.DateField(_("datum besluit"), null=True, blank=True)
    starts_on = models.DateField(_("ingangsdatum"), null=True, blank=True)
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    amount = models.DecimalField(
        _("bedrag"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        null=True,
        blank=True,
    )
    reference = models.CharField(
        _("kenmerk van de gemeente"), max_length=REFERENCE_MAX_LENGTH, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A granted pgb: the next evaluation, at most two years ahead (seed 002 §5.2).
    next_evaluation_on = models.DateField(_("volgende evaluatie pgb"), null=True, blank=True)

    objects = DecisionCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("zaak voor de gemeente")
        verbose_name_plural = _("zaken voor de gemeente")
        constraints = [
            models.UniqueConstraint(  # no second case of the same kind while one waits
                fields=["plan", "kind"],
                condition=Q(status="placed"),
                name="decision_one_placed_per_plan_and_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="placed", outcome="", decided_on__isnull=True)
                    & Q(decided_by__isnull=True, reference="", amount__isnull=True)
                )
                | (
                    Q(status__in=("decided", "seen"), decided_on__isnull=False)
                    & Q(decided_by__isnull=False)
                    & ~Q(outcome="")
                    & ~Q(reference="")
                ),
                name="decision_decided_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(kind="pgb") | Q(pgb_plan="", amount_requested__isnull=True),
                name="decision_pgb_fields_only_for_pgb",
            ),
            models.CheckConstraint(
                condition=~Q(kind="pgb") | ~Q(pgb_plan=""), name="decision_pgb_has_plan"
            ),
            models.CheckConstraint(
                condition=Q(kind="pgb") | Q(amount__isnull=True, next_evaluation_on__isnull=True),
                name="decision_amount_only_for_pgb",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decision_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gte=0),
                name="decision_amount_requested_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gt=models.F("starts_on")),
                name="decision_ends_after_start",
            ),
            models.CheckConstraint(  # a granted pgb has an amount, a start and an evaluation
                condition=~Q(kind="pgb", outcome="granted")
                | Q(
                    amount__isnull=False, starts_on__isnull=False, next_evaluation_on__isnull=False
                ),
                name="decision_granted_pgb_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "placed_at"], name="decision_queue"),
            models.Index(
                fields=["next_evaluation_on"],
                name="decision_pgb_evaluation_due",
                condition=Q(kind="pgb", outcome="granted"),
            ),
        ]

    def __str__(self) -> str:
        return f"decision case {self.pk}"

    @property
    def is_pgb(self) -> bool:
        return self.kind == DecisionKind.PGB

    @property
    def decided(self) -> bool:
        return self.status != DecisionStatus.PLACED

    @property
    def pgb_granted(self) -> bool:
        return self.is_pgb and self.outcome == DecisionOutcome.GRANTED


class DecisionStatusChange(StatusHistory):
    """Append-only history of a case's status (wijk.core.workflow)."""

    subject_field = "case"

    case = models.ForeignKey(DecisionCase, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=16, choices=DecisionStatus.choices)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="decision_status_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.status}"


class PgbEvaluation(models.Model):
    """An evaluation of a granted pgb (at least once every two years, seed 002 §5.2): when it
    was held, what came out of it, and the next date, at most two years later. Append-only."""

    case = models.ForeignKey(DecisionCase, on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("datum evaluatie"))
    outcome = models.TextField(_("uitkomst"), max_length=TEXT_MAX_LENGTH)
    next_evaluation_on = models.DateField(_("volgende evaluatie"))
    # The date this evaluation was due: the pgb's next evaluation date as it was set (by the
    # decision, or by the evaluation before), kept so that monitoring can count evaluations
    # on time (ADR 0042). Empty for evaluations recorded before it was kept.
    due_on = models.DateField(_("geplande datum"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluatie van het pgb")
        verbose_name_plural = _("evaluaties van het pgb")
        ordering = ["case", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_evaluation_on__gt=models.F("held_on")),
                name="pgb_evaluation_next_after_held",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="pgb_evaluation_due_on")]

    def __str__(self) -> str:
        return f"pgb evaluation {self.pk}"
