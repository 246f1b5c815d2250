"""Reads of the organisations and their teams shared by other apps (no person-level data)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import TEAM_MEMBER_ROLES
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


def workers_of(*, teams: QuerySet[Team] | list[Team]) -> QuerySet[User]:
    """Who may hold a team's work (a request, a trajectory's coordination): the active
    professionals and team leads among the members of the teams whose role a second person
    approved (an account waiting for that approval, ADR 0019, holds nothing), by name."""
    return (
        User.objects.filter(
            teams__in=teams, role__in=TEAM_MEMBER_ROLES, is_active=True, role_approved=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def is_worker_of(*, user: User, team: Team) -> bool:
    """Whether the user may hold the team's work (see workers_of)."""
    return workers_of(teams=[team]).filter(pk=user.pk).exists()
