"""A household from a request to the end of support, by keyboard alone (issue 13, "Done
when"): the professional opens the request from "Mijn werk", starts the investigation,
records and finishes it and makes the report letter (a tagged PDF); starts the household's
plan, saves version 2 with a goal and the Aanvullende Ondersteuning fields, explains the
rights, has version 2 signed by typed name and confirmation, records an evaluation and asks
the municipality for a written decision. A decision officer (a second browser, role
`municipality_decisions`) records the decision from the desk's queue; the professional sees
the outcome on the plan page, marks it seen and ends the plan. axe-core checks every page on
the way; only Tab, Shift+Tab, Enter, Space, the arrow keys and typing are used."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import (
    _REPORT_CSP_VIOLATIONS,
    ConsoleWatch,
    assert_accessible,
    axe_violations,
    describe_violations,
)
from wijk.core.tests.browser.test_keyboard_journeys import (
    login_by_keyboard,
    open_from_navigation,
    tab_to,
)
from wijk.core.tests.browser.test_trajectories_journeys import follow_link, press_button, typed
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def day_and_month_alike(start: datetime.date, step: int) -> datetime.date:
    """The first day from `start` on (step 1) or back (step -1) whose day and month are the
    same number: typed the same in any order of the date field's segments (see `typed`)."""
    day = start
    while day.day != day.month:
        day += datetime.timedelta(days=step)
    return day


