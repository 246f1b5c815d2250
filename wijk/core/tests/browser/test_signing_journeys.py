"""Signing a plan by keyboard alone: from the plan page to the signing page, the choice of
the way (a first "Verder" without one is refused), the keyboard way of agreeing ("Naam
typen en bevestigen": the typed name and the confirmation) with only its fields, a first
try that is refused, the signed version on the plan page; axe clean at each step. And a
signature drawn with the pointer on the canvas, whose script loads without breaking the
page's Content-Security-Policy, stored as a real PNG."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible
from wijk.core.tests.browser.test_keyboard_journeys import login_by_keyboard, tab_to
from wijk.core.tests.browser.test_trajectories_journeys import follow_link, press_button
from wijk.plans.tests.factories import SupportPlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_a_plan_by_typed_name_and_confirmation(
    page: Page, live_server: Any, make_user, team
) -> None:
    signature_model = apps.get_model("plans", "Signature")
    professional = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima")
    plan = SupportPlanFactory(team=team, coordinator=professional, created_by=professional)
    plan_page = live_server.url + reverse("plans:detail", args=[plan.pk])

    login_by_keyboard(page, live_server, professional)
    page.goto(plan_page)
    expect(page.get_by_text("Het plan is nog niet ondertekend.")).to_be_visible()

    follow_link(page, "Versie 1 laten ondertekenen")
    sign_page = live_server.url + reverse("plans:version_sign", args=[plan.pk, 1])
    page.wait_for_url(sign_page)
    assert_accessible(page)

    # Step 1, the way: "Verder" without a choice asks for one; then the keyboard way.
    press_button(page, "Verder")
    expect(page.locator(".wijk-error-summary")).to_contain_text(
        "Kies hoe de inwoner akkoord geeft."
    )
    assert_accessible(page)
    tab_to(page, page.get_by_label("Tekenen op het scherm", exact=True))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Naam typen en bevestigen", exact=True)).to_be_checked()
    press_button(page, "Verder")
    page.wait_for_url(sign_page + "?wijze=typed&stap=wijze#akkoord-geven")

    # Step 2: only the typed name and the confirmation; a first try without them.
    expect(page.locator("canvas")).to_have_count(0)
    expect(page.get_by_label("Scan van de papieren handtekening")).to_have_count(0)
    assert_accessible(page)
    press_button(page, "Ondertekening opslaan")
    expect(page.get_by_label("Naam van wie ondertekent")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    name = page.get_by_label("Naam van wie ondertekent")
    tab_to(page, name)
    page.keyboard.type("Anna de Vries")
    confirmation = page.get_by_label(
        "Ik heb gezien dat de inwoner akkoord gaat met deze versie van het plan."
    )
    tab_to(page, confirmation)
    page.keyboard.press("Space")
    expect(confirmation).to_be_checked()
    press_button(page, "Ondertekening opslaan")

    page.wait_for_url(plan_page)
    expect(page.get_by_text("Versie 1 van het plan is ondertekend.")).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(r"Ondertekend op .*\(naam getypt en bevestigd, medewerker Fatima")
        )
    ).to_be_visible()
    assert_accessible(page)
    signature = signature_model.objects.get()
    assert (signature.method, signature.signer_name) == ("typed", "Anna de Vries")
    assert signature.witness_id == professional.pk


def test_sign_a_plan_by_drawing_on_the_canvas(
    page: Page, live_server: Any, make_user, team, private_root
) -> None:
    signature_model = apps.get_model("plans", "Signature")
    professional = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima")
    plan = SupportPlanFactory(team=team, coordinator=professional, created_by=professional)

    login_by_keyboard(page, live_server, professional)
    page.goto(live_server.url + reverse("plans:version_sign", args=[plan.pk, 1]))
    page.get_by_label("Tekenen op het scherm", exact=True).check()
    page.get_by_role("button", name="Verder").click()
    canvas = page.locator("canvas")
    expect(canvas).to_be_visible()  # the script ran, under the page's CSP
    assert_accessible(page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 40, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 30):
        page.mouse.move(box["x"] + 40 + step * 15, box["y"] + 60 + (step % 5) * 12, steps=2)
    page.mouse.up()
    page.get_by_role("button", name="Ondertekening opslaan").click()

    page.wait_for_url(live_server.url + reverse("plans:detail", args=[plan.pk]))
    signature = signature_model.objects.get()
    assert (signature.method, signature.content_type) == ("drawn", "image/png")
    assert (private_root / signature.file_path).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    expect(page.get_by_role("link", name="Tekening van de handtekening downloaden")).to_be_visible()
