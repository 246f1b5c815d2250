"""Thin views over the trajectory selectors and services: the team's open trajectories, the
residents turning 18, one trajectory, and the forms to start one, change its status and record
a ZRM assessment. Every page answers 404 to roles without person-level access and for
trajectories outside the user's access, exactly as for missing ones."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.core.errors import (
    BreakGlassRequired,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from wijk.core.params import query_id
from wijk.requests.selectors import help_request_get_for_user
from wijk.requests.workflow import RequestStatus
from wijk.residents.selectors import resident_get_for_user
from wijk.trajectories.adulthood import ADULT_AGE, anniversary
from wijk.trajectories.forms import (
    CoordinatorForm,
    StartForm,
    TransitionForm,
    ZrmForm,
    zrm_domains,
)
from wijk.trajectories.selectors import (
    coordinator_choices_for_trajectory,
    coordinator_choices_for_user,
    teams_of,
    trajectories_turning_18_for_user,
    trajectory_get_for_user,
    trajectory_list_for_user,
)
from wijk.trajectories.services import (
    CoordinatorChangedMeanwhile,
    HandoverInput,
    trajectory_coordinator_change,
    trajectory_start,
    trajectory_transition,
    zrm_record,
)
from wijk.trajectories.workflow import Part, TrajectoryStatus, ZrmMoment


@require_GET
@person_level_only
def trajectory_list(request: PersonLevelRequest) -> HttpResponse:
    try:
        listed = trajectory_list_for_user(user=request.user)
    except NotFoundError:
        return not_found(request)
    return render(request, "trajectories/list.html", {"listed": listed})


@require_GET
@person_level_only
def turning_18(request: PersonLevelRequest) -> HttpResponse:
    try:
        rows = trajectories_turning_18_for_user(user=request.user)
    except NotFoundError:
        return not_found(request)
    return render(request, "trajectories/turning_18.html", {"rows": rows})


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = trajectory_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    can_change_coordinator = view.trajectory.status != TrajectoryStatus.CLOSED and bool(
        coordinator_choices_for_trajectory(user=request.user, trajectory=view.trajectory)
    )
    context = {
        "view": view,
        "trajectory": view.trajectory,
        "can_change_coordinator": can_change_coordinator,
    }
    return render(request, "trajectories/detail.html", context)


@require_http_methods(["GET", "POST"])
@person_level_only
def coordinator(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """The team lead of the trajectory's team names another coordinator, with a reason."""
    user = request.user
    try:
        view = trajectory_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    trajectory = view.trajectory
    # The members of the trajectory's team, if the user leads it; none for anyone else.
    choices = coordinator_choices_for_trajectory(user=user, trajectory=trajectory)
    if not choices:
        return not_found(request)
    is_open = trajectory.status != TrajectoryStatus.CLOSED
    form = CoordinatorForm(
        request.POST if request.method == "POST" and is_open else None,
        coordinators=choices,
        initial={"coordinator": trajectory.coordinator_id, "expected": trajectory.coordinator_id},
    )
    if form.is_bound and form.is_valid():
        try:
            trajectory = trajectory_coordinator_change(
                actor=user,
                trajectory=trajectory,
                coordinator=form.cleaned_data["coordinator"],
                reason=form.cleaned_data["reason"],
                expected_id=form.cleaned_data["expected"],
            )
        except CoordinatorChangedMeanwhile as error:
            # Shown again against who it is now: sending it again is a deliberate choice.
            data = request.POST.copy()
            data["expected"] = str(error.current_id)
            form.data = data
            error.add_to_form(form)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            new = trajectory.coordinator
            messages.success(
                request,
                _("%(name)s is nu de regisseur van dit traject.")
                % {"name": new.get_full_name() or new.username},
            )
            return redirect("trajectories:detail", pk=pk)
    context = {"view": view, "trajectory": trajectory, "form": form, "is_open": is_open}
    status = 400 if form.errors else 200
    return render(request, "trajectories/coordinator.html", context, status=status)


