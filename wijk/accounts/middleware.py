"""Session lifetime and mandatory two-factor authentication for every staff page."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages open to everyone, or needed on the way to a verified session.
PUBLIC_PREFIXES = ("/static/", "/healthz", "/readyz", "/.well-known/", "/i18n/")
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
                logout(request)
                return redirect(f"{reverse('accounts:login')}?verlopen=1")
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
            return redirect(reverse("accounts:login"))
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect(reverse("accounts:verify"))
        return None
