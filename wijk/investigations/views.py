"""Thin views over the investigation selectors and services: start one from a request's page,
record what the conversation found while it is open, finish it, read it, add the resident's
own view to the finished report, and make the report letter. Every page answers 404 to roles
without person-level access and for investigations of requests outside the user's access,
exactly as for missing ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.forms import SubmissionForm
from wijk.core.submissions import SUBMITTED_BEFORE, SubmittedBefore, post_sent_before
from wijk.investigations.forms import InvestigationForm, OwnViewForm
from wijk.investigations.selectors import (
    InvestigationView,
    investigation_get_for_user,
    investigation_id_of_request,
    investigation_reports_for_user,
)
from wijk.investigations.services import (
    investigation_edit,
    investigation_finish,
    investigation_finish_problems,
    investigation_own_view_add,
    investigation_report_produce,
    investigation_start,
)
from wijk.requests.selectors import help_request_get_for_user


@require_http_methods(["GET", "POST"])
@person_level_only
def for_request(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """The investigation of request `pk`: its page when it was started; otherwise the page
    that starts it (POST)."""
    user = request.user
    try:
        view = help_request_get_for_user(user=user, pk=pk)
        existing = investigation_id_of_request(user=user, help_request=view.help_request)
    except NotFoundError:
        return not_found(request)
    sent = SubmissionForm(request.POST if request.method == "POST" else None)
    if existing is not None:
        if post_sent_before(request):
            messages.success(request, str(SUBMITTED_BEFORE))
        return redirect("investigations:detail", pk=existing)
    error = ""
    if request.method == "POST":
        key = sent.cleaned_data["submission_key"] if sent.is_valid() else None
        try:
            investigation = investigation_start(
                actor=user, help_request=view.help_request, submission_key=key
            )
        except SubmittedBefore as earlier:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("investigations:detail", pk=earlier.record_id)
        except ValidationFailed as refused:
            error = str(refused.message)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("Het onderzoek is gestart."))
            return redirect("investigations:edit", pk=investigation.pk)
    page = {
        "view": view,
        "help_request": view.help_request,
        "error": error,
        "submission": SubmissionForm(),
    }
    return render(request, "investigations/start.html", page, status=400 if error else 200)


def _view(request: PersonLevelRequest, pk: int) -> InvestigationView:
    return investigation_get_for_user(user=request.user, pk=pk)


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = _view(request, pk)
        letters = investigation_reports_for_user(
            user=request.user, investigation=view.investigation
        )
    except NotFoundError:
        return not_found(request)
    page = {
        "view": view,
        "investigation": view.investigation,
        "help_request": view.help_request,
        "letters": letters,
        "today": timezone.localdate(),
    }
    return render(request, "investigations/detail.html", page)


@require_http_methods(["GET", "POST"])
@person_level_only
def edit(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Record what the conversation found; only while the investigation is open."""
    try:
        view = _view(request, pk)
    except NotFoundError:
        return not_found(request)
    investigation = view.investigation
    if investigation.completed:
        messages.info(request, _("Dit onderzoek is afgerond en verandert niet meer."))
        return redirect("investigations:detail", pk=pk)
    form = InvestigationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "conversation_on": investigation.conversation_on,
            "conversation_place": investigation.conversation_place,
            "network_present": investigation.network_present,
            "network_who": investigation.network_who,
            "underlying_question": investigation.underlying_question,
            "life_domains": view.life_domains,
            "own_strength": investigation.own_strength,
            "preceding_provisions": investigation.preceding_provisions,
            "expertise_asked": investigation.expertise_asked,
            "expertise_which": investigation.expertise_which,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            investigation_edit(
                actor=request.user, investigation=investigation, content=form.content()
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("Het onderzoek is opgeslagen."))
            return redirect("investigations:detail", pk=pk)
    page = {"view": view, "investigation": investigation, "form": form}
    status = 400 if form.errors else 200
    return render(request, "investigations/edit.html", page, status=status)


@require_http_methods(["GET", "POST"])
@person_level_only
def finish(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """GET: what finishing means, and what is still missing. POST: finish it."""
    try:
        view = _view(request, pk)
    except NotFoundError:
        return not_found(request)
    investigation = view.investigation
    sent = SubmissionForm(request.POST if request.method == "POST" else None)
    if investigation.completed:
        if post_sent_before(request):
            messages.success(request, str(SUBMITTED_BEFORE))
        else:
            messages.info(request, _("Dit onderzoek is al afgerond."))
        return redirect("investigations:detail", pk=pk)
    error = ""
    if request.method == "POST":
        key = sent.cleaned_data["submission_key"] if sent.is_valid() else None
        try:
            investigation_finish(
                actor=request.user, investigation=investigation, submission_key=key
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("investigations:detail", pk=pk)
        except ValidationFailed as refused:
            error = str(refused.message)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request, _("Het onderzoek is afgerond. Maak nu het verslag voor de inwoner.")
            )
            return redirect("investigations:detail", pk=pk)
    page = {
        "view": view,
        "investigation": investigation,
        "missing": list(investigation_finish_problems(investigation).values()),
        "error": error,
        "submission": SubmissionForm(),
    }
    return render(request, "investigations/finish.html", page, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@person_level_only
def own_view(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """The resident's own view on the finished report, recorded beside it."""
    try:
        view = _view(request, pk)
    except NotFoundError:
        return not_found(request)
    investigation = view.investigation
    if not investigation.completed:
        messages.info(request, _("Rond eerst het onderzoek af. Daarna kan de inwoner reageren."))
        return redirect("investigations:detail", pk=pk)
    form = OwnViewForm(
        request.POST if request.method == "POST" else None,
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            investigation_own_view_add(
                actor=request.user,
                investigation=investigation,
                text=form.cleaned_data["text"],
                given_on=form.cleaned_data["given_on"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("investigations:detail", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De reactie van de inwoner is toegevoegd."))
            return redirect("investigations:detail", pk=pk)
    page: dict[str, Any] = {"view": view, "investigation": investigation, "form": form}
    return render(request, "investigations/own_view.html", page, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@person_level_only
def report(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """GET: what the report letter holds. POST: make it (a new version each time the page's
    button is pressed, one for a button pressed twice: wijk.core.submissions)."""
    try:
        view = _view(request, pk)
    except NotFoundError:
        return not_found(request)
    investigation = view.investigation
    if not investigation.completed:
        messages.info(request, _("Rond eerst het onderzoek af. Dan kunt u het verslag maken."))
        return redirect("investigations:detail", pk=pk)
    if request.method == "POST":
        sent = SubmissionForm(request.POST)
        key = sent.cleaned_data["submission_key"] if sent.is_valid() else None
        try:
            letter = investigation_report_produce(
                actor=request.user, investigation=investigation, submission_key=key
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
        except ValidationFailed as error:
            messages.error(request, str(error.message))
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request,
                _("Het verslag is gemaakt (versie %(version)d). U vindt het hieronder.")
                % {"version": letter.version},
            )
        return redirect("investigations:detail", pk=pk)
    page = {"view": view, "investigation": investigation, "submission": SubmissionForm()}
    return render(request, "investigations/report.html", page)
