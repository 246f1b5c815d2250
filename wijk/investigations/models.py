"""The investigation (onderzoek) of a request for help: the conversation with the resident
(the keukentafelgesprek) and what it found (seed 002 §5.1, Wmo 2015 art. 2.3.2). Person-level
free text: reached only through wijk.investigations.selectors and services, never in exports;
monitoring counts only whether it was finished in time.

One investigation per request. It is edited while it is open; once `completed_on` is set it is
the report the resident receives and does not change: the service refuses, and the database
refuses every UPDATE or DELETE of a finished investigation and every change of its life
domains (migration 0001's triggers). The resident's own view on the report is a row of its
own (OwnView), append-only. ADR 0033."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import gate_for
from wijk.organisations.models import Team
from wijk.residents.models import of_visible_residents

if TYPE_CHECKING:
    from wijk.accounts.models import User

# A long conversation's report fits; the form refuses (never cuts) a longer text.
TEXT_MAX_LENGTH = 10_000
SHORT_MAX_LENGTH = 500


class ConversationPlace(models.TextChoices):
    HOME = "home", _("Bij de inwoner thuis")
    OFFICE = "office", _("Op kantoor of in het wijkcentrum")
    OTHER = "other", _("Ergens anders")


class InvestigationQuerySet(models.QuerySet["Investigation"]):
    """The access rule for investigations, held once: an investigation is visible exactly
    when its request is. That is the request's rule (`HelpRequestQuerySet.visible_to`: the
    user's active teams or assigned to the user) on the investigation's request, and the one
    resident rule (ADR 0020) on its resident, which is the request's resident (linked once,
    never changed). Written on the investigation's own paths rather than as "request in the
    visible requests", which would make the database list every visible request first.
    Roles without person-level access see none."""

    def visible_to(self, user: User) -> InvestigationQuerySet:
        if not gate_for(user).person_level:
            return self.none()
        teams = Team.objects.active_for(user).values("pk")
        return self.filter(
            Q(help_request__team__in=teams) | Q(help_request__assigned_to=user),
            of_visible_residents(user),
        )

    def open(self) -> InvestigationQuerySet:
        return self.filter(completed_on__isnull=True)


def _max_length(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit), name=f"investigation_{name}_max_length"
    )


class Investigation(models.Model):
    help_request = models.OneToOneField(
        "requests.HelpRequest",
        verbose_name=_("hulpvraag"),
        on_delete=models.PROTECT,
        related_name="investigation",
    )
    # The request's resident and household when the investigation started (a request's
    # resident is linked once and never changes).
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="investigations",
    )
    household = models.ForeignKey(
        "residents.Household",
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investigations",
    )
    # The conversation (keukentafelgesprek)
    conversation_on = models.DateField(_("datum gesprek"), null=True, blank=True)
    conversation_place = models.CharField(
        _("plaats gesprek"), max_length=16, choices=ConversationPlace.choices, blank=True
    )
    network_present = models.BooleanField(_("netwerk was bij het gesprek"), default=False)
    network_who = models.CharField(
        _("wie uit het netwerk"), max_length=SHORT_MAX_LENGTH, blank=True
    )
    # What it found
    underlying_question = models.TextField(_("de vraag achter de vraag"), blank=True)
    life_domains = models.ManyToManyField(
        "reference.Code", verbose_name=_("leefgebieden"), blank=True, related_name="+"
    )
    own_strength = models.TextField(_("eigen kracht en netwerk"), blank=True)
    preceding_provisions = models.TextField(
        _("voorliggende voorzieningen en andere wetten"), blank=True
    )
    expertise_asked = models.BooleanField(_("externe deskundigheid gevraagd"), default=False)
    expertise_which = models.CharField(
        _("welke deskundigheid"), max_length=SHORT_MAX_LENGTH, blank=True
    )
    # Who and when
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestart door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("laatst bijgewerkt op"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst bijgewerkt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgerond door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        verbose_name = _("onderzoek")
        verbose_name_plural = _("onderzoeken")
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True, completed_by__isnull=True)
                | Q(
                    completed_on__isnull=False,
                    completed_by__isnull=False,
                    conversation_on__isnull=False,
                    conversation_place__gt="",
                    underlying_question__gt="",
                ),
                name="investigation_completed_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(network_present=True) | Q(network_who=""),
                name="investigation_network_who_only_when_present",
            ),
            models.CheckConstraint(
                condition=Q(expertise_asked=True) | Q(expertise_which=""),
                name="investigation_expertise_which_only_when_asked",
            ),
            _max_length("underlying_question", TEXT_MAX_LENGTH, "question"),
            _max_length("own_strength", TEXT_MAX_LENGTH, "own_strength"),
            _max_length("preceding_provisions", TEXT_MAX_LENGTH, "provisions"),
        ]
        indexes = [
            models.Index(
                fields=["resident", "started_at"],
                name="investigation_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"investigation {self.pk}"

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


class OwnView(models.Model):
    """The resident's own view on the finished report, recorded by a professional:
    append-only (the database refuses UPDATE and DELETE), one or more over time."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="own_views"
    )
    text = models.TextField(_("zienswijze van de inwoner"))
    given_on = models.DateField(_("gegeven op"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("zienswijze op het onderzoek")
        verbose_name_plural = _("zienswijzen op het onderzoek")
        ordering = ["investigation", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH) & Q(text__gt=""),
                name="investigation_own_view_text",
            ),
        ]

    def __str__(self) -> str:
        return f"own view {self.pk}"
