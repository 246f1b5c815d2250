"""Thin views over the activity selectors and services. Activities and their sessions are for
professionals and team leads; named participants only where the activity registers them;
the overview (aggregates only) for team leads, management and the municipality. Resident
searches are POSTed, so no personal data ends up in a URL."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.accounts.models import User
from wijk.activities import services
from wijk.activities.forms import ActivityFilterForm, ActivityForm, SessionForm, YearForm
from wijk.activities.selectors import (
    activities_for_user,
    activities_overview_for_user,
    activity_detail_for_user,
    activity_get_for_team,
    activity_move_get_for_review,
    activity_moves_for_review,
    may_see_overview,
    session_for_participants,
    session_get_for_user,
    session_participants_for_user,
)
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.params import query_id, query_year
from wijk.residents.forms import SearchForm
from wijk.residents.selectors import SEARCH_LIMIT, resident_search_for_user


def _activity_input(data: dict[str, Any]) -> services.ActivityInput:
    return services.ActivityInput(
        name=data["name"],
        organiser=data["organiser"],
        theme=data["theme"],
        target_group=data["target_group"],
        wijk=data["wijk"],
        location=data["location"],
        registers_participants=data["registers_participants"],
        active=data["active"],
    )


@require_GET
@person_level_only
def activity_list(request: PersonLevelRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET if request.GET else None)
    wijk, include_inactive = None, False
    if form.is_bound and form.is_valid():
        wijk = form.cleaned_data["wijk"]
        include_inactive = form.cleaned_data["include_inactive"]
    activities = activities_for_user(
        user=request.user, wijk=wijk, include_inactive=include_inactive
    )
    return render(request, "activities/list.html", {"form": form, "activities": activities})


@require_http_methods(["GET", "POST"])
@person_level_only
def activity_create(request: PersonLevelRequest) -> HttpResponse:
    form = ActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, data=_activity_input(form.cleaned_data)
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except PermissionDeniedError:
            return not_found(request)
        else:
            messages.success(request, _("De activiteit is aangemaakt."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@require_http_methods(["GET", "POST"])
@person_level_only
def activity_edit(request: PersonLevelRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        activity = activity_get_for_team(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    form = ActivityForm(request.POST if request.method == "POST" else None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.activity_update(
                actor=user, activity=activity, data=_activity_input(form.cleaned_data)
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            if updated.move is None:
                messages.success(request, _("De activiteit is opgeslagen."))
            else:
                messages.success(
                    request,
                    _(
                        "De activiteit is opgeslagen. De verhuizing naar wijk %(wijk)s gaat "
                        "pas in als een teamleider van die wijk akkoord geeft."
                    )
                    % {"wijk": updated.move.to_wijk.name},
                )
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@require_GET
@person_level_only
def activity_detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        detail = activity_detail_for_user(user=request.user, pk=pk, year=query_year(request))
    except NotFoundError:
        return not_found(request)
    return render(
        request, "activities/detail.html", {"detail": detail, "activity": detail.activity}
    )


@require_http_methods(["GET", "POST"])
@person_level_only
def session_create(request: PersonLevelRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        activity = activity_get_for_team(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={"held_on": timezone.localdate(), "attendance_youth": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.activity_session_create(
                actor=user,
                activity=activity,
                held_on=data["held_on"],
                attendance_total=data["attendance_total"],
                attendance_youth=data["attendance_youth"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except PermissionDeniedError:
            return not_found(request)
        else:
            messages.success(request, _("De bijeenkomst is geregistreerd."))
            url = reverse("activities:detail", kwargs={"pk": activity.pk})
            return redirect(f"{url}?jaar={session.held_on.year}")
    return render(request, "activities/session_form.html", {"form": form, "activity": activity})


@require_http_methods(["GET", "POST"])
@person_level_only
def session_edit(request: PersonLevelRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        session = session_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "held_on": session.held_on,
            "attendance_total": session.attendance_total,
            "attendance_youth": session.attendance_youth,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.activity_session_update(
                actor=user,
                session=session,
                held_on=data["held_on"],
                attendance_total=data["attendance_total"],
                attendance_youth=data["attendance_youth"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De bijeenkomst is opgeslagen."))
            url = reverse("activities:detail", kwargs={"pk": saved.activity_id})
            return redirect(f"{url}?jaar={saved.held_on.year}")
    return render(
        request,
        "activities/session_form.html",
        {"form": form, "activity": session.activity, "session": session},
    )


@require_http_methods(["GET", "POST"])
@person_level_only
def participants(request: PersonLevelRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        session = session_for_participants(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    here = reverse("activities:participants", kwargs={"pk": session.pk})
    if action in {"add", "remove"}:
        target = query_id(request, "resident" if action == "add" else "participation", posted=True)
        if target is None:
            return not_found(request)
        try:
            if action == "add":
                services.participation_add(actor=user, session_pk=session.pk, resident_pk=target)
                messages.success(request, _("De deelnemer is toegevoegd."))
            else:
                services.participation_remove(
                    actor=user, session_pk=session.pk, participation_pk=target
                )
                messages.success(request, _("De deelnemer is van de lijst gehaald."))
        except ValidationFailed as error:
            messages.error(request, str(error.message))
        except NotFoundError:
            return not_found(request)
        return redirect(here)
    search_form = SearchForm(request.POST if action == "search" else None)
    results = None
    if action == "search" and search_form.is_valid():
        results = resident_search_for_user(user=user, **search_form.cleaned_data)
    context: dict[str, Any] = {
        "session": session,
        "activity": session.activity,
        "form": search_form,
        "results": results,
        "search_limit": SEARCH_LIMIT,
    }
    if getattr(request, "htmx", False) and action == "search":
        return render(request, "activities/participants.html#results", context)
    context["participations"] = session_participants_for_user(user=user, session=session)
    return render(request, "activities/participants.html", context)


@require_GET
@person_level_only
def move_list(request: PersonLevelRequest) -> HttpResponse:
    """The moves of activities to a wijk of the team lead's teams, waiting for them."""
    try:
        moves = activity_moves_for_review(user=request.user)
    except NotFoundError:
        return not_found(request)
    return render(request, "activities/move_list.html", {"moves": moves})


@require_http_methods(["GET", "POST"])
@person_level_only
def move_review(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """One pending move, with the team lead's two answers."""
    user = request.user
    try:
        move = activity_move_get_for_review(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "approve":
                services.activity_move_approve(actor=user, move_pk=move.pk)
                messages.success(request, _("De activiteit is verhuisd naar uw wijk."))
            elif action == "reject":
                services.activity_move_reject(actor=user, move_pk=move.pk)
                messages.success(request, _("De verhuizing is afgewezen."))
            else:
                return not_found(request)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        return redirect("activities:move_list")
    return render(request, "activities/move_review.html", {"move": move})


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # RequireVerifiedStaffMiddleware lets only accounts in
    if not may_see_overview(user):
        return not_found(request)
    this_year = timezone.localdate().year
    form = YearForm(request.GET if request.GET else None, initial={"year": this_year})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else this_year
    try:
        data = activities_overview_for_user(user=user, year=year)
    except NotFoundError:
        return not_found(request)
    return render(request, "activities/overview.html", {"form": form, "overview": data})
