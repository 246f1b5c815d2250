"""Forms that never lose input (docs/adr/0025), through the real pages: a POST after the idle
timeout keeps what was typed for that user, the login (password, then code) returns to the
page the form is on, and the page shows the draft once, only to that user and only when the
page itself lets them in. The way back never leads to another site, and "Blijf ingelogd"
starts the idle clock again."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.middleware import SESSION_SEEN
from wijk.accounts.models import FormDraft, Role, User
from wijk.accounts.services import FORM_DRAFT_MAX_CHARS, user_disable
from wijk.requests.forms import CLOSE_OUTCOMES
from wijk.requests.models import RequestStatus
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
HOME = reverse("core:home")
STAY = reverse("accounts:stay")
NOTE = 'Gebeld om 10:00 <b>"Kom maandag langs"</b> & afgesproken dat zij belt.'
NOTICE = "We hebben bewaard wat u had ingevuld. Controleer het en sla op."
DRAFT_BLOCK = re.compile(r'<script id="wijk-draft" type="application/json">(.*?)</script>', re.S)


@pytest.fixture
def professional(make_user: Any, team: Any) -> User:
    user: User = make_user(Role.PROFESSIONAL, teams=[team])
    return user


@pytest.fixture
def help_request(team: Any) -> Any:
    resident = HouseholdMembershipFactory().resident
    return HelpRequestFactory(team=team, resident=resident)


@pytest.fixture
def close_url(help_request: Any) -> str:
    return reverse("requests:close", args=[help_request.pk])


def idle_out(client: Client, seconds: int) -> None:
    """The user went to lunch: the session's last request is longer ago than the timeout."""
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - seconds - 1
    session.save()


def post_after_lunch(client: Client, url: str, data: dict[str, Any], settings: Any, **extra: Any):
    idle_out(client, settings.WIJK_SESSION_IDLE_TIMEOUT)
    return client.post(url, data, headers={"referer": f"http://testserver{url}"}, **extra)


