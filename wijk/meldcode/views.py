"""Thin views over the meldcode selectors and services (ADR 0039): the resident's meldcode
page (the cases the user reads, and opening one), a case with its steps, recording a step,
the readers, closing. Every page answers the one 404 to roles without person-level access
and for cases the user does not read, exactly as for missing ones."""

from __future__ import annotations

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
from wijk.core.params import parse_int
from wijk.core.submissions import SUBMITTED_BEFORE, SubmittedBefore, submission_sent_before
from wijk.meldcode.forms import STEP_FORMS, CloseForm, OpenForm, ReaderForm
from wijk.meldcode.selectors import (
    meldcode_case_get_for_user,
    meldcode_cases_for_resident,
    meldcode_reader_candidates,
)
from wijk.meldcode.services import (
    meldcode_case_close,
    meldcode_case_open,
    meldcode_reader_add,
    meldcode_reader_end,
    meldcode_step_record,
)
from wijk.meldcode.workflow import WEIGHING_QUESTIONS, MeldcodeStatus, Step, report_required
from wijk.residents.selectors import resident_get_for_user


@require_GET
@person_level_only
def resident(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """The meldcode cases of resident `pk` that the user reads; the same page, without
    cases, for a resident whose cases the user does not read (or who has none)."""
    try:
        found = resident_get_for_user(user=request.user, pk=pk).resident
    except BreakGlassRequired:
        return redirect("residents:break_glass", pk=pk)
    except NotFoundError:
        return not_found(request)
    cases = meldcode_cases_for_resident(user=request.user, resident=found)
    return render(request, "meldcode/resident.html", {"resident": found, "cases": cases})


@require_http_methods(["GET", "POST"])
@person_level_only
def open_case(request: PersonLevelRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        found = resident_get_for_user(user=user, pk=pk).resident
    except BreakGlassRequired:
        return redirect("residents:break_glass", pk=pk)
    except NotFoundError:
        return not_found(request)
    form = OpenForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = meldcode_case_open(
                actor=user,
                resident=found,
                team=form.cleaned_data["team"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore as earlier:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("meldcode:detail", pk=earlier.record_id)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("Het meldcodetraject is gestart. Leg nu stap 1 vast."))
            return redirect("meldcode:detail", pk=case.pk)
    return render(request, "meldcode/open.html", {"resident": found, "form": form})


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = meldcode_case_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    sections = [
        {"step": step, "records": [record for record in view.steps if record.number == step]}
        for step in Step
    ]
    page = {
        "view": view,
        "case": view.case,
        "sections": sections,
        "questions": WEIGHING_QUESTIONS,
        "closed": view.case.status == MeldcodeStatus.CLOSED,
    }
    return render(request, "meldcode/detail.html", page)


@require_http_methods(["GET", "POST"])
@person_level_only
def step(request: PersonLevelRequest, pk: int, number: int) -> HttpResponse:
    """Record step `number` (1 to 5) of the case: its coordinator and the team leads only."""
    form_class = STEP_FORMS.get(number)
    if form_class is None:
        return not_found(request)
    try:
        view = meldcode_case_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if not view.leads or view.case.status == MeldcodeStatus.CLOSED:
        return not_found(request)
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial={"occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meldcode_step_record(
                actor=request.user,
                case=view.case,
                content=form.content(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("meldcode:detail", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De stap is vastgelegd."))
            return redirect("meldcode:detail", pk=pk)
    weighing = view.latest(Step.WEIGHING)
    answers = (
        {name: getattr(weighing, name) for name, _question in WEIGHING_QUESTIONS}
        if weighing is not None
        else {}
    )
    page: dict[str, Any] = {
        "view": view,
        "case": view.case,
        "step": Step(number),
        "form": form,
        "signals": view.latest(Step.SIGNALS),
        "weighing": weighing,
        "report_required": report_required(answers),
    }
    return render(request, "meldcode/step.html", page)


@require_http_methods(["GET", "POST"])
@person_level_only
def readers(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Who reads the case; its coordinator and the team leads add a reader (with a reason)
    and end one (POST `beeindigen` with the reader row's id)."""
    try:
        view = meldcode_case_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if not view.leads:
        return not_found(request)
    case = view.case
    candidates = meldcode_reader_candidates(case=case, actor=request.user)
    adding = request.method == "POST" and "beeindigen" not in request.POST
    form = ReaderForm(request.POST if adding else None, candidates=candidates)
    if request.method == "POST" and not adding:
        grant_pk = parse_int(request.POST.get("beeindigen"), minimum=1)
        if grant_pk is None:
            return not_found(request)
        try:
            meldcode_reader_end(actor=request.user, case=case, grant_pk=grant_pk)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        messages.success(request, _("Deze persoon kan het traject niet meer lezen."))
        return redirect("meldcode:readers", pk=pk)
    if adding and form.is_valid():
        try:
            meldcode_reader_add(
                actor=request.user,
                case=case,
                user=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("meldcode:readers", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De lezer is toegevoegd."))
            return redirect("meldcode:readers", pk=pk)
    elif adding and submission_sent_before(
        actor=request.user, key=form.cleaned_data.get("submission_key")
    ):
        # Sent again: the reader added the first time is no longer offered, so the form
        # cannot be valid; lead to the readers page as the first sending did.
        messages.success(request, str(SUBMITTED_BEFORE))
        return redirect("meldcode:readers", pk=pk)
    page = {
        "view": view,
        "case": case,
        "form": form,
        "closed": case.status == MeldcodeStatus.CLOSED,
    }
    return render(request, "meldcode/readers.html", page)


@require_http_methods(["GET", "POST"])
@person_level_only
def close(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = meldcode_case_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if not view.leads or view.case.status == MeldcodeStatus.CLOSED:
        if (
            view.leads
            and form.is_valid()
            and submission_sent_before(actor=request.user, key=form.cleaned_data["submission_key"])
        ):
            # Sent twice: the first sending closed the case, so this page is gone.
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("meldcode:detail", pk=pk)
        return not_found(request)
    if request.method == "POST" and form.is_valid():
        try:
            meldcode_case_close(
                actor=request.user,
                case=view.case,
                reason=form.cleaned_data["reason"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("meldcode:detail", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("Het meldcodetraject is afgesloten."))
            return redirect("meldcode:detail", pk=pk)
    return render(request, "meldcode/close.html", {"view": view, "case": view.case, "form": form})
