"""Session lifetime and mandatory two-factor authentication for every staff page; the way
back to the page the user was on after logging in again, and what they had typed there
(docs/adr/0025)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.html import json_script
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.accounts.services import (
    FormDraftOutcome,
    form_draft_discard,
    form_draft_keep,
    form_draft_take,
)

# Pages open to everyone, or needed on the way to a verified session; and the API, which has
# its own way in (an API client's token, wijk.api.authentication) and never a session.
PUBLIC_PREFIXES = ("/static/", "/healthz", "/readyz", "/.well-known/", "/i18n/", "/api/")
PUBLIC_VIEW_NAMES = {
    "accounts:login",
    "accounts:verify",
    "accounts:setup",
    "accounts:activate",
    "accounts:logout",
    "core:accessibility",
    "set_language",
    "portal:request_form",
    "portal:request_received",
}

SESSION_STARTED = "wijk_started"
SESSION_SEEN = "wijk_seen"
# The pages on which the signed-in user has a form draft waiting (set at login).
SESSION_DRAFT_PAGES = "wijk_draft_pages"
# Set in the signed-out session when a session ended on a POST: what became of the input.
SESSION_DRAFT_OUTCOME = "wijk_draft_outcome"
# Pages of the login journey itself are never a page to return to.
_LOGIN_JOURNEY = ("accounts:login", "accounts:verify", "accounts:setup", "accounts:logout")
_MAX_NEXT_LENGTH = 2000
# Write the last-seen time at most this often, not on every request.
_SEEN_RESOLUTION = 30


class SessionTimeoutMiddleware:
    """Ends a session after WIJK_SESSION_IDLE_TIMEOUT seconds without a request, or
    WIJK_SESSION_ABSOLUTE_TIMEOUT seconds after login, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = int(request.session.get(SESSION_STARTED, now))
            seen = int(request.session.get(SESSION_SEEN, now))
            if (
                now - seen > settings.WIJK_SESSION_IDLE_TIMEOUT
                or now - started > settings.WIJK_SESSION_ABSOLUTE_TIMEOUT
            ):
                return _session_ended(request)
            if SESSION_STARTED not in request.session:
                request.session[SESSION_STARTED] = now
            if now - seen >= _SEEN_RESOLUTION or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class RequireVerifiedStaffMiddleware:
    """Every page but the public ones needs a signed-in user who has passed the TOTP step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in PUBLIC_VIEW_NAMES:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(login_url("accounts:login", next_path=return_path(request)))
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect(login_url("accounts:verify", next_path=return_path(request)))
        return None


def safe_next(value: str | None) -> str | None:
    """`value` if it is a path on this site that the login journey may return to, else None:
    never another host (`//evil.example`, `/\\evil`, `https://evil.example`), never a page of
    the login journey itself, never the home page (the default anyway)."""
    if not value or len(value) > _MAX_NEXT_LENGTH:
        return None
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return None
    path = urlsplit(value).path
    if path == "/" or path in {reverse(name) for name in _LOGIN_JOURNEY}:
        return None
    return value


def return_path(request: HttpRequest) -> str | None:
    """The page to come back to after logging in. For a GET the page asked for; for a POST the
    page the form was on (the same-origin Referer), since the path posted to may answer POST
    only; without a Referer, the path posted to."""
    if request.method in ("GET", "HEAD"):
        return safe_next(request.get_full_path())
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc == request.get_host() and referer.scheme in ("http", "https"):
        page = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
        if page is not None:
            return page
    return safe_next(request.path)


def login_url(view_name: str, *, next_path: str | None, expired: bool = False) -> str:
    """The login (or code) page, remembering the page to return to."""
    params = {"verlopen": "1"} if expired else {}
    if next_path is not None:
        params["next"] = next_path
    url = reverse(view_name)
    return f"{url}?{urlencode(params)}" if params else url


def _staff_form(request: HttpRequest) -> bool:
    """A POST to a staff page: not to a public one (the language switch, logging out), nor to
    an address that does not exist."""
    if request.path.startswith(PUBLIC_PREFIXES) or len(request.path) > _MAX_NEXT_LENGTH:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name not in PUBLIC_VIEW_NAMES


def _csrf_passed(request: HttpRequest) -> bool:
    """Django's own CSRF check, done early: a draft is kept only from the user's own form."""
    check = CsrfViewMiddleware(lambda request: HttpResponse())
    return check.process_view(request, _no_view, (), {}) is None


def _no_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


def _session_ended(request: HttpRequest) -> HttpResponse:
    """The session is over. A POST (the user pressed "Opslaan" after lunch) leaves what was
    typed as a draft for the same user; the login page says what became of it and leads back
    to the page the form was on."""
    user = request.user
    page = return_path(request)
    outcome = None
    if (
        request.method == "POST"
        and _staff_form(request)
        and isinstance(user, User)
        and user.is_verified()  # type: ignore[attr-defined]
        and _csrf_passed(request)
    ):
        outcome = form_draft_keep(
            user=user,
            page=urlsplit(page or request.path).path,
            action=request.path,
            data=request.POST,
        )
    logout(request)
    if outcome is not None and outcome is not FormDraftOutcome.NOTHING_TYPED:
        request.session[SESSION_DRAFT_OUTCOME] = outcome.value
    url = login_url("accounts:login", next_path=page, expired=True)
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


class FormDraftMiddleware:
    """Shows a user's form draft on its page, once, and only when that page has let them in
    (a 200 answer to their GET: a refused page never carries it); forgets the draft when the
    form on that page is saved (a POST answered with a redirect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pages = request.session.get(SESSION_DRAFT_PAGES) if hasattr(request, "session") else None
        user = request.user
        if not pages or not isinstance(user, User) or not user.is_verified():  # type: ignore[attr-defined]
            return response
        if request.method == "GET" and request.path in pages and _full_page(request, response):
            _forget(request, request.path)
            draft = form_draft_take(user=user, page=request.path)
            if draft is not None:
                _add_draft(response, action=draft.action, fields=draft.fields)
        elif request.method == "POST" and response.status_code in (301, 302, 303):
            page = urlsplit(return_path(request) or request.path).path
            if page in pages:
                _forget(request, page)
                form_draft_discard(user=user, page=page)
        return response


def _full_page(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and request.headers.get("HX-Request") != "true"
        and b"</body>" in response.content
    )


def _forget(request: HttpRequest, page: str) -> None:
    pages = [other for other in request.session.get(SESSION_DRAFT_PAGES, []) if other != page]
    request.session[SESSION_DRAFT_PAGES] = pages


def _add_draft(response: HttpResponse, *, action: str, fields: dict[str, list[str]]) -> None:
    """The draft as a JSON data block (not executed, so the CSP allows it) that
    core/static/core/session.js puts into the form posting to `action`, with the notice."""
    data = {
        "action": action,
        "fields": fields,
        "notice": _("We hebben bewaard wat u had ingevuld. Controleer het en sla op."),
    }
    block = json_script(data, "wijk-draft").encode()
    content = response.content
    end = content.rfind(b"</body>")
    response.content = content[:end] + block + content[end:]
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
