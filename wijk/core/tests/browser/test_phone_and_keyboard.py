"""Working on a phone and by keyboard: the skip link to the main list, the focus after htmx
replaced what the user acted on, table rows stacked with their column names at 390 px, and the
menu folded away on a phone, without JavaScript too. (That no page scrolls sideways on a phone
or a tablet is checked on every page by test_axe_every_page.)

The request model is read through the app registry, as in test_requests_journeys: wijk.core may
not import the person-level apps (import-linter)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible, login
from wijk.core.tests.browser.test_keyboard_journeys import (
    assert_focus_visible,
    login_by_keyboard,
    tab,
    tab_to,
)
from wijk.core.tests.browser.test_requests_journeys import open_request
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}

# The focus is in the element with this id: on a part of the page, not on a button of a row
# htmx has replaced (no longer in the page) nor back on <body>.
_FOCUS_IN = """(id) => {
  const holder = document.getElementById(id);
  return holder !== null && holder.contains(document.activeElement);
}"""


def test_skip_link_to_the_list_then_contact_by_keyboard_keeps_focus_in_the_row(
    page: Page, live_server: Any, make_user, team
) -> None:
    """From the top of the worklist to the first row's "Contact gehad" in a few key presses
    (the issue counted 20 Tabs), and after it is pressed the focus is in the updated row."""
    user = make_user(Role.PROFESSIONAL, teams=[team])
    resident = HouseholdMembershipFactory().resident
    help_request = open_request(
        team=team,
        user=user,
        resident=resident,
        reference="KORTWEG2",
        first_contact_due=timezone.localdate() + datetime.timedelta(days=3),
        received_days_ago=1,
    )
    login_by_keyboard(page, live_server, user)
    page.goto(live_server.url + reverse("requests:worklist"))

    presses = 0
    tab(page)
    presses += 1
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    tab(page)
    presses += 1
    to_list = page.get_by_role("link", name="Naar de lijst")
    expect(to_list).to_be_focused()
    expect(to_list).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#lijst")).to_be_focused()
    contact = page.get_by_role("button", name="Contact gehad, hulpvraag KORTWEG2")
    presses += tab_to(page, contact)
    assert presses <= 5, f"{presses} Tab presses to the first row's action"

    page.keyboard.press("Enter")
    expect(page.locator("#werklijst-melding")).to_contain_text("KORTWEG2")
    row = page.locator(f"#hulpvraag-{help_request.pk}")
    expect(row).to_contain_text("Eerste contact gehad op")
    page.wait_for_function(_FOCUS_IN, arg=f"hulpvraag-{help_request.pk}")
    assert_accessible(page)


def test_focus_goes_to_the_new_content_when_the_pressed_button_is_gone(
    page: Page, live_server: Any, make_user, team
) -> None:
    """The tally board's undo button leaves the board when there is nothing left to undo: the
    focus goes into the board htmx swapped in (swap-focus.js), not back to the top of the
    page."""
    login_by_keyboard(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    page.goto(live_server.url + reverse("contacts:tally"))
    page.wait_for_function("() => window.htmx !== undefined")  # the deferred scripts have run
    finances = page.locator("#turf-finances")
    tab_to(page, finances)
    page.keyboard.press("Enter")
    expect(finances).to_contain_text("vandaag geteld: 1")
    undo = page.get_by_role("button", name="Laatste telling ongedaan maken")
    tab_to(page, undo)
    page.keyboard.press("Enter")
    expect(finances).to_contain_text("vandaag geteld: 0")
    expect(undo).to_have_count(0)
    expect(page.locator("#turfbord")).to_be_focused()  # the new board, not <body>
    page.keyboard.press("Tab")  # and the next Tab goes on from there, inside the board
    assert_focus_visible(page)
    assert page.evaluate("() => document.activeElement.closest('#turfbord') !== null")


def test_worklist_on_a_phone_stacks_rows_with_column_names(
    page: Page, live_server: Any, make_user, team
) -> None:
    """At 390 px each row is a block and each cell shows its column's name (set by
    stacked-tables.js from the header), also in a row htmx swapped in; screen readers still
    get a table with column headers, and the names are not read twice. On a wide screen,
    where it fits, the same table is a table."""
    user = make_user(Role.PROFESSIONAL, teams=[team])
    help_request = open_request(
        team=team,
        user=user,
        resident=HouseholdMembershipFactory().resident,
        reference="TELEFOON",
        first_contact_due=timezone.localdate() + datetime.timedelta(days=3),
        received_days_ago=1,
    )
    page.set_viewport_size(PHONE)
    login(page, live_server, user)
    page.goto(live_server.url + reverse("requests:worklist"))
    row = page.locator(f"#hulpvraag-{help_request.pk}")

    def shown_names() -> list[str]:
        names: list[str] = row.evaluate(
            """(row) => Array.from(row.cells).map((cell) =>
                 getComputedStyle(cell, "::before").content)"""
        )
        return names

    expect(row).to_have_css("display", "block")
    assert shown_names()[:2] == ['"Kenmerk" / ""', '"Ontvangen" / ""']
    expect(page.get_by_role("columnheader", name="Kenmerk")).to_have_count(1)
    expect(page.get_by_role("cell", name="TELEFOON", exact=True)).to_be_visible()

    page.get_by_role("button", name="Contact gehad, hulpvraag TELEFOON").click()
    expect(row).to_contain_text("Eerste contact gehad op")
    expect(row).to_have_css("display", "block")
    assert shown_names()[:2] == ['"Kenmerk" / ""', '"Ontvangen" / ""']
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size({"width": 1366, "height": 900})
    expect(row).to_have_css("display", "table-row")
    assert '"Kenmerk" / ""' not in shown_names()


@pytest.fixture
def page_without_javascript(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        locale="nl-NL", base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_menu_folds_away_on_a_phone_without_javascript(
    page_without_javascript: Page, live_server: Any, make_user, team
) -> None:
    """On a phone the menu is one "Menu" button that opens it (a <details>, no script), and a
    table the script could not label scrolls in its own box: the page itself does not."""
    page = page_without_javascript
    user = make_user(Role.TEAM_LEAD, teams=[team])
    open_request(
        team=team,
        user=user,
        resident=HouseholdMembershipFactory().resident,
        reference="ZONDERJS",
        first_contact_due=timezone.localdate() + datetime.timedelta(days=3),
    )
    login(page, live_server, user)
    page.goto(live_server.url + reverse("requests:team_worklist"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = menu.get_by_text("Menu", exact=True)
    waiting_list = menu.get_by_role("link", name="Wachtlijst", exact=True)
    expect(toggle).to_be_visible()
    expect(waiting_list).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    toggle.focus()
    page.keyboard.press("Enter")
    expect(waiting_list).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size({"width": 1366, "height": 900})  # on a wide screen: always open
    page.reload()
    expect(toggle).to_be_hidden()
    expect(waiting_list).to_be_visible()
