"""Forms in Chromium: a long text gets a counter that screen readers hear after a pause, and
the page that comes back with errors puts focus on the error summary."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.core.tests.browser.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_long_question_gets_a_counter_and_is_kept_when_refused(
    page: Page, live_server: Any, make_user, team
) -> None:
    login(page, live_server, make_user(Role.PROFESSIONAL, teams=[team]))
    page.goto(live_server.url + reverse("requests:register"))
    question = page.get_by_label("Waar gaat de vraag over?")
    counter = page.locator("#id_question_count")
    expect(counter).to_have_text("Nog 2.000 van de 2.000 tekens over.")
    expect(question).to_have_attribute("aria-describedby", "id_question_helptext id_question_count")
    long_text = "Een zin over de post. " * 110 + "Het einde."  # 2,430 characters
    question.fill(long_text)
    expect(counter).to_have_text("Uw tekst is te lang: 430 boven het maximum van 2.000 tekens.")
    expect(page.locator("[aria-live=polite].wijk-visually-hidden")).to_have_text(
        "Uw tekst is te lang: 430 boven het maximum van 2.000 tekens."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Registreren").click()
    summary = page.locator(".wijk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text('"Waar gaat de vraag over?" is te lang')
    expect(question).to_have_value(long_text)  # nothing cut, nothing lost
    summary.get_by_role("link", name='"Waar gaat de vraag over?" is te lang').click()
    expect(question).to_be_focused()
    assert_accessible(page)
