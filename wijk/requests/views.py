"""Thin views over the request selectors and services: registering a request, its page, the
one-click contact buttons, closing with an outcome, picking up and assigning (one request, or
several from the team worklist), the worklists, the waiting list and the team lead's overview.
Every page works without JavaScript; htmx swaps the resident search results, a worklist row
and the team worklist in. Searches are POSTed: no personal data in a URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.params import query_id, query_page
from wijk.requests.forms import (
    AssignForm,
    AttemptForm,
    BulkAssignForm,
    CloseForm,
    LinkResidentForm,
    RegisterForm,
    ResidentChoiceForm,
)
from wijk.requests.selectors import (
    LIST_LIMIT,
    assignee_choices_for_user,
    help_request_get_for_user,
    open_requests_for_team_lead,
    request_row,
    team_worklist_for_user,
    waiting_list_for_user,
    worklist_for_user,
)
from wijk.requests.services import (
    request_assign,
    request_assign_many,
    request_close,
    request_link_resident,
    request_pick_up,
    request_record_attempt,
    request_register,
)
from wijk.requests.workflow import MIN_ATTEMPTS_FOR_NOT_REACHABLE, RequestStatus
from wijk.residents.forms import SearchForm
from wijk.residents.selectors import (
    ResidentListing,
    resident_get_for_user,
    resident_search_for_user,
)

if TYPE_CHECKING:
    from wijk.requests.models import HelpRequest
    from wijk.residents.models import Resident

SEARCH_PREFIX = "zoek"


class HtmxHttpRequest(PersonLevelRequest):
    htmx: HtmxDetails


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _trajectory_start_url(pk: int) -> str:
    """Starting support is the trajectories app's page, for this request."""
    return f"{reverse('trajectories:start')}?hulpvraag={pk}"


# --- registering ---------------------------------------------------------------------------


def _chosen_resident(user: User, pk: int | None) -> Resident | None:
    """The resident picked earlier, shown again after a refused submission (a logged read)."""
    if pk is None:
        return None
    try:
        return resident_get_for_user(user=user, pk=pk).resident
    except NotFoundError:
        return None


@dataclass
class ResidentChoice:
    """The resident part of a page: the POSTed search, its results, and the one chosen."""

    search_form: SearchForm
    candidates: list[ResidentListing] = field(default_factory=list)
    chosen_pk: int | None = None
    is_search: bool = False
    error: str = ""

    def context(self) -> dict[str, Any]:
        return {
            "search_form": self.search_form,
            "candidates": self.candidates,
            "chosen_pk": self.chosen_pk,
            "searched": self.is_search and self.search_form.is_valid(),
            "resident_error": self.error,
        }


def _resident_search(request: HttpRequest, user: User) -> ResidentChoice:
    """A POST with the search form's (prefixed) fields is a search: run it through the
    residents' selector (logged). One resident found is chosen already."""
    if request.method != "POST" or not any(
        key.startswith(f"{SEARCH_PREFIX}-") for key in request.POST
    ):
        return ResidentChoice(search_form=SearchForm(prefix=SEARCH_PREFIX))
    choice = ResidentChoice(
        search_form=SearchForm(request.POST, prefix=SEARCH_PREFIX), is_search=True
    )
    if choice.search_form.is_valid():
        choice.candidates = resident_search_for_user(user=user, **choice.search_form.cleaned_data)
        if len(choice.candidates) == 1:
            choice.chosen_pk = choice.candidates[0].pk
    return choice


def _keep_choice(choice: ResidentChoice, user: User, pk: int | None) -> None:
    """After a refused submission: show the chosen resident again (a logged read)."""
    chosen = _chosen_resident(user, pk)
    choice.candidates = [ResidentListing.of(chosen)] if chosen is not None else []
    choice.chosen_pk = chosen.pk if chosen is not None else None


def _apply_errors(error: ValidationFailed, form: forms.Form, choice: ResidentChoice) -> None:
    """A service's refusal: the resident's message at the resident choice, the rest on the
    form."""
    choice.error = error.fields.pop("resident", "")
    if error.fields or not choice.error:
        error.add_to_form(form)


