"""Writes on support plans that carry rules: typed, keyword-only, atomic, audited.

Sections, each owned by one part of the work (issue 13): the plan and its versions and
coordinator; evaluations and the explanation of rights; signing."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.private_files import StoredFile, private_file_remove, private_file_write
from wijk.core.submissions import Submission, SubmittedBefore, submission_claim
from wijk.core.workflow import ASSIGNMENT_REASON_MAX_LENGTH, REASON_MAX_LENGTH, Workflow
from wijk.letters.models import Letter, LetterKind
from wijk.letters.services import letter_produce
from wijk.organisations.models import Organisation, Team
from wijk.organisations.selectors import is_worker_of
from wijk.plans.diff import GoalSnapshot, Snapshot, snapshot_of
from wijk.plans.models import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Evaluation,
    EvaluationGoal,
    PlanCoordinatorChange,
    PlanGoal,
    PlanStatusChange,
    PlanVersion,
    RightsExplanation,
    Signature,
    SupportPlan,
)
from wijk.plans.selectors import coordinator_change_allowed, coordinator_label, plan_end_allowed
from wijk.plans.signature_files import CheckedFile, drawing_from_data_url, scan_from_upload
from wijk.plans.workflow import (
    TRANSITIONS,
    GoalProgress,
    PerspectiveReached,
    PlanEndReason,
    PlanStatus,
    SignatureMethod,
)
from wijk.reference.models import Code
from wijk.requests.models import HelpRequest
from wijk.residents.models import Resident
from wijk.residents.selectors import resident_get_for_user
from wijk.residents.services import household_of_one_start
from wijk.trajectories.models import Trajectory
from wijk.trajectories.selectors import trajectories_of_household_for_user
from wijk.trajectories.services import zrm_record_within
from wijk.trajectories.workflow import ZrmMoment

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

log = structlog.get_logger(__name__)

PLAN_WORKFLOW: Workflow[SupportPlan] = Workflow(
    states=PlanStatus,
    transitions=TRANSITIONS,
    initial=PlanStatus.DRAFT,
    history=PlanStatusChange,
    visible=lambda user: SupportPlan.objects.visible_to(user),
    noun="het ondersteuningsplan",
    holder_field="coordinator",
    assignments=PlanCoordinatorChange,
)


# -- The plan, its versions and its coordinator ---------------------------------------------


# One plan per household: the message names the plan's team, and the start page links it,
# only for who may see the plan; anyone else learns that there is one and whom to ask (ADR 0041).
PLAN_ALREADY_OPEN = _(
    "Dit huishouden heeft al een ondersteuningsplan dat nog loopt (team %(team)s). "
    "Een huishouden heeft één plan: werk dat plan bij in plaats van een nieuw te starten."
)
PLAN_ALREADY_OPEN_ELSEWHERE = _(
    "Dit huishouden heeft al een ondersteuningsplan dat nog loopt, bij een ander team. "
    "Een huishouden heeft één plan. U kunt dat plan niet inzien. Vraag uw teamleider om met "
    "het andere team af te spreken wie het plan verder maakt."
)


@dataclass(frozen=True)
class CoordinatorInput:
    """Who coordinates a plan: a staff member (`user`), or a professional of another
    organisation, who has no account (`organisation` from the register, `name`, `role`)."""

    user: User | None = None
    organisation: Organisation | None = None
    name: str = ""
    role: str = ""

    def normalised(self) -> CoordinatorInput:
        if self.user is not None:
            return CoordinatorInput(user=self.user)
        return CoordinatorInput(
            organisation=self.organisation,
            name=" ".join(self.name.split()),
            role=" ".join(self.role.split()),
        )


@dataclass(frozen=True)
class GoalInput:
    """1. A goal and the result the resident wants; for one household member (`member`) or
    for the whole household (None)."""

    goal: str
    result: str = ""
    member: Resident | None = None


@dataclass(frozen=True)
class PlanContent:
    """What a version of a plan says: its six parts and, for Aanvullende Ondersteuning, the
    scope, start and review date."""

    goals: Sequence[GoalInput] = ()
    own_strength: str = ""
    preceding_provisions: str = ""
    solution: str = ""
    trajectories: Sequence[Trajectory] = ()
    activities: Sequence[Any] = ()  # wijk.activities.models.Activity
    partners: str = ""
    organisations: Sequence[Organisation] = ()
    perspective: str = ""
    ao_scope: str = ""
    ao_start_on: datetime.date | None = None
    ao_review_on: datetime.date | None = None

    def snapshot(self) -> Snapshot:
        """As a snapshot, to compare with a saved version (labels are not compared)."""

        def links(records: Sequence[Any]) -> tuple[tuple[int, str], ...]:
            return tuple(sorted((record.pk, "") for record in records))

        return Snapshot(
            goals=tuple(
                GoalSnapshot(
                    member_id=goal.member.pk if goal.member is not None else None,
                    member_name="",
                    goal=goal.goal,
                    result=goal.result,
                )
                for goal in self.goals
            ),
            own_strength=self.own_strength,
            preceding_provisions=self.preceding_provisions,
            solution=self.solution,
            trajectories=links(self.trajectories),
            activities=links(self.activities),
            partners=self.partners,
            organisations=links(self.organisations),
            perspective=self.perspective,
            ao_scope=self.ao_scope,
            ao_start_on=self.ao_start_on,
            ao_review_on=self.ao_review_on,
        )


class PlanAlreadyOpen(ValidationFailed):
    """The household has an open plan already (one open plan per household, a database
    constraint). `plan_id` and `team_name` are that plan's when the user may see it (for a
    link and to name the team), else None: the message then names no team."""

    code = "plan_already_open"

    def __init__(self, *, plan_id: int | None, team_name: str | None) -> None:
        super().__init__(
            PLAN_ALREADY_OPEN % {"team": team_name}
            if team_name is not None
            else PLAN_ALREADY_OPEN_ELSEWHERE
        )
        self.plan_id = plan_id


class PlanChangedMeanwhile(ValidationFailed):
    """Someone saved a newer version after the editor opened the plan at version `based_on`:
    the save is refused and nothing is written; `newer` is the plan's version now."""

    code = "plan_changed"

    def __init__(self, *, based_on: int, newer: int) -> None:
        super().__init__(
            _(
                "Iemand anders heeft dit plan intussen veranderd (versie %(newer)s). Uw "
                "wijziging is niet opgeslagen, maar staat nog in het formulier. Lees hieronder "
                "wat er veranderd is, pas uw tekst zo nodig aan en sla opnieuw op."
            )
            % {"newer": newer}
        )
        self.based_on = based_on
        self.newer = newer


