"""Trajectories (longer support) per resident. Person-level data: reached only through
wijk.trajectories.selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.core.workflow import AssignmentHistory, StatusHistory
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents
from wijk.trajectories.workflow import HandoverDestination, Part, TrajectoryStatus, ZrmMoment

if TYPE_CHECKING:
    from wijk.accounts.models import User


class TrajectoryQuerySet(models.QuerySet["Trajectory"]):
    """The access rule for trajectories, held once: trajectories of the user's active teams and
    those the user coordinates, and of those only the ones whose resident the user may see
    (one rule for every record of a resident: ADR 0020). Roles without person-level access
    see none."""

    def visible_to(self, user: User) -> TrajectoryQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        teams = Team.objects.active_for(user).values("pk")
        return self.filter(Q(team__in=teams) | Q(coordinator=user), of_visible_residents(user))


class Trajectory(models.Model):
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="trajectories"
    )
    household = models.ForeignKey(
        "residents.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    help_request = models.ForeignKey(
        "requests.HelpRequest",
        verbose_name=_("hulpvraag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, related_name="trajectories"
    )
    part = models.CharField(_("onderdeel"), max_length=32, choices=Part.choices)
    inflow_date = models.DateField(_("datum instroom (eerste betrokkenheid)"))
    inflow_reason = models.ForeignKey(
        "reference.Code",
        verbose_name=_("reden instroom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    primary_life_domain = models.ForeignKey(
        "reference.Code",
        verbose_name=_("belangrijkste leefgebied"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    life_domains = models.ManyToManyField(
        "reference.Code", verbose_name=_("andere leefgebieden"), blank=True, related_name="+"
    )
    youth_support = models.BooleanField(
        _("ondersteuning voor jongeren of hun ouders"), default=False
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseur"),
        on_delete=models.PROTECT,
        related_name="coordinated_trajectories",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.ACTIVE,
    )
    outflow_date = models.DateField(_("datum uitstroom"), null=True, blank=True)
    outflow_reason = models.ForeignKey(
        "reference.Code",
        verbose_name=_("reden uitstroom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Aanvullende Ondersteuning: the signed plan version that is the decision (seed 002
    # §5.1, ADR 0038); trajectory_start refuses the part without one. Empty for the other
    # parts, and for trajectories written before the rule (and by the synthetic seed).
    decision_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("besluit: ondertekende versie van het plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status="closed", outflow_date__isnull=False, outflow_reason__isnull=False
                )
                | (~Q(status="closed") & Q(outflow_date__isnull=True)),
                name="trajectory_closed_iff_outflow",
            ),
            models.CheckConstraint(
                condition=Q(outflow_date__isnull=True)
                | Q(outflow_date__gte=models.F("inflow_date")),
                name="trajectory_outflow_after_inflow",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="trajectory_team_status"),
            models.Index(fields=["inflow_date"], name="trajectory_inflow"),
            models.Index(fields=["outflow_date"], name="trajectory_outflow"),
        ]

    def __str__(self) -> str:
        return f"trajectory {self.pk}"


class TrajectoryStatusChange(StatusHistory):
    """Append-only history of a trajectory's status (wijk.core.workflow); every step has a
    user."""

    subject_field = "trajectory"

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(max_length=16, choices=TrajectoryStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["trajectory", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "seq"], name="trajectory_status_seq")
        ]

    def __str__(self) -> str:
        return f"{self.trajectory_id}#{self.seq} {self.status}"


class TrajectoryCoordinatorChange(AssignmentHistory):
    """Append-only history of a trajectory's coordinators (wijk.core.workflow), each change
    with the team lead's reason."""

    subject_field = "trajectory"

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.PROTECT, related_name="coordinator_changes"
    )

    class Meta:
        ordering = ["trajectory", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.trajectory_id} to {self.assignee_id}"


class ZrmAssessment(models.Model):
    """A ZRM 2017 assessment: a score from 1 to 5 on each scored domain, at a moment."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.PROTECT, related_name="zrm_assessments"
    )
    moment = models.CharField(_("moment"), max_length=16, choices=ZrmMoment.choices)
    assessed_on = models.DateField(_("datum"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["trajectory", "assessed_on", "id"]

    def __str__(self) -> str:
        return f"zrm {self.pk}"


class ZrmScore(models.Model):
    assessment = models.ForeignKey(ZrmAssessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey("reference.Code", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="zrm_score_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="zrm_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"zrm score {self.pk}"


class Handover(models.Model):
    """A warm handover at the end of a trajectory."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.PROTECT, related_name="handover")
    destination = models.CharField(
        _("overgedragen aan"), max_length=32, choices=HandoverDestination.choices
    )
    receiver = models.CharField(_("ontvangende organisatie of gemeente"), max_length=200)
    handed_over_on = models.DateField(_("datum overdracht"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"handover {self.pk}"