@require_http_methods(["GET", "POST"])
@person_level_only
def register(request: HtmxHttpRequest) -> HttpResponse:
    """One page: find the resident (a POSTed search, its results swapped in by htmx), then
    the short form. The resident's radio buttons belong to the request form (form="...")."""
    user = request.user
    form = RegisterForm()
    choice = _resident_search(request, user)
    if choice.is_search and request.htmx:
        return render(request, "requests/register.html#choice", choice.context())
    if request.method == "POST" and not choice.is_search:
        picked = ResidentChoiceForm(request.POST)
        chosen_pk = picked.cleaned_data["resident"] if picked.is_valid() else None
        form = RegisterForm(request.POST, resident_chosen=chosen_pk is not None)
        if not picked.is_valid():
            choice.error = _("Kies een inwoner uit de zoekresultaten.")
        elif form.is_valid():
            try:
                help_request = _register(user, chosen_pk, form.cleaned_data)
            except ValidationFailed as error:
                _apply_errors(error, form, choice)
            except PermissionDeniedError:
                return not_found(request)
            else:
                messages.success(
                    request,
                    _("Hulpvraag %(reference)s is geregistreerd.")
                    % {"reference": help_request.reference},
                )
                return redirect("requests:detail", pk=help_request.pk)
        _keep_choice(choice, user, chosen_pk)
    elif (pk := query_id(request, "inwoner")) is not None:
        _keep_choice(choice, user, pk)
        if choice.chosen_pk is None:
            return not_found(request)
    status = 400 if form.errors or choice.error else 200
    return render(
        request, "requests/register.html", {"form": form, **choice.context()}, status=status
    )


def _register(user: User, resident_id: int | None, data: dict[str, Any]) -> HelpRequest:
    return request_register(
        actor=user,
        channel=data["channel"],
        question=data["question"],
        received_at=data["received_at"],
        resident_id=resident_id,
        whole_household=data["whole_household"],
        requested_by=data["requested_by"],
        requester_name=data["requester_name"],
        requester_phone=data["requester_phone"],
        requester_email=data["requester_email"],
        referrer_type=data["referrer_type"],
        referrer_organisation=data["referrer_organisation"],
        assign_to_actor=data["assign_to_me"],
    )


# --- one request ---------------------------------------------------------------------------


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = help_request_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    context = {
        "view": view,
        "help_request": view.help_request,
        "row": view.row,
        "trajectory_start_url": _trajectory_start_url(pk),
        "attempt_form_next": request.path,
        "can_assign": bool(
            assignee_choices_for_user(user=request.user, help_request=view.help_request)
        ),
    }
    return render(request, "requests/detail.html", context)


