"""The start page's counts: each app tells what its part of a role's day amounts to.

Core is the foundation and may not import the apps that hold person-level data (the
import-linter contract), yet the start page shows their counts. So the apps register a
provider here, in their AppConfig.ready(), and the home view asks each of them (ADR 0029):
`provider(user, gate)` returns the app's cards for that user, at most one query each, and
nothing for a gate the app has no counts for. A provider reads through its app's selectors,
which hold the access rule; a role without person-level access gets aggregates only.

A card is a count that matters to the role and a link to where the work is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from wijk.accounts.roles import Gate


@dataclass(frozen=True)
class HomeCard:
    """One count on the start page, in one of the SECTIONS ("work", "team", …).

    `count` is None when it may not be shown (a small number of people, for an aggregate);
    `urgent` marks work past a deadline, shown first and in the warning colour when not 0."""

    section: str
    label: str
    count: int | None
    url: str
    urgent: bool = False


Provider = Callable[[Any, "Gate"], Sequence[HomeCard]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Add an app's provider (once: registering the same function again changes nothing)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


# The sections of the start page, in order: key and heading.
SECTIONS: dict[str, Promise] = {
    "work": gettext_lazy("Mijn werk"),
    "team": gettext_lazy("Team"),
    "figures": gettext_lazy("Cijfers"),
    "manage": gettext_lazy("Beheer"),
}


@dataclass(frozen=True)
class HomeSection:
    label: str
    cards: tuple[HomeCard, ...]


def home_sections(*, user: Any, gate: Gate) -> list[HomeSection]:
    """Every registered provider's cards for the user, by section, urgent cards first within
    a section (otherwise in the order the providers gave them)."""
    cards = [card for provider in _PROVIDERS for card in provider(user, gate)]
    sections = []
    for key, label in SECTIONS.items():
        in_section = sorted((card for card in cards if card.section == key), key=_not_urgent)
        if in_section:
            sections.append(HomeSection(label=str(label), cards=tuple(in_section)))
    return sections


def _not_urgent(card: HomeCard) -> bool:
    return not card.urgent
