"""The decision desk's pages and the consortium's pages about decisions: thin views over
wijk.decisions.selectors and services (ADR 0040).

The desk's pages (`decision_desk_only`) answer the municipality's decision officers only;
the consortium's (`person_level_only`) the roles with person-level access. Everyone else
gets the one not-found page, whatever the method."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.errors import (
    BreakGlassRequired,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from wijk.core.submissions import SUBMITTED_BEFORE, SubmittedBefore
from wijk.decisions.deadlines import pgb_evaluation_suggested
from wijk.decisions.forms import DecisionForm, PgbEvaluationForm, PgbRequestForm, PlacementForm
from wijk.decisions.selectors import (
    decision_case_for_desk,
    decision_case_get_for_user,
    decision_draft_file_for_user,
    decision_queue_for_user,
)
from wijk.decisions.services import (
    DecisionInput,
    PlacementInput,
    decision_case_place,
    decision_record,
    decision_seen,
    pgb_evaluation_record,
)
from wijk.decisions.workflow import DecisionKind, DecisionStatus
from wijk.plans.selectors import plan_get_for_user, plan_signing_panel


class DeskRequest(HttpRequest):
    """A request of a verified decision officer: `user` is a real account."""

    user: User


def decision_desk_only[**P](
    view: Callable[Concatenate[DeskRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Let only the decision desk (`Gate.decision_desk`) in; everyone else gets the
    not-found page, whatever the method, so a refused POST changes nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not isinstance(request.user, User) or not gate_for(request.user).decision_desk:
            return not_found(request)
        return view(cast(DeskRequest, request), *args, **kwargs)

    return wrapped


# -- The decision desk ----------------------------------------------------------------------


@require_GET
@decision_desk_only
def queue(request: DeskRequest) -> HttpResponse:
    """The desk's start: the cases waiting for a decision, and those it decided."""
    return render(
        request, "decisions/queue.html", {"queue": decision_queue_for_user(user=request.user)}
    )


def _decision_input(form: DecisionForm) -> DecisionInput:
    data = form.cleaned_data
    return DecisionInput(
        outcome=data["outcome"],
        decided_on=data["decided_on"],
        reference=data["reference"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        amount=data.get("amount"),
    )


@require_http_methods(["GET", "POST"])
@decision_desk_only
def desk_case(request: DeskRequest, pk: int) -> HttpResponse:
    """One case of the queue: the draft decision, the signed plan version and the
    investigation report; and the form to record the decision while it waits for one."""
    user = request.user
    try:
        view = decision_case_for_desk(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    case = view.case
    form = None
    if case.status == DecisionStatus.PLACED:
        posted = request.method == "POST"
        form = DecisionForm(
            request.POST if posted else None,
            pgb=case.is_pgb,
            initial={"decided_on": timezone.localdate()},
        )
        if posted and form.is_valid():
            try:
                decision_record(
                    actor=user,
                    case=case,
                    decision=_decision_input(form),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except SubmittedBefore:
                messages.success(request, str(SUBMITTED_BEFORE))
                return redirect("decisions:desk_case", pk=case.pk)
            except ValidationFailed as error:
                error.add_to_form(form)
            except NotFoundError:
                return not_found(request)
            else:
                messages.success(request, _("Het besluit is vastgelegd. Het team ziet het nu."))
                return redirect("decisions:desk_case", pk=case.pk)
    elif request.method == "POST":
        return redirect("decisions:desk_case", pk=case.pk)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "decisions/desk_case.html",
        {"view": view, "case": case, "form": form},
        status=status,
    )


@require_GET
@decision_desk_only
def desk_draft(request: DeskRequest, pk: int) -> HttpResponse:
    """The draft decision of a case in the queue as a PDF, through the gate: logged, never
    cached, never sniffed."""
    try:
        draft = decision_draft_file_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    response = HttpResponse(draft.pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=draft.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# -- The consortium ---------------------------------------------------------------------------


def _place(request: PersonLevelRequest, pk: int, *, pgb: bool) -> HttpResponse:
    user = request.user
    try:
        plan_view = plan_get_for_user(user=user, pk=pk)
    except (NotFoundError, BreakGlassRequired):
        return not_found(request)
    plan = plan_view.plan
    signed = bool(plan_signing_panel(plan=plan).signatures)
    posted = request.method == "POST" and signed
    form: PlacementForm | PgbRequestForm = (
        PgbRequestForm(request.POST if posted else None)
        if pgb
        else PlacementForm(request.POST if posted else None)
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        placement = PlacementInput(
            kind=DecisionKind.PGB if pgb else data["kind"],
            draft_text=data["draft_text"],
            pgb_plan=data.get("pgb_plan", ""),
            amount_requested=data.get("amount_requested"),
        )
        try:
            case = decision_case_place(
                actor=user,
                plan=plan,
                placement=placement,
                submission_key=data["submission_key"],
            )
        except SubmittedBefore as earlier:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("decisions:case", pk=earlier.record_id)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request,
                _("De zaak ligt nu bij de gemeente. U ziet het besluit op het plan als het er is."),
            )
            return redirect("decisions:case", pk=case.pk)
    page: dict[str, Any] = {"plan": plan, "form": form, "signed": signed, "pgb": pgb}
    return render(request, "decisions/place.html", page, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@person_level_only
def place(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Place a case about plan `pk` in the municipality's queue: a written decision the
    resident asks for, an objection, or Aanvullende Ondersteuning refused."""
    return _place(request, pk, pgb=False)


@require_http_methods(["GET", "POST"])
@person_level_only
def pgb_request(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A pgb request about plan `pk`: the pgb plan and the draft decision, to the desk."""
    return _place(request, pk, pgb=True)


@require_http_methods(["GET", "POST"])
@person_level_only
def case(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A case as the plan's team sees it: what was sent, the decision once it is there (with
    the button that says the team has seen it), and a pgb's evaluations."""
    user = request.user
    try:
        view = decision_case_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if request.method == "POST":
        if request.POST.get("actie") == "gezien" and view.can_mark_seen:
            try:
                decision_seen(actor=user, case=view.case)
            except (NotFoundError, ValidationFailed):
                return not_found(request)
            messages.success(request, _("Gemarkeerd als gezien."))
        return redirect("decisions:case", pk=pk)
    return render(request, "decisions/case.html", {"view": view, "case": view.case})


@require_http_methods(["GET", "POST"])
@person_level_only
def pgb_evaluation(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Record an evaluation of a granted pgb, and its next date (at most two years on)."""
    user = request.user
    try:
        view = decision_case_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if not view.can_evaluate:
        return not_found(request)
    today = timezone.localdate()
    posted = request.method == "POST"
    form = PgbEvaluationForm(
        request.POST if posted else None,
        initial={"held_on": today, "next_evaluation_on": pgb_evaluation_suggested(today)},
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            pgb_evaluation_record(
                actor=user,
                case=view.case,
                held_on=data["held_on"],
                outcome=data["outcome"],
                next_evaluation_on=data["next_evaluation_on"],
                submission_key=data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("decisions:case", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except NotFoundError:
            return not_found(request)
        else:
            messages.success(request, _("De evaluatie van het pgb is vastgelegd."))
            return redirect("decisions:case", pk=pk)
    page = {"view": view, "case": view.case, "form": form}
    return render(
        request, "decisions/pgb_evaluation.html", page, status=400 if form.errors else 200
    )