class PlanCoordinatorChangedMeanwhile(ValidationFailed):
    """Someone changed the plan's coordinator after the form was shown: nothing changed.
    `current` is the newest coordinator change now (the form's new `expected`)."""

    code = "plan_coordinator_changed"

    def __init__(self, *, name: str, current: int) -> None:
        super().__init__(
            _("Intussen is %(name)s regisseur geworden. Er is niets veranderd.") % {"name": name}
        )
        self.current = current


NOTHING_CHANGED = _("U heeft niets veranderd. Er is geen nieuwe versie gemaakt.")


def _coordinator_errors(coordinator: CoordinatorInput, team: Team) -> dict[str, str]:
    errors: dict[str, str] = {}
    if coordinator.user is not None:
        if not is_worker_of(user=coordinator.user, team=team):
            errors["coordinator"] = str(_("De regisseur moet een medewerker van dit team zijn."))
        return errors
    organisation = coordinator.organisation
    if organisation is None or not organisation.active:
        errors["organisation"] = str(_("Kies de organisatie van de regisseur uit de lijst."))
    if not coordinator.name:
        errors["external_name"] = str(_("Vul de naam van de regisseur in."))
    elif len(coordinator.name) > NAME_MAX_LENGTH:
        errors["external_name"] = _too_long(coordinator.name, NAME_MAX_LENGTH)
    if not coordinator.role:
        errors["external_role"] = str(_("Vul de functie van de regisseur in."))
    elif len(coordinator.role) > NAME_MAX_LENGTH:
        errors["external_role"] = _too_long(coordinator.role, NAME_MAX_LENGTH)
    return errors


def _coordinator_fields(coordinator: CoordinatorInput) -> dict[str, Any]:
    """The plan's (and the history row's) external fields for this coordinator."""
    return {
        "external_organisation": coordinator.organisation if coordinator.user is None else None,
        "external_name": coordinator.name if coordinator.user is None else "",
        "external_role": coordinator.role if coordinator.user is None else "",
    }


