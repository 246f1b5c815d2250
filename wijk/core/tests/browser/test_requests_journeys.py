"""The neighbourhood team's requests by keyboard alone: register a phone request for a known
resident in well under a minute, find it on the worklist in the right group, record the first
contact with one key press, and close another request as referred out, choosing the
provision (after the form refused it without one). axe-core checks every state on the way,
and the request pages with rows and with errors that the matrix's plain GETs do not reach.

The request models are read through the app registry: wijk.core may not import the
person-level apps (import-linter), its tests only the residents app."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role, User
from wijk.core.tests.browser.conftest import assert_accessible, login
from wijk.core.tests.browser.test_keyboard_journeys import (
    MAX_TAB_STOPS,
    assert_focus_visible,
    is_focused,
    login_by_keyboard,
)
from wijk.organisations.models import Team
from wijk.reference.models import Code
from wijk.residents.models import Resident
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Registering a request must take well under a minute, keystrokes and page loads included.
REGISTER_SECONDS = 60
# The resident search's name field (optional, as every search field).
SEARCH_NAME = "Naam (niet verplicht)"


# The calendar button inside a datetime-local field (the received moment): the field is the
# active element but not :focus itself. As for the date field's button in
# test_keyboard_journeys, Chromium draws its own focus ring there, which no style can read.
_ON_PICKER_BUTTON = (
    "() => document.activeElement.matches('input[type=datetime-local]:focus-within:not(:focus)')"
)


def tab_to(page: Page, target: Any) -> None:
    """Press Tab until `target` has focus; every stop on the way must show its focus."""
    for _presses in range(MAX_TAB_STOPS):
        if is_focused(target):
            assert_focus_visible(page)
            return
        page.keyboard.press("Tab")
        if not page.evaluate(_ON_PICKER_BUTTON):
            assert_focus_visible(page)
    raise AssertionError(f"{target} not reached in {MAX_TAB_STOPS} tab stops")


def help_request_model() -> Any:
    return apps.get_model("requests", "HelpRequest")


def open_request(
    *,
    team: Team,
    user: User | None,
    resident: Resident | None,
    reference: str,
    first_contact_due: datetime.date,
    received_days_ago: int = 10,
    **fields: Any,
) -> Any:
    """An open request as the request service stores it, with its first history row."""
    received_at = timezone.now() - datetime.timedelta(days=received_days_ago)
    help_request = help_request_model().objects.create(
        reference=reference,
        received_at=received_at,
        channel=Code.objects.get(code_list__slug="channels", code="phone"),
        question="Hulp bij post en formulieren",
        resident=resident,
        team=team,
        assigned_to=user,
        first_contact_due=first_contact_due,
        support_due=timezone.localdate(received_at) + datetime.timedelta(days=28),
        investigation_due=timezone.localdate(received_at) + datetime.timedelta(days=42),
        **fields,
    )
    apps.get_model("requests", "RequestStatusChange").objects.create(
        help_request=help_request, seq=1, status="received"
    )
    return help_request


def worklist_section(page: Page, heading: str) -> Any:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def test_register_a_phone_request_record_contact_and_refer_another_out(
    page: Page, live_server: Any, make_user, team
) -> None:
    user = make_user(Role.PROFESSIONAL, teams=[team])
    resident = HouseholdMembershipFactory(
        resident__given_names="Toos", resident__family_name="Toetsenbord"
    ).resident
    other = HouseholdMembershipFactory(resident__family_name="Verwijsma").resident
    overdue = open_request(
        team=team,
        user=user,
        resident=other,
        reference="OVERDUE2",
        first_contact_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    login_by_keyboard(page, live_server, user)
    page.goto(live_server.url + reverse("requests:worklist"))
    assert_accessible(page)  # the worklist with a row

    # Register: from the worklist's link, find the resident, pick the channel, type the question.
    started = time.monotonic()
    tab_to(page, page.get_by_role("main").get_by_role("link", name="Hulpvraag registreren"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:register"))
    tab_to(page, page.get_by_label(SEARCH_NAME, exact=True))
    page.keyboard.type("Toetsenbord")
    page.keyboard.press("Enter")
    found = page.get_by_role("radio", name="Toos Toetsenbord", exact=False)
    expect(found).to_be_checked()  # the only result is chosen already
    phone = page.get_by_role("radio", name="Telefoon")
    tab_to(page, phone)
    page.keyboard.press("Space")
    expect(phone).to_be_checked()
    tab_to(page, page.get_by_label("Waar gaat de vraag over?"))
    page.keyboard.type("Kan de post niet meer bijhouden")
    tab_to(page, page.get_by_role("button", name="Hulpvraag registreren"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("is geregistreerd")
    assert time.monotonic() - started < REGISTER_SECONDS
    registered = help_request_model().objects.get(resident=resident)
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[registered.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hulpvraag {registered.reference}")
    assert registered.channel.code == "phone"
    assert registered.assigned_to_id == user.pk
    assert_accessible(page)

    # The worklist: received today, so its first contact is due later than two working days.
    tab_to(page, page.get_by_role("link", name="Naar mijn werklijst"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:worklist"))
    later = worklist_section(page, "Eerste contact later (1)")
    expect(later.locator(f"#hulpvraag-{registered.pk}")).to_contain_text("Toos Toetsenbord")
    expect(
        worklist_section(page, "Eerste contact te laat (1)").locator(f"#hulpvraag-{overdue.pk}")
    ).to_be_visible()

    # One key press records the first contact: htmx swaps the row, focus stays on the button.
    contact = page.get_by_role("button", name=f"Contact gehad, hulpvraag {registered.reference}")
    tab_to(page, contact)
    page.keyboard.press("Enter")
    expect(page.locator("#werklijst-melding")).to_contain_text(
        f"Contact vastgelegd voor hulpvraag {registered.reference}."
    )
    expect(page.locator(f"#hulpvraag-{registered.pk}")).to_contain_text("Eerste contact gehad op")
    expect(contact).to_be_focused()
    registered.refresh_from_db()
    assert registered.status == "contacted"
    assert registered.first_contact_at is not None
    assert_accessible(page)
    page.reload()
    expect(
        worklist_section(page, "Eerste contact gehad, uitkomst nog vastleggen (1)").locator(
            f"#hulpvraag-{registered.pk}"
        )
    ).to_be_visible()

    # Close the overdue request as referred out: refused without the provision, then chosen.
    tab_to(page, page.get_by_role("link", name="OVERDUE2"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[overdue.pk]))
    tab_to(page, page.get_by_role("link", name="Hulpvraag afronden"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:close", args=[overdue.pk]))
    assert_accessible(page)
    tab_to(page, page.get_by_role("radio", name="Korte informatie of advies gegeven"))
    page.keyboard.press("ArrowDown")  # the next outcome: referred out
    referred = page.get_by_role("radio", name="Verwezen naar een voorziening buiten de opdracht")
    expect(referred).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Afronden"))
    page.keyboard.press("Enter")
    provision = page.get_by_label("Verwezen naar (niet verplicht)", exact=True)
    expect(provision).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_provision_error")).to_have_text(
        "Kies de voorziening waarnaar u verwijst."
    )
    expect(referred).to_be_checked()
    assert_accessible(page)  # the close form with an error
    tab_to(page, provision)
    page.keyboard.type("GGZ")
    ggz = Code.objects.get(code_list__slug="out_of_scope_provisions", code="ggz")
    expect(provision).to_have_value(str(ggz.pk))
    tab_to(page, page.get_by_role("button", name="Afronden"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[overdue.pk]))
    expect(page.get_by_role("status")).to_have_text("Hulpvraag OVERDUE2 is afgerond.")
    expect(
        page.get_by_text("Verwezen naar een voorziening buiten de opdracht: GGZ")
    ).to_be_visible()
    overdue.refresh_from_db()
    assert (overdue.status, overdue.outcome, overdue.outcome_provision_id) == (
        "closed",
        "referred_out",
        ggz.pk,
    )
    assert_accessible(page)


def test_request_pages_with_rows_and_errors_pass_axe(
    page: Page, live_server: Any, make_user, team
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    resident = HouseholdMembershipFactory(resident__family_name="Axetest").resident
    today = timezone.localdate()
    for number, due in enumerate((today - datetime.timedelta(days=2), today)):
        open_request(
            team=team,
            user=lead if number else None,
            resident=resident,
            reference=f"AXE{number:05d}",
            first_contact_due=due,
            received_days_ago=35,
        )
    unlinked = open_request(
        team=team,
        user=lead,
        resident=None,
        reference="UNLINKED",
        first_contact_due=today,
        requester_name="Buurvrouw",
        requester_phone="0612345678",
    )
    login(page, live_server, lead)
    for name in (
        "requests:worklist",
        "requests:team_worklist",
        "requests:waiting_list",
        "requests:team_open",
    ):
        page.goto(live_server.url + reverse(name))
        expect(page.get_by_role("link", name="AXE00000", exact=True)).to_have_count(
            0 if name == "requests:worklist" else 1
        )
        assert_accessible(page)

    # The register form: refused without a channel and question, then a search with results.
    page.goto(live_server.url + reverse("requests:register"))
    page.get_by_role("button", name="Hulpvraag registreren").click()
    expect(page.locator("#id_channel_error")).to_have_text("Kies hoe de vraag binnenkwam.")
    expect(page.locator("#inwoner-fout")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label(SEARCH_NAME, exact=True).fill("Axetest")
    page.get_by_role("button", name="Inwoner zoeken").click()
    expect(page.get_by_role("radio", name=resident.full_name, exact=False)).to_be_checked()
    assert_accessible(page)
    page.get_by_label(SEARCH_NAME, exact=True).fill("Niemand-Heet-Zo")
    page.get_by_role("button", name="Inwoner zoeken").click()
    expect(page.get_by_text("Geen inwoners gevonden die u mag zien.")).to_be_visible()
    assert_accessible(page)

    # Linking the resident to a request registered without one.
    page.goto(live_server.url + reverse("requests:link_resident", args=[unlinked.pk]))
    page.get_by_role("button", name="Inwoner koppelen").click()
    expect(page.locator("#inwoner-fout")).to_have_text("Kies een inwoner uit de zoekresultaten.")
    assert_accessible(page)
    page.get_by_label(SEARCH_NAME, exact=True).fill("Axetest")
    page.get_by_role("button", name="Inwoner zoeken").click()
    page.get_by_role("radio", name=resident.full_name, exact=False).check()
    page.get_by_role("button", name="Inwoner koppelen").click()
    expect(page.get_by_role("status")).to_have_text("De inwoner is gekoppeld aan de hulpvraag.")
    assert_accessible(page)

    # The contact page, and closing as not reachable before the attempts are recorded.
    page.goto(live_server.url + reverse("requests:detail", args=[unlinked.pk]))
    expect(page.get_by_role("link", name=resident.full_name)).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("requests:attempt", args=[unlinked.pk]))
    assert_accessible(page)
    page.goto(live_server.url + reverse("requests:close", args=[unlinked.pk]))
    page.get_by_role("radio", name="Niet bereikbaar na contactpogingen").check()
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("alert")).to_contain_text("Leg eerst 3 contactpogingen vast.")
    assert_accessible(page)