@require_http_methods(["GET", "POST"])
@person_level_only
def start(request: PersonLevelRequest) -> HttpResponse:
    """Start a trajectory from a request (?hulpvraag=<id>) or a resident (?inwoner=<id>)."""
    user = request.user
    request_pk = query_id(request, "hulpvraag")
    resident_pk = query_id(request, "inwoner")
    help_request = None
    if request_pk is not None:
        try:
            help_request = help_request_get_for_user(user=user, pk=request_pk).help_request
        except NotFoundError:
            return not_found(request)
        resident_pk = help_request.resident_id
        if resident_pk is None or help_request.status == RequestStatus.CLOSED:
            page: dict[str, Any] = {
                "form": None,
                "help_request": help_request,
                "needs_resident": resident_pk is None,
                "request_closed": help_request.status == RequestStatus.CLOSED,
            }
            return render(request, "trajectories/start.html", page)
    if resident_pk is None:
        return render(request, "trajectories/start.html", {"form": None})
    try:
        resident = resident_get_for_user(user=user, pk=resident_pk).resident
    except BreakGlassRequired:
        return redirect("residents:break_glass", pk=resident_pk)
    except NotFoundError:
        return not_found(request)
    teams = teams_of(user)
    coordinators = coordinator_choices_for_user(user=user)
    today = timezone.localdate()
    initial_team = next(
        (team for team in teams if help_request is not None and team.pk == help_request.team_id),
        teams[0] if teams else None,
    )
    form = StartForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        coordinators=coordinators,
        initial={
            "part": Part.SOCIAAL_WIJKTEAM,
            "inflow_date": (
                timezone.localtime(help_request.received_at).date()
                if help_request is not None
                else today
            ),
            "team": initial_team,
            "coordinator": user if user in coordinators else None,
            "youth_support": anniversary(resident.date_of_birth, ADULT_AGE) > today,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trajectory = trajectory_start(
                actor=user,
                resident=resident,
                help_request=help_request,
                part=data["part"],
                inflow_date=data["inflow_date"],
                inflow_reason=data["inflow_reason"],
                primary_life_domain=data["primary_life_domain"],
                life_domains=data["life_domains"],
                coordinator=data["coordinator"],
                team=data["team"],
                youth_support=data["youth_support"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("Het traject is gestart."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    page = {"form": form, "resident": resident, "help_request": help_request}
    return render(request, "trajectories/start.html", page)


def _handover(data: dict[str, Any]) -> HandoverInput | None:
    destination: str = data.get("handover_destination") or ""
    receiver: str = data.get("handover_receiver") or ""
    handed_over_on: datetime.date | None = data.get("handover_date")
    if not (destination or receiver.strip() or handed_over_on):
        return None
    return HandoverInput(destination=destination, receiver=receiver, handed_over_on=handed_over_on)


@require_http_methods(["GET", "POST"])
@person_level_only
def transition(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = trajectory_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    trajectory = view.trajectory
    if trajectory.status == TrajectoryStatus.CLOSED:
        return render(request, "trajectories/transition.html", {"view": view, "form": None})
    form = TransitionForm(
        request.POST if request.method == "POST" else None, status=trajectory.status
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trajectory_transition(
                actor=request.user,
                trajectory=trajectory,
                to=data["to"],
                reason=data["reason"],
                outflow_date=data.get("outflow_date"),
                outflow_reason=data.get("outflow_reason"),
                handover=_handover(data),
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De status van het traject is gewijzigd."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/transition.html", {"view": view, "form": form})


@require_http_methods(["GET", "POST"])
@person_level_only
def zrm(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = trajectory_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    trajectory = view.trajectory
    taken = {assessment.moment for assessment in view.assessments}
    if trajectory.status == TrajectoryStatus.CLOSED:
        moment = ZrmMoment.END
    elif ZrmMoment.START in taken:
        moment = ZrmMoment.EVALUATION
    else:
        moment = ZrmMoment.START
    form = ZrmForm(
        request.POST if request.method == "POST" else None,
        domains=zrm_domains(),
        initial={"moment": moment, "assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            zrm_record(
                actor=request.user,
                trajectory=trajectory,
                moment=form.cleaned_data["moment"],
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De ZRM is vastgelegd."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/zrm.html", {"view": view, "form": form})
