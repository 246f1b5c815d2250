"""A case note by keyboard alone: write it from the resident's case file, find it on the
timeline, edit it, and read the earlier version on the note's page; axe clean at each step.

The note models are read through the app registry, as the other journeys do."""

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
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST = "Huisbezoek afgelegd. Mevrouw krijgt hulp bij de post."
ADDED = " Afspraak: volgende week samen naar de bank."


def test_write_a_note_find_it_on_the_timeline_and_edit_it(
    page: Page, live_server: Any, make_user, team
) -> None:
    note_model = apps.get_model("notes", "CaseNote")
    resident = HouseholdMembershipFactory().resident
    professional = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima")
    case_file = live_server.url + reverse("residents:detail", args=[resident.pk])

    login_by_keyboard(page, live_server, professional)
    page.goto(case_file)

    # Write it from the case file; the first try has no text and is refused.
    follow_link(page, "Notitie schrijven")
    page.wait_for_url(live_server.url + reverse("notes:write", args=[resident.pk]))
    assert_accessible(page)
    tab_to(page, page.get_by_label("Gesprek", exact=True))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Huisbezoek", exact=True)).to_be_checked()
    press_button(page, "Notitie opslaan")
    expect(page.get_by_label("Wat is er gebeurd?")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Wat is er gebeurd?"))
    page.keyboard.type(FIRST)
    vertrouwelijk = page.get_by_label("Vertrouwelijk", exact=True)
    tab_to(page, vertrouwelijk)
    page.keyboard.press("Space")
    expect(vertrouwelijk).to_be_checked()
    press_button(page, "Notitie opslaan")

    page.wait_for_url(re.compile(r"/notities/\d+$"))
    note = note_model.objects.get(resident=resident)
    expect(page.get_by_role("status")).to_have_text("De notitie is opgeslagen.")
    expect(page.get_by_text(FIRST)).to_be_visible()
    assert_accessible(page)

    # Found on the timeline of the case file, flagged, linking to the note.
    follow_link(page, "Terug naar het dossier")
    page.wait_for_url(case_file)
    link = page.locator(f"a[href='{reverse('notes:detail', args=[note.pk])}']")
    expect(link).to_have_count(1)
    expect(page.get_by_text("vertrouwelijk", exact=True).first).to_be_visible()
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("notes:detail", args=[note.pk]))

    # Edit it: a new version, the first one still readable.
    follow_link(page, "Notitie bewerken")
    page.wait_for_url(live_server.url + reverse("notes:edit", args=[note.pk]))
    assert_accessible(page)
    text = page.get_by_label("Wat is er gebeurd?")
    tab_to(page, text)
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type(ADDED)
    press_button(page, "Nieuwe versie opslaan")
    page.wait_for_url(live_server.url + reverse("notes:detail", args=[note.pk]))
    expect(page.get_by_role("status")).to_contain_text("De vorige versie blijft bewaard.")
    expect(page.get_by_role("heading", name=re.compile("^Versie 1"))).to_be_visible()
    expect(page.get_by_text(FIRST + ADDED)).to_be_visible()
    assert_accessible(page)
    assert note.versions.count() == 2
