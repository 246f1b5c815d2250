"""Account management for administrators: list, create and edit accounts; disable, enable and
reset access, each a POST behind a confirmation page. And the pages on which a second person
approves or rejects a change that gives access (team leads and administrators, ADR 0019)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.decorators import ManageRequest, manage_required, not_found
from wijk.accounts.forms import AccessChangeDecisionForm, UserCreateForm, UserForm
from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.accounts.selectors import (
    access_change_get_for_decision,
    access_changes_pending_for,
    access_changes_pending_of,
    activation_link_latest,
)
from wijk.accounts.services import (
    access_change_approve,
    access_change_reject,
    user_access_reset,
    user_create,
    user_disable,
    user_enable,
    user_update,
)
from wijk.core.errors import NotFoundError, ValidationFailed
from wijk.organisations.models import Team

WAITS_MESSAGE = gettext_lazy(
    "Een rol of team met toegang tot gegevens van inwoners werkt pas als een tweede persoon "
    "het goedkeurt. Tot dan wacht de wijziging op de pagina Goedkeuren."
)


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
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _(
                    "Het account %(username)s is aangemaakt. De gebruiker krijgt een e-mail met "
                    "een link om zelf een wachtwoord te kiezen en de authenticator-app te koppelen."
                )
                % {"username": user.username},
            )
            if access_changes_pending_of(subject=user):
                messages.info(request, WAITS_MESSAGE)
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
            if access_changes_pending_of(subject=account):
                messages.info(request, WAITS_MESSAGE)
            return redirect("accounts:user_list")
    context = {
        "form": form,
        "account": account,
        "username": username,
        "pending": access_changes_pending_of(subject=account),
    }
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
            "authenticator-app. Heeft het account toegang tot gegevens van inwoners, dan moet "
            "een tweede persoon die toegang opnieuw goedkeuren."
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
        service=user_access_reset,
        title=gettext_lazy("Toegang van %(username)s opnieuw instellen"),
        explanation=gettext_lazy(
            "Doe dit als de gebruiker het wachtwoord vergeten is, of de telefoon met de "
            "authenticator-app kwijt is. Het wachtwoord en de gekoppelde app werken daarna niet "
            "meer en de gebruiker wordt overal uitgelogd. De gebruiker krijgt een e-mail met een "
            "nieuwe link om zelf een wachtwoord te kiezen en een app te koppelen. Heeft het "
            "account toegang tot gegevens van inwoners, dan moet een tweede persoon die toegang "
            "opnieuw goedkeuren."
        ),
        button=gettext_lazy("Toegang opnieuw instellen"),
        done=gettext_lazy(
            "De toegang van %(username)s is opnieuw ingesteld. De gebruiker krijgt een e-mail "
            "met een nieuwe link."
        ),
    )


def _approver(request: HttpRequest) -> User:
    gate = gate_for(request.user)
    if not isinstance(request.user, User) or not (gate.manage or gate.review_break_glass):
        raise PermissionDenied
    return request.user


@require_GET
def access_change_list(request: HttpRequest) -> HttpResponse:
    user = _approver(request)
    rows = access_changes_pending_for(user=user)
    return render(request, "accounts/access_change_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def access_change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _approver(request)
    pending = access_change_get_for_decision(user=user, pk=pk)
    if pending is None:
        return not_found(request)
    form = AccessChangeDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decide = (
            access_change_approve
            if form.cleaned_data["decision"] == "approve"
            else access_change_reject
        )
        try:
            decide(actor=user, change=pending.change, reason=form.cleaned_data["reason"])
        except NotFoundError:
            return not_found(request)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            if decide is access_change_approve:
                messages.success(request, _("De wijziging is goedgekeurd en werkt nu."))
            else:
                messages.success(request, _("De wijziging is afgewezen."))
            return redirect("accounts:access_change_list")
    subject = pending.change.subject
    context = {
        "pending": pending,
        "form": form,
        "link": activation_link_latest(user=subject) if subject is not None else None,
        "activated": subject is not None and subject.has_usable_password(),
    }
    return render(request, "accounts/access_change_decide.html", context)
