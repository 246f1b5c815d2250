"""Reads of the organisations and their teams shared by other apps (no person-level data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wijk.areas.models import Buurt
from wijk.core.errors import ValidationFailed
from wijk.organisations.models import Team


def team_for_buurt(*, buurt: Buurt | None) -> Team:
    """The team a request from the buurt goes to: the active neighbourhood team covering the
    buurt's wijk (by CBS code, any year; the lowest id when more do), or the intake team when
    the buurt is unknown or not covered. Raises ValidationFailed when there is no intake team
    either."""
    if buurt is not None:
        team = (
            Team.objects.filter(active=True, is_intake=False, wijken__code=buurt.wijk.code)
            .order_by("pk")
            .first()
        )
        if team is not None:
            return team
    intake = Team.objects.filter(active=True, is_intake=True).order_by("pk").first()
    if intake is None:
        raise ValidationFailed(
            _("Er is geen intaketeam ingesteld. Vraag de beheerder dit te regelen.")
        )
    return intake
