"""Thin views over the case-note selectors and services: write a note from a resident's case
file (optionally about one request, ?hulpvraag=, or trajectory, ?traject=), read one note
with its versions, and edit it. Every page answers 404 to roles without person-level access
and for notes of residents outside the user's access, exactly as for missing ones."""

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
from wijk.core.params import query_id
from wijk.notes.forms import NoteEditForm, NoteForm
from wijk.notes.selectors import case_note_get_for_user
from wijk.notes.services import NoteChangedMeanwhile, case_note_edit, case_note_write
from wijk.requests.selectors import help_request_get_for_user
from wijk.residents.selectors import resident_get_for_user
from wijk.trajectories.selectors import trajectory_get_for_user


@require_http_methods(["GET", "POST"])
@person_level_only
def write(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A new note on resident `pk`'s file, about one of their requests or trajectories when
    the query string names one the user may see (a record of another resident: 404)."""
    user = request.user
    try:
        resident = resident_get_for_user(user=user, pk=pk).resident
    except BreakGlassRequired:
        return redirect("residents:break_glass", pk=pk)
    except NotFoundError:
        return not_found(request)
    request_pk = query_id(request, "hulpvraag")
    trajectory_pk = query_id(request, "traject")
    help_request = trajectory = None
    try:
        if request_pk is not None:
            help_request = help_request_get_for_user(user=user, pk=request_pk).help_request
        elif trajectory_pk is not None:
            trajectory = trajectory_get_for_user(user=user, pk=trajectory_pk).trajectory
    except NotFoundError:
        return not_found(request)
    linked = help_request or trajectory
    if linked is not None and linked.resident_id != resident.pk:
        return not_found(request)
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        initial={"occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = case_note_write(
                actor=user,
                resident=resident,
                help_request=help_request,
                trajectory=trajectory,
                content=form.content(),
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De notitie is opgeslagen."))
            return redirect("notes:detail", pk=note.pk)
    page: dict[str, Any] = {
        "form": form,
        "resident": resident,
        "help_request": help_request,
        "trajectory": trajectory,
        "query": request.GET.urlencode(),
    }
    return render(request, "notes/write.html", page)


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = case_note_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    return render(request, "notes/detail.html", {"view": view, "note": view.note})


@require_http_methods(["GET", "POST"])
@person_level_only
def edit(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A new version of the note; only who may read its text may edit it. Refused when
    someone saved a newer version after the page was opened: the page then shows theirs."""
    try:
        view = case_note_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if not view.readable:
        if request.method == "POST":  # made confidential since the editor opened it
            messages.error(request, str(NoteChangedMeanwhile(newer=None).message))
            return redirect("notes:detail", pk=pk)
        return not_found(request)
    current = view.current
    form = NoteEditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "kind": current.kind,
            "occurred_on": current.occurred_on,
            "text": current.text,
            "confidential": current.confidential,
            "work_note": current.work_note,
            "work_note_reason": current.work_note_reason,
            "based_on": current.seq,
        },
    )
    newer = None
    if request.method == "POST" and form.is_valid():
        try:
            case_note_edit(
                actor=request.user,
                note=view.note,
                based_on=form.cleaned_data["based_on"],
                content=form.content(),
            )
        except NoteChangedMeanwhile as error:
            if error.newer is None:
                messages.error(request, str(error.message))
                return redirect("notes:detail", pk=pk)
            newer = error.newer
            form.add_error(None, str(error.message))
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request, _("De notitie is bijgewerkt. De vorige versie blijft bewaard.")
            )
            return redirect("notes:detail", pk=pk)
    if newer is not None:
        # Go on from what is there now: the next save builds on the newer version.
        data = request.POST.copy()
        data["based_on"] = str(newer.seq)
        form.data = data
    page = {"view": view, "note": view.note, "form": form, "newer": newer}
    return render(request, "notes/edit.html", page)
