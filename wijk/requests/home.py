"""The start page's counts of requests (registered with wijk.core.home, ADR 0029): a
professional's own work today, and for a team lead what the team has not picked up."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.accounts.roles import Gate
from wijk.core.home import HomeCard
from wijk.requests.selectors import request_counts_for_user


def request_cards(user: User, gate: Gate) -> list[HomeCard]:
    if not gate.person_level:
        return []
    counts = request_counts_for_user(user=user)
    worklist = reverse("requests:worklist")
    # The first contacts due are the requests' part of the one worklist (ADR 0037).
    first_contacts = reverse("core:work") + "?soort=first_contact"
    cards = [
        HomeCard(
            section="work",
            label=_("Eerste contact te laat"),
            count=counts.mine_first_contact_overdue,
            url=first_contacts,
            urgent=True,
        ),
        HomeCard(
            section="work",
            label=_("Eerste contact vandaag"),
            count=counts.mine_first_contact_today,
            url=first_contacts,
        ),
        HomeCard(section="work", label=_("Mijn open hulpvragen"), count=counts.mine, url=worklist),
        HomeCard(
            section="work" if not gate.oversee_teams else "team",
            label=_("Op de wachtlijst van het team"),
            count=counts.waiting,
            url=reverse("requests:waiting_list"),
        ),
    ]
    if gate.oversee_teams:
        team_open = reverse("requests:team_open")
        cards += [
            HomeCard(
                section="team",
                label=_("Eerste contact te laat in het team"),
                count=counts.team_first_contact_overdue,
                url=team_open,
                urgent=True,
            ),
            HomeCard(
                section="team",
                label=_("Nog niet toegewezen"),
                count=counts.team_unassigned,
                url=team_open,
            ),
        ]
    return cards
