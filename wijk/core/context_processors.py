"""The navigation, built from the user's gate so that nobody is shown a link they may not use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijk.accounts.roles import Gate, gate_for


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class NavGroup:
    """One task in the menu ("Mijn werk", "Team", "Cijfers", …) and its links."""

    label: str
    links: tuple[NavLink, ...]


def navigation(request: HttpRequest) -> dict[str, Any]:
    gate = gate_for(getattr(request, "user", None))
    menu = _menu(gate, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    current = request.path if hasattr(request, "path") else ""
    groups = [
        NavGroup(label, tuple(NavLink(url, text, url == current) for url, text in links))
        for label, links in menu
    ]
    return {"nav_groups": groups, "gate": gate}


Menu = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@lru_cache(maxsize=64)
def _menu(gate: Gate, language: str | None, script_prefix: str, urlconf: str) -> Menu:
    """The menu of a gate, grouped by task: (group label, ((URL, label), …)), in order. The
    same on every page, so made once per gate, language, script prefix and URLconf (all that
    its URLs and labels depend on); a group without links is left out."""
    work: list[tuple[str, str]] = []
    residents: list[tuple[str, str]] = []
    neighbourhood: list[tuple[str, str]] = []
    team: list[tuple[str, str]] = []
    figures: list[tuple[str, str]] = []
    manage: list[tuple[str, str]] = []
    if gate.person_level:
        work += [
            (reverse("core:work"), _("Mijn werk")),
            (reverse("requests:register"), _("Hulpvraag registreren")),
            (reverse("requests:waiting_list"), _("Wachtlijst")),
            (reverse("trajectories:list"), _("Trajecten")),
            (reverse("trajectories:turning_18"), _("Bijna 18")),
        ]
        residents += [
            (reverse("residents:search"), _("Inwoner zoeken")),
            (reverse("residents:register"), _("Inwoner registreren")),
        ]
        neighbourhood += [
            (reverse("contacts:register"), _("Kort contact")),
            (reverse("contacts:tally"), _("Turven")),
            (reverse("activities:list"), _("Activiteiten")),
        ]
    if gate.decision_desk:  # the municipality's decision desk: its queue only (ADR 0040)
        work.append((reverse("decisions:queue"), _("Zaken voor een besluit")))
    if gate.person_level:  # every role with person-level access is a team member
        team.append((reverse("core:team_work"), _("Werk van mijn team")))
    if gate.oversee_teams:
        team.append((reverse("requests:team_open"), _("Open hulpvragen van het team")))
        team.append((reverse("activities:move_list"), _("Verhuizingen van activiteiten")))
    if gate.review_break_glass:
        team.append((reverse("residents:break_glass_review"), _("Inzage zonder vaste toegang")))
        team.append((reverse("accounts:access_change_list"), _("Goedkeuren")))
    if gate.aggregates:
        figures.append((reverse("monitoring:dashboard"), _("Dashboard")))
        figures.append((reverse("monitoring:compliance"), _("Termijnen")))
    if gate.team_counts:
        figures.append((reverse("monitoring:waiting"), _("Wachttijden per team")))
    if gate.city_flows:
        figures.append((reverse("monitoring:flows"), _("Instroom en uitstroom")))
    if gate.aggregates:
        figures.append((reverse("contacts:overview"), _("Contacten en activiteiten")))
    if gate.aggregates and gate.all_teams and gate.team_counts:  # management
        figures.append((reverse("feed:deliveries"), _("Leveringen aan de gemeente")))
        figures.append((reverse("monitoring:quality"), _("Datakwaliteit")))
    if gate.manage:
        manage += [
            (reverse("accounts:access_change_list"), _("Goedkeuren")),
            (reverse("accounts:user_list"), _("Gebruikers")),
            (reverse("organisations:team_list"), _("Teams")),
            (reverse("organisations:organisation_list"), _("Organisaties")),
            (reverse("areas:wijk_list"), _("Gebieden")),
            (reverse("reference:list_index"), _("Keuzelijsten")),
            (reverse("api_clients:list"), _("API-koppelingen")),
        ]
    groups = (
        (_("Mijn werk"), work),
        (_("Inwoners"), residents),
        (_("In de wijk"), neighbourhood),
        (_("Team"), team),
        (_("Cijfers"), figures),
        (_("Beheer"), manage),
    )
    return tuple((label, tuple(links)) for label, links in groups if links)
