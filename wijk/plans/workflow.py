"""The lifecycle of a support plan: states and the transitions allowed between them.

draft → active → ended, and draft → ended. A plan is drawn up as a draft; it becomes active
when the resident signs a version of it (the signed version is the agreement, and for
Aanvullende Ondersteuning the decision); it ends at the end of support. An ended plan is never
reopened: a new plan starts instead (one open plan per household, a database constraint).
A signed plan that is changed stays active: the changed version waits for a new signature."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("In voorbereiding")
    ACTIVE = "active", _("Loopt")
    ENDED = "ended", _("Afgesloten")


TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.ACTIVE, PlanStatus.ENDED}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.ENDED}),
    PlanStatus.ENDED: frozenset(),
}

# The statuses of an open plan: at most one per household.
OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACTIVE)


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", _("Getekend op het scherm")
    TYPED = "typed", _("Naam getypt en bevestigd")
    SCAN = "scan", _("Papieren handtekening (scan)")
    IN_PERSON = "in_person", _("Mondeling akkoord, in persoon")


class GoalProgress(models.TextChoices):
    ACHIEVED = "achieved", _("Bereikt")
    PROGRESSING = "progressing", _("Gaat vooruit")
    NO_PROGRESS = "no_progress", _("Geen vooruitgang")
    STOPPED = "stopped", _("Niet meer nodig of gestopt")


# -- Ending -------------------------------------------------------------------------------------


class PlanEndReason(models.TextChoices):
    """Why a plan ended (ADR 0034, "Ending a plan"): a short list that monitoring can count;
    "other" needs an explanation."""

    GOALS_REACHED = "goals_reached", _("De doelen zijn bereikt")
    NO_LONGER_WANTED = "no_longer_wanted", _("De inwoner wil geen ondersteuning meer")
    MOVED = "moved", _("De inwoner is verhuisd")
    TRANSFERRED = "transferred", _("Overgedragen aan een andere wet of organisatie")
    DIED = "died", _("De inwoner is overleden")
    OTHER = "other", _("Een andere reden")


class PerspectiveReached(models.TextChoices):
    """Whether the perspective at the end of support (part 6 of the plan) was reached."""

    YES = "yes", _("Ja")
    PARTLY = "partly", _("Voor een deel")
    NO = "no", _("Nee")
