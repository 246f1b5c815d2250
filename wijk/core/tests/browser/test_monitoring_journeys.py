"""The monitoring pages by keyboard alone: choose a team and a period, and see only the
results swapped in by htmx, with the filtered URL pushed so that it can be bookmarked. And the
municipality's view of reach and reasons: small numbers hidden, tables still accessible."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.tests.browser.conftest import assert_accessible
from wijk.core.tests.browser.test_keyboard_journeys import login_by_keyboard, tab_to
from wijk.monitoring.tests.factories import (
    HandoverFactory,
    HelpRequestFactory,
    ShortContactFactory,
    TrajectoryFactory,
)
from wijk.organisations.tests.factories import TeamFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

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
    expect(per_team).to_be_hidden()  # the summary first; the breakdowns open on demand
    page.get_by_text("Toon de tabel per team").click()
    expect(per_team.get_by_role("rowheader", name="Zuidteam")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("monitoring:compliance"))

    team_select = page.get_by_role("combobox", name="Team")
    tab_to(page, team_select)
    page.keyboard.type("Noordteam")  # a closed select picks the option by typing
    expect(team_select).to_have_value(str(north.pk))
    tab_to(page, page.get_by_role("button", name="Toon de cijfers"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(
        f"{live_server.url}{reverse('monitoring:compliance')}?months=12&team={north.pk}&wijk="
    )
    tab_to(page, page.get_by_text("Toon de tabel per team"))
    page.keyboard.press("Enter")
    expect(per_team.get_by_role("rowheader", name="Zuidteam")).to_have_count(0)
    expect(per_team.get_by_role("rowheader", name="Noordteam")).to_be_visible()
    expect(
        page.get_by_text("Aantal hulpvragen ontvangen in de laatste 12 maanden: 2.")
    ).to_be_visible()
    assert_accessible(page)


def test_municipality_sees_reach_per_year_without_small_numbers(
    page: Page, live_server: Any, make_user
) -> None:
    buurt = Buurt.objects.order_by("code").first()
    today = timezone.localdate()
    for number in range(7):
        resident = ResidentFactory(address=AddressFactory(buurt=buurt))
        trajectory = TrajectoryFactory(
            resident=resident,
            inflow_date=today - datetime.timedelta(days=number),
            closed_on=today if number < 2 else None,
        )
        if number < 2:
            HandoverFactory(trajectory=trajectory)
    ShortContactFactory(wijk=buurt.wijk)
    login_by_keyboard(page, live_server, make_user(Role.MUNICIPALITY))
    page.goto(live_server.url + reverse("monitoring:reach"))
    expect(page.get_by_text("Kleine aantallen laten we niet zien.")).to_be_visible()
    reach = page.get_by_role("table", name="Bereik per wijk en periode, in unieke inwoners")
    expect(
        reach.get_by_role("rowheader", name=f"{buurt.wijk.name} ({buurt.wijk.code})")
    ).to_be_visible()
    assert_accessible(page)

    unit = page.get_by_role("combobox", name="Indeling")
    tab_to(page, unit)
    page.keyboard.type("Per jaar")
    expect(unit).to_have_value("jaar")
    tab_to(page, page.get_by_role("button", name="Toon de cijfers"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        f"{live_server.url}{reverse('monitoring:reach')}?unit=jaar&periods=4&wijk="
    )
    expect(reach.get_by_role("columnheader", name=str(today.year), exact=False)).to_be_visible()
    # one contact this month: contacts count conversations, not people, so the municipality
    # sees it as it is (docs/adr/0028-small-numbers-count-people.md)
    contacts = page.get_by_role("row", name=re.compile("^Korte contacten"))
    expect(contacts.get_by_role("cell").first).to_have_text("1")
    assert_accessible(page)

    page.goto(live_server.url + reverse("monitoring:flow_reasons"))
    expect(
        page.get_by_role("table", name="Gestarte trajecten per reden voor instroom")
    ).to_be_visible()
    assert_accessible(page)
