"""The residents' request form (/aanmelden) in Chromium: asking for help with the keyboard
alone, correcting a mistake through the error summary, and the pages a resident sees when the
form is refused (too many requests) or cannot be stored (database down). axe-core checks each
state; every focus stop must show its focus.

The portal's records are reached through the app registry: the core's tests do not import the
person-level apps (see the import-linter contracts)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import OperationalError
from django.urls import reverse
from playwright.sync_api import Page, expect

from wijk.core.tests.browser.conftest import assert_accessible
from wijk.core.tests.browser.test_keyboard_journeys import tab, tab_to
from wijk.organisations.tests.factories import TeamFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DASH = "\N{EN DASH}"
SITE = "wijk, Gewoon in de Wijk"
QUESTION = "Ik kan mijn post niet meer goed lezen en heb hulp nodig met brieven."


@pytest.fixture
def intake_team() -> Any:
    return TeamFactory(name="Intaketeam", is_intake=True, wijken=[])


def stored_requests() -> Any:
    return apps.get_model("requests", "HelpRequest").objects.all()


def open_form(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + reverse("portal:request_form"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulp vragen")


def type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, page.get_by_label(label))
    page.keyboard.type(text)


def send_by_keyboard(page: Page) -> None:
    tab_to(page, page.get_by_role("button", name="Aanvraag versturen"))
    page.keyboard.press("Enter")


def test_ask_for_help_by_keyboard_and_see_the_reference(
    page: Page, live_server: Any, intake_team: Any
) -> None:
    open_form(page, live_server)
    assert_accessible(page)
    type_into(page, "Waar wilt u hulp bij?", QUESTION)
    expect(page.get_by_label("Voor mijzelf")).to_be_checked()
    type_into(page, "Uw naam", "Kees Toetsenbord")
    type_into(page, "Telefoonnummer", "023 123 45 67")
    send_by_keyboard(page)

    page.wait_for_url(live_server.url + reverse("portal:request_received"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wij hebben uw aanvraag ontvangen")
    help_request = stored_requests().get()
    expect(page.locator("#kenmerk")).to_have_text(help_request.reference)
    expect(page.get_by_text("Noteer dit nummer.")).to_be_visible()
    expect(page.get_by_text("U krijgt geen e-mail van ons; bewaar dit nummer.")).to_be_visible()
    expect(page.get_by_text("Kees")).to_have_count(0)
    assert help_request.team == intake_team
    assert help_request.requester_phone == "0231234567"
    assert_accessible(page)

    page.reload()  # the confirmation stays while the resident writes the number down
    expect(page.locator("#kenmerk")).to_have_text(help_request.reference)
    assert stored_requests().count() == 1


def test_the_honeypot_is_never_a_tab_stop(page: Page, live_server: Any) -> None:
    open_form(page, live_server)
    question = page.get_by_label("Waar wilt u hulp bij?")
    tab_to(page, question)
    button = page.get_by_role("button", name="Aanvraag versturen")
    honeypot = page.locator("#id_website")
    expect(honeypot).not_to_be_in_viewport()
    for _stop in range(30):
        if button.evaluate("(element) => element === document.activeElement"):
            return
        assert not honeypot.evaluate("(element) => element === document.activeElement")
        tab(page)
    raise AssertionError("the send button was not reached")


def test_correct_a_mistake_through_the_error_summary(
    page: Page, live_server: Any, intake_team: Any
) -> None:
    open_form(page, live_server)
    type_into(page, "Uw naam", "Kees Toetsenbord")
    send_by_keyboard(page)

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Controleer uw antwoorden")
    expect(page).to_have_title(f"Controleer uw antwoorden {DASH} Hulp vragen {DASH} {SITE}")
    question = page.get_by_label("Waar wilt u hulp bij?")
    expect(question).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Uw naam")).to_have_value("Kees Toetsenbord")
    assert_accessible(page)

    tab_to(page, summary.get_by_role("link", name="Schrijf op waar u hulp bij wilt."))
    page.keyboard.press("Enter")
    expect(question).to_be_focused()
    page.keyboard.type(QUESTION)
    type_into(page, "Telefoonnummer", "06 12345678")  # the next mistake, further down
    send_by_keyboard(page)

    page.wait_for_url(live_server.url + reverse("portal:request_received"))
    expect(page.locator("#kenmerk")).to_have_text(stored_requests().get().reference)


def test_the_error_summary_takes_the_focus(page: Page, live_server: Any, intake_team: Any) -> None:
    """After sending with a mistake, the focus is on the summary: a screen reader reads it
    first, and one Tab leads to its first link. Phone and e-mail are one question."""
    open_form(page, live_server)
    contact = page.get_by_role(
        "group", name="Hoe kunnen wij u bereiken? Vul telefoon of e-mail in, of allebei"
    )
    expect(contact).to_be_visible()
    expect(contact).not_to_contain_text("niet verplicht")
    header_name = page.locator(".wijk-header__name")
    expect(header_name).to_have_attribute("href", reverse("portal:request_form"))
    type_into(page, "Waar wilt u hulp bij?", QUESTION)
    type_into(page, "Uw naam", "Kees Toetsenbord")
    send_by_keyboard(page)

    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vul uw telefoonnummer of uw e-mailadres in.")
    tab(page)
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Telefoonnummer")).to_be_focused()
    assert_accessible(page)


def fill_and_send(page: Page) -> None:
    page.get_by_label("Waar wilt u hulp bij?").fill(QUESTION)
    page.get_by_label("Uw naam").fill("Kees Toetsenbord")
    page.get_by_label("E-mailadres").fill("kees@example.org")
    page.get_by_role("button", name="Aanvraag versturen").press("Enter")


def test_too_many_requests_page(
    page: Page, live_server: Any, intake_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wijk.portal.services.SUBMISSION_LIMIT", 0)
    open_form(page, live_server)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        fill_and_send(page)
    assert answer.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("Uw aanvraag is niet verstuurd")
    expect(page.get_by_role("link", name="023 000 00 00")).to_be_visible()
    expect(page.get_by_label("Waar wilt u hulp bij?")).to_have_value(QUESTION)
    assert_accessible(page)
    assert stored_requests().count() == 0


def test_database_unavailable_page(
    page: Page, live_server: Any, intake_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(**kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("wijk.portal.services.request_receive", unavailable)
    open_form(page, live_server)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        fill_and_send(page)
    assert answer.value.status == 503
    expect(page.get_by_role("alert")).to_contain_text("Het lukt nu even niet")
    expect(page).to_have_title(f"Niet verstuurd {DASH} Hulp vragen {DASH} {SITE}")
    assert_accessible(page)
    assert stored_requests().count() == 0
