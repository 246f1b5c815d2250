"""The main menu: made once per gate and language, yet right for every request (its URLs
follow the script prefix the site is served under, its labels the language)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse, set_script_prefix

from wijk.accounts.models import Role

pytestmark = pytest.mark.django_db


def _menu(html: str) -> str:
    return html.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]


def test_menu_links_follow_the_script_prefix(make_user, client_for, team) -> None:
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    worklist = reverse("core:work")
    plain = _menu(client.get(worklist).content.decode())
    assert f'href="{worklist}" aria-current="page"' in plain
    set_script_prefix("/wijk/")  # as the WSGI handler sets it for a site served under /wijk
    try:
        under_prefix = _menu(client.get(worklist).content.decode())
    finally:
        set_script_prefix("/")
    assert f'href="/wijk{worklist}"' in under_prefix
    assert f'href="{worklist}"' not in under_prefix
    assert f'href="{worklist}"' in _menu(client.get(worklist).content.decode())


def test_each_role_gets_its_own_menu(make_user, client_for, team) -> None:
    professional = _menu(
        client_for(make_user(Role.PROFESSIONAL, teams=[team]))
        .get(reverse("core:home"))
        .content.decode()
    )
    municipality = _menu(
        client_for(make_user(Role.MUNICIPALITY)).get(reverse("core:home")).content.decode()
    )
    assert reverse("core:work") in professional
    assert reverse("core:team_work") in professional
    assert reverse("core:work") not in municipality
    assert reverse("core:team_work") not in municipality
    assert reverse("monitoring:flows") in municipality
    assert reverse("monitoring:flows") not in professional


def _groups(menu: str) -> dict[str, list[str]]:
    """Each group's heading and the labels of its links, in order."""
    groups: dict[str, list[str]] = {}
    for part in menu.split('class="wijk-nav__heading"')[1:]:
        heading = part.split(">", 1)[1].split("<", 1)[0]
        groups[heading] = re.findall(r'<a class="utrecht-link" href="[^"]+"[^>]*>([^<]+)</a>', part)
    return groups


def test_the_menu_is_grouped_by_task_per_role(make_user, client_for, team) -> None:
    def groups_of(role: Role) -> dict[str, list[str]]:
        user = make_user(
            role, teams=[team] if role in (Role.PROFESSIONAL, Role.TEAM_LEAD) else None
        )
        return _groups(_menu(client_for(user).get(reverse("core:home")).content.decode()))

    team_lead = groups_of(Role.TEAM_LEAD)
    assert list(team_lead) == ["Mijn werk", "Inwoners", "In de wijk", "Team", "Cijfers"]
    assert "Wachtlijst" in team_lead["Mijn werk"]
    # The one worklist of every app, the user's own and their teams' (ADR 0037).
    assert team_lead["Mijn werk"][0] == "Mijn werk"
    assert team_lead["Team"][0] == "Werk van mijn team"
    assert "Goedkeuren" in team_lead["Team"]
    # The waiting list and its counts are two tasks in two groups, not two look-alike links.
    assert not any(label.startswith("Wachtlijst") for label in team_lead["Cijfers"])
    assert max(len(links) for links in team_lead.values()) <= 5
    professional = groups_of(Role.PROFESSIONAL)
    assert list(professional) == ["Mijn werk", "Inwoners", "In de wijk", "Team"]
    assert professional["Team"] == ["Werk van mijn team"]
    assert list(groups_of(Role.MUNICIPALITY)) == ["Cijfers"]
    assert list(groups_of(Role.ADMINISTRATOR)) == ["Beheer"]


def test_the_menu_folds_away_without_javascript(make_user, client_for, team) -> None:
    """A <details> with a "Menu" summary: on a phone it opens without any script."""
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    menu = _menu(client.get(reverse("core:home")).content.decode())
    assert '<details class="wijk-nav__disclosure">' in menu
    assert '<summary class="wijk-nav__toggle">Menu</summary>' in menu
