"""Support plans (ondersteuningsplannen): one household, one open plan, one coordinator.
Person-level data: reached only through wijk.plans.selectors and services.

A plan is its identity (household, the resident it was drawn up with, team, coordinator,
status, next evaluation); what it says lives in its versions, append-only rows numbered from
1 that the database refuses to change or delete (wijk.core.workflow.append_only), with their
goals. The plan points at its newest version (`current`). A signature is a row of its own on
one version, append-only as well: a signed version can never change, because no version can
(issue 13: "a database constraint, not only the UI"). Evaluations, the explanation of the
resident's rights and the history of coordinators are append-only too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.core.workflow import AssignmentHistory, StatusHistory
from wijk.organisations.models import Team
from wijk.plans.workflow import (
    OPEN_STATUSES,
    GoalProgress,
    PerspectiveReached,
    PlanEndReason,
    PlanStatus,
    SignatureMethod,
)
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User

# Generous: a long part of a plan fits; the form refuses (never cuts) a longer text.
TEXT_MAX_LENGTH = 10_000
NAME_MAX_LENGTH = 200


class SupportPlanQuerySet(models.QuerySet["SupportPlan"]):
    """The access rule for plans, held once: plans of the user's active teams and plans the
    user coordinates, and of those only the ones whose resident the user may see (the one
    rule for every record of a resident: ADR 0020). Roles without person-level access see
    none."""

    def visible_to(self, user: User) -> SupportPlanQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        teams = Team.objects.active_for(user).values("pk")
        return self.filter(Q(team__in=teams) | Q(coordinator=user), of_visible_residents(user))

    def open(self) -> SupportPlanQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class SupportPlan(models.Model):
    household = models.ForeignKey(
        "residents.Household",
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        related_name="support_plans",
    )
    # The resident the plan was drawn up with (the one who asked); the access rule follows
    # this resident, as for every record of a resident.
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="support_plans",
    )
    help_request = models.ForeignKey(
        "requests.HelpRequest",
        verbose_name=_("hulpvraag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_plans",
    )
    team = models.ForeignKey(
        "organisations.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="support_plans",
    )
    # One coordinator: a staff member, or a professional of another organisation (seed 002
    # §4.4, §6.5.2), who has no account: organisation from the register, name and role.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_plans",
    )
    external_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie van de regisseur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    external_name = models.CharField(
        _("naam van de regisseur"), max_length=NAME_MAX_LENGTH, blank=True
    )
    external_role = models.CharField(
        _("functie van de regisseur"), max_length=NAME_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    current = models.ForeignKey(
        "PlanVersion",
        verbose_name=_("nieuwste versie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_evaluation_on = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    ended_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    # Ending (ADR 0034): why, and whether the perspective of part 6 was reached; the
    # explanation is the reason of the plan's last status row.
    end_reason = models.CharField(
        _("reden van afsluiten"),
        max_length=32,
        choices=PlanEndReason.choices,
        blank=True,
        default="",
    )
    perspective_reached = models.CharField(
        _("perspectief bereikt"),
        max_length=16,
        choices=PerspectiveReached.choices,
        blank=True,
        default="",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SupportPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ondersteuningsplan")
        verbose_name_plural = _("ondersteuningsplannen")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=OPEN_STATUSES),
                name="plan_one_open_per_household",
            ),
            models.CheckConstraint(  # exactly one coordinator: staff, or external
                condition=(
                    Q(coordinator__isnull=False)
                    & Q(external_organisation__isnull=True, external_name="", external_role="")
                )
                | (
                    Q(coordinator__isnull=True, external_organisation__isnull=False)
                    & ~Q(external_name="")
                    & ~Q(external_role="")
                ),
                name="plan_one_coordinator",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(next_evaluation_on__isnull=False),
                name="plan_active_has_evaluation_date",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__isnull=False)
                | (~Q(status="ended") & Q(ended_on__isnull=True)),
                name="plan_ended_iff_end_date",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="plan_team_status"),
            models.Index(
                fields=["next_evaluation_on"],
                name="plan_evaluation_due",
                condition=Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.pk}"


class PlanStatusChange(StatusHistory):
    """Append-only history of a plan's status (wijk.core.workflow)."""

    subject_field = "plan"

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=16, choices=PlanStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="plan_status_seq")]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.seq} {self.status}"


