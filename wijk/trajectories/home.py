"""The start page's counts of trajectories (registered with wijk.core.home, ADR 0029)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.accounts.roles import Gate
from wijk.core.home import HomeCard
from wijk.trajectories.selectors import trajectory_counts_for_user


def trajectory_cards(user: User, gate: Gate) -> list[HomeCard]:
    if not gate.person_level:
        return []
    counts = trajectory_counts_for_user(user=user)
    trajectories = reverse("trajectories:list")
    cards = [
        HomeCard(
            section="work",
            label=_("Trajecten die ik coördineer"),
            count=counts.coordinating,
            url=trajectories,
        ),
        HomeCard(
            section="work",
            label=_("Evaluatie nodig (ZRM ouder dan een half jaar)"),
            count=counts.evaluation_due,
            url=trajectories,
        ),
    ]
    if gate.oversee_teams:
        cards.append(
            HomeCard(
                section="team",
                label=_("Evaluatie nodig in het team"),
                count=counts.team_evaluation_due,
                url=trajectories,
            )
        )
    return cards
