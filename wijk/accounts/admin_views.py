"""Account management for administrators: list, create and edit accounts; disable, enable and
reset the authenticator, each a POST behind a confirmation page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.decorators import ManageRequest, manage_required
from wijk.accounts.forms import UserCreateForm, UserForm
from wijk.accounts.models import User
from wijk.accounts.services import (
    user_create,
    user_disable,
    user_enable,
    user_totp_reset,
    user_update,
)
from wijk.core.errors import ValidationFailed
from wijk.organisations.models import Team


def _with_authenticator_flag() -> Exists:
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


@manage_required
@require_GET
def user_list(request: ManageRequest) -> HttpResponse:
    users = (
        User.objects.select_related("organisation")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .annotate(has_authenticator=_with_authenticator_flag())
        .order_by("username")
    )
    return render(request, "accounts/user_list.html", {"users": users})


@manage_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def user_create_view(request: ManageRequest) -> HttpResponse:
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organisation=data["organisation"],
                teams=data["teams"],
                password=data["password"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("Het account %(username)s is aangemaakt.") % {"username": user.username}
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@manage_required
@require_http_methods(["GET", "POST"])
def user_edit(request: ManageRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(
        User.objects.select_related("organisation").annotate(
            has_authenticator=_with_authenticator_flag()
        ),
        pk=pk,
    )
    username = account.username  # the form writes its input onto the instance
    form = UserForm(request.POST if request.method == "POST" else None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(actor=request.user, user=form.instance, teams=form.cleaned_data["teams"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("De gegevens van %(username)s zijn opgeslagen.") % {"username": account.username},
            )
            return redirect("accounts:user_list")
    context = {"form": form, "account": account, "username": username}
    return render(request, "accounts/user_form.html", context)


def _confirmed_action(
    request: ManageRequest,
    pk: int,
    *,
    service: Callable[..., None],
    title: Promise,
    explanation: Promise,
    button: Promise,
    done: Promise,
) -> HttpResponse:
    """A confirmation page on GET; on POST the service runs and the edit page says how it went."""
    account = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        try:
            service(actor=request.user, user=account)
        except ValidationFailed as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(done) % {"username": account.username})
        return redirect("accounts:user_edit", pk=account.pk)
    context = {
        "account": account,
        "title": str(title) % {"username": account.username},
        "explanation": explanation,
        "button": button,
    }
    return render(request, "accounts/user_confirm.html", context)


@manage_required
@require_http_methods(["GET", "POST"])
def user_disable_view(request: ManageRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        service=user_disable,
        title=gettext_lazy("Account %(username)s uitschakelen"),
        explanation=gettext_lazy(
            "De gebruiker kan daarna niet meer inloggen en wordt overal uitgelogd. "
            "Gegevens die de gebruiker heeft vastgelegd blijven bewaard. "
            "U kunt het account later weer inschakelen."
        ),
        button=gettext_lazy("Account uitschakelen"),
        done=gettext_lazy("Het account %(username)s is uitgeschakeld."),
    )


@manage_required
@require_http_methods(["GET", "POST"])
def user_enable_view(request: ManageRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        service=user_enable,
        title=gettext_lazy("Account %(username)s inschakelen"),
        explanation=gettext_lazy(
            "De gebruiker kan daarna weer inloggen met het eigen wachtwoord en de "
            "authenticator-app."
        ),
        button=gettext_lazy("Account inschakelen"),
        done=gettext_lazy("Het account %(username)s is weer ingeschakeld."),
    )


@manage_required
@require_http_methods(["GET", "POST"])
def user_totp_reset_view(request: ManageRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        service=user_totp_reset,
        title=gettext_lazy("Authenticator van %(username)s herstellen"),
        explanation=gettext_lazy(
            "Doe dit als de gebruiker de telefoon met de authenticator-app kwijt is of een "
            "nieuwe telefoon heeft. De gekoppelde app werkt daarna niet meer en de gebruiker "
            "wordt overal uitgelogd. Bij de volgende keer inloggen koppelt de gebruiker een "
            "nieuwe authenticator-app."
        ),
        button=gettext_lazy("Authenticator herstellen"),
        done=gettext_lazy(
            "De authenticator van %(username)s is losgekoppeld. Bij de volgende keer inloggen "
            "koppelt de gebruiker een nieuwe."
        ),
    )
