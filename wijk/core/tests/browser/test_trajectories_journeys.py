"""A trajectory from start to warm handover, by keyboard alone: start it from the resident's
page, record the ZRM at the start and at an evaluation, close it with the reason for outflow
and a warm handover to the Wlz, and see the change on the resident's page.

The trajectory models are read through the app registry: wijk.core may not import the
person-level apps (import-linter), its tests only the residents app."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible, login
from wijk.core.tests.browser.test_keyboard_journeys import login_by_keyboard, tab, tab_to
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def typed(day: datetime.date) -> str:
    """A date as typed into a date field, segment by segment. Only days whose day and month
    are the same are used: the order of the segments follows Chromium's own locale."""
    assert day.day == day.month
    return day.strftime("%d%m%Y")


def same_day_and_month_before(today: datetime.date) -> datetime.date:
    """The latest day up to today whose day and month are the same (1 January at the least)."""
    return max(
        datetime.date(today.year, month, month)
        for month in range(1, 13)
        if datetime.date(today.year, month, month) <= today
    )


def choose(page: Page, label: str, text: str) -> None:
    """Pick an option of a closed select by typing the start of its text."""
    select = page.get_by_label(label)
    tab_to(page, select)
    page.keyboard.type(text)


def press_button(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name))
    page.keyboard.press("Enter")


def follow_link(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("link", name=name, exact=True))
    page.keyboard.press("Enter")


def test_start_score_evaluate_and_close_with_a_warm_handover(
    page: Page, live_server: Any, make_user, team
) -> None:
    trajectory_model = apps.get_model("trajectories", "Trajectory")
    resident = HouseholdMembershipFactory().resident
    professional = make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima")
    today = timezone.localdate()
    inflow = datetime.date(today.year, 1, 1)
    outflow = same_day_and_month_before(today)

    login_by_keyboard(page, live_server, professional)
    page.goto(live_server.url + reverse("residents:detail", args=[resident.pk]))
    expect(page.get_by_text("Nog niets in dit dossier dat u kunt zien.")).to_be_visible()

    # Start the trajectory from the resident's page.
    follow_link(page, "Traject starten")
    page.wait_for_url(f"**{reverse('trajectories:start')}?inwoner={resident.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Traject starten voor {resident.full_name}"
    )
    assert_accessible(page)
    expect(page.get_by_label("Sociaal Wijkteam")).to_be_checked()
    tab_to(page, page.get_by_label("Datum instroom"))
    page.keyboard.type(typed(inflow))
    choose(page, "Reden instroom", "Eigen")
    choose(page, "Belangrijkste leefgebied", "Fin")
    housing = page.get_by_label("Huisvesting")
    tab_to(page, housing)
    page.keyboard.press("Space")
    expect(housing).to_be_checked()
    press_button(page, "Traject starten")

    page.wait_for_url(re.compile(r"/trajecten/\d+$"))
    trajectory = trajectory_model.objects.get(resident=resident)
    assert page.url == live_server.url + reverse("trajectories:detail", args=[trajectory.pk])
    expect(page.get_by_role("status")).to_have_text("Het traject is gestart.")
    expect(page.get_by_text("Er is nog geen ZRM ingevuld.")).to_be_visible()
    assert_accessible(page)

    # The ZRM at the start; the first try scores nothing and is refused.
    zrm_url = live_server.url + reverse("trajectories:zrm", args=[trajectory.pk])
    follow_link(page, "ZRM invullen")
    page.wait_for_url(zrm_url)
    expect(page.get_by_label("Moment")).to_have_value("start")
    press_button(page, "ZRM vastleggen")
    expect(page.get_by_role("alert")).to_contain_text("Geef ten minste één leefgebied een score.")
    assert_accessible(page)
    choose(page, "Financiën", "2")
    choose(page, "Huisvesting", "3")
    press_button(page, "ZRM vastleggen")
    page.wait_for_url(live_server.url + reverse("trajectories:detail", args=[trajectory.pk]))
    expect(page.get_by_role("status")).to_have_text("De ZRM is vastgelegd.")

    # An evaluation.
    follow_link(page, "ZRM invullen")
    page.wait_for_url(zrm_url)
    expect(page.get_by_label("Moment")).to_have_value("evaluation")
    choose(page, "Financiën", "4")
    press_button(page, "ZRM vastleggen")
    page.wait_for_url(live_server.url + reverse("trajectories:detail", args=[trajectory.pk]))
    changes = page.get_by_role("table", name="Verandering tussen de eerste en de laatste ZRM")
    expect(changes.get_by_role("row", name="Financiën")).to_contain_text("2 → 4 (+2)")
    assert_accessible(page)

    # Close it, with the reason for outflow and a warm handover to the Wlz.
    follow_link(page, "Status wijzigen of afsluiten")
    page.wait_for_url(live_server.url + reverse("trajectories:transition", args=[trajectory.pk]))
    tab_to(page, page.get_by_label("Pauzeren"))  # the radio group: arrows choose in it
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Afsluiten")).to_be_checked()
    tab(page)
    expect(page.get_by_label("Toelichting")).to_be_focused()
    page.keyboard.type("Zorg past beter bij de Wlz")
    tab_to(page, page.get_by_label("Datum uitstroom"))
    page.keyboard.type(typed(outflow))
    choose(page, "Reden uitstroom", "Uitstroom")
    choose(page, "Warme overdracht aan", "Wet")
    expect(page.get_by_label("Warme overdracht aan")).to_have_value("wlz")
    tab_to(page, page.get_by_label("Organisatie of gemeente die het overneemt"))
    page.keyboard.type("Zorgkantoor Kennemerland")
    tab_to(page, page.get_by_label("Datum overdracht"))
    page.keyboard.type(typed(outflow))
    assert_accessible(page)
    press_button(page, "Opslaan")

    page.wait_for_url(live_server.url + reverse("trajectories:detail", args=[trajectory.pk]))
    expect(page.get_by_role("status")).to_have_text("De status van het traject is gewijzigd.")
    expect(page.get_by_text("Wet langdurige zorg (Wlz)")).to_be_visible()
    expect(page.get_by_text("Zorgkantoor Kennemerland")).to_be_visible()
    expect(page.get_by_text("Uitstroom naar ander domein")).to_be_visible()
    assert_accessible(page)

    # Back on the resident's page: the trajectory, both ZRMs and the handover on the timeline.
    tab_to(page, page.get_by_role("link", name=resident.full_name))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("residents:detail", args=[resident.pk]))
    timeline = page.get_by_role("region", name="Tijdlijn")
    entries = timeline.get_by_role("listitem")
    expect(entries.filter(has_text="Traject Sociaal Wijkteam gestart")).to_contain_text(
        "Afgesloten op"
    )
    expect(entries.filter(has_text="ZRM ingevuld: Begin")).to_contain_text(
        "Financiën 2, Huisvesting 3"
    )
    expect(entries.filter(has_text="ZRM ingevuld: Evaluatie")).to_contain_text("Financiën 4")
    expect(entries.filter(has_text="Warme overdracht")).to_contain_text("Zorgkantoor Kennemerland")
    assert_accessible(page)

    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.inflow_date, trajectory.outflow_date) == (
        "closed",
        inflow,
        outflow,
    )
    assert trajectory.handover.destination == "wlz"


