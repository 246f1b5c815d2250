"""Organisation and team management for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import ManageRequest, manage_required
from wijk.accounts.selectors import access_changes_pending_of
from wijk.areas.models import Wijk
from wijk.core.errors import ValidationFailed
from wijk.organisations.forms import OrganisationForm, TeamForm
from wijk.organisations.models import Organisation, Team
from wijk.organisations.services import (
    organisation_create,
    organisation_update,
    team_create,
    team_update,
)

WAITS_MESSAGE = gettext_lazy(
    "Nieuwe leden en nieuwe wijken van een team, een team weer actief maken en het intaketeam "
    "wijzigen werken pas als een tweede persoon het goedkeurt. Tot dan wacht het op de pagina "
    "Goedkeuren."
)


@manage_required
@require_GET
def organisation_list(request: ManageRequest) -> HttpResponse:
    organisations = Organisation.objects.annotate(team_count=Count("teams")).order_by("name")
    return render(request, "organisations/organisation_list.html", {"organisations": organisations})


@manage_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request: ManageRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = organisation_create(actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("Organisatie %(name)s is aangemaakt.") % {"name": organisation.name}
        )
        return redirect("organisations:organisation_list")
    context = {"form": form, "organisation": None}
    return render(request, "organisations/organisation_form.html", context)


@manage_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: ManageRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    name = organisation.name  # the form writes its input onto the instance
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(
            request, _("Organisatie %(name)s is opgeslagen.") % {"name": organisation.name}
        )
        return redirect("organisations:organisation_list")
    context = {"form": form, "organisation": organisation, "name": name}
    return render(request, "organisations/organisation_form.html", context)


@manage_required
@require_GET
def team_list(request: ManageRequest) -> HttpResponse:
    teams = (
        Team.objects.select_related("organisation")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.order_by("name", "source_year")))
        .annotate(member_count=Count("members"))
        .order_by("name")
    )
    return render(request, "organisations/team_list.html", {"teams": teams})


@manage_required
@require_http_methods(["GET", "POST"])
def team_create_view(request: ManageRequest) -> HttpResponse:
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(actor=request.user, **form.cleaned_data)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Team %(name)s is aangemaakt.") % {"name": team.name})
            if access_changes_pending_of(team=team):
                messages.info(request, WAITS_MESSAGE)
            return redirect("organisations:team_list")
    return render(request, "organisations/team_form.html", {"form": form, "team": None})


@manage_required
@require_http_methods(["GET", "POST"])
def team_edit(request: ManageRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    name = team.name  # the form writes its input onto the instance
    form = TeamForm(request.POST if request.method == "POST" else None, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            team_update(actor=request.user, team=team, **form.cleaned_data)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Team %(name)s is opgeslagen.") % {"name": team.name})
            if access_changes_pending_of(team=team):
                messages.info(request, WAITS_MESSAGE)
            return redirect("organisations:team_list")
    context = {
        "form": form,
        "team": team,
        "name": name,
        "pending": access_changes_pending_of(team=team),
    }
    return render(request, "organisations/team_form.html", context)
