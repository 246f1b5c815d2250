"""The resident's case file in Chromium: the timeline of every kind passes axe and fits a
phone, and the kind filter works by keyboard alone, without JavaScript doing the work."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.casefiles.tests.test_case_file import records_of_every_kind
from wijk.core.tests.browser.conftest import assert_accessible, assert_fits_small_screens
from wijk.core.tests.browser.test_keyboard_journeys import login_by_keyboard, tab_to
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.tests.conftest import verified

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_timeline_by_keyboard_filtered_to_the_zrm(
    page: Page, live_server: Any, make_user, team
) -> None:
    professional = verified(make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima"))
    resident = HouseholdMembershipFactory().resident
    records_of_every_kind(professional=professional, team=team, resident=resident)
    login_by_keyboard(page, live_server, professional)
    url = live_server.url + reverse("residents:detail", args=[resident.pk])
    page.goto(url)
    timeline = page.get_by_role("region", name="Tijdlijn")
    expect(timeline.get_by_role("listitem")).to_have_count(6)
    assert_accessible(page)
    assert_fits_small_screens(page)

    others = (
        "Hulpvragen",
        "Contactpogingen",
        "Trajecten",
        "Warme overdrachten",
        "Notities",
        "Onderzoeken",
        "Plannen",
        "Brieven",
        "Besluiten van de gemeente",
    )
    for label in others:
        box = page.get_by_label(label, exact=True)
        tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).not_to_be_checked()
    tab_to(page, page.get_by_role("button", name="Tijdlijn tonen"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}?soort=zrm#tijdlijn")
    entries = page.get_by_role("region", name="Tijdlijn").get_by_role("listitem")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("ZRM ingevuld: Begin")
    expect(page.get_by_label("ZRM-metingen")).to_be_checked()
    expect(page.get_by_label("Hulpvragen", exact=True)).not_to_be_checked()
    assert_accessible(page)
