"""Forms that never lose input (docs/adr/0025), by keyboard in Chromium: what was typed before
the idle timeout comes back after logging in again, on the same page; and the warning before
the timeout keeps the session when the user chooses "Blijf ingelogd"."""

from __future__ import annotations

import re
import time
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from wijk.accounts.middleware import SESSION_SEEN
from wijk.accounts.models import Role, User
from wijk.conftest_constants import PASSWORD
from wijk.core.tests.browser.conftest import assert_accessible, totp_code
from wijk.core.tests.browser.test_keyboard_journeys import login_by_keyboard, tab, tab_to
from wijk.notes.models import CaseNote
from wijk.notes.services import NoteContent, case_note_edit, case_note_write
from wijk.requests.models import HelpRequest, RequestStatus
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.tests.conftest import verified

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTE = "Gebeld: zij komt maandag langs op het spreekuur."


def server_session(page: Page) -> SessionBase:
    """The server side of the browser's session."""
    key = next(
        cookie["value"]
        for cookie in page.context.cookies()
        if cookie["name"] == django_settings.SESSION_COOKIE_NAME
    )
    store: SessionBase = import_module(django_settings.SESSION_ENGINE).SessionStore(key)
    return store


def go_to_lunch(page: Page) -> None:
    """The last request of the session is longer ago than the idle timeout."""
    session = server_session(page)
    session[SESSION_SEEN] = int(time.time()) - django_settings.WIJK_SESSION_IDLE_TIMEOUT - 1
    session.save()


def log_in_again_by_keyboard(page: Page, user: User) -> None:
    """On the login page the timeout led to: password, then a new code."""
    # The authenticator shows the same code within its 30 seconds; a code counts once.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    tab_to(page, page.get_by_label("Gebruikersnaam", exact=True))
    page.keyboard.type(user.username)
    tab(page)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Code uit uw authenticator-app"))
    page.keyboard.type(totp_code(user))
    page.keyboard.press("Enter")


def test_what_was_typed_before_the_timeout_comes_back_after_logging_in_again(
    page: Page, live_server: Any, make_user, team
) -> None:
    user = make_user(Role.PROFESSIONAL, teams=[team])
    help_request = HelpRequestFactory(team=team, resident=HouseholdMembershipFactory().resident)
    close_url = live_server.url + reverse("requests:close", args=[help_request.pk])
    login_by_keyboard(page, live_server, user)
    page.goto(close_url)
    advice = page.get_by_role("radio", name="Korte informatie of advies gegeven")
    tab_to(page, advice)
    page.keyboard.press("Space")
    note = page.get_by_label("Toelichting (niet verplicht)", exact=True)
    tab_to(page, note)
    page.keyboard.type(NOTE)

    go_to_lunch(page)
    tab_to(page, page.get_by_role("button", name="Afronden"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(live_server.url + reverse("accounts:login")) + r"\?"))
    expect(page.get_by_role("status").filter(has_text="hebben we bewaard")).to_have_text(
        "Wat u had ingevuld, hebben we bewaard. Log opnieuw in: dan ziet u het terug en kunt "
        "u het opslaan."
    )
    assert_accessible(page)
    assert HelpRequest.objects.get(pk=help_request.pk).status != RequestStatus.CLOSED

    log_in_again_by_keyboard(page, user)
    page.wait_for_url(close_url)
    expect(note).to_have_value(NOTE)
    expect(advice).to_be_checked()
    expect(page.get_by_role("status")).to_have_text(
        "We hebben bewaard wat u had ingevuld. Controleer het en sla op."
    )
    assert_accessible(page)

    tab_to(page, page.get_by_role("button", name="Afronden"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("requests:detail", args=[help_request.pk]))
    closed = HelpRequest.objects.get(pk=help_request.pk)
    assert closed.status == RequestStatus.CLOSED


def test_the_warning_before_the_timeout_keeps_the_session(
    page: Page, live_server: Any, make_user, team, settings
) -> None:
    settings.WIJK_SESSION_IDLE_TIMEOUT = 8  # the warning comes 4 seconds before the end
    user = make_user(Role.PROFESSIONAL, teams=[team])
    login_by_keyboard(page, live_server, user)
    seen_before = server_session(page)[SESSION_SEEN]

    dialog = page.get_by_role("alertdialog", name="Blijft u ingelogd?")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_contain_text("U wordt over 4 seconden uitgelogd")
    stay = dialog.get_by_role("button", name="Blijf ingelogd")
    expect(stay).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert server_session(page)[SESSION_SEEN] > seen_before
    page.reload()
    expect(page).to_have_url(live_server.url + reverse("core:home"))


def test_a_kept_edit_does_not_overwrite_what_a_colleague_saved_meanwhile(
    page: Page, live_server: Any, make_user, team
) -> None:
    """Found in review: the draft was restored without its hidden fields, so the edit carried
    the page's newer version number and silently replaced the colleague's text. The draft's
    own "based on" comes back with it, and saving is refused as stale."""
    user = make_user(Role.PROFESSIONAL, teams=[team])
    colleague = verified(make_user(Role.PROFESSIONAL, teams=[team]))
    resident = HouseholdMembershipFactory().resident
    first = NoteContent(kind="gesprek", occurred_on=timezone.localdate(), text="Eerste versie.")
    note = case_note_write(actor=colleague, resident=resident, content=first)
    edit_url = live_server.url + reverse("notes:edit", args=[note.pk])
    login_by_keyboard(page, live_server, user)
    page.goto(edit_url)
    text = page.get_by_label("Wat is er gebeurd?")
    tab_to(page, text)
    page.keyboard.press("Control+A")
    page.keyboard.type(NOTE)
    # Meanwhile the colleague saves version 2.
    second = NoteContent(kind="gesprek", occurred_on=timezone.localdate(), text="Van de collega.")
    case_note_edit(actor=colleague, note=note, based_on=1, content=second)

    go_to_lunch(page)
    tab_to(page, page.get_by_role("button", name="Nieuwe versie opslaan"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(live_server.url + reverse("accounts:login")) + r"\?"))
    log_in_again_by_keyboard(page, user)
    page.wait_for_url(edit_url)
    expect(text).to_have_value(NOTE)
    tab_to(page, page.get_by_role("button", name="Nieuwe versie opslaan"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Iemand anders heeft deze notitie intussen veranderd")).to_be_visible()
    expect(page.get_by_text("Van de collega.").first).to_be_visible()
    assert CaseNote.objects.get(pk=note.pk).current.text == "Van de collega."
    assert note.versions.count() == 2
