"""The monitoring pages by keyboard alone: choose a team and a period, and see only the
results swapped in by htmx, with the filtered URL pushed so that it can be bookmarked."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible
from wijk.core.tests.browser.test_keyboard_journeys import login_by_keyboard, tab_to
from wijk.monitoring.tests.factories import HelpRequestFactory
from wijk.organisations.tests.factories import TeamFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_management_filters_the_deadlines_on_one_team(
    page: Page, live_server: Any, make_user
) -> None:
    north, south = TeamFactory(name="Noordteam"), TeamFactory(name="Zuidteam")
    for days, team in ((2, north), (40, north), (3, south)):
        HelpRequestFactory(team=team, received_at=timezone.now() - datetime.timedelta(days=days))
    login_by_keyboard(page, live_server, make_user(Role.MANAGEMENT))
    page.goto(live_server.url + reverse("monitoring:compliance"))
    per_team = page.get_by_role("table", name="Termijnen per team, hele periode")
    expect(per_team.get_by_role("rowheader", name="Zuidteam")).to_be_visible()
    assert_accessible(page)

    team_select = page.get_by_role("combobox", name="Team")
    tab_to(page, team_select)
    page.keyboard.type("Noordteam")  # a closed select picks the option by typing
    expect(team_select).to_have_value(str(north.pk))
    tab_to(page, page.get_by_role("button", name="Toon de cijfers"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(
        f"{live_server.url}{reverse('monitoring:compliance')}?months=12&team={north.pk}&wijk="
    )
    expect(per_team.get_by_role("rowheader", name="Zuidteam")).to_have_count(0)
    expect(per_team.get_by_role("rowheader", name="Noordteam")).to_be_visible()
    expect(
        page.get_by_text("Aantal hulpvragen ontvangen in de laatste 12 maanden: 2.")
    ).to_be_visible()
    assert_accessible(page)