def _refuse_open(household_id: int, *, actor: User) -> None:
    """Refuse when the household has an open plan; its team is named only to who may see it."""
    existing = (
        SupportPlan.objects.open()
        .filter(household_id=household_id)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    if existing is None:
        return
    if SupportPlan.objects.visible_to(actor).filter(pk=existing.pk).exists():
        raise PlanAlreadyOpen(plan_id=existing.pk, team_name=existing.team.name)
    raise PlanAlreadyOpen(plan_id=None, team_name=None)


def plan_start(
    *,
    actor: User,
    resident: Resident,
    team: Team,
    coordinator: CoordinatorInput,
    help_request: HelpRequest | None = None,
    submission_key: uuid.UUID | None = None,
) -> SupportPlan:
    """Start the support plan of a resident's household (a household of one is made for a
    resident who has none yet), in one of the actor's active teams, with one coordinator: a
    worker of that team or an external professional. The plan starts as a draft with an empty
    version 1, its first status row and its first coordinator row. Refused with
    PlanAlreadyOpen when the household has an open plan, also when another one was started
    at the same moment (the database constraint). The actor must reach the resident
    regularly: a plan is lasting work of a team, which a break-the-glass grant does not give
    (ADR 0034). The same form sent again (`submission_key`) raises SubmittedBefore with the
    plan started the first time, before the open plan is refused (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    coordinator = coordinator.normalised()
    errors: dict[str, str] = {}
    if not Team.objects.active_for(actor).filter(pk=team.pk).exists():
        errors["team"] = str(_("Kies een team waar u zelf lid van bent."))
    else:
        errors |= _coordinator_errors(coordinator, team)
    if help_request is not None and help_request.resident_id != resident.pk:
        errors["__all__"] = str(_("Deze hulpvraag hoort bij een andere inwoner."))
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=SupportPlan)
        view = resident_get_for_user(user=actor, pk=resident.pk)
        if view.grant is not None:
            raise ValidationFailed(
                _(
                    "U heeft geen vaste toegang tot deze inwoner. Een ondersteuningsplan start "
                    "het team van de wijk van de inwoner."
                )
            )
        household = household_of_one_start(resident=view.resident)
        _refuse_open(household.pk, actor=actor)
        try:
            with transaction.atomic():
                plan = SupportPlan.objects.create(
                    household=household,
                    resident=view.resident,
                    help_request=help_request,
                    team=team,
                    coordinator=coordinator.user,
                    created_by=actor,
                    **_coordinator_fields(coordinator),
                )
        except IntegrityError as error:
            if "plan_one_open_per_household" not in str(error):
                raise
            _refuse_open(household.pk, actor=actor)  # started at the same moment by someone else
            raise
        version = PlanVersion.objects.create(plan=plan, number=1, created_by=actor)
        plan.current = version
        plan.save(update_fields=["current"])
        status = PLAN_WORKFLOW.start(subject=plan, by=actor)
        first = PlanCoordinatorChange.objects.create(
            plan=plan, assignee=coordinator.user, by=actor, **_coordinator_fields(coordinator)
        )
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=resident.pk,
            objects=[
                plan,
                version,
                status,
                first,
                household,
                *([help_request] if help_request is not None else []),
            ],
        )
        submission.made(plan)
    log.info("plan_started", plan_id=plan.pk, team_id=team.pk, household_id=household.pk)
    return plan


def _content_errors(
    content: PlanContent, *, members: set[int], trajectories: set[int]
) -> dict[str, str]:
    """Every mistake in `content` at once, by the edit form's field names."""
    errors: dict[str, str] = {}
    for number, goal in enumerate(content.goals, start=1):
        if not goal.goal.strip():
            errors[f"goal_{number}"] = str(
                _("Schrijf het doel op, of maak de regel helemaal leeg.")
            )
        elif len(goal.goal) > TEXT_MAX_LENGTH:
            errors[f"goal_{number}"] = _too_long(goal.goal, TEXT_MAX_LENGTH)
        if len(goal.result) > TEXT_MAX_LENGTH:
            errors[f"result_{number}"] = _too_long(goal.result, TEXT_MAX_LENGTH)
        if goal.member is not None and goal.member.pk not in members:
            errors[f"member_{number}"] = str(_("Kies iemand uit het huishouden."))
    for name in ("own_strength", "preceding_provisions", "solution", "partners", "perspective"):
        text = getattr(content, name)
        if len(text) > TEXT_MAX_LENGTH:
            errors[name] = _too_long(text, TEXT_MAX_LENGTH)
    if len(content.ao_scope) > TEXT_MAX_LENGTH:
        errors["ao_scope"] = _too_long(content.ao_scope, TEXT_MAX_LENGTH)
    if any(trajectory.pk not in trajectories for trajectory in content.trajectories):
        errors["trajectories"] = str(_("Kies trajecten van dit huishouden uit de lijst."))
    if content.organisations and any(not o.active for o in content.organisations):
        errors["organisations"] = str(_("Kies organisaties uit de lijst."))
    start, review = content.ao_start_on, content.ao_review_on
    if start is not None and review is not None and review <= start:
        errors["ao_review_on"] = str(_("Kies een datum om te herzien die na de ingangsdatum ligt."))
    return errors


def plan_edit(
    *,
    actor: User,
    plan: SupportPlan,
    based_on: int,
    content: PlanContent,
    submission_key: uuid.UUID | None = None,
) -> PlanVersion:
    """Save `content` as the next version of an open plan the actor may see, opened at
    version number `based_on`. Refused with PlanChangedMeanwhile (nothing written) when
    someone saved a newer version since; with ValidationFailed (NOTHING_CHANGED) when it says
    exactly what the current version says; NotFoundError when the actor may not see the plan.
    The plan row is locked through its visibility rule for the whole save, so of two people
    saving at once the second waits and is then refused (ADR 0034). The same form sent again
    by the same actor (`submission_key`) with the same content raises SubmittedBefore with
    the version it saved the first time: the key is claimed before the version is compared,
    so a double click is not refused as a change made meanwhile; someone else's save still
    is, and so is the same form sent again with other text (the user went back and changed
    it), which is kept in the form as before (ADR 0043)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        try:
            submission = submission_claim(actor=actor, key=submission_key, model=PlanVersion)
        except SubmittedBefore as earlier:
            saved = PlanVersion.objects.prefetch_related(
                "goals__member", "trajectories__resident", "activities", "organisations"
            ).get(pk=earlier.record_id)
            if snapshot_of(saved).same_as(content.snapshot()):
                raise
            submission = Submission(row=None)  # other text: a save of its own, checked below
        locked = PLAN_WORKFLOW.lock(subject=plan, actor=actor)
        if locked.status == PlanStatus.ENDED:
            raise ValidationFailed(_("Dit plan is afgesloten. Er kan niets meer bij."))
        assert locked.current_id is not None  # written in the same transaction as the plan
        current = (
            PlanVersion.objects.prefetch_related(
                "goals__member", "trajectories__resident", "activities", "organisations"
            )
            .filter(pk=locked.current_id)
            .get()
        )
        if current.number != based_on:
            raise PlanChangedMeanwhile(based_on=based_on, newer=current.number)
        members = {
            membership.resident_id
            for membership in resident_get_for_user(user=actor, pk=locked.resident_id).household
        }
        linkable = {
            trajectory.pk
            for trajectory in trajectories_of_household_for_user(
                user=actor, household_id=locked.household_id
            )
        }
        errors = _content_errors(content, members=members, trajectories=linkable)
        if errors:
            raise ValidationFailed(fields=errors)
        if snapshot_of(current).same_as(content.snapshot()):
            raise ValidationFailed(NOTHING_CHANGED)
        version = PlanVersion.objects.create(
            plan=locked,
            number=current.number + 1,
            based_on=current,
            own_strength=content.own_strength,
            preceding_provisions=content.preceding_provisions,
            solution=content.solution,
            partners=content.partners,
            perspective=content.perspective,
            ao_scope=content.ao_scope,
            ao_start_on=content.ao_start_on,
            ao_review_on=content.ao_review_on,
            created_by=actor,
        )
        goals = PlanGoal.objects.bulk_create(
            PlanGoal(
                version=version,
                position=position,
                member=goal.member,
                goal=goal.goal,
                result=goal.result,
            )
            for position, goal in enumerate(content.goals, start=1)
        )
        version.trajectories.set(content.trajectories)
        version.activities.set(content.activities)
        version.organisations.set(content.organisations)
        locked.current = version
        locked.save(update_fields=["current"])
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            resident_id=locked.resident_id,
            objects=[locked, version, *goals],
        )
        submission.made(version)
    log.info("plan_version_saved", plan_id=locked.pk, number=version.number)
    return version


def plan_coordinator_change(
    *,
    actor: User,
    plan: SupportPlan,
    coordinator: CoordinatorInput,
    reason: str,
    expected: int,
    submission_key: uuid.UUID | None = None,
) -> SupportPlan:
    """Give an open plan another coordinator: a worker of the plan's team, or an external
    professional (organisation from the register, name, role), with a reason, appended to the
    plan's coordinator history (`Workflow.reassign`). Only a team lead of the plan's team or
    the current staff coordinator may (ADR 0034). `expected` is the newest coordinator change
    the form was shown with: when someone changed the coordinator since, nothing changes
    (PlanCoordinatorChangedMeanwhile, ADR 0026). Naming the current coordinator changes
    nothing. The same form sent again by the same actor (`submission_key`) raises
    SubmittedBefore, not PlanCoordinatorChangedMeanwhile (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    coordinator = coordinator.normalised()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            fields={"reason": str(_("Schrijf op waarom de regisseur verandert."))}
        )
    if len(reason) > ASSIGNMENT_REASON_MAX_LENGTH:
        raise ValidationFailed(fields={"reason": _too_long(reason, ASSIGNMENT_REASON_MAX_LENGTH)})
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=PlanCoordinatorChange)
        locked = PLAN_WORKFLOW.lock(subject=plan, actor=actor)
        if not coordinator_change_allowed(user=actor, plan=locked):
            raise NotFoundError
        if locked.status == PlanStatus.ENDED:
            raise ValidationFailed(_("Dit plan is afgesloten. Er kan niets meer bij."))
        latest = (
            PlanCoordinatorChange.objects.filter(plan=locked)
            .select_related("assignee", "external_organisation")
            .order_by("-pk")
            .first()
        )
        if latest is not None and latest.pk != expected:
            raise PlanCoordinatorChangedMeanwhile(name=coordinator_label(latest), current=latest.pk)
        errors = _coordinator_errors(coordinator, locked.team)
        if errors:
            raise ValidationFailed(fields=errors)
        fields = _coordinator_fields(coordinator)
        unchanged = locked.coordinator_id == (
            coordinator.user.pk if coordinator.user is not None else None
        ) and all(getattr(locked, name) == value for name, value in fields.items())
        if unchanged:
            if latest is not None:
                submission.made(latest)  # sent again, it leads to the same page
            return locked
        for name, value in fields.items():
            setattr(locked, name, value)
        change = PLAN_WORKFLOW.reassign(
            subject=locked,
            to=coordinator.user,
            actor=actor,
            reason=reason,
            fields=list(fields),
            extra=fields,
        )
        submission.made(change)
    log.info(
        "plan_coordinator_changed",
        plan_id=locked.pk,
        change_id=change.pk,
        external=coordinator.user is None,
    )
    return locked


