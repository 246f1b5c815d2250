"""Organisations (consortium members, subcontractors, volunteer organisations, referrers) and
the neighbourhood teams with the wijken they cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from wijk.accounts.models import User


class OrganisationKind(models.TextChoices):
    CONSORTIUM_MEMBER = "consortium_member", _("Partner in het samenwerkingsverband")
    SUBCONTRACTOR = "subcontractor", _("Onderaannemer")
    VOLUNTEER = "volunteer", _("Vrijwilligersorganisatie zonder betaalde krachten")
    REFERRER = "referrer", _("Verwijzer")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet["Team"]):
    def active_for(self, user: User) -> TeamQuerySet:
        """The active teams the user is a member of: the one definition of "the user's teams"
        that every visibility rule and team choice builds on."""
        return self.filter(members=user, active=True)


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="teams"
    )
    wijken = models.ManyToManyField(
        "areas.Wijk", verbose_name=_("wijken"), related_name="teams", blank=True
    )
    is_intake = models.BooleanField(
        _("intaketeam"), default=False, help_text=_("Ontvangt aanmeldingen zonder bekende buurt.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leden"),
        related_name="teams",
        blank=True,
    )
    active = models.BooleanField(_("actief"), default=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
