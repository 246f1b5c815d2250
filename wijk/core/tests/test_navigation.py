"""The main menu: made once per gate and language, yet right for every request (its URLs
follow the script prefix the site is served under, its labels the language)."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from wijk.accounts.models import Role

pytestmark = pytest.mark.django_db


def _menu(html: str) -> str:
    return html.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]


def test_menu_links_follow_the_script_prefix(make_user, client_for, team) -> None:
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    worklist = reverse("requests:worklist")
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
    assert reverse("requests:worklist") in professional
    assert reverse("requests:worklist") not in municipality
    assert reverse("monitoring:flows") in municipality
    assert reverse("monitoring:flows") not in professional