# -- Evaluations and the explanation of rights ----------------------------------------------

EVALUATION_HELD_IN_FUTURE = _(
    "De evaluatie ligt in de toekomst. Vul de dag in waarop u met de inwoner sprak."
)
NEXT_EVALUATION_NOT_AFTER = _("Kies voor de volgende evaluatie een datum na deze evaluatie.")
NEXT_EVALUATION_IN_PAST = _("De volgende evaluatie kan niet in het verleden liggen.")
NO_ZRM_REASON_REQUIRED = _("Vul een ZRM in, of schrijf waarom er deze keer geen ZRM is.")
PLAN_CHANGED_SINCE_OPENED = _(
    "Er is intussen een nieuwe versie van het plan opgeslagen. Hieronder staan nu de doelen "
    "van de nieuwe versie. Vul de voortgang per doel opnieuw in."
)
RIGHTS_IN_FUTURE = _("De datum ligt in de toekomst. Vul de dag in waarop u het uitlegde.")
RIGHTS_NONE_CHOSEN = _("Kies ten minste één recht dat u heeft uitgelegd.")
WANTS_CLIENT_SUPPORT_UNEXPLAINED = _(
    "Leg eerst uit wat onafhankelijke cliëntondersteuning is. Vink dat dan ook aan."
)


@dataclass(frozen=True)
class GoalProgressInput:
    """How far the resident came with one goal of the evaluated version."""

    goal_id: int
    progress: GoalProgress | str
    note: str = ""


@dataclass(frozen=True)
class ZrmInput:
    """The new ZRM assessment of an evaluation: on one of the trajectories the evaluated
    version links to, recorded by the trajectories' own service (moment "evaluation")."""

    trajectory: Trajectory
    scores: Mapping[Code, int]


@dataclass(frozen=True)
class EvaluationContent:
    """What an evaluation records. `version_id` is the version the form showed the goals of:
    a plan that got a newer version meanwhile refuses the evaluation. Either `zrm` or
    `no_zrm_reason`."""

    version_id: int
    held_on: datetime.date
    resident_view: str
    progress: Sequence[GoalProgressInput]
    next_evaluation_on: datetime.date
    zrm: ZrmInput | None = None
    no_zrm_reason: str = ""