def test_turning_18_list_and_the_close_form_with_errors_pass_axe(
    page: Page, live_server: Any, make_user, objects
) -> None:
    """The states the matrix's plain GETs do not reach: a "Bijna 18" list with a row and its
    flag on the trajectory page, and the close form showing its errors."""
    trajectory = objects["trajectory"]
    resident = trajectory.resident
    soon = timezone.localdate() + datetime.timedelta(days=40)
    if (soon.month, soon.day) == (2, 29):
        soon += datetime.timedelta(days=1)  # a day every year has, 18 years back too
    resident.date_of_birth = soon.replace(year=soon.year - 18)
    resident.save(update_fields=["date_of_birth"])
    trajectory.youth_support = True
    trajectory.save(update_fields=["youth_support"])

    login(page, live_server, make_user(Role.PROFESSIONAL, teams=[objects["team"]]))
    page.goto(live_server.url + reverse("trajectories:turning_18"))
    expect(page.get_by_role("link", name=resident.full_name)).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("trajectories:detail", args=[trajectory.pk]))
    expect(page.get_by_text("Wordt 18 op")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + reverse("trajectories:transition", args=[trajectory.pk]))
    page.get_by_label("Afsluiten").check()
    page.get_by_label("Warme overdracht aan").select_option("wlz")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_outflow_date_error")).to_have_text("Vul de datum uitstroom in.")
    expect(page.get_by_label("Organisatie of gemeente die het overneemt")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)
