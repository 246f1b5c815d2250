"""The navigation, built from the user's gate so that nobody is shown a link they may not use."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijk.accounts.roles import Gate, gate_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    gate = gate_for(getattr(request, "user", None))
    links = _menu(gate, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    current = request.path if hasattr(request, "path") else ""
    return {"nav_items": [(url, label, url == current) for url, label in links], "gate": gate}


@lru_cache(maxsize=64)
def _menu(
    gate: Gate, language: str | None, script_prefix: str, urlconf: str
) -> tuple[tuple[str, str], ...]:
    """The menu's links (URL, label) of a gate: the same on every page, so made once per gate,
    language, script prefix and URLconf (all that its URLs and labels depend on)."""
    items: list[tuple[str, str]] = []
    if gate.person_level:
        items += [
            (reverse("requests:worklist"), _("Werklijst")),
            (reverse("requests:register"), _("Hulpvraag registreren")),
            (reverse("requests:waiting_list"), _("Wachtlijst")),
            (reverse("residents:search"), _("Inwoner zoeken")),
            (reverse("residents:register"), _("Inwoner registreren")),
            (reverse("trajectories:list"), _("Trajecten")),
            (reverse("trajectories:turning_18"), _("Bijna 18")),
            (reverse("contacts:register"), _("Kort contact")),
            (reverse("contacts:tally"), _("Turven")),
            (reverse("activities:list"), _("Activiteiten")),
        ]
    if gate.oversee_teams:
        items.append((reverse("requests:team_open"), _("Open hulpvragen van mijn teams")))
        items.append((reverse("activities:move_list"), _("Verhuizingen van activiteiten")))
    if gate.review_break_glass:
        items.append((reverse("residents:break_glass_review"), _("Inzage zonder vaste toegang")))
    if gate.review_break_glass or gate.manage:
        items.append((reverse("accounts:access_change_list"), _("Goedkeuren")))
    if gate.aggregates:
        items.append((reverse("monitoring:compliance"), _("Termijnen")))
    if gate.team_counts:
        items.append((reverse("monitoring:waiting"), _("Wachtlijst (aantallen)")))
    if gate.city_flows:
        items.append((reverse("monitoring:flows"), _("Instroom en uitstroom")))
    if gate.aggregates:
        items.append((reverse("contacts:overview"), _("Contacten en activiteiten (cijfers)")))
    if gate.manage:
        items += [
            (reverse("accounts:user_list"), _("Gebruikers")),
            (reverse("organisations:team_list"), _("Teams")),
            (reverse("organisations:organisation_list"), _("Organisaties")),
            (reverse("areas:wijk_list"), _("Gebieden")),
            (reverse("reference:list_index"), _("Keuzelijsten")),
        ]
    return tuple(items)