def _too_long(text: str, limit: int) -> str:
    return str(
        _("Deze tekst is %(length)d tekens lang. Er passen er hooguit %(max)d in.")
        % {"length": len(text), "max": limit}
    )


def _evaluation_errors(content: EvaluationContent, today: datetime.date) -> dict[str, str]:
    """Every mistake in `content` at once, by the field of the evaluation form."""
    errors: dict[str, str] = {}
    if content.held_on > today:
        errors["held_on"] = str(EVALUATION_HELD_IN_FUTURE)
    if content.next_evaluation_on <= content.held_on:
        errors["next_evaluation_on"] = str(NEXT_EVALUATION_NOT_AFTER)
    elif content.next_evaluation_on < today:
        errors["next_evaluation_on"] = str(NEXT_EVALUATION_IN_PAST)
    if len(content.resident_view) > TEXT_MAX_LENGTH:
        errors["resident_view"] = _too_long(content.resident_view, TEXT_MAX_LENGTH)
    reason = " ".join(content.no_zrm_reason.split())
    if content.zrm is None and not reason:
        errors["no_zrm_reason"] = str(NO_ZRM_REASON_REQUIRED)
    elif content.zrm is not None and reason:
        errors["no_zrm_reason"] = str(_("U heeft een ZRM ingevuld. Laat de reden leeg."))
    elif len(reason) > NAME_MAX_LENGTH:
        errors["no_zrm_reason"] = _too_long(reason, NAME_MAX_LENGTH)
    for item in content.progress:
        if item.progress not in GoalProgress.values:
            errors[f"progress_{item.goal_id}"] = str(_("Kies hoe het met dit doel gaat."))
        if len(item.note) > TEXT_MAX_LENGTH:
            errors[f"note_{item.goal_id}"] = _too_long(item.note, TEXT_MAX_LENGTH)
    return errors


# The ZRM service's fields, as the evaluation form names them.
_ZRM_FIELDS = {"assessed_on": "held_on", "moment": "zrm_trajectory"}


def evaluation_record(
    *,
    actor: User,
    plan: SupportPlan,
    content: EvaluationContent,
    submission_key: uuid.UUID | None = None,
) -> Evaluation:
    """Record an evaluation of an active plan the actor may see: the resident's own view,
    progress on every goal of the plan's current version, a new ZRM assessment (through
    `zrm_record_within`, on a trajectory that version links to) or the reason there is none,
    and the next evaluation date, which becomes the plan's; the plan's date until then is kept
    as the date the evaluation was due (`due_on`, ADR 0042). One transaction; the evaluation's
    access-log entry names the evaluation, its goals, the plan and the ZRM assessment (the ZRM
    service writes its own entry as well). The same form sent again (`submission_key`)
    raises SubmittedBefore with the first evaluation (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    errors = _evaluation_errors(content, timezone.localdate())
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=Evaluation)
        locked = PLAN_WORKFLOW.lock(subject=plan, actor=actor)
        if locked.status != PlanStatus.ACTIVE:
            raise ValidationFailed(
                _("Dit plan loopt niet. Alleen een ondertekend plan dat loopt, kunt u evalueren.")
            )
        if locked.current_id != content.version_id:
            raise ValidationFailed(PLAN_CHANGED_SINCE_OPENED)
        goals = {goal.pk: goal for goal in PlanGoal.objects.filter(version_id=locked.current_id)}
        given = {item.goal_id: item for item in content.progress}
        if set(given) != set(goals) or len(given) != len(content.progress):
            raise ValidationFailed(_("Vul de voortgang in voor elk doel van het plan, één keer."))
        assessment = None
        if content.zrm is not None:
            linked = PlanVersion.objects.filter(
                pk=locked.current_id, trajectories=content.zrm.trajectory.pk
            ).exists()
            if not linked:
                raise ValidationFailed(
                    fields={"zrm_trajectory": str(_("Kies een traject dat bij dit plan hoort."))}
                )
            try:
                assessment = zrm_record_within(
                    actor=actor,
                    trajectory=content.zrm.trajectory,
                    moment=ZrmMoment.EVALUATION,
                    assessed_on=content.held_on,
                    scores=content.zrm.scores,
                )
            except ValidationFailed as error:
                raise ValidationFailed(
                    error.message,
                    fields={
                        _ZRM_FIELDS.get(name, name): text for name, text in error.fields.items()
                    },
                ) from error
        evaluation = Evaluation.objects.create(
            plan=locked,
            version_id=locked.current_id,
            held_on=content.held_on,
            resident_view=content.resident_view,
            zrm_assessment=assessment,
            no_zrm_reason="" if assessment else " ".join(content.no_zrm_reason.split()),
            next_evaluation_on=content.next_evaluation_on,
            due_on=locked.next_evaluation_on,
            by=actor,
        )
        rows = EvaluationGoal.objects.bulk_create(
            EvaluationGoal(
                evaluation=evaluation,
                goal=goals[goal_id],
                progress=str(given[goal_id].progress),
                note=given[goal_id].note,
            )
            for goal_id in sorted(goals, key=lambda pk: goals[pk].position)
        )
        locked.next_evaluation_on = content.next_evaluation_on
        locked.save(update_fields=["next_evaluation_on"])
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=locked.resident_id,
            objects=[evaluation, *rows, locked, *([assessment] if assessment else [])],
        )
        submission.made(evaluation)
    log.info(
        "plan_evaluation_recorded",
        plan_id=locked.pk,
        evaluation_id=evaluation.pk,
        zrm=assessment is not None,
    )
    return evaluation


@dataclass(frozen=True)
class RightsContent:
    """Which of the resident's rights were explained, and when."""

    explained_on: datetime.date
    client_support: bool = False
    wants_client_support: bool = False
    privacy: bool = False
    complaints: bool = False
    objection_appeal: bool = False
    note: str = ""