def code_for(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


def log_in(client: Client, user: User, password: str, login_url: str) -> Any:
    """The real login from `login_url` (as the timeout sent the user there): password, then
    the code. Returns the answer to the code."""
    page = client.get(login_url)
    assert page.status_code == 200
    answer = client.post(login_url, {"username": user.username, "password": password})
    assert answer.status_code == 302, answer.content.decode()
    return client.post(answer["Location"], {"token": code_for(user)})


def draft_in(response: Any) -> dict[str, Any] | None:
    match = DRAFT_BLOCK.search(response.content.decode())
    return None if match is None else json.loads(match.group(1))


def close_data() -> dict[str, str]:
    return {"outcome": CLOSE_OUTCOMES[0][0], "provision": "", "note": NOTE}


def test_a_post_after_the_timeout_is_kept_and_the_login_returns_to_the_form(
    professional, password, client_for, close_url, help_request, settings
) -> None:
    client = client_for(professional)
    assert client.get(close_url).status_code == 200
    data = close_data() | {"csrfmiddlewaretoken": "x", "password": "not to be kept"}
    answer = post_after_lunch(client, close_url, data, settings)

    login_url = f"{LOGIN}?{urlencode({'verlopen': '1', 'next': close_url})}"
    assert answer["Location"] == login_url
    help_request.refresh_from_db()
    assert help_request.status != RequestStatus.CLOSED  # nothing was saved
    draft = FormDraft.objects.get(user=professional)
    assert draft.fields == {"outcome": [CLOSE_OUTCOMES[0][0]], "provision": [""], "note": [NOTE]}

    login_page = client.get(login_url).content.decode()
    assert "Wat u had ingevuld, hebben we bewaard." in login_page
    assert log_in(client, professional, password, login_url)["Location"] == close_url

    page = client.get(close_url)
    assert draft_in(page) == {"action": close_url, "fields": draft.fields, "notice": NOTICE}
    assert not FormDraft.objects.exists()  # shown once
    assert draft_in(client.get(close_url)) is None

    saved = client.post(close_url, close_data())
    assert saved.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CLOSED


def test_saving_the_form_forgets_its_draft(
    professional, password, client_for, close_url, settings
) -> None:
    client = client_for(professional)
    post_after_lunch(client, close_url, close_data(), settings)
    log_in(client, professional, password, f"{LOGIN}?next={close_url}")
    saved = client.post(close_url, close_data(), headers={"referer": close_url})
    assert saved.status_code == 302
    assert not FormDraft.objects.exists()


def test_another_user_never_sees_the_draft(
    professional, make_user, team, password, client_for, close_url, settings
) -> None:
    post_after_lunch(client_for(professional), close_url, close_data(), settings)
    colleague = make_user(Role.PROFESSIONAL, teams=[team])
    client = Client()
    assert log_in(client, colleague, password, f"{LOGIN}?next={close_url}")["Location"] == (
        close_url
    )
    page = client.get(close_url)
    assert page.status_code == 200
    assert draft_in(page) is None
    assert "Kom maandag langs" not in page.content.decode()
    assert FormDraft.objects.filter(user=professional).exists()


def test_a_user_who_left_the_team_is_refused_the_page_and_never_shown_the_draft(
    professional, team, password, client_for, close_url, settings
) -> None:
    post_after_lunch(client_for(professional), close_url, close_data(), settings)
    professional.teams.remove(team)
    client = Client()
    log_in(client, professional, password, f"{LOGIN}?next={close_url}")
    page = client.get(close_url)
    assert page.status_code == 404
    assert draft_in(page) is None
    assert "Kom maandag langs" not in page.content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "http://testserver@evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_way_back_never_leads_to_another_site(professional, password, target) -> None:
    answer = log_in(Client(), professional, password, f"{LOGIN}?{urlencode({'next': target})}")
    assert answer["Location"] == HOME


def test_the_way_back_never_leads_into_the_login_again(professional, password) -> None:
    answer = log_in(Client(), professional, password, f"{LOGIN}?next={VERIFY}")
    assert answer["Location"] == HOME


def test_an_anonymous_visitor_returns_to_the_page_asked_for(
    professional, password, close_url
) -> None:
    client = Client()
    answer = client.get(close_url)
    assert answer["Location"] == f"{LOGIN}?{urlencode({'next': close_url})}"
    assert log_in(client, professional, password, answer["Location"])["Location"] == close_url


def test_a_draft_that_has_expired_is_not_shown_and_is_purged(
    professional, password, client_for, close_url, settings
) -> None:
    settings.WIJK_FORM_DRAFT_HOURS = 0
    post_after_lunch(client_for(professional), close_url, close_data(), settings)
    assert FormDraft.objects.count() == 1
    client = Client()
    log_in(client, professional, password, f"{LOGIN}?next={close_url}")
    assert draft_in(client.get(close_url)) is None
    assert not FormDraft.objects.exists()  # the login let the expired draft go


def test_the_purge_command_deletes_expired_drafts_and_those_of_disabled_accounts(
    professional, make_user, team, client_for, close_url, settings
) -> None:
    colleague = make_user(Role.PROFESSIONAL, teams=[team])
    post_after_lunch(client_for(professional), close_url, close_data(), settings)
    post_after_lunch(client_for(colleague), close_url, close_data(), settings)
    User.objects.filter(pk=colleague.pk).update(is_active=False)
    call_command("purge_form_drafts")
    assert list(FormDraft.objects.values_list("user", flat=True)) == [professional.pk]
    settings.WIJK_FORM_DRAFT_HOURS = 0
    post_after_lunch(client_for(professional), close_url, close_data(), settings)
    call_command("purge_form_drafts")
    assert not FormDraft.objects.exists()


def test_disabling_an_account_deletes_its_drafts(
    professional, administrator, client_for, close_url, settings
) -> None:
    post_after_lunch(client_for(professional), close_url, close_data(), settings)
    user_disable(actor=administrator, user=professional)
    assert not FormDraft.objects.exists()


def test_a_draft_too_large_to_keep_is_refused_out_loud(
    professional, client_for, close_url, settings
) -> None:
    client = client_for(professional)
    data = close_data() | {"note": "a" * FORM_DRAFT_MAX_CHARS}
    answer = post_after_lunch(client, close_url, data, settings)
    assert not FormDraft.objects.exists()
    page = client.get(answer["Location"]).content.decode()
    assert "Wat u had ingevuld, was te lang om te bewaren." in page


def test_a_long_draft_is_kept_whole(professional, client_for, close_url, settings) -> None:
    note = "Een lang verhaal. " * 2000
    post_after_lunch(client_for(professional), close_url, close_data() | {"note": note}, settings)
    assert FormDraft.objects.get().fields["note"] == [note]


def test_an_htmx_post_after_the_timeout_sends_the_whole_page_to_the_login(
    professional, client_for, close_url, settings
) -> None:
    client = client_for(professional)
    answer = post_after_lunch(client, close_url, close_data(), settings, HTTP_HX_REQUEST="true")
    assert answer.status_code == 204
    assert answer["HX-Redirect"] == f"{LOGIN}?{urlencode({'verlopen': '1', 'next': close_url})}"
    assert FormDraft.objects.filter(user=professional).exists()


def test_a_forged_post_after_the_timeout_leaves_no_draft(professional, close_url, settings) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(professional)
    device = TOTPDevice.objects.get(user=professional)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    post_after_lunch(client, close_url, close_data(), settings)
    assert not FormDraft.objects.exists()


def test_every_page_warns_before_the_timeout_with_a_way_to_stay(
    professional, client_for, settings
) -> None:
    settings.WIJK_SESSION_IDLE_TIMEOUT = 15 * 60
    page = client_for(professional).get(HOME).content.decode()
    assert 'role="alertdialog"' in page
    assert 'data-timeout="900"' in page
    assert "U wordt over 2 minuten uitgelogd" in page
    assert f'action="{STAY}"' in page
    assert "/static/core/session.js" in page


def test_staying_starts_the_idle_clock_again(professional, client_for, settings) -> None:
    client = client_for(professional)
    idle_out(client, settings.WIJK_SESSION_IDLE_TIMEOUT - 60)  # a minute left
    answer = client.post(STAY, headers={"x-wijk-stay": "1"})
    assert answer.status_code == 204
    assert client.session[SESSION_SEEN] >= int(time.time()) - 1


def test_staying_after_the_timeout_does_not_bring_the_session_back(
    professional, client_for, settings
) -> None:
    client = client_for(professional)
    idle_out(client, settings.WIJK_SESSION_IDLE_TIMEOUT)
    answer = client.post(STAY, headers={"x-wijk-stay": "1"})
    assert answer.status_code == 302
    assert answer["Location"].startswith(LOGIN)
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_a_language_switch_after_the_timeout_is_no_draft(
    professional, client_for, close_url, settings
) -> None:
    client = client_for(professional)
    data = {"language": "en", "next": close_url}
    post_after_lunch(client, reverse("set_language"), data, settings)
    assert not FormDraft.objects.exists()


def test_staying_works_without_the_script_too(professional, client_for) -> None:
    client = client_for(professional)
    page = client.get(STAY)
    assert page.status_code == 200
    assert "Blijf ingelogd" in page.content.decode()
    answer = client.post(STAY, follow=True)
    assert answer.redirect_chain == [(HOME, 302)]
    assert "U blijft ingelogd." in answer.content.decode()
