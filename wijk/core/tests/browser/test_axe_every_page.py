"""axe-core in Chromium on every page of wijk: each GET page of the authorization matrix as the
first role allowed to see it, and the states no plain GET reaches: the TOTP and enrolment
steps, the lockout, forms showing errors, break the glass and the not-found pages.

Every page of the matrix, and the forms showing errors, are also laid out at the width of a
phone and of a tablet, without loading them again: nothing may stick out sideways
(`assert_fits_small_screens`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.accounts.tests.factories import UserFactory
from wijk.areas.models import Buurt
from wijk.core.tests.browser.conftest import (
    assert_accessible,
    assert_fits_small_screens,
    console_watch,
    login,
    password_step,
    totp_code,
    totp_code_for,
)
from wijk.core.tests.matrix_kit import API_CLIENT
from wijk.core.tests.test_authorization_matrix import ALLOW, ASKER_ONLY, MATRIX, PUBLIC, ROLES
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def first_allowed_role(name: str) -> str:
    expected, _kwargs = MATRIX[name]
    for role in ROLES:
        if expected[role] in {PUBLIC, ALLOW}:
            return role
    raise AssertionError(f"No role may open {name}: give it a row in the matrix that allows one.")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_passes_axe(name: str, page: Page, live_server: Any, objects, make_user) -> None:
    _expected, kwargs = MATRIX[name]
    if name in ASKER_ONLY:
        pytest.skip(f"{name} opens for the person who asked only: it has its own browser test")
    role = first_allowed_role(name)
    if role == API_CLIENT:
        pytest.skip(f"{name} is an endpoint of the API, not a page")
    if role != "anonymous":
        login(page, live_server, make_user(role, teams=[objects["team"]]))
    url = live_server.url + reverse(name, kwargs=kwargs(objects))
    probe = page.request.get(url, max_redirects=0)  # with the page's cookies
    if probe.status == 405:
        pytest.skip(f"{name} answers GET with 405: a POST-only URL, no page to check")
    if role == "anonymous" and probe.status in {301, 302, 303, 307, 308}:
        location = probe.headers["location"]
        pytest.skip(f"{name} sends a visitor on to {location}: that page has its own test")
    content_type = probe.headers.get("content-type", "")
    if not content_type.startswith("text/html"):
        pytest.skip(f"{name} is not a page but {content_type}")
    assert probe.status == 200, f"{name} as {role}: {probe.status}"
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{name} as {role}: {response}"
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert_fits_small_screens(page)


def test_login_page_with_error_and_lockout_page(page: Page, live_server: Any, make_user) -> None:
    user = make_user(Role.PROFESSIONAL)
    password_step(page, live_server, user, password="niet het goede wachtwoord")
    expect(page.get_by_role("alert")).to_contain_text("kennen we niet")
    assert_accessible(page)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(page, live_server, user, password="niet het goede wachtwoord")
    expect(page.get_by_role("heading", level=1)).to_have_text("Te vaak geprobeerd")
    assert_accessible(page)


def test_totp_page_with_error(page: Page, live_server: Any, make_user) -> None:
    user = make_user(Role.PROFESSIONAL)
    password_step(page, live_server, user)
    expect(page).to_have_url(live_server.url + reverse("accounts:verify"))
    assert_accessible(page)
    wrong = f"{(int(totp_code(user)) + 1) % 1_000_000:06d}"
    page.get_by_label("Code uit uw authenticator-app").fill(wrong)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#id_token_error")).to_contain_text("Deze code klopt niet")
    expect(page.locator(".wijk-error-summary")).to_be_focused()
    assert_accessible(page)


def test_enrolment_page(page: Page, live_server: Any) -> None:
    user = UserFactory(role=Role.PROFESSIONAL)  # no authenticator linked yet
    password_step(page, live_server, user)
    expect(page).to_have_url(live_server.url + reverse("accounts:setup"))
    expect(page.get_by_role("img", name="QR-code")).to_be_visible()
    assert_accessible(page)
    assert_fits_small_screens(page)
    # A code of the wrong shape: an error without a verification (a wrong code would throttle
    # the device for a second).
    page.get_by_label("Code uit uw authenticator-app").fill("12")
    page.get_by_role("button", name="Koppelen en inloggen").click()
    expect(page.locator("#id_token_error")).to_contain_text("Vul de 6 cijfers in")
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code_for(device))
    page.get_by_role("button", name="Koppelen en inloggen").click()
    expect(page).to_have_url(live_server.url + reverse("core:home"))
    expect(page.get_by_role("status")).to_contain_text("gekoppeld")
    assert_accessible(page)


def test_register_form_with_errors_and_a_suspected_duplicate(
    page: Page, live_server: Any, make_user, team
) -> None:
    existing = HouseholdMembershipFactory().resident
    login(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    page.goto(live_server.url + reverse("residents:register"))
    expect(page.get_by_label("Voornamen")).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Registreren").click()
    summary = page.locator(".wijk-error-summary")
    expect(summary).to_be_focused()  # the summary takes focus after a submit
    expect(summary.get_by_role("link", name='Vul "Achternaam" in.')).to_have_attribute(
        "href", "#id_family_name"
    )
    expect(page.get_by_label("Voornamen")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_family_name_error")).to_have_text('Vul "Achternaam" in.')
    assert_accessible(page)
    assert_fits_small_screens(page)
    page.get_by_label("Voornamen").fill("Iemand")
    page.get_by_label("Achternaam").fill(existing.family_name)
    page.get_by_label("Geboortedatum").fill(existing.date_of_birth.isoformat())
    page.get_by_label("Straat").fill("Grote Markt")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Postcode").fill("2031 ZZ")  # not known yet: the buurt is asked
    page.get_by_role("button", name="Registreren").click()
    expect(page.locator("#id_buurt_error")).to_contain_text("Bij deze postcode kennen wij")
    assert_accessible(page)
    # The existing resident's postcode and house number: the buurt follows from them.
    assert existing.address is not None
    page.get_by_label("Huisnummer").fill(str(existing.address.house_number))
    page.get_by_label("Postcode").fill(existing.address.postcode)
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("heading", name="Staat deze inwoner al in wijk?")).to_be_visible()
    expect(page.get_by_role("link", name=existing.full_name)).to_be_visible()
    assert_accessible(page)
    assert_fits_small_screens(page)


def test_user_form_with_errors(page: Page, live_server: Any, make_user) -> None:
    login(page, live_server, make_user(Role.ADMINISTRATOR))
    page.goto(live_server.url + reverse("accounts:user_create"))
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_label("Gebruikersnaam")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert_fits_small_screens(page)


def test_search_with_and_without_results(page: Page, live_server: Any, make_user, team) -> None:
    resident = HouseholdMembershipFactory().resident
    login(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    page.goto(live_server.url + reverse("residents:search"))
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("alert")).to_contain_text("ten minste één zoekveld")
    assert_accessible(page)
    page.get_by_label("BSN").fill("123")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("alert")).to_contain_text("BSN: Een BSN heeft 9 cijfers.")
    expect(page.get_by_role("alert")).not_to_contain_text("ten minste één zoekveld")
    page.get_by_label("BSN").fill("")
    page.get_by_label("Naam").fill(resident.family_name)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name=resident.full_name)).to_be_visible()
    assert_accessible(page)
    assert_fits_small_screens(page)
    page.get_by_label("Naam").fill("Niemand-Heet-Zo")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Geen inwoners gevonden")).to_be_visible()
    assert_accessible(page)


def test_break_the_glass_and_the_team_lead_review(
    page: Page, live_server: Any, make_user, team
) -> None:
    elsewhere = Buurt.objects.exclude(wijk__in=team.wijken.all()).order_by("code").first()
    outside = HouseholdMembershipFactory(resident__address=AddressFactory(buurt=elsewhere))
    login(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    response = page.goto(live_server.url + reverse("residents:detail", args=[outside.resident.pk]))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("geen vaste toegang")
    assert_accessible(page)
    assert_fits_small_screens(page)
    reason = page.get_by_label("Waarom heeft u dit dossier nodig?")
    reason.fill("kort")
    page.get_by_role("button", name="Toegang vragen en vastleggen").click()
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    reason.fill("Melding van de huisarts over acute zorgen")
    page.get_by_role("button", name="Toegang vragen en vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(outside.resident.full_name)
    expect(page.get_by_text("zonder vaste toegang. Reden")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Uitloggen").click()
    login(page, live_server, make_user(Role.TEAM_LEAD, teams=[team]))
    page.goto(live_server.url + reverse("residents:break_glass_review"))
    expect(page.get_by_role("cell", name="Melding van de huisarts")).to_be_visible()
    assert_accessible(page)


def test_not_found_pages(page: Page, live_server: Any, make_user, team) -> None:
    login(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    for path in ("/bestaat-niet", reverse("residents:detail", args=[987654321])):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
        assert_accessible(page)


def test_console_watch_catches_a_csp_violation(page: Page, live_server: Any) -> None:
    """The watch every browser test relies on does see a blocked inline script."""
    page.goto(live_server.url + reverse("core:accessibility"))
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = 1'; document.body.append(s); }"
        )
    assert page.evaluate("() => window.injected") is None
    watch = console_watch(page)
    assert any("CSP violation: script-src" in problem for problem in watch.problems()), (
        watch.problems()
    )
    watch.clear()
