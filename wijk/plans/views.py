"""The support plan pages: thin views over wijk.plans.selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.core.errors import (
    BreakGlassRequired,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from wijk.core.forms import SubmissionForm
from wijk.core.params import INTEGER_MAX, query_choices, query_id, query_int
from wijk.core.submissions import SUBMITTED_BEFORE, SubmittedBefore, post_sent_before
from wijk.core.uploads import uploads_capped, uploads_refused
from wijk.decisions.selectors import decision_cases_of_plan_for_user
from wijk.plans.deadlines import next_evaluation_suggested
from wijk.plans.diff import snapshot_of
from wijk.plans.forms import (
    EXTERNAL,
    GOAL_ROWS_MAX,
    STAFF,
    EvaluationForm,
    PlanCoordinatorForm,
    PlanEditForm,
    PlanEndForm,
    PlanStartForm,
    RightsForm,
    SignatureForm,
    SigningWayForm,
    goal_rows_of,
    plan_edit_initial,
    signing_way_label,
)
from wijk.plans.selectors import (
    coordinator_choices_for_plan,
    coordinator_label,
    evaluation_get_for_user,
    evaluation_start_for_user,
    plan_edit_choices,
    plan_end_allowed,
    plan_end_page_for_user,
    plan_evaluation_panel_for_user,
    plan_get_for_user,
    plan_open_for_resident,
    plan_signing_panel,
    plan_start_choices,
    plan_summary_page_for_user,
    plan_version_for_signing,
    plan_versions_for_user,
    rights_explanations_for_user,
    signature_file_for_user,
)
from wijk.plans.services import (
    PlanAlreadyOpen,
    PlanChangedMeanwhile,
    PlanCoordinatorChangedMeanwhile,
    evaluation_record,
    plan_coordinator_change,
    plan_edit,
    plan_end,
    plan_start,
    plan_summary_letter_produce,
    plan_version_sign,
    rights_explanation_record,
)
from wijk.plans.signature_files import scan_too_large
from wijk.plans.workflow import PlanStatus, SignatureMethod
from wijk.requests.selectors import help_request_get_for_user
from wijk.residents.selectors import resident_get_for_user

if TYPE_CHECKING:
    from wijk.requests.models import HelpRequest
    from wijk.residents.models import Resident

# -- The plan, its versions and its coordinator ---------------------------------------------


def _resident_for_start(
    request: PersonLevelRequest,
) -> tuple[Resident | None, HelpRequest | None, HttpResponse | None]:
    """The resident (and request) a plan is started for, from ?inwoner= or ?hulpvraag=; or
    the response when there is none to start for (a page, or 404)."""
    user = request.user
    help_request = None
    resident_pk = query_id(request, "inwoner")
    request_pk = query_id(request, "hulpvraag")
    if request_pk is not None:
        try:
            help_request = help_request_get_for_user(user=user, pk=request_pk).help_request
        except NotFoundError:
            return None, None, not_found(request)
        resident_pk = help_request.resident_id
        if resident_pk is None:
            page = {"form": None, "help_request": help_request, "needs_resident": True}
            return None, help_request, render(request, "plans/start.html", page)
    if resident_pk is None:
        return None, None, render(request, "plans/start.html", {"form": None})
    try:
        resident = resident_get_for_user(user=user, pk=resident_pk).resident
    except BreakGlassRequired:
        return None, None, redirect("residents:break_glass", pk=resident_pk)
    except NotFoundError:
        return None, None, not_found(request)
    return resident, help_request, None


@require_http_methods(["GET", "POST"])
@person_level_only
def start(request: PersonLevelRequest) -> HttpResponse:
    """Start the support plan of a resident's household, from their file (?inwoner=<id>) or
    from a request (?hulpvraag=<id>). A household with an open plan gets a link to it."""
    resident, help_request, response = _resident_for_start(request)
    if response is not None:
        return response
    assert resident is not None
    user = request.user
    existing = plan_open_for_resident(user=user, resident_id=resident.pk)
    if existing is not None and post_sent_before(request):
        # Sent twice: the plan the page finds is the one the first sending started.
        messages.success(request, str(SUBMITTED_BEFORE))
        return redirect("plans:edit", pk=existing.pk)
    choices = plan_start_choices(user=user)
    form = PlanStartForm(
        request.POST if request.method == "POST" and existing is None else None,
        teams=choices.teams,
        workers=choices.workers,
        organisations=choices.organisations,
        initial={
            "coordinator": user.pk if user in choices.workers else None,
            "team": next(
                (t.pk for t in choices.teams if help_request and t.pk == help_request.team_id),
                choices.teams[0].pk if choices.teams else None,
            ),
        },
    )
    refused: int | None = None
    if form.is_bound and form.is_valid():
        try:
            plan = plan_start(
                actor=user,
                resident=resident,
                team=form.chosen_team(),
                coordinator=form.coordinator_input(),
                help_request=help_request,
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore as earlier:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:edit", pk=earlier.record_id)
        except PlanAlreadyOpen as error:
            refused = error.plan_id
            error.add_to_form(form)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request, _("Het plan is gestart. Vul nu samen met de inwoner de zes delen in.")
            )
            return redirect("plans:edit", pk=plan.pk)
    if refused is not None and existing is None:
        existing = plan_open_for_resident(user=user, resident_id=resident.pk)
    page: dict[str, Any] = {
        "form": form,
        "resident": resident,
        "help_request": help_request,
        "existing": existing,
        "no_team": not choices.teams,
    }
    return render(request, "plans/start.html", page, status=400 if form.errors else 200)


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        view = plan_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    context = {
        "view": view,
        "plan": view.plan,
        # Evaluations and rights (plans/_evaluations.html).
        "evaluations": plan_evaluation_panel_for_user(user=request.user, plan=view.plan),
        # Signing (plans/_signing.html).
        "signing": plan_signing_panel(plan=view.plan),
        # The municipality's decisions (decisions/_plan_part.html, ADR 0040).
        "decisions": decision_cases_of_plan_for_user(user=request.user, plan_id=view.plan.pk),
        # Ending (the link in plans/_summary.html).
        "can_end": plan_end_allowed(user=request.user, plan=view.plan),
    }
    return render(request, "plans/detail.html", context)


@require_http_methods(["GET", "POST"])
@person_level_only
def edit(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Save the six parts as a new version. Refused when someone saved a newer version after
    the page was opened: the page shows what changed, and keeps what the user typed."""
    user = request.user
    try:
        view = plan_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    plan = view.plan
    if plan.status == PlanStatus.ENDED:
        return render(request, "plans/edit.html", {"view": view, "plan": plan, "form": None})
    choices = plan_edit_choices(user=user, plan=plan)
    posted = request.method == "POST"
    more = posted and request.POST.get("actie") == "meer"
    rows = goal_rows_of(request.POST if posted else None, at_least=len(view.content.goals) + 2) + (
        2 if more else 0
    )
    form = PlanEditForm(
        request.POST if posted else None,
        rows=min(rows, GOAL_ROWS_MAX),
        members=choices.members,
        trajectories=choices.trajectories,
        activities=choices.activities,
        organisations=choices.organisations,
        initial=plan_edit_initial(content=view.content, based_on=view.current.number),
    )
    changes = None
    if posted and more:
        data = request.POST.copy()
        data["goal_rows"] = str(form.rows)
        form.data = data
        form.errors.clear()  # more rows asked for, nothing sent yet: no messages
    elif posted and form.is_valid():
        try:
            version = plan_edit(
                actor=user,
                plan=plan,
                based_on=form.cleaned_data["based_on"],
                content=form.content(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            # The same user's second sending (a double click): not "changed meanwhile".
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:detail", pk=pk)
        except PlanChangedMeanwhile as error:
            changes = plan_versions_for_user(
                user=user, pk=pk, old=error.based_on, new=error.newer, asked=True
            )
            form.add_error(None, str(error.message))
            # Go on from what is there now: the next save builds on the newer version.
            data = request.POST.copy()
            data["based_on"] = str(error.newer)
            form.data = data
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request,
                _("Versie %(number)s is opgeslagen. De vorige versies blijven bewaard.")
                % {"number": version.number},
            )
            return redirect("plans:detail", pk=pk)
    page = {"view": view, "plan": plan, "form": form, "changes": changes}
    return render(request, "plans/edit.html", page, status=400 if form.errors else 200)


@require_GET
@person_level_only
def versions(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Every version of the plan, and two of them side by side (?van=N&naar=M)."""
    asked = "van" in request.GET or "naar" in request.GET
    try:
        page = plan_versions_for_user(
            user=request.user,
            pk=pk,
            old=query_int(request, "van", maximum=INTEGER_MAX),
            new=query_int(request, "naar", maximum=INTEGER_MAX),
            asked=asked,
        )
    except NotFoundError:
        return not_found(request)
    return render(request, "plans/versions.html", {"page": page, "plan": page.plan})


@require_http_methods(["GET", "POST"])
@person_level_only
def coordinator(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A team lead of the plan's team, or its current coordinator, names another coordinator
    (a colleague of the team, or a professional of another organisation), with a reason."""
    user = request.user
    try:
        view = plan_get_for_user(user=user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if not view.can_change_coordinator:
        if post_sent_before(request):
            # Sent twice by a coordinator who handed the plan over: the first sending did.
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:detail", pk=pk)
        return not_found(request)
    plan = view.plan
    choices = coordinator_choices_for_plan(plan=plan)
    latest = view.latest_change
    form = PlanCoordinatorForm(
        request.POST if request.method == "POST" else None,
        workers=choices.workers,
        organisations=choices.organisations,
        initial={
            "kind": STAFF if plan.coordinator_id else EXTERNAL,
            "coordinator": plan.coordinator_id,
            "organisation": plan.external_organisation_id,
            "external_name": plan.external_name,
            "external_role": plan.external_role,
            "expected": latest.pk if latest is not None else None,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            plan = plan_coordinator_change(
                actor=user,
                plan=plan,
                coordinator=form.coordinator_input(),
                reason=form.cleaned_data["reason"],
                expected=form.cleaned_data["expected"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:detail", pk=pk)
        except PlanCoordinatorChangedMeanwhile as error:
            # Shown again against who it is now: sending it again is a deliberate choice.
            data = request.POST.copy()
            data["expected"] = str(error.current)
            form.data = data
            error.add_to_form(form)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request,
                _("%(name)s is nu de regisseur van dit plan.") % {"name": coordinator_label(plan)},
            )
            return redirect("plans:detail", pk=pk)
    context = {"view": view, "plan": plan, "form": form}
    return render(request, "plans/coordinator.html", context, status=400 if form.errors else 200)


# -- Evaluations and the explanation of rights ----------------------------------------------


@require_http_methods(["GET", "POST"])
@person_level_only
def evaluation_new(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Record an evaluation of plan `pk`: only of an active (signed) plan; the page of a plan
    that does not run yet says so and has no form."""
    try:
        start = evaluation_start_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    if not start.active:
        return render(request, "plans/evaluation_new.html", {"start": start, "form": None})
    today = timezone.localdate()
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        version_id=start.plan.current_id,
        goals=start.goals,
        trajectories=start.trajectories,
        initial={
            "held_on": today,
            "next_evaluation_on": next_evaluation_suggested(today),
            "version": start.plan.current_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluation_record(
                actor=request.user,
                plan=start.plan,
                content=form.content(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore as earlier:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:evaluation_detail", pk=pk, evaluation_pk=earlier.record_id)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De evaluatie is opgeslagen."))
            return redirect("plans:evaluation_detail", pk=pk, evaluation_pk=evaluation.pk)
    return render(request, "plans/evaluation_new.html", {"start": start, "form": form})


@require_GET
@person_level_only
def evaluation_detail(request: PersonLevelRequest, pk: int, evaluation_pk: int) -> HttpResponse:
    try:
        view = evaluation_get_for_user(user=request.user, pk=pk, evaluation_pk=evaluation_pk)
    except NotFoundError:
        return not_found(request)
    return render(request, "plans/evaluation_detail.html", {"view": view, "plan": view.plan})


@require_http_methods(["GET", "POST"])
@person_level_only
def rights(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """Record that the resident's rights were explained, with every earlier explanation."""
    try:
        page = rights_explanations_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    form = RightsForm(
        request.POST if request.method == "POST" else None,
        initial={"explained_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rights_explanation_record(
                actor=request.user,
                plan=page.plan,
                content=form.content(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:rights", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(request, _("De uitleg over de rechten is opgeslagen."))
            return redirect("plans:rights", pk=pk)
    return render(request, "plans/rights.html", {"page": page, "plan": page.plan, "form": form})


# -- Signing ----------------------------------------------------------------------------------


def _signing_way(request: PersonLevelRequest) -> str | None:
    """The way of agreeing chosen: posted (`method`), else `?wijze=`; None when neither is
    one of the ways (the page asks again)."""
    if request.method == "POST" and request.POST.get("method") in SignatureMethod.values:
        return request.POST["method"]
    chosen = query_choices(request, "wijze", SignatureMethod.values)
    return chosen[0] if chosen else None


def _scan_limit() -> int:
    limit: int = settings.WIJK_SIGNATURE_SCAN_MAX_BYTES
    return limit


@uploads_capped(limit=_scan_limit)
@require_http_methods(["GET", "POST"])
@person_level_only
def version_sign(request: PersonLevelRequest, pk: int, number: int) -> HttpResponse:
    """The resident agrees to version `number` of plan `pk`, one way at a time: first the
    choice (a GET form, `?wijze=`), then only that way's fields — drawn on the screen, typed
    name and confirmation, a scanned paper signature or a confirmation in person. Without
    a way (or with one that is none) the page asks for it. A version that is signed, or
    that is not the newest, shows why it cannot be signed."""
    try:
        page = plan_version_for_signing(user=request.user, pk=pk, number=number)
    except (NotFoundError, BreakGlassRequired):
        return not_found(request)
    signable = page.signature is None and page.is_current and page.plan.status != PlanStatus.ENDED
    context: dict[str, Any] = {"page": page, "signable": signable}
    method = _signing_way(request)
    if method is None:
        # The first step; sent without a choice ("stap"), it says so.
        asked = request.method == "POST" or "stap" in request.GET
        context["choice"] = SigningWayForm({"wijze": ""} if asked else None)
        context["content"] = snapshot_of(page.version) if signable else None
        return render(request, "plans/sign.html", context)
    today = timezone.localdate()
    posted = request.method == "POST"
    form = SignatureForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        method=method,
        members=page.members,
        first=page.plan.status == PlanStatus.DRAFT,
        initial={
            "signer": page.plan.resident_id,
            "signed_on": today,
            "next_evaluation_on": next_evaluation_suggested(today),
        },
    )
    if posted and "scan" in form.fields and "scan" in uploads_refused(request):
        # Dropped while it arrived, before anything was stored (wijk.core.uploads).
        form.add_error("scan", scan_too_large())
    if posted and form.is_valid():
        try:
            plan_version_sign(
                actor=request.user,
                version=page.version,
                signing=form.signature_input(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:detail", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request,
                _("Versie %(number)s van het plan is ondertekend.") % {"number": number},
            )
            return redirect("plans:detail", pk=pk)
    if "drawing" in form.errors:
        # A drawing that was refused is not drawn again on the canvas: the resident draws anew.
        data = request.POST.copy()
        data["drawing"] = ""
        form.data = data
    # What the resident agrees to, on the same screen as where they sign.
    context |= {
        "form": form,
        "method": method,
        "method_label": signing_way_label(method),
        # A browser keeps no file for the page that comes back: the scan is chosen again.
        "scan_again": bool(form.errors) and "scan" in request.FILES,
        "content": snapshot_of(page.version) if signable else None,
    }
    return render(request, "plans/sign.html", context)


@require_GET
@person_level_only
def signature_file(request: PersonLevelRequest, pk: int, number: int) -> HttpResponse:
    """The drawing or the scan of the signature on version `number` of plan `pk`, through
    the gate: only to who may see the plan, logged, never cached, never sniffed."""
    try:
        stored = signature_file_for_user(user=request.user, pk=pk, number=number)
    except (NotFoundError, BreakGlassRequired):
        return not_found(request)
    response = HttpResponse(stored.data, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=stored.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@person_level_only
def summary_letter(request: PersonLevelRequest, pk: int, number: int) -> HttpResponse:
    """GET: the plan summary letters of version `number` and what a new one holds. POST:
    make it (a new version of the letter each time the page's button is pressed, one for a
    button pressed twice: wijk.core.submissions); only of a signed version."""
    try:
        page = plan_summary_page_for_user(user=request.user, pk=pk, number=number)
    except (NotFoundError, BreakGlassRequired):
        return not_found(request)
    if request.method == "POST":
        sent = SubmissionForm(request.POST)
        key = sent.cleaned_data["submission_key"] if sent.is_valid() else None
        try:
            letter = plan_summary_letter_produce(
                actor=request.user, version=page.version, submission_key=key
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
        except ValidationFailed as error:
            messages.error(request, str(error.message))
        except (NotFoundError, PermissionDeniedError, BreakGlassRequired):
            return not_found(request)
        else:
            messages.success(
                request,
                _("De samenvatting is gemaakt (versie %(version)d). U vindt de brief hieronder.")
                % {"version": letter.version},
            )
        return redirect("plans:summary_letter", pk=pk, number=number)
    context = {"page": page, "submission": SubmissionForm()}
    return render(request, "plans/summary_letter.html", context)


# -- Ending -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_level_only
def end(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """A team lead of the plan's team, or its coordinator, ends the plan: the end of support,
    or a draft withdrawn before it was signed. It cannot be undone; the page says so and
    warns about linked trajectories that are still open (they are not closed)."""
    user = request.user
    try:
        page = plan_end_page_for_user(user=user, pk=pk)
    except NotFoundError:
        if post_sent_before(request):
            # Sent twice: the first sending ended the plan, so this page is gone. The plan's
            # page is only shown to who may see it.
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:detail", pk=pk)
        return not_found(request)
    plan = page.plan
    form = PlanEndForm(
        request.POST if request.method == "POST" else None,
        active=plan.status == PlanStatus.ACTIVE,
        initial={"ended_on": timezone.localdate()},
    )
    if form.is_bound and form.is_valid():
        try:
            plan_end(
                actor=user,
                plan=plan,
                ending=form.ending(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SubmittedBefore:
            messages.success(request, str(SUBMITTED_BEFORE))
            return redirect("plans:detail", pk=pk)
        except ValidationFailed as error:
            error.add_to_form(form)
        except (NotFoundError, PermissionDeniedError):
            return not_found(request)
        else:
            messages.success(
                request,
                _(
                    "Het plan is afgesloten. Het blijft bewaard en u kunt het nog lezen. "
                    "Het huishouden kan een nieuw plan krijgen."
                ),
            )
            return redirect("plans:detail", pk=pk)
    context = {"page": page, "view": page.view, "plan": plan, "form": form}
    return render(request, "plans/end.html", context, status=400 if form.errors else 200)
