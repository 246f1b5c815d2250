"""The start page's count of access changes waiting for a decision (wijk.core.home)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.accounts.roles import Gate
from wijk.accounts.selectors import access_changes_pending_for
from wijk.core.home import HomeCard


def access_change_cards(user: User, gate: Gate) -> list[HomeCard]:
    if not (gate.manage or gate.review_break_glass):
        return []
    pending = access_changes_pending_for(user=user)
    url = reverse("accounts:access_change_list")
    section = "manage" if gate.manage else "team"
    cards = [
        HomeCard(
            section=section,
            label=_("Wachten op uw goedkeuring"),
            count=sum(1 for change in pending if change.may_decide),
            url=url,
            urgent=True,
        )
    ]
    if gate.manage:
        cards.append(
            HomeCard(
                section=section, label=_("Wijzigingen in toegang open"), count=len(pending), url=url
            )
        )
    return cards
