"""Requests for help. Person-level data: reached only through wijk.requests.selectors and
wijk.requests.services. Deadlines are computed once, at receipt, by wijk.requests.deadlines."""

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
from wijk.requests.workflow import Outcome, RequesterRelation, RequestStatus
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    """The access rule for requests, held once: requests of the user's active teams and
    requests assigned to the user, and of those only the ones whose resident the user may
    see (one rule for every record of a resident: ADR 0020); a request without a resident
    yet follows its own rule. Roles without person-level access see none."""

    def visible_to(self, user: User) -> HelpRequestQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        teams = Team.objects.active_for(user).values("pk")
        return self.filter(
            Q(team__in=teams) | Q(assigned_to=user),
            of_visible_residents(user, optional=True),
        )

    def open(self) -> HelpRequestQuerySet:
        return self.exclude(status=RequestStatus.CLOSED)

    def team_workload(self, user: User) -> HelpRequestQuerySet:
        """The requests of the user's active teams, for counting the teams' workload only
        (how many wait, how many are late), never for rows: a count of a team's own requests
        names nobody, so it follows the team rule alone (ADR 0020, "Counts"). Counting under
        the resident rule as well looked up every request's resident and address: at scale 10
        the waiting list's counts took 75 ms instead of 4. Roles without person-level access
        count none."""
        if not gate_for(user).person_level:
            return self.none()
        return self.filter(team__in=Team.objects.active_for(user).values("pk"))


class HelpRequest(models.Model):
    # A short code for the resident (on the confirmation page and by phone); not guessable.
    reference = models.CharField(_("kenmerk"), max_length=12, unique=True)
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    channel = models.ForeignKey(
        "reference.Code", verbose_name=_("kanaal"), on_delete=models.PROTECT, related_name="+"
    )
    referrer_type = models.ForeignKey(
        "reference.Code",
        verbose_name=_("soort verwijzer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referrer_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("verwijzende organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    household = models.ForeignKey(
        "residents.Household",
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    requested_by = models.CharField(
        _("gevraagd door"),
        max_length=32,
        choices=RequesterRelation.choices,
        default=RequesterRelation.SELF,
    )
    # Who asked, when not the resident, or when the resident is not registered yet (public form).
    requester_name = models.CharField(_("naam aanvrager"), max_length=200, blank=True)
    requester_phone = models.CharField(_("telefoon aanvrager"), max_length=20, blank=True)
    requester_email = models.EmailField(_("e-mail aanvrager"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    buurt = models.ForeignKey(
        "areas.Buurt",
        verbose_name=_("buurt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    question = models.TextField(_("hulpvraag"), max_length=2000)
    team = models.ForeignKey(
        "organisations.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    first_contact_due = models.DateField(_("eerste contact uiterlijk"))
    support_due = models.DateField(_("ondersteuning beschikbaar uiterlijk"))
    # Wmo 2015 art. 2.3.2: the investigation, when the request needs one, within six weeks.
    investigation_due = models.DateField(_("onderzoek afgerond uiterlijk"))
    first_contact_at = models.DateTimeField(_("eerste contact op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    outcome_provision = models.ForeignKey(
        "reference.Code",
        verbose_name=_("verwezen naar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Contact attempts that did not reach the resident: kept by request_record_attempt, which
    # writes every attempt, so that the lists need not count them per row.
    unreached_attempts = models.PositiveIntegerField(default=0, editable=False)
    # The public form's idempotency key: a resend of the same form creates nothing new.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", outcome__gt="", outcome_at__isnull=False)
                | (~Q(status="closed") & Q(outcome="")),
                name="request_closed_iff_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="referred_out") | Q(outcome_provision__isnull=False),
                name="request_referral_names_provision",
            ),
        ]
        indexes = [
            models.Index(
                fields=["team", "first_contact_due"],
                name="request_open_by_team",
                condition=~Q(status="closed"),
            ),
            models.Index(
                fields=["assigned_to", "first_contact_due"],
                name="request_open_by_user",
                condition=~Q(status="closed"),
            ),
            models.Index(fields=["team", "received_at"], name="request_team_received"),
            models.Index(  # the waiting list: open requests, longest waiting first
                fields=["team", "received_at", "id"],
                name="request_waiting_by_team",
                condition=~Q(status="closed"),
            ),
            models.Index(  # the waiting list's counts per team, from the index alone
                fields=["team", "support_due", "assigned_to", "id"],
                name="request_open_counts",
                condition=~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class RequestStatusChange(StatusHistory):
    """Append-only history of a request's status (wijk.core.workflow); `by` is empty for the
    receipt of a request sent with the public form."""

    subject_field = "help_request"

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(max_length=16, choices=RequestStatus.choices)

    class Meta:
        ordering = ["help_request", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["help_request", "seq"], name="request_status_seq")
        ]

    def __str__(self) -> str:
        return f"{self.help_request_id}#{self.seq} {self.status}"


class RequestAssignment(AssignmentHistory):
    """Append-only history of who had a request (wijk.core.workflow): picked up, assigned by
    the team lead, or handed back to the team's queue."""

    subject_field = "help_request"

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.PROTECT, related_name="assignments"
    )

    class Meta:
        ordering = ["help_request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.help_request_id} to {self.assignee_id}"


class ContactAttempt(models.Model):
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.PROTECT, related_name="contact_attempts"
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField(_("bereikt"), default=False)

    class Meta:
        ordering = ["help_request", "at"]

    def __str__(self) -> str:
        return f"attempt {self.pk}"