class PlanCoordinatorChange(AssignmentHistory):
    """Append-only history of a plan's coordinators (wijk.core.workflow): a staff member
    (`assignee`) or a professional of another organisation (the external fields), with the
    reason given. The first row is the plan's first coordinator."""

    subject_field = "plan"

    plan = models.ForeignKey(
        SupportPlan, on_delete=models.PROTECT, related_name="coordinator_changes"
    )
    external_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    external_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    external_role = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} coordinator change {self.pk}"


class PlanVersion(models.Model):
    """One saved state of a plan, never changed: the six parts of seed 002 §5.1, the goals
    (PlanGoal rows), and for Aanvullende Ondersteuning the decision's scope and dates.

    `based_on` is the version the editor started from: a save whose `based_on` is not the
    plan's `current` version any more is refused (optimistic locking; nothing is overwritten)."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # 2. Own strength and network.
    own_strength = models.TextField(
        _("eigen kracht en netwerk"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    # 3. What preceding provisions and other laws offer.
    preceding_provisions = models.TextField(
        _("voorliggende voorzieningen en andere wetten"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    # 4. Which support and activities are the solution, with links to what exists.
    solution = models.TextField(
        _("ondersteuning en activiteiten"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    trajectories = models.ManyToManyField(
        "trajectories.Trajectory", verbose_name=_("trajecten"), blank=True, related_name="+"
    )
    activities = models.ManyToManyField(
        "activities.Activity", verbose_name=_("activiteiten"), blank=True, related_name="+"
    )
    # 5. With whom the resident works on it: people and organisations.
    partners = models.TextField(
        _("met wie (mensen en organisaties)"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("organisaties"),
        blank=True,
        related_name="+",
    )
    # 6. The perspective at the end of support.
    perspective = models.TextField(
        _("perspectief aan het einde"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    # Aanvullende Ondersteuning: once signed, this version is the decision (seed 002 §5.1).
    ao_scope = models.TextField(
        _("omvang van de aanvullende ondersteuning"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    ao_start_on = models.DateField(_("ingangsdatum"), null=True, blank=True)
    ao_review_on = models.DateField(_("herzien uiterlijk op"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("versie van het plan")
        verbose_name_plural = _("versies van het plan")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
            models.CheckConstraint(
                condition=Q(ao_start_on__isnull=True)
                | Q(ao_review_on__isnull=True)
                | Q(ao_review_on__gt=models.F("ao_start_on")),
                name="plan_version_ao_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id} v{self.number}"


class PlanGoal(models.Model):
    """1. A goal and the result the resident wants, of one version; for one household member
    where needed (`member` empty: the household's). Append-only, as its version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="goals")
    position = models.PositiveSmallIntegerField()
    member = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("voor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    goal = models.TextField(_("doel"), max_length=TEXT_MAX_LENGTH)
    result = models.TextField(_("gewenst resultaat"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="plan_goal_position")
        ]

    def __str__(self) -> str:
        return f"goal {self.pk}"


class Signature(models.Model):
    """The resident's agreement to one version, with date, method and the witnessing
    professional. Append-only: once a version has a signature, nothing of it can change.

    A drawn signature keeps the drawing (PNG); a scanned paper signature keeps the upload
    (PDF, PNG or JPEG) in private storage outside the web root (`WIJK_PRIVATE_ROOT`), served
    only through the gate; a typed one the typed name; in person: the witness's record."""

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="signature")
    method = models.CharField(_("manier"), max_length=16, choices=SignatureMethod.choices)
    signed_on = models.DateField(_("datum"))
    signer = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("ondertekend door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A representative who signed for the resident, or the typed name.
    signer_name = models.CharField(_("naam"), max_length=NAME_MAX_LENGTH, blank=True)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The drawing or the scan: a path relative to WIJK_PRIVATE_ROOT, its type and checksum.
    file_path = models.CharField(max_length=300, blank=True)
    content_type = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ondertekening")
        verbose_name_plural = _("ondertekeningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=("typed", "in_person"), file_path="")
                | (Q(method__in=("drawn", "scan")) & ~Q(file_path="") & ~Q(sha256="")),
                name="signature_file_iff_drawn_or_scan",
            ),
            models.CheckConstraint(
                condition=~Q(method="typed") | ~Q(signer_name=""),
                name="signature_typed_has_name",
            ),
        ]

    def __str__(self) -> str:
        return f"signature {self.pk}"


class Evaluation(models.Model):
    """An evaluation of an active plan: the resident's own view, progress per goal
    (EvaluationGoal rows), a new ZRM assessment (the existing records, linked), and the next
    evaluation date it sets. Append-only: a correction is a new evaluation."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="evaluations")
    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("geëvalueerde versie"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    held_on = models.DateField(_("datum evaluatie"))
    resident_view = models.TextField(
        _("wat de inwoner zelf vindt"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    zrm_assessment = models.OneToOneField(
        "trajectories.ZrmAssessment",
        verbose_name=_("ZRM-score"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_evaluation",
    )
    # Why there is no new ZRM score this time (no trajectory linked to the plan, the resident
    # did not want it): either a ZRM assessment or this reason (ADR 0035).
    no_zrm_reason = models.CharField(
        _("waarom geen ZRM"), max_length=NAME_MAX_LENGTH, blank=True, default=""
    )
    next_evaluation_on = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    # The date this evaluation was due: the plan's next evaluation date as it was set (at
    # signing, or by the evaluation before), kept so that monitoring can count evaluations
    # on time (ADR 0042). Empty for evaluations recorded before it was kept.
    due_on = models.DateField(_("geplande datum"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["plan", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_evaluation_on__isnull=True)
                | Q(next_evaluation_on__gt=models.F("held_on")),
                name="evaluation_next_after_held",
            ),
            models.CheckConstraint(
                condition=Q(next_evaluation_on__isnull=False),
                name="evaluation_has_next_date",
            ),
            models.CheckConstraint(  # a new ZRM score, or the reason why not: one of both
                condition=Q(zrm_assessment__isnull=False, no_zrm_reason="")
                | (Q(zrm_assessment__isnull=True) & ~Q(no_zrm_reason="")),
                name="evaluation_zrm_or_reason",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="evaluation_due_on")]

    def __str__(self) -> str:
        return f"evaluation {self.pk}"


class EvaluationGoal(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="goals")
    goal = models.ForeignKey(PlanGoal, on_delete=models.PROTECT, related_name="+")
    progress = models.CharField(_("voortgang"), max_length=16, choices=GoalProgress.choices)
    note = models.TextField(_("toelichting"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="evaluation_goal_once")
        ]

    def __str__(self) -> str:
        return f"evaluation goal {self.pk}"


class RightsExplanation(models.Model):
    """That the resident's rights were explained, and which: independent client support
    (onafhankelijke cliëntondersteuning), privacy, complaints, objection and appeal; with
    whether the resident wants a client supporter. Append-only: a later explanation is a new
    row."""

    plan = models.ForeignKey(
        SupportPlan, on_delete=models.PROTECT, related_name="rights_explanations"
    )
    explained_on = models.DateField(_("datum"))
    client_support = models.BooleanField(_("onafhankelijke cliëntondersteuning"), default=False)
    wants_client_support = models.BooleanField(
        _("inwoner wil een cliëntondersteuner"), default=False
    )
    privacy = models.BooleanField(_("privacy"), default=False)
    complaints = models.BooleanField(_("klachten"), default=False)
    objection_appeal = models.BooleanField(_("bezwaar en beroep"), default=False)
    note = models.TextField(_("toelichting"), max_length=TEXT_MAX_LENGTH, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("uitleg over rechten")
        verbose_name_plural = _("uitleg over rechten")
        ordering = ["plan", "explained_on", "pk"]

    def __str__(self) -> str:
        return f"rights explanation {self.pk}"
