"""The lifecycle of a case on the municipality's decision desk: states and transitions.

placed → decided → seen. The consortium places a case in the desk's queue (a written decision
the resident asked for, an objection, Aanvullende Ondersteuning refused, or a pgb); the
municipality's decision officer records the decision (granted or refused); the plan's team
marks that it has seen it. A decision is never changed: a new decision is a new case
(ADR 0040)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionStatus(models.TextChoices):
    PLACED = "placed", _("Ligt bij de gemeente")
    DECIDED = "decided", _("Besluit genomen")
    SEEN = "seen", _("Besluit gezien")


TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionStatus.PLACED: frozenset({DecisionStatus.DECIDED}),
    DecisionStatus.DECIDED: frozenset({DecisionStatus.SEEN}),
    DecisionStatus.SEEN: frozenset(),
}


class DecisionKind(models.TextChoices):
    """Why a separate written decision is drafted (issue 13, seed 002 §5.1 and §5.2)."""

    REQUESTED = "requested", _("De inwoner vraagt een schriftelijke beschikking")
    OBJECTION = "objection", _("De inwoner wil bezwaar maken")
    AO_REFUSED = "ao_refused", _("Aanvullende Ondersteuning wordt geweigerd")
    PGB = "pgb", _("Persoonsgebonden budget (pgb)")


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Toegekend")
    REFUSED = "refused", _("Afgewezen")
