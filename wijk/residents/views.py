"""Thin views over the resident selectors and services. Searches are POSTed, so no personal
data ends up in a URL; every page works without JavaScript, htmx only swaps the results in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.accounts.models import User
from wijk.core.errors import (
    BreakGlassRequired,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from wijk.core.params import query_id
from wijk.residents.forms import BreakGlassForm, RegisterForm, SearchForm, WorkReviewForm
from wijk.residents.selectors import (
    SEARCH_LIMIT,
    break_glass_grants_for_team_lead,
    resident_access_log_for_user,
    resident_get_for_user,
    resident_search_for_user,
    work_under_grant_for_team_lead,
)
from wijk.residents.services import (
    AddressInput,
    BreakGlassWithoutTeam,
    DuplicateCheckLimitReached,
    DuplicateSuspected,
    break_glass_grant,
    resident_register,
    work_under_grant_review,
)


def break_glass_page(
    request: HttpRequest, pk: int, form: BreakGlassForm | None = None, status: int = 403
) -> HttpResponse:
    """Offered instead of a file the user has no standing access to (403), or asked for."""
    context = {"pk": pk, "form": form or BreakGlassForm()}
    return render(request, "residents/break_glass.html", context, status=status)


@require_http_methods(["GET", "POST"])
@person_level_only
def search(request: PersonLevelRequest) -> HttpResponse:
    form = SearchForm(request.POST if request.method == "POST" else None)
    results: list[Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            results = resident_search_for_user(user=request.user, **form.cleaned_data)
        except NotFoundError:
            return not_found(request)
    context = {"form": form, "results": results, "search_limit": SEARCH_LIMIT}
    if getattr(request, "htmx", False):
        return render(request, "residents/search.html#results", context)
    return render(request, "residents/search.html", context)


@require_http_methods(["GET", "POST"])
@person_level_only
def register(request: PersonLevelRequest) -> HttpResponse:
    household_pk = query_id(request, "huishouden") or query_id(request, "household_of", posted=True)
    head = None
    if household_pk is not None:
        try:
            head = resident_get_for_user(user=request.user, pk=household_pk).resident
        except BreakGlassRequired:
            return break_glass_page(request, household_pk)
        except NotFoundError:
            return not_found(request)
    form = RegisterForm(
        request.POST if request.method == "POST" else None, joins_household=head is not None
    )
    duplicates: DuplicateSuspected | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = None
        if head is None and not data.get("no_fixed_address"):
            address = AddressInput(
                street=data["street"],
                house_number=data["house_number"].number,
                house_letter=data["house_number"].letter,
                house_number_addition=data["house_number"].addition,
                postcode=data["postcode"],
                city=data["city"] or "Haarlem",
                buurt=data["buurt"],
            )
        try:
            resident = resident_register(
                actor=request.user,
                given_names=data["given_names"],
                name_prefix=data["name_prefix"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                bsn=data["bsn"],
                phone=data["phone"],
                email=data["email"],
                address=address,
                household_of=household_pk,
                relation=data.get("relation") or "reference_person",
                confirmed_not_duplicate=data["confirmed_not_duplicate"]
                or "confirm_new" in request.POST,
            )
        except DuplicateSuspected as error:
            duplicates = error
        except DuplicateCheckLimitReached as error:
            error.add_to_form(form)
            status = error.status
        except ValidationFailed as error:
            error.add_to_form(form)
        except PermissionDeniedError:
            return not_found(request)
        else:
            messages.success(request, _("De inwoner is geregistreerd."))
            return redirect("residents:detail", pk=resident.pk)
    context = {"form": form, "head": head, "duplicates": duplicates, "household_pk": household_pk}
    return render(request, "residents/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
@person_level_only
def break_glass(request: PersonLevelRequest, pk: int) -> HttpResponse:
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_grant(
                actor=request.user, resident_pk=pk, reason=form.cleaned_data["reason"]
            )
        except BreakGlassWithoutTeam as error:
            error.add_to_form(form)
            return break_glass_page(request, pk, form, status=error.status)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.warning(
                request,
                _("U heeft tijdelijk toegang. Dit is vastgelegd en uw teamleider ziet het."),
            )
            return redirect("residents:detail", pk=pk)
    return break_glass_page(request, pk, form, status=400 if form.errors else 200)


@require_GET
@person_level_only
def access_log(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        resident, entries = resident_access_log_for_user(user=request.user, pk=pk)
    except BreakGlassRequired:
        return break_glass_page(request, pk)
    except NotFoundError:
        return not_found(request)
    return render(request, "residents/access_log.html", {"resident": resident, "entries": entries})


@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest) -> HttpResponse:
    """The grants of the team lead's teams and the work started under them; a POST records
    the team lead's review of one piece of work."""
    user = request.user
    assert isinstance(user, User)  # RequireVerifiedStaffMiddleware lets only accounts in
    if request.method == "POST":
        form = WorkReviewForm(request.POST)
        if not form.is_valid():
            return not_found(request)
        try:
            work_under_grant_review(
                actor=user,
                pk=form.cleaned_data["work"],
                approve=form.cleaned_data["decision"] == WorkReviewForm.APPROVE,
            )
        except NotFoundError:
            return not_found(request)
        messages.success(request, _("Uw beoordeling is vastgelegd."))
        return redirect("residents:break_glass_review")
    try:
        grants = break_glass_grants_for_team_lead(user=user)
        work = work_under_grant_for_team_lead(user=user)
    except NotFoundError:
        return not_found(request)
    return render(
        request,
        "residents/break_glass_review.html",
        {"grants": grants, "work": work},
    )