@require_http_methods(["GET", "POST"])
@person_level_only
def attempt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the request's contact details with the two buttons. POST: record the attempt;
    an htmx request gets the worklist row back, others go back where they came from."""
    user = request.user
    try:
        view = help_request_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    form = AttemptForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "requests/attempt.html", {"view": view}, status=status)
    reached: bool = form.cleaned_data["reached"]
    help_request = view.help_request
    try:
        help_request = request_record_attempt(
            actor=user, help_request=help_request, reached=reached
        )
    except ValidationFailed as error:
        notice, level = str(error.message), messages.ERROR
    else:
        if reached:
            notice = _("Contact vastgelegd voor hulpvraag %(reference)s.")
        else:
            notice = _("Poging vastgelegd: hulpvraag %(reference)s niet bereikt.")
        notice, level = notice % {"reference": help_request.reference}, messages.SUCCESS
    if request.htmx:
        # The buttons pressed are in the new row too: htmx keeps the focus on them (by id).
        return _row_response(
            request, help_request, notice, error=level == messages.ERROR, focus_row=False
        )
    messages.add_message(request, level, notice)
    return redirect(_safe_next(request, reverse("requests:detail", args=[pk])))


def _row_response(
    request: HtmxHttpRequest,
    help_request: HelpRequest,
    notice: str,
    *,
    error: bool,
    focus_row: bool = True,
) -> HttpResponse:
    """The worklist row of a request changed by htmx, with the notice in the list's status
    region. With `focus_row` the row takes the focus, for when the button pressed is gone."""
    team_view = request.POST.get("weergave") == "team"
    context = {
        "row": request_row(help_request, today=timezone.localdate()),
        "show_assignee": team_view,
        "can_assign": team_view and gate_for(request.user).oversee_teams,
        "next": request.POST.get("next", ""),
        "weergave": request.POST.get("weergave", ""),
        "focus_row": focus_row,
        "notice": notice,
        "notice_error": error,
    }
    return render(request, "requests/worklist.html#row_response", context)


@require_http_methods(["GET", "POST"])
@person_level_only
def pick_up(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the request with its "Oppakken" button. POST: take it; an htmx request gets the
    worklist row back, others go back where they came from. Refused (someone else has it,
    it is closed): the page again with what happened, or the row with the notice."""
    user = request.user
    try:
        view = help_request_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    help_request = view.help_request
    error = ""
    if request.method == "POST":
        try:
            help_request = request_pick_up(actor=user, help_request=help_request)
        except NotFoundError:
            return not_found(request)
        except ValidationFailed as refused:
            error = str(refused.message)
            help_request = help_request_get_for_user(user=user, pk=pk).help_request
        else:
            notice = _("U heeft hulpvraag %(reference)s opgepakt.") % {
                "reference": help_request.reference
            }
            if request.htmx:
                return _row_response(request, help_request, notice, error=False)
            messages.success(request, notice)
            return redirect(_safe_next(request, reverse("requests:detail", args=[pk])))
        if request.htmx:
            return _row_response(request, help_request, error, error=True)
    context = {"help_request": help_request, "error": error}
    return render(request, "requests/pick_up.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@person_level_only
def assign(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A team lead gives the request to a member of its team (docs/adr/0026). The form
    carries whom the page showed as the holder: a change made meanwhile is refused, with
    who has it now, and the form shown again against the new holder."""
    user = request.user
    try:
        view = help_request_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    help_request = view.help_request
    # The members of the request's team, if the user leads it: none for a professional, or
    # for a team lead who has this request assigned from another team.
    choices = assignee_choices_for_user(user=user, help_request=help_request)
    if not choices:
        return not_found(request)
    is_open = help_request.status != RequestStatus.CLOSED
    initial = {"expected": help_request.assigned_to_id, "assigned_to": help_request.assigned_to_id}
    form = AssignForm(
        request.POST if request.method == "POST" and is_open else None,
        choices=choices,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            help_request = request_assign(
                actor=user,
                help_request=help_request,
                assignee=form.cleaned_data["assigned_to"],
                expected=form.cleaned_data["expected"],
            )
        except NotFoundError:
            return not_found(request)
        except ValidationFailed as error:
            # Shown again against whom it has now, so that sending it again is a choice.
            help_request = help_request_get_for_user(user=user, pk=pk).help_request
            data = request.POST.copy()
            data["expected"] = str(help_request.assigned_to_id or "")
            form = AssignForm(data, choices=choices, initial=initial)
            form.is_valid()
            error.add_to_form(form)
        else:
            assignee: User = form.cleaned_data["assigned_to"]
            name = assignee.get_full_name() or assignee.username
            messages.success(
                request,
                _("Hulpvraag %(reference)s is toegewezen aan %(name)s.")
                % {"reference": help_request.reference, "name": name},
            )
            return redirect("requests:detail", pk=pk)
    context = {"help_request": help_request, "form": form, "is_open": is_open}
    return render(request, "requests/assign.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@person_level_only
def close(request: PersonLevelRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        view = help_request_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    is_open = view.help_request.status != RequestStatus.CLOSED
    form = CloseForm(request.POST if request.method == "POST" and is_open else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            request_close(
                actor=user,
                help_request=view.help_request,
                outcome=data["outcome"],
                provision=data["provision"],
                reason=data["note"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("Hulpvraag %(reference)s is afgerond.")
                % {"reference": view.help_request.reference},
            )
            return redirect("requests:detail", pk=pk)
    context = {
        "view": view,
        "help_request": view.help_request,
        "form": form,
        "is_open": is_open,
        "min_attempts": MIN_ATTEMPTS_FOR_NOT_REACHABLE,
        "trajectory_start_url": _trajectory_start_url(pk),
    }
    return render(request, "requests/close.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@person_level_only
def link_resident(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Link a request registered without a resident, once the resident is known."""
    user = request.user
    try:
        view = help_request_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    help_request = view.help_request
    can_link = help_request.resident_id is None and help_request.status != RequestStatus.CLOSED
    choice = _resident_search(request, user)
    if choice.is_search and request.htmx:
        return render(request, "requests/link_resident.html#choice", choice.context())
    form = LinkResidentForm()
    if request.method == "POST" and not choice.is_search and can_link:
        form = LinkResidentForm(request.POST)
        picked = ResidentChoiceForm(request.POST)
        chosen_pk = picked.cleaned_data["resident"] if picked.is_valid() else None
        if chosen_pk is None:
            choice.error = _("Kies een inwoner uit de zoekresultaten.")
        elif form.is_valid():
            try:
                request_link_resident(
                    actor=user,
                    help_request=help_request,
                    resident_id=chosen_pk,
                    whole_household=form.cleaned_data["whole_household"],
                )
            except ValidationFailed as error:
                _apply_errors(error, form, choice)
            else:
                messages.success(request, _("De inwoner is gekoppeld aan de hulpvraag."))
                return redirect("requests:detail", pk=pk)
        _keep_choice(choice, user, chosen_pk)
    context = {
        "help_request": help_request,
        "can_link": can_link,
        "form": form,
        **choice.context(),
    }
    status = 400 if form.errors or choice.error else 200
    return render(request, "requests/link_resident.html", context, status=status)


# --- lists ---------------------------------------------------------------------------------


def _worklist_page(
    request: PersonLevelRequest,
    *,
    team_view: bool,
    bulk_form: BulkAssignForm | None = None,
    refused: dict[str, str] | None = None,
    notice: str = "",
) -> HttpResponse:
    """A worklist. The team worklist of a team lead has "Toewijzen aan" with a checkbox per
    row; after a refused bulk assignment it shows which rows were refused and why, with the
    rows still ticked."""
    user = request.user
    try:
        worklist = team_worklist_for_user(user=user) if team_view else worklist_for_user(user=user)
    except NotFoundError:
        return not_found(request)
    choices = assignee_choices_for_user(user=user) if team_view else []
    if choices and bulk_form is None:
        bulk_form = BulkAssignForm(choices=choices)
    ticked: set[int] = set()
    summary: list[tuple[str, str]] = []  # (message, id of the element it is about)
    if bulk_form is not None and bulk_form.is_bound:
        rows = bulk_form.cleaned_data.get("requests") or []
        ticked = {row.pk for row in rows}
        summary = [(str(message), "") for message in bulk_form.non_field_errors()]
        summary += [(message, f"kies-{pk}") for pk, message in (refused or {}).items()]
        for name, anchor in (("requests", "werklijst"), ("assigned_to", "id_assigned_to")):
            summary += [(str(message), anchor) for message in bulk_form.errors.get(name, [])]
    context = {
        "worklist": worklist,
        "team_view": team_view,
        "show_assignee": team_view,
        "can_assign": bool(choices),
        "bulk_form": bulk_form,
        "ticked": ticked,
        "summary": summary,
        "notice": notice,
        "weergave": "team" if team_view else "mijn",
        "next": reverse("requests:team_worklist") if team_view else request.path,
        "limit": LIST_LIMIT,
    }
    status = 400 if summary and not getattr(request, "htmx", False) else 200
    return render(request, "requests/worklist.html", context, status=status)


@require_GET
@person_level_only
def worklist(request: PersonLevelRequest) -> HttpResponse:
    return _worklist_page(request, team_view=False)


@require_GET
@person_level_only
def team_worklist(request: PersonLevelRequest) -> HttpResponse:
    return _worklist_page(request, team_view=True)


@require_http_methods(["GET", "POST"])
@person_level_only
def team_assign(request: HtmxHttpRequest) -> HttpResponse:
    """ "Toewijzen aan" on the team worklist: the team lead gives the ticked requests to one
    member of their teams, all or nothing (docs/adr/0026). GET shows the team worklist. A
    plain POST goes back to it; htmx swaps the list in (with the notice, which takes the
    focus). A refusal shows every refused row with its reason, and changes nothing."""
    user = request.user
    choices = assignee_choices_for_user(user=user)
    if not choices:
        return not_found(request)
    if request.method == "GET":
        return _worklist_page(request, team_view=True)
    form = BulkAssignForm(request.POST, choices=choices)
    refused: dict[str, str] = {}
    if form.is_valid():
        try:
            assigned = request_assign_many(
                actor=user,
                rows=form.cleaned_data["requests"],
                assignee=form.cleaned_data["assigned_to"],
            )
        except NotFoundError:
            return not_found(request)
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
            refused = error.fields  # per refused request: its id and the reason
        else:
            assignee = form.cleaned_data["assigned_to"]
            notice = ngettext(
                "%(count)d hulpvraag is toegewezen aan %(name)s.",
                "%(count)d hulpvragen zijn toegewezen aan %(name)s.",
                len(assigned),
            ) % {"count": len(assigned), "name": assignee.get_full_name() or assignee.username}
            if request.htmx:
                return _worklist_page(request, team_view=True, notice=notice)
            messages.success(request, notice)
            return redirect("requests:team_worklist")
    return _worklist_page(request, team_view=True, bulk_form=form, refused=refused)


@require_GET
@person_level_only
def waiting_list(request: PersonLevelRequest) -> HttpResponse:
    try:
        waiting = waiting_list_for_user(
            user=request.user, team_id=query_id(request, "team"), page=query_page(request)
        )
    except NotFoundError:
        return not_found(request)
    team_query = f"team={waiting.team.pk}&" if waiting.team else ""
    return render(
        request, "requests/waiting_list.html", {"waiting": waiting, "team_query": team_query}
    )


@require_GET
@person_level_only
def team_open(request: PersonLevelRequest) -> HttpResponse:
    try:
        overview = open_requests_for_team_lead(user=request.user)
    except NotFoundError:
        return not_found(request)
    return render(request, "requests/team_open.html", {"overview": overview, "limit": LIST_LIMIT})
