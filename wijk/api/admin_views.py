"""The administrators' pages for API clients: the list, a new client (its token shown once,
on the page that answers the form, never again) and revoking one. Everyone but an
administrator gets the not-found page, whatever the method."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import ManageRequest, not_found
from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.api.forms import ApiClientForm
from wijk.api.selectors import api_client_get, api_client_list
from wijk.api.services import api_client_create, api_client_revoke
from wijk.core.submissions import SubmittedBefore


def administrators_only[**P](
    view: Callable[Concatenate[ManageRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Only `Gate.manage`; everyone else the not-found page: that API clients exist, and
    where they are managed, is nobody else's business."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not isinstance(request.user, User) or not gate_for(request.user).manage:
            return not_found(request)
        return view(cast(ManageRequest, request), *args, **kwargs)

    return wrapped


@administrators_only
@require_GET
def api_client_list_view(request: ManageRequest) -> HttpResponse:
    return render(request, "api/api_client_list.html", {"clients": api_client_list()})


@administrators_only
@require_http_methods(["GET", "POST"])
def api_client_create_view(request: ManageRequest) -> HttpResponse:
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = api_client_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                scopes=form.cleaned_data["scopes"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.info(
                request,
                _(
                    "Deze koppeling was al aangemaakt. De sleutel is alleen de eerste keer "
                    "getoond. Is hij kwijt? Trek de koppeling in en maak een nieuwe."
                ),
            )
            return redirect("api_clients:list")
        context = {"client": made.client, "token": made.token}
        return render(request, "api/api_client_created.html", context)
    return render(request, "api/api_client_form.html", {"form": form})


@administrators_only
@require_http_methods(["GET", "POST"])
def api_client_revoke_view(request: ManageRequest, pk: int) -> HttpResponse:
    client = api_client_get(pk=pk)
    if client is None:
        return not_found(request)
    if request.method == "POST":
        api_client_revoke(actor=request.user, client=client)
        messages.success(
            request,
            _("De koppeling %(name)s is ingetrokken. Haar sleutel werkt niet meer.")
            % {"name": client.name},
        )
        return redirect("api_clients:list")
    return render(request, "api/api_client_revoke.html", {"client": client})
