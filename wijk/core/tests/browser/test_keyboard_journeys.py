"""The main journeys by keyboard alone: Tab, typing, Enter and Space, never the mouse. Every
element that takes focus on the way must show it (an outline or a box-shadow)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from wijk.accounts.models import Role, User
from wijk.areas.models import Buurt
from wijk.conftest_constants import PASSWORD
from wijk.core.tests.browser.conftest import totp_code
from wijk.residents.models import Resident
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TAB_STOPS = 60

# Also says whether focus is on the calendar button inside a date field: the field is the
# active element but not :focus itself. That button is the browser's own, in a closed shadow
# root, and draws Chromium's focus ring, which no page style can change or read.
_FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    element: element.outerHTML.slice(0, 160),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
    boxShadow: style.boxShadow,
    calendarButton: element.matches("input[type=date]:focus-within:not(:focus)"),
  };
}"""


_AFTER_MAIN_START = """() => {
  const main = document.querySelector("main");
  const focused = document.activeElement;
  return main.contains(focused)
    || Boolean(main.compareDocumentPosition(focused) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def assert_focus_visible(page: Page) -> None:
    """The focused element shows its focus: a visible outline, or a box-shadow."""
    focused = page.evaluate(_FOCUSED)
    if focused["calendarButton"]:
        return
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] != "0px"
    assert outline or focused["boxShadow"] != "none", f"Focus not visible on {focused}"


def tab(page: Page) -> None:
    page.keyboard.press("Tab")
    assert_focus_visible(page)


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("(element) => element === document.activeElement"))


def tab_to(page: Page, target: Locator) -> int:
    """Press Tab until `target` has focus (it may have it already, by autofocus); every stop on
    the way and the target must show their focus. Returns how many times Tab was pressed."""
    for presses in range(MAX_TAB_STOPS):
        if is_focused(target):
            assert_focus_visible(page)
            return presses
        tab(page)
    raise AssertionError(f"{target} not reached in {MAX_TAB_STOPS} tab stops")


def login_by_keyboard(page: Page, live_server: Any, user: User) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    tab_to(page, page.get_by_label("Gebruikersnaam", exact=True))
    page.keyboard.type(user.username)
    tab(page)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("accounts:verify"))
    tab_to(page, page.get_by_label("Code uit uw authenticator-app"))
    page.keyboard.type(totp_code(user))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("core:home"))


def open_from_navigation(page: Page, live_server: Any, label: str, url_name: str) -> None:
    link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=label)
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse(url_name))


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(
    page: Page, live_server: Any
) -> None:
    page.goto(live_server.url + reverse("core:accessibility"))
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).not_to_be_in_viewport()
    tab(page)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    tab(page)  # the next stop comes after the start of the content: the header is skipped
    assert page.evaluate(_AFTER_MAIN_START), page.evaluate(_FOCUSED)


def test_log_in_with_password_and_code(page: Page, live_server: Any, make_user, team) -> None:
    user = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima")
    login_by_keyboard(page, live_server, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Fatima")


def test_find_a_resident_and_open_the_file(page: Page, live_server: Any, make_user, team) -> None:
    resident = HouseholdMembershipFactory().resident
    login_by_keyboard(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    open_from_navigation(page, live_server, "Inwoner zoeken", "residents:search")
    tab_to(page, page.get_by_label("Naam"))
    page.keyboard.type(resident.family_name)
    page.keyboard.press("Enter")
    result = page.get_by_role("link", name=resident.full_name)
    expect(result).to_be_visible()
    tab_to(page, result)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("residents:detail", args=[resident.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(resident.full_name)


def test_register_a_resident_correcting_a_missing_field(
    page: Page, live_server: Any, make_user, team
) -> None:
    buurt = Buurt.objects.filter(wijk__in=team.wijken.all()).order_by("name").first()
    assert buurt is not None
    AddressFactory(postcode="2011AB", house_number=3, buurt=buurt)  # the postcode is known
    login_by_keyboard(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    open_from_navigation(page, live_server, "Inwoner registreren", "residents:register")

    def type_into(label: str, text: str) -> None:
        tab_to(page, page.get_by_label(label, exact=False).first)
        page.keyboard.type(text)

    type_into("Voornamen", "Anna Maria")
    # Achternaam stays empty: the first try must be refused with a Dutch message.
    # Day and month alike: the field's order (dd-mm or mm/dd) follows Chromium's own locale.
    type_into("Geboortedatum", "07071987")
    type_into("Straat", "Toetsenbordstraat")
    type_into("Huisnummer", "12")
    type_into("Postcode", "2011 AB")  # the buurt follows from it: no question
    expect(page.get_by_label("Buurt")).to_have_count(0)
    tab_to(page, page.get_by_role("button", name="Registreren"))
    page.keyboard.press("Space")

    family_name = page.get_by_label("Achternaam")
    expect(page.locator(".wijk-error-summary")).to_be_focused()
    expect(page.locator("#id_family_name_error")).to_have_text('Vul "Achternaam" in.')
    expect(family_name).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Geboortedatum")).to_have_value("1987-07-07")
    tab_to(page, family_name)
    page.keyboard.type("Toetsenbord")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("De inwoner is geregistreerd.")
    resident = Resident.objects.get(family_name="Toetsenbord")
    page.wait_for_url(live_server.url + reverse("residents:detail", args=[resident.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(resident.full_name)
    assert resident.address is not None and resident.address.buurt_id == buurt.pk


def test_log_out(page: Page, live_server: Any, make_user, team) -> None:
    login_by_keyboard(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    tab_to(page, page.get_by_role("button", name="Uitloggen"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("accounts:login"))
    expect(page.get_by_role("status")).to_have_text("U bent uitgelogd.")
    page.goto(live_server.url + reverse("core:home"))
    page.wait_for_url(live_server.url + reverse("accounts:login"))
