"""The login journey: password, then the TOTP code (or enrolment of an authenticator on the
first login). Failed codes count towards the same lockout as failed passwords."""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.forms import LoginForm, TokenForm
from wijk.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from wijk.accounts.models import User
from wijk.accounts.services import totp_device_confirm, totp_device_pending, user_sessions_end

# django-otp's own back-off after a wrong code: a second try within it is not checked at all.
WAIT_MESSAGE = gettext_lazy("Wacht een paar seconden en vul dan de nieuwe code in.")


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("core:home")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is not None:
            login(request, user)
            _session_start(request)
            return redirect("accounts:verify")
        form.add_error(None, _("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet."))
    expired = "verlopen" in request.GET
    return render(request, "accounts/login.html", {"form": form, "expired": expired})


def _session_start(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


def _token_failed(request: HttpRequest, user: User) -> HttpResponse | None:
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if getattr(request, "axes_locked_out", False) or not AxesProxyHandler.is_allowed(
        request, {"username": user.get_username()}
    ):
        logout(request)
        return locked_out(request)
    return None


@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect("accounts:login")
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect("core:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:setup")
    if not AxesProxyHandler.is_allowed(request, {"username": user.get_username()}):
        logout(request)
        return locked_out(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", WAIT_MESSAGE)
            return render(request, "accounts/verify.html", {"form": form})
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect("core:home")
        response = _token_failed(request, user)
        if response is not None:
            return response
        form.add_error(
            "token", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")
        )
    return render(request, "accounts/verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:verify")
    device = totp_device_pending(user=user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", WAIT_MESSAGE)
        elif device.verify_token(form.cleaned_data["token"]):
            totp_device_confirm(device=device)
            otp_login(request, device)
            messages.success(request, _("Uw authenticator-app is gekoppeld."))
            return redirect("core:home")
        else:
            response = _token_failed(request, user)
            if response is not None:
                return response
            form.add_error(
                "token", _("Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens.")
            )
    secret = base64.b32encode(device.bin_key).decode()
    context: dict[str, Any] = {
        "form": form,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "qr_svg": _qr_svg(device.config_url),
    }
    return render(request, "accounts/setup.html", context)


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out here and everywhere: every session of this account ends."""
    if isinstance(request.user, User):
        user_sessions_end(user=request.user)
    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown instead of the login page while this username is locked from this address."""
    return render(request, "accounts/locked_out.html", status=429)
