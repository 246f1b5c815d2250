"""Group activities of the Sociale Basis. Attendance is counted per session, without
registering people; named participants are optional and only where that does not raise the
threshold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User


class ActivityQuerySet(models.QuerySet["Activity"]):
    def in_wijken_of(self, user: User) -> ActivityQuerySet:
        """Activities in a wijk covered by one of the user's active teams (by CBS code, any
        year). Roles without person-level access get none."""
        if not gate_for(user).person_level:
            return self.none()
        codes = Team.objects.active_for(user).values("wijken__code")
        return self.filter(wijk__code__in=codes)


class Activity(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisator"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    theme = models.ForeignKey(
        "reference.Code",
        verbose_name=_("beleidsthema"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_group = models.ForeignKey(
        "reference.Code",
        verbose_name=_("doelgroep"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    wijk = models.ForeignKey(
        "areas.Wijk", verbose_name=_("wijk"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("locatie"), max_length=200)
    registers_participants = models.BooleanField(
        _("deelnemers met naam registreren"),
        default=False,
        help_text=_("Alleen als dat de drempel niet verhoogt."),
    )
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActivitySession(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("datum"))
    attendance_total = models.PositiveIntegerField(_("aantal deelnemers"))
    attendance_youth = models.PositiveIntegerField(_("waarvan jongeren"), default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["activity", "-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_youth__lte=F("attendance_total")),
                name="session_youth_within_total",
            ),
            models.UniqueConstraint(fields=["activity", "held_on"], name="session_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"session {self.pk}"


class ParticipationQuerySet(models.QuerySet["Participation"]):
    """The access rule for named participants, held once: the participants of activities in
    the wijken of the user's active teams (the team that runs or supports the activity there),
    and of those only the ones whose resident the user may see (one rule for every record of
    a resident: ADR 0020). Roles without person-level access see none. Adding a participant
    also needs the resident to be visible to the user (see
    wijk.activities.services.participation_add)."""

    def visible_to(self, user: User) -> ParticipationQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        return self.filter(
            of_visible_residents(user),
            session__activity__in=Activity.objects.in_wijken_of(user),
        )


class Participation(models.Model):
    """A named participant of a session: optional, for activities that register them.
    Person-level data: reached only through wijk.activities.selectors and services."""

    session = models.ForeignKey(
        ActivitySession, on_delete=models.PROTECT, related_name="participations"
    )
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "resident"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"participation {self.pk}"


class ActivityMoveStatus(models.TextChoices):
    PENDING = "pending", _("wacht op goedkeuring")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")


class ActivityMoveQuerySet(models.QuerySet["ActivityMove"]):
    def reviewable_by(self, user: User) -> ActivityMoveQuerySet:
        """Pending moves a team lead decides on: to a wijk covered by one of their active
        teams (by CBS code, any year), asked for by someone else (ADR 0018)."""
        if not gate_for(user).oversee_teams:
            return self.none()
        codes = Team.objects.active_for(user).values("wijken__code")
        return self.filter(status=ActivityMoveStatus.PENDING, to_wijk__code__in=codes).exclude(
            requested_by=user
        )


class ActivityMove(models.Model):
    """A move of an activity to another wijk, asked for by a member of one of its teams:
    it takes effect only when a team lead of the destination's team approves it, because the
    destination's team then sees the activity's named participants (ADR 0018)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="moves")
    from_wijk = models.ForeignKey(
        "areas.Wijk", verbose_name=_("van wijk"), on_delete=models.PROTECT, related_name="+"
    )
    to_wijk = models.ForeignKey(
        "areas.Wijk", verbose_name=_("naar wijk"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActivityMoveStatus.choices,
        default=ActivityMoveStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ActivityMoveQuerySet.as_manager()

    class Meta:
        verbose_name = _("verhuizing van een activiteit")
        verbose_name_plural = _("verhuizingen van activiteiten")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(status="pending"),
                name="activity_move_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~Q(status="pending")
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~Q(decided_by=F("requested_by"))
                ),
                name="activity_move_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"activity move {self.pk}"
