"""The one worklist by keyboard alone (ADR 0037): from the menu to "Mijn werk", the skip link
to the list, the filter by kind with Space and Enter, a row followed to where the work is;
and "Werk van mijn team" with who has each piece of work. axe-core checks each state, and the
pages are laid out at the width of a phone and a tablet (the tables stack, ADR 0031)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible, assert_fits_small_screens
from wijk.core.tests.browser.test_keyboard_journeys import (
    login_by_keyboard,
    open_from_navigation,
    tab_to,
)
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_open_my_work_filter_it_and_follow_a_row(
    page: Page, live_server: Any, make_user, team
) -> None:
    user = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")
    colleague = make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")
    today = timezone.localdate()
    resident = HouseholdMembershipFactory(
        resident__given_names="Toos", resident__family_name="Toetsenbord"
    ).resident
    late = HelpRequestFactory(
        team=team,
        assigned_to=user,
        resident=resident,
        reference="WERKLAAT",
        first_contact_due=today - datetime.timedelta(days=7),
    )
    HelpRequestFactory(
        team=team,
        assigned_to=colleague,
        resident=resident,
        reference="COLLEGA1",
        first_contact_due=today + datetime.timedelta(days=14),
    )
    login_by_keyboard(page, live_server, user)
    open_from_navigation(page, live_server, "Mijn werk", "core:work")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    overdue = page.locator("section").filter(has=page.get_by_role("heading", name="Te laat (1)"))
    expect(overdue.get_by_role("cell", name="Toos Toetsenbord")).to_be_visible()
    expect(overdue).to_contain_text("werkdagen te laat")
    expect(page.get_by_text("COLLEGA1")).to_have_count(0)  # the colleague's, not mine
    assert_accessible(page)
    assert_fits_small_screens(page)

    # The filter by keyboard: tick "Eerste contact", show.
    kind = page.get_by_role("checkbox", name="Eerste contact")
    tab_to(page, kind)
    page.keyboard.press("Space")
    expect(kind).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Werk tonen"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("core:work") + "?soort=first_contact")
    expect(page.get_by_role("checkbox", name="Eerste contact")).to_be_checked()
    assert_accessible(page)

    # The skip link to the list, then the first row's link: to where the work is.
    page.keyboard.press("Tab")  # the first stop of the page: "Naar de inhoud"
    tab_to(page, page.get_by_role("link", name="Naar de lijst"))
    page.keyboard.press("Enter")
    expect(page.locator("#lijst")).to_be_focused()
    row_link = page.get_by_role("link", name="Hulpvraag WERKLAAT", exact=False)
    tab_to(page, row_link)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[late.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("WERKLAAT")

    # The team's work: both requests, and who has them.
    page.goto(live_server.url + reverse("core:team_work"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk van mijn team")
    expect(page.get_by_role("columnheader", name="Wie heeft het").first).to_be_visible()
    expect(page.get_by_role("cell", name="Kees Visser")).to_be_visible()
    expect(page.get_by_role("cell", name="Fatima Bakker")).to_be_visible()
    assert_accessible(page)
    assert_fits_small_screens(page)
