"""The lifecycle of a trajectory: states and the transitions allowed between them.

active ⇄ paused, active/paused → closed. Closing records the outflow date and reason; a
closed trajectory is never reopened (a new one starts instead)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrajectoryStatus(models.TextChoices):
    ACTIVE = "active", _("Lopend")
    PAUSED = "paused", _("Gepauzeerd")
    CLOSED = "closed", _("Afgesloten")


TRANSITIONS: dict[str, frozenset[str]] = {
    TrajectoryStatus.ACTIVE: frozenset({TrajectoryStatus.PAUSED, TrajectoryStatus.CLOSED}),
    TrajectoryStatus.PAUSED: frozenset({TrajectoryStatus.ACTIVE, TrajectoryStatus.CLOSED}),
    TrajectoryStatus.CLOSED: frozenset(),
}


class Part(models.TextChoices):
    SOCIALE_BASIS = "sociale_basis", _("Sociale Basis")
    SOCIAAL_WIJKTEAM = "sociaal_wijkteam", _("Sociaal Wijkteam")
    AANVULLENDE_ONDERSTEUNING = "aanvullende_ondersteuning", _("Aanvullende Ondersteuning")


class ZrmMoment(models.TextChoices):
    START = "start", _("Begin")
    EVALUATION = "evaluation", _("Evaluatie")
    END = "end", _("Einde")


class HandoverDestination(models.TextChoices):
    ZVW = "zvw", _("Zorgverzekeringswet (Zvw)")
    WLZ = "wlz", _("Wet langdurige zorg (Wlz)")
    JEUGDWET = "jeugdwet", _("Jeugdwet")
    OTHER_MUNICIPALITY = "other_municipality", _("Andere gemeente")
    OTHER_PROVIDER = "other_provider", _("Andere aanbieder")
