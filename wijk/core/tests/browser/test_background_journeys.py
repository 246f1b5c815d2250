"""A background job's page in Chromium, as the person who asked sees it: queued at first, then,
while the page stays open, the worker runs the job and the page shows it done by itself (htmx
asks every few seconds, in a role="status" region, and stops once the job is finished).
axe-core checks both states, and the page is laid out at the width of a phone and a tablet.
The job's page is for its asker only, so the authorization matrix has no role that opens it:
this test is its accessibility check (test_axe_every_page skips it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from wijk.accounts.models import Role
from wijk.core.background import job_start
from wijk.core.tests import background_tasks
from wijk.core.tests.browser.conftest import assert_accessible, assert_fits_small_screens, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_page_follows_the_job_until_it_is_done(
    page: Page, live_server: Any, make_user, team
) -> None:
    asker = make_user(Role.TEAM_LEAD, teams=[team])
    job = job_start(
        user=asker,
        kind="count",
        label="Tellen tot twaalf",
        task=background_tasks.count_to,
        arguments={"steps": 12},
    )
    login(page, live_server, asker)

    page.goto(live_server.url + reverse("core:background_job", kwargs={"pk": job.pk}))

    expect(page.locator("h1")).to_have_text("Tellen tot twaalf")
    status = page.get_by_role("status")
    expect(status).to_contain_text("in de wachtrij")
    expect(page.get_by_role("link", name="Pagina vernieuwen")).to_be_visible()
    assert_accessible(page)
    assert_fits_small_screens(page)

    call_command(
        "worker", "--batch", "--no-schedule", "--no-startup-delay", "--interval", "0", verbosity=0
    )

    expect(status).to_contain_text("klaar", timeout=15_000)
    expect(status).to_contain_text("12 stappen geteld")
    assert_accessible(page)
