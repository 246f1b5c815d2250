"""Keyboard-only journeys of the Sociale Basis work: counting walk-in contacts in tally mode
(with htmx updating the counters in place, and an undo), creating an activity with its
first session, and correcting a recorded session. Tab, typing, Enter and Space only; every
stop must show its focus."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.activities.models import Activity, ActivitySession, Participation
from wijk.activities.tests.factories import ActivityFactory, ActivitySessionFactory, code
from wijk.contacts.models import ShortContact
from wijk.core.tests.browser.conftest import assert_accessible, login
from wijk.core.tests.browser.test_keyboard_journeys import (
    is_focused,
    login_by_keyboard,
    open_from_navigation,
    tab_to,
)
from wijk.organisations.models import OrganisationKind
from wijk.organisations.tests.factories import OrganisationFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_count_walk_in_contacts_in_tally_mode_and_undo_one(
    page: Page, live_server: Any, make_user, team
) -> None:
    user = make_user(Role.PROFESSIONAL, teams=[team])
    login_by_keyboard(page, live_server, user)
    open_from_navigation(page, live_server, "Turven", "contacts:tally")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Inloop op een locatie")
    page.wait_for_function("() => window.htmx !== undefined")  # the deferred script has run
    assert_accessible(page)

    finances = page.locator("#turf-finances")
    housing = page.locator("#turf-housing")
    total = page.locator("#turf-totaal")
    tab_to(page, finances)
    page.keyboard.press("Enter")
    expect(finances).to_contain_text("vandaag geteld: 1")
    expect(page.get_by_role("status")).to_have_text("Geteld: Financiën.")
    assert is_focused(finances)  # htmx swapped the board and kept the focus on the button
    page.keyboard.press("Space")
    expect(finances).to_contain_text("vandaag geteld: 2")
    tab_to(page, housing)
    page.keyboard.press("Enter")
    expect(housing).to_contain_text("vandaag geteld: 1")
    expect(total).to_have_text("Totaal vandaag geteld: 3")
    assert_accessible(page)

    undo = page.get_by_role("button", name="Laatste telling ongedaan maken")
    expect(undo).to_contain_text("Huisvesting")
    tab_to(page, undo)
    page.keyboard.press("Enter")
    undone = "Eén telling bij Huisvesting is weggehaald."
    expect(page.get_by_role("status").filter(has_text=undone)).to_have_count(1)
    expect(housing).to_contain_text("vandaag geteld: 0")
    expect(finances).to_contain_text("vandaag geteld: 2")
    expect(total).to_have_text("Totaal vandaag geteld: 2")
    assert_accessible(page)

    counted = ShortContact.objects.filter(team=team, channel__code="walk_in", tallied=True)
    assert sorted(counted.values_list("life_domain__code", flat=True)) == [
        "finances",
        "finances",
    ]


def test_create_an_activity_with_a_session(page: Page, live_server: Any, make_user, team) -> None:
    OrganisationFactory(name="Buurtvereniging De Kamp", kind=OrganisationKind.VOLUNTEER)
    wijk = team.wijken.get()
    login_by_keyboard(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    open_from_navigation(page, live_server, "Activiteiten", "activities:list")
    tab_to(page, page.get_by_role("link", name="Nieuwe activiteit aanmaken"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("activities:create"))

    def type_into(label: str, text: str) -> None:
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(text)

    type_into("Naam van de activiteit", "Huiswerkclub")
    type_into("Organisator", "Buurtvereniging")  # a closed select picks by typing
    type_into("Beleidsthema", "Erbij")  # "Erbij horen en ontwikkelen", under "Meedoen"
    type_into("Doelgroep", "Jongeren")
    type_into("Wijk", wijk.name.split()[0])
    expect(page.get_by_label("Wijk", exact=True)).to_have_value(str(wijk.pk))
    type_into("Locatie", "Buurthuis De Kamp")
    assert_accessible(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Huiswerkclub")
    activity = Activity.objects.get(name="Huiswerkclub")
    assert (activity.theme.code, activity.target_group.code, activity.wijk_id) == (
        "belonging",
        "youth",
        wijk.pk,
    )
    tab_to(page, page.get_by_role("link", name="Bijeenkomst registreren"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("activities:session_create", args=[activity.pk]))
    type_into("Aantal deelnemers", "12")
    tab_to(page, page.get_by_label("Waarvan jongeren", exact=True))
    page.keyboard.press("Control+a")
    page.keyboard.type("15")  # more young people than participants: refused
    page.keyboard.press("Enter")
    expect(page.locator("#id_attendance_youth_error")).to_have_text(
        "Er kunnen niet meer jongeren zijn dan deelnemers in totaal."
    )
    assert_accessible(page)
    tab_to(page, page.get_by_label("Waarvan jongeren", exact=True))
    page.keyboard.press("Control+a")
    page.keyboard.type("5")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("De bijeenkomst is geregistreerd.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Huiswerkclub")
    session = ActivitySession.objects.get(activity=activity)
    assert (session.attendance_total, session.attendance_youth) == (12, 5)
    expect(page.get_by_role("table").last).to_contain_text("12")
    assert_accessible(page)


def test_correct_a_recorded_session(page: Page, live_server: Any, make_user, team) -> None:
    """A session recorded with the wrong count, corrected from the activity page: a refused
    correction leaves the session as it was."""
    activity = ActivityFactory(name="Taalcafé", wijk=team.wijken.get())
    session = ActivitySessionFactory(
        activity=activity,
        held_on=timezone.localdate() - datetime.timedelta(days=2),
        attendance_total=8,
        attendance_youth=2,
    )
    login_by_keyboard(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    page.goto(live_server.url + reverse("activities:detail", args=[activity.pk]))
    tab_to(page, page.get_by_role("link", name=re.compile(r"^Bijeenkomst van .+ bewerken$")))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("activities:session_edit", args=[session.pk]))
    total = page.get_by_label("Aantal deelnemers", exact=True)
    expect(total).to_have_value("8")
    assert_accessible(page)

    tab_to(page, total)
    page.keyboard.press("Control+a")
    page.keyboard.type("1")  # fewer participants than the 2 young people: refused
    page.keyboard.press("Enter")
    expect(page.locator("#id_attendance_youth_error")).to_have_text(
        "Er kunnen niet meer jongeren zijn dan deelnemers in totaal."
    )
    expect(page.get_by_label("Waarvan jongeren", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)
    session.refresh_from_db()
    assert (session.attendance_total, session.attendance_youth) == (8, 2)

    tab_to(page, page.get_by_label("Aantal deelnemers", exact=True))
    page.keyboard.press("Control+a")
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("De bijeenkomst is opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Taalcafé")
    session.refresh_from_db()
    assert (session.attendance_total, session.attendance_youth) == (11, 2)
    assert_accessible(page)


def test_pages_with_data_and_errors_pass_axe(page: Page, live_server: Any, make_user, team) -> None:
    """The states no plain GET of the matrix reaches: overviews with numbers, the participant
    list with a search result, the registration form with an error."""
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    resident = HouseholdMembershipFactory().resident
    activity = ActivityFactory(wijk=team.wijken.get(), registers_participants=True)
    session = ActivitySessionFactory(activity=activity, held_on=timezone.localdate())
    Participation.objects.create(session=session, resident=resident)
    ShortContact.objects.create(
        channel=code("channels", "phone"),
        life_domain=code("life_domains", "housing"),
        team=team,
        registered_by=lead,
    )
    login(page, live_server, lead)
    for name in ("contacts:overview", "activities:overview"):
        page.goto(live_server.url + reverse(name))
        expect(page.get_by_role("table").first).to_contain_text("1")
        assert_accessible(page)

    page.goto(live_server.url + reverse("activities:participants", args=[session.pk]))
    expect(page.get_by_role("rowheader", name=resident.full_name)).to_be_visible()
    page.get_by_label("Naam").fill(resident.family_name)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("button", name=f"{resident.full_name} toevoegen")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + reverse("contacts:register"))
    page.get_by_label("Aantal contacten").fill("500")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_label("Aantal contacten")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_life_domain_error")).to_have_text(
        "Kies het onderwerp van het contact."
    )
    assert_accessible(page)