def rights_explanation_record(
    *,
    actor: User,
    plan: SupportPlan,
    content: RightsContent,
    submission_key: uuid.UUID | None = None,
) -> RightsExplanation:
    """Record that the resident's rights were explained for an open plan the actor may see:
    the date, which rights, whether the resident wants a client supporter, and a note.
    Append-only: a later explanation is a new row; the plan page shows the latest. The same
    form sent again (`submission_key`) raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if content.explained_on > timezone.localdate():
        errors["explained_on"] = str(RIGHTS_IN_FUTURE)
    chosen = (
        content.client_support,
        content.privacy,
        content.complaints,
        content.objection_appeal,
    )
    if not any(chosen):
        errors["__all__"] = str(RIGHTS_NONE_CHOSEN)
    if content.wants_client_support and not content.client_support:
        errors["wants_client_support"] = str(WANTS_CLIENT_SUPPORT_UNEXPLAINED)
    if len(content.note) > TEXT_MAX_LENGTH:
        errors["note"] = _too_long(content.note, TEXT_MAX_LENGTH)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=RightsExplanation)
        locked = PLAN_WORKFLOW.lock(subject=plan, actor=actor)
        if locked.status == PlanStatus.ENDED:
            raise ValidationFailed(_("Dit plan is afgesloten. Er kan niets meer bij."))
        explanation = RightsExplanation.objects.create(
            plan=locked,
            explained_on=content.explained_on,
            client_support=content.client_support,
            wants_client_support=content.wants_client_support,
            privacy=content.privacy,
            complaints=content.complaints,
            objection_appeal=content.objection_appeal,
            note=content.note,
            by=actor,
        )
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=locked.resident_id,
            objects=[explanation, locked],
        )
        submission.made(explanation)
    log.info("plan_rights_explained", plan_id=locked.pk, explanation_id=explanation.pk)
    return explanation


# -- Signing ----------------------------------------------------------------------------------

SIGNING_METHOD_REQUIRED = _("Kies hoe de inwoner akkoord geeft.")
SIGNER_REQUIRED = _("Kies wie akkoord geeft: de inwoner of iemand uit het huishouden.")
SIGNED_ON_REQUIRED = _("Vul de datum in waarop de inwoner akkoord gaf.")
SIGNED_ON_IN_FUTURE = _("De datum ligt in de toekomst. Vul de dag in waarop de inwoner tekende.")
SIGNED_ON_BEFORE_VERSION = _(
    "De datum ligt voor de dag waarop deze versie is gemaakt. Controleer de datum."
)
TYPED_NAME_REQUIRED = _("Typ de naam van wie akkoord geeft.")
CONFIRMATION_REQUIRED = _("Vink aan dat de inwoner akkoord gaat met deze versie van het plan.")
FIRST_EVALUATION_REQUIRED = _(
    "Vul de datum van de eerste evaluatie in. Het plan gaat lopen zodra het is ondertekend."
)
FIRST_EVALUATION_NOT_AFTER = _("Kies voor de eerste evaluatie een datum na de ondertekening.")
SIGN_ONLY_CURRENT = _(
    "Alleen de nieuwste versie van het plan kan worden ondertekend. Dat is versie %(number)s."
)
SIGN_ALREADY_SIGNED = _(
    "Deze versie is al ondertekend. Een ondertekende versie kan niet nog een keer worden "
    "ondertekend en niet meer veranderen."
)
SIGN_PLAN_ENDED = _("Dit plan is afgesloten. Het kan niet meer worden ondertekend.")
SIGNER_NOT_IN_HOUSEHOLD = _("Wie akkoord geeft, moet bij het huishouden van het plan horen.")


@dataclass(frozen=True)
class SignatureInput:
    """What the signing form gives: how the resident agreed, who, on which day, and per
    method the typed name, the drawing (a PNG data URL from the canvas) or the scan. The
    first evaluation date is needed when the signature makes a draft plan active."""

    method: SignatureMethod | str
    signer_id: int | None
    signed_on: datetime.date | None
    signer_name: str = ""
    confirmed: bool = False
    drawing: str = ""
    scan: UploadedFile[bytes] | None = None
    next_evaluation_on: datetime.date | None = None


def _signature_errors(
    *, version: PlanVersion, signing: SignatureInput
) -> tuple[dict[str, str], CheckedFile | None]:
    """Every mistake in what was entered, at its field, and the checked file (drawn, scan)."""
    errors: dict[str, str] = {}
    checked: CheckedFile | None = None
    method = str(signing.method)
    if method not in SignatureMethod.values:
        errors["method"] = str(SIGNING_METHOD_REQUIRED)
    if signing.signer_id is None:
        errors["signer"] = str(SIGNER_REQUIRED)
    if signing.signed_on is None:
        errors["signed_on"] = str(SIGNED_ON_REQUIRED)
    elif signing.signed_on > timezone.localdate():
        errors["signed_on"] = str(SIGNED_ON_IN_FUTURE)
    elif signing.signed_on < timezone.localdate(version.created_at):
        errors["signed_on"] = str(SIGNED_ON_BEFORE_VERSION)
    if method == SignatureMethod.TYPED and not " ".join(signing.signer_name.split()):
        errors["signer_name"] = str(TYPED_NAME_REQUIRED)
    if method in (SignatureMethod.TYPED, SignatureMethod.IN_PERSON) and not signing.confirmed:
        errors["confirmed"] = str(CONFIRMATION_REQUIRED)
    try:
        if method == SignatureMethod.DRAWN:
            checked = drawing_from_data_url(signing.drawing)
        elif method == SignatureMethod.SCAN:
            checked = scan_from_upload(signing.scan)
    except ValidationFailed as error:
        errors.update(error.fields)
    return errors, checked


def _first_evaluation_errors(*, signing: SignatureInput) -> dict[str, str]:
    if signing.next_evaluation_on is None:
        return {"next_evaluation_on": str(FIRST_EVALUATION_REQUIRED)}
    if signing.next_evaluation_on <= timezone.localdate():  # signed today or earlier
        return {"next_evaluation_on": str(FIRST_EVALUATION_NOT_AFTER)}
    return {}


def plan_version_sign(
    *,
    actor: User,
    version: PlanVersion,
    signing: SignatureInput,
    submission_key: uuid.UUID | None = None,
) -> Signature:
    """Record that the resident (or a member of the household, or their representative)
    agreed to exactly this version of the plan, witnessed by `actor`: drawn on the screen,
    typed name and confirmation, a scanned paper signature, or a confirmation in person.

    Only the plan's newest version can be signed, and only once (a signature is never
    changed: the database refuses it, as it refuses changes to every version). The drawing or
    the scan is stored in private storage with its SHA-256. The first signature makes a
    draft plan active (PLAN_WORKFLOW), with the date of its first evaluation; a later one
    leaves it active. One access-log entry names the signature, the version and the plan.
    The same form sent again (`submission_key`) raises SubmittedBefore with the signature
    made the first time, not "signed already" (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    errors, checked = _signature_errors(version=version, signing=signing)
    plan = version.plan
    if plan.status == PlanStatus.DRAFT:
        errors.update(_first_evaluation_errors(signing=signing))
    if errors:
        raise ValidationFailed(fields=errors)
    assert signing.signed_on is not None  # checked above
    stored: StoredFile | None = None
    try:
        with transaction.atomic(durable=True):
            submission = submission_claim(actor=actor, key=submission_key, model=Signature)
            locked = PLAN_WORKFLOW.lock(subject=plan, actor=actor)
            if locked.status == PlanStatus.ENDED:
                raise ValidationFailed(SIGN_PLAN_ENDED)
            if Signature.objects.filter(version_id=version.pk).exists():
                raise ValidationFailed(SIGN_ALREADY_SIGNED)
            if locked.current_id != version.pk:
                current = PlanVersion.objects.filter(plan=locked).order_by("-number").first()
                number = current.number if current else version.number
                raise ValidationFailed(SIGN_ONLY_CURRENT % {"number": number})
            if locked.status == PlanStatus.DRAFT and (
                first := _first_evaluation_errors(signing=signing)
            ):
                raise ValidationFailed(fields=first)  # the plan was a draft after all
            household = resident_get_for_user(user=actor, pk=locked.resident_id).household
            members = {m.resident_id for m in household if m.household_id == locked.household_id}
            if signing.signer_id not in members | {locked.resident_id}:
                raise ValidationFailed(fields={"signer": str(SIGNER_NOT_IN_HOUSEHOLD)})
            if checked is not None:
                stored = private_file_write(
                    folder="signatures", data=checked.data, suffix=checked.suffix
                )
            signature = Signature.objects.create(
                version=version,
                method=str(signing.method),
                signed_on=signing.signed_on,
                signer_id=signing.signer_id,
                signer_name=" ".join(signing.signer_name.split()),
                witness=actor,
                file_path=stored.path if stored else "",
                content_type=checked.content_type if checked else "",
                sha256=stored.sha256 if stored else "",
            )
            if locked.status == PlanStatus.DRAFT:

                def first_evaluation(plan: SupportPlan) -> list[Signature | PlanVersion]:
                    plan.next_evaluation_on = signing.next_evaluation_on
                    return [signature, version]

                PLAN_WORKFLOW.transition(
                    subject=locked,
                    to=PlanStatus.ACTIVE,
                    actor=actor,
                    reason=str(_("Versie %(number)s is ondertekend.") % {"number": version.number}),
                    apply=first_evaluation,
                    fields=["next_evaluation_on"],
                )
            else:
                access_log_record(
                    actor=actor,
                    event=AccessEvent.CREATE,
                    resident_id=locked.resident_id,
                    objects=[signature, version, locked],
                )
            submission.made(signature)
    except BaseException:
        if stored is not None:
            private_file_remove(stored.path)
        raise
    log.info(
        "plan_version_signed",
        plan_id=plan.pk,
        version_id=version.pk,
        signature_id=signature.pk,
        method=signature.method,
    )
    return signature


PLAN_SUMMARY_TEMPLATE = "plans/letters/plan_summary.html"
SUMMARY_NEEDS_SIGNATURE = _(
    "Deze versie is nog niet ondertekend. Een samenvatting maakt u van een ondertekende versie."
)


def plan_summary_letter_produce(
    *, actor: User, version: PlanVersion, submission_key: uuid.UUID | None = None
) -> Letter:
    """The plan summary letter of a signed version, to the resident the plan was drawn up
    with (wijk.letters: a tagged PDF, stored, the next version of this letter about this
    version): the goals, the support, who works on it, when it is evaluated, and for
    Aanvullende Ondersteuning that this signed plan is the decision, with the objection term.
    The letter's access-log entry names the letter and the version. The same button sent
    again (`submission_key`) raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=Letter)
        plan = PLAN_WORKFLOW.lock(subject=version.plan, actor=actor)
        signature = (
            Signature.objects.filter(version_id=version.pk, version__plan=plan)
            .select_related("signer")
            .first()
        )
        if signature is None:
            raise ValidationFailed(SUMMARY_NEEDS_SIGNATURE)
        letter = letter_produce(
            actor=actor,
            resident=plan.resident,
            kind=LetterKind.PLAN_SUMMARY,
            template=PLAN_SUMMARY_TEMPLATE,
            context={
                "plan": plan,
                "version": version,
                "signature": signature,
                "goals": list(version.goals.select_related("member").order_by("position")),
                "coordinator": coordinator_label(plan),
                "ao_decision": bool(
                    version.ao_scope.strip() and version.ao_start_on and version.ao_review_on
                ),
            },
            source=version,
            team=plan.team,
        )
        submission.made(letter)
    log.info("plan_summary_produced", plan_id=plan.pk, version_id=version.pk, letter_id=letter.pk)
    return letter


# -- Ending -----------------------------------------------------------------------------------

END_REASON_REQUIRED = _("Kies waarom het plan stopt.")
END_EXPLANATION_REQUIRED = _("U koos 'Een andere reden'. Schrijf kort op waarom het plan stopt.")
ENDED_ON_REQUIRED = _("Vul de datum in waarop de ondersteuning stopt.")
ENDED_ON_IN_FUTURE = _(
    "De datum ligt in de toekomst. Sluit het plan af op of na de dag waarop de ondersteuning stopt."
)
ENDED_ON_BEFORE_START = _("De datum ligt voor de dag waarop het plan is gestart (%(day)s).")
PERSPECTIVE_UNKNOWN = _("Kies of het perspectief is bereikt, of laat het open.")


@dataclass(frozen=True)
class PlanEndInput:
    """What the ending form gives: the day support stopped, why (`reason`, with an
    `explanation` for "other", at most 200 characters: it is the status row's reason), and
    for a plan that ran whether the perspective of part 6 was reached ("" for not said)."""

    ended_on: datetime.date | None
    reason: PlanEndReason | str
    explanation: str = ""
    perspective_reached: PerspectiveReached | str = ""


def _end_errors(ending: PlanEndInput, *, started_on: datetime.date) -> dict[str, str]:
    """Every mistake in `ending` at once, by the ending form's field names."""
    errors: dict[str, str] = {}
    if ending.ended_on is None:
        errors["ended_on"] = str(ENDED_ON_REQUIRED)
    elif ending.ended_on > timezone.localdate():
        errors["ended_on"] = str(ENDED_ON_IN_FUTURE)
    elif ending.ended_on < started_on:
        errors["ended_on"] = str(ENDED_ON_BEFORE_START % {"day": date_format(started_on)})
    if str(ending.reason) not in PlanEndReason.values:
        errors["reason"] = str(END_REASON_REQUIRED)
    explanation = " ".join(ending.explanation.split())
    if str(ending.reason) == PlanEndReason.OTHER and not explanation:
        errors["explanation"] = str(END_EXPLANATION_REQUIRED)
    elif len(explanation) > REASON_MAX_LENGTH:
        errors["explanation"] = _too_long(explanation, REASON_MAX_LENGTH)
    perspective = str(ending.perspective_reached)
    if perspective and perspective not in PerspectiveReached.values:
        errors["perspective_reached"] = str(PERSPECTIVE_UNKNOWN)
    return errors


def plan_end(
    *,
    actor: User,
    plan: SupportPlan,
    ending: PlanEndInput,
    submission_key: uuid.UUID | None = None,
) -> SupportPlan:
    """End a plan the actor may see and end (`plan_end_allowed`: a team lead of the plan's
    team or its current staff coordinator; anyone else gets NotFoundError, as on the
    coordinator page): an active plan at the end of support, a draft when it is withdrawn
    before it was signed. One step on PLAN_WORKFLOW (its status row carries the explanation;
    its access-log entry names the plan and the row), setting the end date (not in the
    future, not before the plan started), the reason and whether the perspective was reached.
    An ended plan takes no new version, evaluation or signature and is never reopened; the
    household may start a new plan (ADR 0034). The same form sent again (`submission_key`)
    raises SubmittedBefore with the plan ended the first time (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    # The start date is checked again on the locked row below; this gives every message at once.
    errors = _end_errors(ending, started_on=timezone.localdate(plan.created_at))
    if errors:
        raise ValidationFailed(fields=errors)
    assert ending.ended_on is not None  # checked above

    def end(locked: SupportPlan) -> list[Any]:
        if not plan_end_allowed(user=actor, plan=locked):
            raise NotFoundError
        started_on = timezone.localdate(locked.created_at)
        if ending.ended_on is not None and ending.ended_on < started_on:
            raise ValidationFailed(fields=_end_errors(ending, started_on=started_on))
        locked.ended_on = ending.ended_on
        locked.end_reason = str(ending.reason)
        locked.perspective_reached = str(ending.perspective_reached)
        return []

    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=SupportPlan)
        ended = PLAN_WORKFLOW.transition(
            subject=plan,
            to=PlanStatus.ENDED,
            actor=actor,
            reason=ending.explanation,
            apply=end,
            fields=["ended_on", "end_reason", "perspective_reached"],
        )
        submission.made(ended)
    log.info("plan_ended", plan_id=ended.pk)
    return ended