def labelled(page: Page, label: str) -> Locator:
    """The field labelled `label`, whether or not "(niet verplicht)" follows it."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(niet verplicht\))?$"))


def type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, labelled(page, label))
    page.keyboard.type(text)


def tick(page: Page, label: str) -> None:
    """Tick a checkbox, or choose a radio button of a group where none is chosen, by Space."""
    box = page.get_by_label(label, exact=True)
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def pdf_letter(page: Page, href: str) -> str:
    """The letter behind `href`, fetched with the page's own session: a tagged PDF in Dutch;
    its text."""
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_a_household_from_request_to_decision_and_end_by_keyboard(
    page: Page, browser: Browser, live_server: Any, make_user, team
) -> None:
    plan_model = apps.get_model("plans", "SupportPlan")
    case_model = apps.get_model("decisions", "DecisionCase")
    today = timezone.localdate()
    talked_on = day_and_month_alike(today, -1)
    ao_start = day_and_month_alike(today, 1)
    ao_review = day_and_month_alike(ao_start + datetime.timedelta(days=150), 1)
    professional = make_user(
        Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker"
    )
    officer = make_user(Role.MUNICIPALITY_DECISIONS, first_name="Gerda", last_name="Gemeente")
    resident = HouseholdMembershipFactory(
        resident__given_names="Toos", resident__family_name="Toetsenbord"
    ).resident
    help_request = HelpRequestFactory(
        team=team, assigned_to=professional, resident=resident, reference="HUISHOUD"
    )

    # 1. From "Mijn werk" to the request.
    login_by_keyboard(page, live_server, professional)
    open_from_navigation(page, live_server, "Mijn werk", "core:work")
    tab_to(page, page.get_by_role("link", name="Hulpvraag HUISHOUD").first)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[help_request.pk]))

    # 2. Start the investigation; it opens on its edit page.
    follow_link(page, "Onderzoek starten of bekijken")
    page.wait_for_url(
        live_server.url + reverse("investigations:for_request", args=[help_request.pk])
    )
    assert_accessible(page)
    press_button(page, "Onderzoek starten")
    page.wait_for_url(re.compile(r"/onderzoeken/\d+/bewerken$"))
    investigation_url = page.url.removesuffix("/bewerken")
    assert_accessible(page)

    # 3. Record what the kitchen-table conversation found, then finish it.
    type_into(page, "Datum van het gesprek", typed(talked_on))
    tick(page, "Bij de inwoner thuis")
    type_into(page, "De vraag achter de vraag", "Mevrouw wil haar post zelf weer kunnen doen.")
    domain = page.get_by_role("group", name=re.compile("^Leefgebieden")).get_by_role("checkbox")
    tab_to(page, domain.first)
    page.keyboard.press("Space")
    expect(domain.first).to_be_checked()
    type_into(page, "Eigen kracht en netwerk", "Haar dochter helpt één keer per week.")
    type_into(
        page,
        "Voorliggende voorzieningen en andere wetten",
        "Het spreekuur in het buurthuis helpt bij formulieren.",
    )
    press_button(page, "Onderzoek opslaan")
    page.wait_for_url(investigation_url)
    expect(page.get_by_role("status")).to_contain_text("Het onderzoek is opgeslagen.")
    assert_accessible(page)
    follow_link(page, "Onderzoek afronden")
    page.wait_for_url(investigation_url + "/afronden")
    assert_accessible(page)
    press_button(page, "Onderzoek afronden")
    page.wait_for_url(investigation_url)
    assert_accessible(page)

    # 4. Make the report letter, and read it back: a tagged PDF with the resident's question.
    follow_link(page, "Verslag van het onderzoek maken")
    page.wait_for_url(investigation_url + "/verslag")
    assert_accessible(page)
    press_button(page, "Verslag van het onderzoek maken")
    page.wait_for_url(investigation_url)
    report_link = page.get_by_role("link", name=re.compile(r"^Verslag, versie 1, gemaakt op"))
    expect(report_link).to_be_visible()
    assert_accessible(page)
    href = report_link.get_attribute("href")
    assert href is not None
    assert "Mevrouw wil haar post zelf weer kunnen doen." in pdf_letter(page, href)

    # 5. Start the household's plan from the request.
    follow_link(page, "Terug naar de hulpvraag")
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[help_request.pk]))
    follow_link(page, "Ondersteuningsplan")
    page.wait_for_url(f"**{reverse('plans:start')}?hulpvraag={help_request.pk}")
    assert_accessible(page)
    press_button(page, "Plan starten")
    page.wait_for_url(re.compile(r"/plannen/\d+/bewerken$"))
    plan = plan_model.objects.get(resident=resident)
    plan_page = live_server.url + reverse("plans:detail", args=[plan.pk])
    assert_accessible(page)

    # 6. Version 2: a goal with its result, and the Aanvullende Ondersteuning fields.
    type_into(page, "Doel 1", "Zelf de post bijhouden.")
    type_into(page, "Doel 1: gewenst resultaat", "Geen aanmaningen meer binnen een half jaar.")
    type_into(
        page,
        "Aanvullende Ondersteuning: omvang",
        "Twee uur begeleiding per week bij de administratie.",
    )
    type_into(page, "Aanvullende Ondersteuning: ingangsdatum", typed(ao_start))
    type_into(page, "Aanvullende Ondersteuning: herzien uiterlijk op", typed(ao_review))
    press_button(page, "Nieuwe versie opslaan")
    page.wait_for_url(plan_page)
    expect(page.get_by_role("heading", name=re.compile(r"^Het plan, versie 2"))).to_be_visible()
    assert_accessible(page)

    # 7. Explain the rights.
    follow_link(page, "Rechten uitleggen")
    page.wait_for_url(live_server.url + reverse("plans:rights", args=[plan.pk]))
    assert_accessible(page)
    for right in ("Onafhankelijke cliëntondersteuning", "Privacy", "Klachten"):
        tick(page, right)
    tick(page, "Bezwaar en beroep")
    press_button(page, "Uitleg opslaan")
    page.wait_for_url(live_server.url + reverse("plans:rights", args=[plan.pk]))
    expect(page.get_by_role("status")).to_contain_text("De uitleg over de rechten is opgeslagen.")
    assert_accessible(page)
    follow_link(page, "Terug naar het plan")
    page.wait_for_url(plan_page)

    # 8. Sign version 2 by typed name and confirmation; the first evaluation date is
    # suggested on the form and kept.
    follow_link(page, "Versie 2 laten ondertekenen")
    page.wait_for_url(live_server.url + reverse("plans:version_sign", args=[plan.pk, 2]))
    assert_accessible(page)
    tab_to(page, page.get_by_label("Tekenen op het scherm", exact=True))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Naam typen en bevestigen", exact=True)).to_be_checked()
    press_button(page, "Verder")
    page.wait_for_url(re.compile(r"\?wijze=typed&stap=wijze#akkoord-geven$"))
    assert_accessible(page)
    type_into(page, "Naam van wie ondertekent", "Toos Toetsenbord")
    tick(page, "Ik heb gezien dat de inwoner akkoord gaat met deze versie van het plan.")
    expect(page.get_by_label("Datum van de eerste evaluatie")).not_to_have_value("")
    press_button(page, "Ondertekening opslaan")
    page.wait_for_url(plan_page)
    expect(page.get_by_text("Versie 2 van het plan is ondertekend.")).to_be_visible()
    assert_accessible(page)

    # 9. An evaluation: the resident's view, progress on the goal, why no ZRM this time.
    follow_link(page, "Evaluatie vastleggen")
    page.wait_for_url(live_server.url + reverse("plans:evaluation_new", args=[plan.pk]))
    assert_accessible(page)
    type_into(page, "Wat vindt de inwoner zelf?", "Het gaat beter, de stapel post is weg.")
    tab_to(page, page.get_by_label("Bereikt", exact=True))  # the first of the goal's choices
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Gaat vooruit", exact=True)).to_be_checked()
    type_into(page, "Waarom deze keer geen ZRM?", "Er is geen traject gekoppeld.")
    press_button(page, "Evaluatie opslaan")
    page.wait_for_url(re.compile(r"/plannen/\d+/evaluaties/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("De evaluatie is opgeslagen.")
    assert_accessible(page)
    follow_link(page, "Terug naar het plan")
    page.wait_for_url(plan_page)

    # 10. The resident asks for a written decision: the case goes to the municipality.
    follow_link(page, "Een besluit van de gemeente vragen")
    page.wait_for_url(live_server.url + reverse("decisions:place", args=[plan.pk]))
    assert_accessible(page)
    tick(page, "De inwoner vraagt een schriftelijke beschikking")
    type_into(
        page, "Concept-beschikking", "U krijgt twee uur begeleiding per week bij uw administratie."
    )
    press_button(page, "Naar de gemeente sturen")
    page.wait_for_url(re.compile(r"/besluiten/zaak/\d+$"))
    case = case_model.objects.get(plan=plan)
    case_page = page.url
    expect(page.get_by_text("De gemeente heeft nog niet besloten.")).to_be_visible()
    assert_accessible(page)

    # 11. The decision officer, in a second browser: from the queue to the case, the decision.
    desk = browser.new_context(locale="nl-NL", base_url=live_server.url)
    desk.set_default_timeout(10_000)
    desk.add_init_script(_REPORT_CSP_VIOLATIONS)
    officer_page = desk.new_page()
    watch = ConsoleWatch()  # as the `page` fixture watches its page
    officer_page.on(
        "console",
        lambda message: (
            message.type == "error"
            and watch.errors.append((message.text, message.location.get("url", "")))
        ),
    )
    officer_page.on("pageerror", lambda error: watch.errors.append((f"Uncaught: {error}", "")))
    officer_page.on(
        "response",
        lambda response: (
            response.request.resource_type == "document" and watch.documents.add(response.url)
        ),
    )

    def desk_accessible() -> None:
        violations = axe_violations(officer_page)
        assert not violations, describe_violations(violations)
        assert not watch.problems(), watch.problems()

    try:
        login_by_keyboard(officer_page, live_server, officer)
        open_from_navigation(officer_page, live_server, "Zaken voor een besluit", "decisions:queue")
        desk_accessible()
        follow_link(officer_page, f"Zaak {case.pk}")
        officer_page.wait_for_url(live_server.url + reverse("decisions:desk_case", args=[case.pk]))
        expect(
            officer_page.get_by_text("Mevrouw wil haar post zelf weer kunnen doen.")
        ).to_be_visible()
        desk_accessible()
        tick(officer_page, "Toegekend")
        type_into(officer_page, "Kenmerk van de gemeente", "WMO-2026-0042")
        type_into(officer_page, "Ingangsdatum (bij een toekenning)", typed(ao_start))
        press_button(officer_page, "Besluit vastleggen")
        officer_page.wait_for_url(live_server.url + reverse("decisions:desk_case", args=[case.pk]))
        expect(officer_page.get_by_role("status")).to_contain_text("Het besluit is vastgelegd.")
        desk_accessible()
    finally:
        desk.close()

    # 12. Back as the professional: the outcome on the plan page, marked as seen.
    follow_link(page, "Terug naar het plan")
    page.wait_for_url(plan_page)
    decisions = page.locator("section").filter(
        has=page.get_by_role("heading", name="Besluiten van de gemeente")
    )
    expect(decisions).to_contain_text("Toegekend")
    expect(decisions).to_contain_text("kenmerk WMO-2026-0042")
    expect(decisions).to_contain_text("nog niet gezien")
    assert_accessible(page)
    tab_to(page, decisions.get_by_role("link", name=re.compile(rf"^Zaak {case.pk}:")))
    page.keyboard.press("Enter")
    page.wait_for_url(case_page)
    assert_accessible(page)
    press_button(page, "Ik heb het besluit gezien")
    page.wait_for_url(case_page)
    expect(page.get_by_role("status")).to_contain_text("Gemarkeerd als gezien.")
    expect(page.get_by_role("button", name="Ik heb het besluit gezien")).to_have_count(0)
    follow_link(page, "Terug naar het plan")
    page.wait_for_url(plan_page)
    expect(decisions).not_to_contain_text("nog niet gezien")

    # 13. End the plan: the goals are reached, the perspective too.
    follow_link(page, "Plan afsluiten")
    page.wait_for_url(live_server.url + reverse("plans:end", args=[plan.pk]))
    assert_accessible(page)
    tick(page, "De doelen zijn bereikt")
    tab_to(page, page.get_by_label("Weet ik niet", exact=True))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Ja", exact=True)).to_be_checked()
    press_button(page, "Plan afsluiten")
    page.wait_for_url(plan_page)
    expect(page.get_by_role("status")).to_contain_text("Het plan is afgesloten.")
    expect(page.get_by_role("link", name="Plan bewerken")).to_have_count(0)
    assert_accessible(page)
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.perspective_reached) == (
        "ended",
        "goals_reached",
        "yes",
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.reference) == ("seen", "granted", "WMO-2026-0042")
