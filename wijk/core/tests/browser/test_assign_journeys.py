"""Handing out work by keyboard alone (issue 12): the team lead ticks a request on the team
worklist, chooses a colleague under "Toewijzen aan" and sends it (htmx swaps the list and the
notice takes the focus); a professional picks up another request with "Oppakken" (htmx swaps
the row, which takes the focus). axe-core checks every state on the way.

The request models are read through the app registry: wijk.core may not import the
person-level apps (import-linter)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible
from wijk.core.tests.browser.test_keyboard_journeys import (
    MAX_TAB_STOPS,
    assert_focus_visible,
    is_focused,
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

TEAM_WORKLIST = reverse("requests:team_worklist")


def holder_of(help_request: Any) -> int | None:
    help_request.refresh_from_db()
    return int(help_request.assigned_to_id) if help_request.assigned_to_id else None


def shift_tab_to(page: Page, target: Locator) -> None:
    """Press Shift+Tab until `target` has focus ("Toewijzen aan" stands above the rows to
    tick); every stop on the way must show its focus."""
    for _presses in range(MAX_TAB_STOPS):
        if is_focused(target):
            assert_focus_visible(page)
            return
        page.keyboard.press("Shift+Tab")
        assert_focus_visible(page)
    raise AssertionError(f"{target} not reached in {MAX_TAB_STOPS} tab stops")


@pytest.fixture
def unassigned(team) -> Any:
    resident = HouseholdMembershipFactory(resident__family_name="Toetsenbord").resident
    return open_request(
        team=team,
        user=None,
        resident=resident,
        reference="TOEWIJS2",
        first_contact_due=timezone.localdate(),
    )


def test_the_team_lead_assigns_a_request_from_the_team_worklist(
    page: Page, live_server: Any, make_user, team, unassigned
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    fatima = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")
    login_by_keyboard(page, live_server, lead)
    page.goto(live_server.url + TEAM_WORKLIST)
    assert_accessible(page)

    tab_to(page, page.get_by_label(f"Kies hulpvraag {unassigned.reference}"))
    page.keyboard.press("Space")
    expect(page.get_by_label(f"Kies hulpvraag {unassigned.reference}")).to_be_checked()
    choice = page.get_by_label("Toewijzen aan")
    shift_tab_to(page, choice)
    page.keyboard.type("Fatima")
    expect(choice).to_have_value(str(fatima.pk))
    tab_to(page, page.get_by_role("button", name="Aangevinkte hulpvragen toewijzen"))
    page.keyboard.press("Enter")

    notice = page.locator("#werklijst-melding .utrecht-alert")
    expect(notice).to_have_text("1 hulpvraag is toegewezen aan Fatima Bakker.")
    expect(notice).to_be_focused()
    expect(page.locator(f"#hulpvraag-{unassigned.pk}")).to_contain_text("Fatima Bakker")
    assert holder_of(unassigned) == fatima.pk
    assert apps.get_model("requests", "RequestAssignment").objects.filter(by=lead).count() == 1
    assert_accessible(page)

    # Sent again with nothing ticked: the error summary says so and takes the focus.
    tab_to(page, page.get_by_role("button", name="Aangevinkte hulpvragen toewijzen"))
    page.keyboard.press("Enter")
    summary = page.locator(".wijk-error-summary")
    expect(summary).to_contain_text("Kies een of meer hulpvragen om toe te wijzen.")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_a_professional_picks_up_a_request_from_the_team_worklist(
    page: Page, live_server: Any, make_user, team, unassigned
) -> None:
    fatima = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")
    login_by_keyboard(page, live_server, fatima)
    page.goto(live_server.url + TEAM_WORKLIST)
    assert_accessible(page)

    tab_to(page, page.get_by_role("button", name=f"Oppakken, hulpvraag {unassigned.reference}"))
    page.keyboard.press("Enter")

    row = page.locator(f"#hulpvraag-{unassigned.pk}")
    expect(page.locator("#werklijst-melding")).to_contain_text(
        f"U heeft hulpvraag {unassigned.reference} opgepakt."
    )
    expect(row).to_contain_text("Fatima Bakker")
    expect(row).to_be_focused()  # the button pressed is gone: the row keeps the focus
    tab(page)  # and Tab goes on from there, into the row
    assert bool(row.evaluate("(row) => row.contains(document.activeElement)"))
    assert holder_of(unassigned) == fatima.pk
    assert_accessible(page)
