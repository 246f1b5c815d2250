"""The start page's figures for management and the municipality (wijk.core.home): city-wide
totals of the open requests, never per team or per person, each leading to its monitoring
page. A small total (1 to the threshold - 1) is not shown, as on the monitoring pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.accounts.roles import Gate
from wijk.core.disclosure import current_threshold
from wijk.core.home import HomeCard
from wijk.monitoring.selectors import waiting_counts, waiting_total


def _shown(count: int) -> int | None:
    return None if 0 < count < current_threshold() else count


def figure_cards(user: User, gate: Gate) -> list[HomeCard]:
    # Roles with person-level access see their own and their team's counts instead.
    if not gate.aggregates or gate.person_level:
        return []
    total = waiting_total(waiting_counts())
    compliance = reverse("monitoring:compliance")
    waiting = reverse("monitoring:waiting") if gate.team_counts else compliance
    return [
        HomeCard(
            section="figures",
            label=_("Open hulpvragen in de stad"),
            count=_shown(total.open),
            url=waiting,
        ),
        HomeCard(
            section="figures",
            label=_("Eerste contact te laat"),
            count=_shown(total.first_contact_overdue),
            url=compliance,
        ),
        HomeCard(
            section="figures",
            label=_("Langer dan vier weken wachtend"),
            count=_shown(total.over_four_weeks),
            url=waiting,
        ),
    ]
