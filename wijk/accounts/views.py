"""The login journey: password, then the TOTP code (or enrolment of an authenticator on the
first login); and the one-time activation link with which a holder chooses their password.
Failed codes count towards the lockout by username and address as failed passwords do, and
towards a lockout of the account that a correct password does not reset (docs/adr/0007)."""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
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

from wijk.accounts.forms import ActivationForm, LoginForm, TokenForm
from wijk.accounts.middleware import (
    SESSION_DRAFT_OUTCOME,
    SESSION_DRAFT_PAGES,
    SESSION_SEEN,
    SESSION_STARTED,
    login_url,
    safe_next,
)
from wijk.accounts.models import User
from wijk.accounts.roles import APPROVAL_ROLES
from wijk.accounts.selectors import activation_token_user
from wijk.accounts.services import (
    form_drafts_at_login,
    totp_device_confirm,
    totp_device_pending,
    totp_failure_record,
    totp_failures_clear,
    totp_locked,
    user_activate,
    user_sessions_end,
)
from wijk.core.errors import NotFoundError, ValidationFailed

# django-otp's own back-off after a wrong code: a second try within it is not checked at all.
WAIT_MESSAGE = gettext_lazy("Wacht een paar seconden en vul dan de nieuwe code in.")


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_path = safe_next(request.GET.get("next"))
    if request.user.is_authenticated and request.user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_path or "core:home")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is not None and totp_locked(user=user):
            return locked_out(request)
        if user is not None:
            login(request, user)
            _session_start(request)
            return redirect(login_url("accounts:verify", next_path=next_path))
        form.add_error(None, _("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet."))
    context = {
        "form": form,
        "expired": "verlopen" in request.GET,
        "draft_outcome": request.session.pop(SESSION_DRAFT_OUTCOME, None),
    }
    return render(request, "accounts/login.html", context)


def _session_start(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


def _token_failed(request: HttpRequest, user: User) -> HttpResponse | None:
    account_locked = totp_failure_record(user=user)
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if (
        account_locked
        or getattr(request, "axes_locked_out", False)
        or not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})
    ):
        logout(request)
        return locked_out(request)
    return None


@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect("accounts:login")
    next_path = safe_next(request.GET.get("next"))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_path or "core:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(login_url("accounts:setup", next_path=next_path))
    if totp_locked(user=user) or not AxesProxyHandler.is_allowed(
        request, {"username": user.get_username()}
    ):
        logout(request)
        return locked_out(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", WAIT_MESSAGE)
            return render(request, "accounts/verify.html", {"form": form})
        if device.verify_token(form.cleaned_data["token"]):
            _token_passed(request, user, device)
            return redirect(next_path or "core:home")
        response = _token_failed(request, user)
        if response is not None:
            return response
        form.add_error(
            "token", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")
        )
    return render(request, "accounts/verify.html", {"form": form})


def _token_passed(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """The second step is done: the failures end, and the session gets a new id."""
    totp_failures_clear(user=user)
    otp_login(request, device)
    request.session.cycle_key()
    request.session[SESSION_DRAFT_PAGES] = form_drafts_at_login(user=user)


@require_http_methods(["GET", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect("accounts:login")
    next_path = safe_next(request.GET.get("next"))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(login_url("accounts:verify", next_path=next_path))
    if totp_locked(user=user):
        logout(request)
        return locked_out(request)
    device = totp_device_pending(user=user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", WAIT_MESSAGE)
        elif device.verify_token(form.cleaned_data["token"]):
            totp_device_confirm(device=device)
            _token_passed(request, user, device)
            messages.success(request, _("Uw authenticator-app is gekoppeld."))
            if user.role in APPROVAL_ROLES and not user.role_approved:
                messages.info(
                    request,
                    _(
                        "Uw account werkt. U ziet nog geen gegevens: uw toegang wacht op "
                        "goedkeuring door een tweede persoon."
                    ),
                )
            return redirect(next_path or "core:home")
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


@require_http_methods(["GET", "POST"])
def stay_view(request: HttpRequest) -> HttpResponse:
    """ "Blijf ingelogd": the idle clock starts again. The warning's script posts here and gets
    204; without the script, the page has the same button and leads back to the start page.
    The session middleware has already checked that the session has not run out."""
    if request.method == "POST":
        request.session[SESSION_SEEN] = int(time.time())
        if request.headers.get("X-Wijk-Stay") == "1":
            return HttpResponse(status=204)
        messages.success(request, _("U blijft ingelogd."))
        return redirect("core:home")
    idle_minutes = max(1, settings.WIJK_SESSION_IDLE_TIMEOUT // 60)
    return render(request, "accounts/stay.html", {"idle_minutes": idle_minutes})


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown instead of the login page while this username is locked from this address."""
    return render(request, "accounts/locked_out.html", status=429)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def activate_view(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link from the e-mail: the holder chooses a password, is signed in, and
    links an authenticator next. An unknown, used or expired link gets one message."""
    holder = activation_token_user(token=token)
    if holder is None:
        return _activation_invalid(request)
    form = ActivationForm(request.POST if request.method == "POST" else None, user=holder)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_activate(token=token, password=form.cleaned_data["password1"])
        except NotFoundError:
            return _activation_invalid(request)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            login(request, user, backend="wijk.accounts.backends.UserWithOrganisationBackend")
            _session_start(request)
            messages.success(
                request, _("Uw wachtwoord is opgeslagen. Koppel nu uw authenticator-app.")
            )
            return redirect("accounts:setup")
    context = {"form": form, "username": holder.username}
    return render(request, "accounts/activate.html", context)


def _activation_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/activate_invalid.html", status=404)
