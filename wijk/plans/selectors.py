"""Reads of support plans: the only way views reach them. Every read goes through
`SupportPlan.objects.visible_to(user)` and is logged (wijk.core.access)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijk.accounts.roles import gate_for
from wijk.activities.selectors import activities_for_user
from wijk.core.access import (
    log_read,
    log_refusal,
    model_ref,
    refs_with_resident,
    visible_or_refuse,
)
from wijk.core.errors import NotFoundError
from wijk.core.models import AccessEvent
from wijk.core.private_files import private_file_read
from wijk.core.rows import Columns, Values, capped_rows, record_refs
from wijk.core.timeline import TimelineEntry
from wijk.core.worklist import Scope, WorkItem, WorkPart
from wijk.letters.models import Letter, LetterKind
from wijk.letters.selectors import letter_versions_for_user
from wijk.monitoring.sources import DueRow, DueTally
from wijk.organisations.models import Organisation, Team
from wijk.organisations.selectors import workers_of
from wijk.plans.deadlines import EVALUATION_SOON_DAYS, worklist_horizon
from wijk.plans.diff import PartDiff, Snapshot, plan_diff, snapshot_of
from wijk.plans.models import (
    Evaluation,
    EvaluationGoal,
    PlanCoordinatorChange,
    PlanGoal,
    PlanStatusChange,
    PlanVersion,
    RightsExplanation,
    Signature,
    SupportPlan,
    SupportPlanQuerySet,
)
from wijk.plans.workflow import PlanStatus
from wijk.residents.models import Resident, full_name_of
from wijk.residents.selectors import resident_get_for_user
from wijk.trajectories.models import Trajectory, ZrmScore
from wijk.trajectories.selectors import (
    trajectories_among_for_user,
    trajectories_of_household_for_user,
)
from wijk.trajectories.workflow import TrajectoryStatus

if TYPE_CHECKING:
    from wijk.accounts.models import User


# -- The plan, its versions and its coordinator ---------------------------------------------


def coordinator_change_allowed(*, user: User, plan: SupportPlan) -> bool:
    """Who may change a plan's coordinator: a team lead who is an active member of the
    plan's team, or the current staff coordinator, who hands their own coordination over
    (ADR 0034). Never for an ended plan."""
    if plan.status == PlanStatus.ENDED or not gate_for(user).person_level:
        return False
    if plan.coordinator_id == user.pk:
        return True
    return (
        gate_for(user).oversee_teams
        and Team.objects.active_for(user).filter(pk=plan.team_id).exists()
    )


def _version_queryset() -> Any:
    return PlanVersion.objects.select_related("created_by").prefetch_related(
        "goals__member", "trajectories__resident", "activities", "organisations"
    )


def _plan(*, user: User, pk: int) -> SupportPlan:
    return visible_or_refuse(
        queryset=SupportPlan.objects.visible_to(user).select_related(
            "resident",
            "household",
            "team",
            "coordinator",
            "external_organisation",
            "help_request",
        ),
        pk=pk,
        user=user,
    )


@dataclass(frozen=True)
class PlanView:
    """A plan as its page shows it: the current version's six parts, every version (oldest
    first, without their content), the coordinator history and the status history."""

    plan: SupportPlan
    current: PlanVersion
    content: Snapshot
    versions: list[PlanVersion]
    coordinator_changes: list[PlanCoordinatorChange]
    status_changes: list[PlanStatusChange]
    can_change_coordinator: bool

    @property
    def coordinator(self) -> str:
        return coordinator_label(self.plan)

    @property
    def latest_change(self) -> PlanCoordinatorChange | None:
        return self.coordinator_changes[-1] if self.coordinator_changes else None


def coordinator_label(holder: SupportPlan | PlanCoordinatorChange) -> str:
    """The coordinator as a reader sees them: a colleague's name, or an external
    professional's name and role at their organisation."""
    user = holder.coordinator if isinstance(holder, SupportPlan) else holder.assignee
    if user is not None:
        return user.get_full_name() or user.username
    organisation = holder.external_organisation
    return _("%(name)s, %(role)s bij %(organisation)s") % {
        "name": holder.external_name,
        "role": holder.external_role,
        "organisation": organisation.name if organisation is not None else "",
    }


def plan_get_for_user(*, user: User, pk: int) -> PlanView:
    """Plan `pk` with its current version, its versions and its histories, or NotFoundError.
    The read names the plan, its resident and the current version."""
    plan = _plan(user=user, pk=pk)
    current = _version_queryset().get(pk=plan.current_id)
    versions = list(plan.versions.select_related("created_by").order_by("number"))
    changes = list(
        plan.coordinator_changes.select_related(
            "assignee", "previous", "by", "external_organisation"
        ).order_by("pk")
    )
    statuses = list(plan.status_changes.select_related("by").order_by("seq"))
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[*refs_with_resident([plan]), current],
    )
    return PlanView(
        plan=plan,
        current=current,
        content=snapshot_of(current),
        versions=versions,
        coordinator_changes=changes,
        status_changes=statuses,
        can_change_coordinator=coordinator_change_allowed(user=user, plan=plan),
    )


@dataclass(frozen=True)
class VersionsView:
    """A plan's versions and, when two were chosen, their differences part by part."""

    plan: SupportPlan
    versions: list[PlanVersion]
    old: PlanVersion | None
    new: PlanVersion | None
    parts: list[PartDiff]
    unknown: bool
    """The numbers asked for are not two versions of this plan: no comparison is shown."""


def plan_versions_for_user(
    *, user: User, pk: int, old: int | None = None, new: int | None = None, asked: bool = False
) -> VersionsView:
    """Plan `pk`'s versions, and the differences between versions number `old` and `new`;
    with nothing `asked`, between the two newest. Numbers that are not versions of the plan
    (`asked` but missing, or not found) give `unknown` and no comparison. NotFoundError for a
    plan the user may not see. The read names the plan, its resident and the versions
    compared."""
    plan = _plan(user=user, pk=pk)
    versions = list(plan.versions.select_related("created_by").order_by("number"))
    if not asked and len(versions) >= 2:
        old, new = versions[-2].number, versions[-1].number
    by_number = {version.number: version for version in versions}
    chosen = [by_number.get(number) if number is not None else None for number in (old, new)]
    first, second = chosen
    unknown = asked and (first is None or second is None)
    parts: list[PartDiff] = []
    compared: list[PlanVersion] = []
    if first is not None and second is not None:
        loaded = {v.pk: v for v in _version_queryset().filter(pk__in=[first.pk, second.pk])}
        first, second = loaded[first.pk], loaded[second.pk]
        parts = plan_diff(snapshot_of(first), snapshot_of(second))
        compared = [first, second] if first.pk != second.pk else [first]
    else:
        first = second = None
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[*refs_with_resident([plan]), *compared],
    )
    return VersionsView(
        plan=plan, versions=versions, old=first, new=second, parts=parts, unknown=unknown
    )


@dataclass(frozen=True)
class PlanStartChoices:
    """What the start form offers: the user's active teams, the workers of those teams as
    coordinator, and the organisations of the register for an external one."""

    teams: list[Team]
    workers: list[User]
    organisations: list[Organisation]


def plan_start_choices(*, user: User) -> PlanStartChoices:
    teams = list(Team.objects.active_for(user).order_by("name"))
    return PlanStartChoices(
        teams=teams,
        workers=list(workers_of(teams=teams)) if teams else [],
        organisations=list(Organisation.objects.filter(active=True).order_by("name")),
    )


def coordinator_choices_for_plan(*, plan: SupportPlan) -> PlanStartChoices:
    """Whom a plan's coordinator may become: a worker of the plan's team, or a professional of
    an organisation in the register."""
    return PlanStartChoices(
        teams=[plan.team],
        workers=list(workers_of(teams=[plan.team])),
        organisations=list(Organisation.objects.filter(active=True).order_by("name")),
    )


def plan_open_for_resident(*, user: User, resident_id: int) -> SupportPlan | None:
    """The open plan of the resident's household that the user may see, or None: the start
    page links it instead of starting a second one. Logged when one is found."""
    plan = (
        SupportPlan.objects.visible_to(user)
        .open()
        .filter(household__memberships__resident_id=resident_id)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    if plan is not None:
        log_read(user=user, resident_id=plan.resident_id, objects=refs_with_resident([plan]))
    return plan


@dataclass(frozen=True)
class PlanEditChoices:
    """What the edit form offers to link: the household's members (for a goal), the
    household's trajectories the user may see, the active activities and the organisations
    of the register."""

    members: list[Resident]
    trajectories: list[Trajectory]
    activities: list[Any]
    organisations: list[Organisation]


def plan_edit_choices(*, user: User, plan: SupportPlan) -> PlanEditChoices:
    """The choices of `plan`'s edit form, for a user who has read the plan; the household and
    the trajectories are read (and logged) by their own selectors."""
    household = resident_get_for_user(user=user, pk=plan.resident_id).household
    return PlanEditChoices(
        members=[membership.resident for membership in household],
        trajectories=trajectories_of_household_for_user(user=user, household_id=plan.household_id),
        activities=_activities_near(user=user, plan=plan),
        organisations=list(Organisation.objects.filter(active=True).order_by("name")),
    )


def _activities_near(*, user: User, plan: SupportPlan) -> list[Any]:
    """The active activities in the wijken of the plan's team (by CBS code, any year), and
    those the current version links already: the city's whole list is too long to choose
    from. A team without wijken (the intake team) is offered every activity."""
    activities = activities_for_user(user=user)
    codes = set(plan.team.wijken.values_list("code", flat=True))
    if not codes:
        return activities
    linked = (
        set(plan.current.activities.values_list("pk", flat=True))
        if plan.current is not None
        else set()
    )
    return [a for a in activities if a.wijk.code in codes or a.pk in linked]


def timeline_plans_for_user(
    *,
    user: User,
    resident: Resident,
    kinds: Collection[str] = ("plan",),
    limit: int = 1000,
) -> list[TimelineEntry]:
    """The support plans of the resident's household (the plan is the household's, so each
    member's file shows it) for the case-file timeline, the newest `limit` in the order of
    `wijk.core.timeline.newest_first` (started, then id), in one query and one access-log
    entry. For the case file, which has already checked that the user may see the resident."""
    if not gate_for(user).person_level or "plan" not in kinds:
        return []
    plans = list(
        SupportPlan.objects.visible_to(user)
        .filter(Q(resident=resident) | Q(household__memberships__resident=resident))
        .distinct()
        .select_related("team", "current", "coordinator", "external_organisation")
        .order_by("-created_at", "-pk")[:limit]
    )
    if not plans:
        return []
    log_read(user=user, objects=refs_with_resident(plans), resident_id=resident.pk)
    entries = []
    for plan in plans:
        current = plan.current
        entries.append(
            TimelineEntry(
                at=plan.created_at,
                kind="plan",
                title=_("Ondersteuningsplan %(number)s gestart (%(team)s)")
                % {"number": plan.pk, "team": plan.team.name},
                detail=_("%(status)s, versie %(version)s, regisseur %(coordinator)s")
                % {
                    # The end is on the plan's row (as a trajectory's outflow on its entry).
                    "status": _("Afgesloten op %(day)s") % {"day": date_format(plan.ended_on)}
                    if plan.ended_on is not None
                    else PlanStatus(plan.status).label,
                    "version": current.number if current is not None else 1,
                    "coordinator": coordinator_label(plan),
                },
                url=reverse("plans:detail", args=[plan.pk]),
                ref=model_ref(SupportPlan, plan.pk),
            )
        )
    return entries


# -- Evaluations and the explanation of rights ----------------------------------------------

# The plan page lists at most this many evaluations, the newest first.
EVALUATIONS_SHOWN = 20


def _evaluated_plan(*, user: User, pk: int) -> SupportPlan:
    return visible_or_refuse(
        queryset=SupportPlan.objects.visible_to(user).select_related("resident", "current"),
        pk=pk,
        user=user,
    )


@dataclass(frozen=True)
class EvaluationStart:
    """What the evaluation form of a plan shows: the goals of its current version and the
    trajectories that version links to which can take a new ZRM (open, and visible to the
    user)."""

    plan: SupportPlan
    goals: list[PlanGoal]
    trajectories: list[Trajectory]

    @property
    def active(self) -> bool:
        return self.plan.status == PlanStatus.ACTIVE and self.plan.current_id is not None


def evaluation_start_for_user(*, user: User, pk: int) -> EvaluationStart:
    """Plan `pk` as its evaluation form needs it, or NotFoundError. The read names the plan,
    its resident and the goals shown; the trajectories are read (and logged) by their own
    selector."""
    plan = _evaluated_plan(user=user, pk=pk)
    goals = list(
        PlanGoal.objects.filter(version_id=plan.current_id)
        .select_related("member")
        .order_by("position")
    )
    linked = (
        [
            trajectory_id
            for trajectory_id in PlanVersion.objects.filter(pk=plan.current_id).values_list(
                "trajectories", flat=True
            )
            if trajectory_id is not None
        ]
        if plan.current_id is not None
        else []
    )
    trajectories = [
        trajectory
        for trajectory in trajectories_among_for_user(user=user, pks=linked)
        if trajectory.status != TrajectoryStatus.CLOSED
    ]
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[*refs_with_resident([plan]), *goals],
    )
    return EvaluationStart(plan=plan, goals=goals, trajectories=trajectories)


@dataclass(frozen=True)
class EvaluationView:
    """One evaluation with its progress per goal and, when the user may see the trajectory it
    was recorded on, the ZRM scores."""

    plan: SupportPlan
    evaluation: Evaluation
    goals: list[EvaluationGoal]
    zrm_scores: list[ZrmScore]
    zrm_visible: bool


def evaluation_get_for_user(*, user: User, pk: int, evaluation_pk: int) -> EvaluationView:
    """Evaluation `evaluation_pk` of plan `pk`, or NotFoundError (also for an evaluation of
    another plan). The read names the evaluation, the plan, its resident and the ZRM
    assessment shown."""
    plan = _evaluated_plan(user=user, pk=pk)
    evaluation = (
        Evaluation.objects.filter(plan=plan, pk=evaluation_pk)
        .select_related("by", "version", "zrm_assessment")
        .first()
    )
    if evaluation is None:
        log_refusal(
            user=user,
            event=AccessEvent.READ,
            model=Evaluation,
            pk=evaluation_pk,
            resident_id=plan.resident_id,
        )
        raise NotFoundError
    goals = list(
        EvaluationGoal.objects.filter(evaluation=evaluation)
        .select_related("goal__member")
        .order_by("goal__position")
    )
    assessment = evaluation.zrm_assessment
    zrm_visible = assessment is not None and bool(
        trajectories_among_for_user(user=user, pks=[assessment.trajectory_id])
    )
    scores = (
        list(assessment.scores.select_related("domain").order_by("domain__sort_order"))
        if assessment is not None and zrm_visible
        else []
    )
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[
            evaluation,
            *refs_with_resident([plan]),
            *([assessment] if assessment is not None and zrm_visible else []),
        ],
    )
    return EvaluationView(
        plan=plan, evaluation=evaluation, goals=goals, zrm_scores=scores, zrm_visible=zrm_visible
    )


@dataclass(frozen=True)
class EvaluationPanel:
    """The evaluations and rights part of the plan page (plans/_evaluations.html)."""

    plan: SupportPlan
    evaluations: list[Evaluation]
    more: bool
    rights: RightsExplanation | None
    """The latest explanation of the resident's rights; None: never explained."""
    today: datetime.date

    @property
    def can_evaluate(self) -> bool:
        return self.plan.status == PlanStatus.ACTIVE

    @property
    def overdue(self) -> bool:
        due = self.plan.next_evaluation_on
        return self.can_evaluate and due is not None and due < self.today

    @property
    def due_soon(self) -> bool:
        due = self.plan.next_evaluation_on
        horizon = self.today + datetime.timedelta(days=EVALUATION_SOON_DAYS)
        return self.can_evaluate and due is not None and self.today <= due <= horizon


def plan_evaluation_panel_for_user(
    *, user: User, plan: SupportPlan, today: datetime.date | None = None
) -> EvaluationPanel:
    """The evaluations of `plan` (the newest EVALUATIONS_SHOWN) and the latest explanation of
    the resident's rights, for the plan page, which has read the plan through its selector.
    Two queries and one access-log entry, whatever the number of evaluations."""
    visible = SupportPlan.objects.visible_to(user).filter(pk=plan.pk)
    evaluations = list(
        Evaluation.objects.filter(plan__in=visible)
        .select_related("by")
        .order_by("-held_on", "-pk")[: EVALUATIONS_SHOWN + 1]
    )
    rights = (
        RightsExplanation.objects.filter(plan__in=visible)
        .select_related("by")
        .order_by("-explained_on", "-pk")
        .first()
    )
    shown = evaluations[:EVALUATIONS_SHOWN]
    if shown or rights is not None:
        log_read(
            user=user,
            resident_id=plan.resident_id,
            objects=[*shown, *([rights] if rights is not None else [])],
        )
    return EvaluationPanel(
        plan=plan,
        evaluations=shown,
        more=len(evaluations) > EVALUATIONS_SHOWN,
        rights=rights,
        today=today or timezone.localdate(),
    )


@dataclass(frozen=True)
class RightsPage:
    plan: SupportPlan
    explanations: list[RightsExplanation]
    """Every explanation recorded, the newest first."""


def rights_explanations_for_user(*, user: User, pk: int) -> RightsPage:
    """Plan `pk` with every explanation of the resident's rights, or NotFoundError."""
    plan = _evaluated_plan(user=user, pk=pk)
    explanations = list(
        RightsExplanation.objects.filter(plan=plan)
        .select_related("by")
        .order_by("-explained_on", "-pk")
    )
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[*refs_with_resident([plan]), *explanations],
    )
    return RightsPage(plan=plan, explanations=explanations)


_EVALUATION_COLUMNS = Columns(
    {
        "pk": "pk",
        "due": "next_evaluation_on",
        "resident": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "coordinator_first": "coordinator__first_name",
        "coordinator_last": "coordinator__last_name",
        "external_name": "external_name",
    }
)


def _evaluation_item(values: Values) -> WorkItem:
    holder = " ".join(
        part for part in (values["coordinator_first"], values["coordinator_last"]) if part
    )
    return WorkItem(
        kind="plan_evaluation",
        due=values["due"],
        title=_("Evaluatie van ondersteuningsplan %(number)s") % {"number": values["pk"]},
        resident_name=full_name_of(
            values["given_names"], values["name_prefix"], values["family_name"]
        ),
        url=reverse("plans:evaluation_new", args=[values["pk"]]),
        holder_name=holder or values["external_name"] or "",
        ref=model_ref(SupportPlan, values["pk"]),
    )


def plan_evaluations_due_for_user(
    *, user: User, scope: Scope, today: datetime.date, limit: int
) -> WorkPart:
    """The worklist's provider of plan evaluations (kind "plan_evaluation"): active plans
    whose next evaluation is due within EVALUATION_WORKLIST_DAYS or overdue, due on that
    date. "mine": the plans the user coordinates; "team": the plans of the user's active
    teams. Read through `SupportPlan.objects.visible_to`, at most `limit`, in one query and
    one access-log entry ("team": two, the first the candidates without the access rule, as
    a team's list is long; core.rows.capped_rows)."""
    if not gate_for(user).person_level:
        return WorkPart(items=[])

    def due(plans: SupportPlanQuerySet) -> SupportPlanQuerySet:
        plans = plans.filter(
            status=PlanStatus.ACTIVE, next_evaluation_on__lte=worklist_horizon(today)
        )
        if scope == "mine":
            return plans.filter(coordinator=user)
        return plans.filter(team__in=Team.objects.active_for(user).values("pk"))

    order = ("next_evaluation_on", "pk")
    capped = capped_rows(
        user=user,
        queryset=due(SupportPlan.objects.visible_to(user)).order_by(*order),
        columns=_EVALUATION_COLUMNS,
        build=_evaluation_item,
        refs=record_refs(SupportPlan, resident="resident"),
        limit=limit,
        candidates=due(SupportPlan.objects.all()).order_by(*order) if scope == "team" else None,
    )
    return WorkPart(items=capped.rows, more=capped.more)


# -- Signing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningPage:
    """One version of a plan as the signing page shows it: its signature if it has one, and
    who may sign (the members of the plan's household)."""

    plan: SupportPlan
    version: PlanVersion
    signature: Signature | None
    members: list[Resident]

    @property
    def is_current(self) -> bool:
        return self.plan.current_id == self.version.pk


def _signing_plan(*, user: User, pk: int) -> SupportPlan:
    return visible_or_refuse(
        queryset=SupportPlan.objects.visible_to(user).select_related("resident", "current"),
        pk=pk,
        user=user,
    )


def _signing_version(*, user: User, plan: SupportPlan, number: int) -> PlanVersion:
    version = plan.versions.filter(number=number).first()
    if version is None:
        log_refusal(
            user=user,
            event=AccessEvent.READ,
            model=SupportPlan,
            pk=plan.pk,
            resident_id=plan.resident_id,
        )
        raise NotFoundError
    return version


def _signature_of(version: PlanVersion) -> Signature | None:
    return Signature.objects.filter(version=version).select_related("signer", "witness").first()


def plan_version_for_signing(*, user: User, pk: int, number: int) -> SigningPage:
    """Version `number` of plan `pk` with its signature and the household's members, or
    NotFoundError (a plan the user may not see, a version that does not exist). The read
    names the plan, the version and the signature; the household is read (and logged) by
    the resident selector."""
    plan = _signing_plan(user=user, pk=pk)
    version = _signing_version(user=user, plan=plan, number=number)
    signature = _signature_of(version)
    household = resident_get_for_user(user=user, pk=plan.resident_id).household
    members = [m.resident for m in household if m.household_id == plan.household_id]
    if not any(member.pk == plan.resident_id for member in members):
        members.insert(0, plan.resident)
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[plan, version, *([signature] if signature else [])],
    )
    return SigningPage(plan=plan, version=version, signature=signature, members=members)


@dataclass(frozen=True)
class SignatureFile:
    """The drawing or the scan of a signature, as the gate serves it."""

    data: bytes
    content_type: str
    filename: str


_FILE_SUFFIXES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def signature_file_for_user(*, user: User, pk: int, number: int) -> SignatureFile:
    """The file of the signature on version `number` of plan `pk`, or NotFoundError: a plan
    the user may not see, a version without a signature or without a file. The read is
    logged with the signature, its version, the plan and the resident."""
    plan = _signing_plan(user=user, pk=pk)
    version = _signing_version(user=user, plan=plan, number=number)
    signature = _signature_of(version)
    if signature is None or not signature.file_path:
        log_refusal(
            user=user,
            event=AccessEvent.READ,
            model=PlanVersion,
            pk=version.pk,
            resident_id=plan.resident_id,
        )
        raise NotFoundError
    try:
        data = private_file_read(signature.file_path)
        if hashlib.sha256(data).hexdigest() != signature.sha256:
            raise ValueError("not the file that was signed")  # changed on disk: not served
    except (FileNotFoundError, ValueError):
        log_refusal(
            user=user,
            event=AccessEvent.READ,
            model=Signature,
            pk=signature.pk,
            resident_id=plan.resident_id,
        )
        raise NotFoundError from None
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[signature, version, plan, model_ref(Resident, plan.resident_id)],
    )
    suffix = _FILE_SUFFIXES.get(signature.content_type, "bin")
    return SignatureFile(
        data=data,
        content_type=signature.content_type,
        filename=f"handtekening-plan-{plan.pk}-versie-{version.number}.{suffix}",
    )


@dataclass(frozen=True)
class SigningPanel:
    """The plan page's signing part: the signatures of the plan, the newest version first,
    and whether its newest version still waits for one."""

    plan: SupportPlan
    signatures: list[Signature]

    @property
    def current_signature(self) -> Signature | None:
        newest = self.signatures[0] if self.signatures else None
        return newest if newest is not None and newest.version_id == self.plan.current_id else None

    @property
    def earlier_signatures(self) -> list[Signature]:
        return [s for s in self.signatures if s.version_id != self.plan.current_id]

    @property
    def signable(self) -> bool:
        return (
            self.plan.current_id is not None
            and self.current_signature is None
            and self.plan.status != PlanStatus.ENDED
        )


def plan_signing_panel(*, plan: SupportPlan) -> SigningPanel:
    """The signing part of the page of `plan`, which the caller read through
    `plan_get_for_user` (that read is logged; these rows belong to it). One query."""
    signatures = list(
        Signature.objects.filter(version__plan=plan)
        .select_related("version", "signer", "witness")
        .order_by("-version__number")
    )
    return SigningPanel(plan=plan, signatures=signatures)


@dataclass(frozen=True)
class SummaryPage:
    """The page of a version's plan summary letter: the version, its signature (a summary
    is made of a signed version only) and the letters made of it, oldest first."""

    plan: SupportPlan
    version: PlanVersion
    signature: Signature | None
    letters: list[Letter]


def plan_summary_page_for_user(*, user: User, pk: int, number: int) -> SummaryPage:
    """Version `number` of plan `pk` with its signature and its summary letters, or
    NotFoundError. The read names the plan, the version and the signature; the letters are
    logged by the letters selector."""
    plan = _signing_plan(user=user, pk=pk)
    version = _signing_version(user=user, plan=plan, number=number)
    signature = _signature_of(version)
    letters = letter_versions_for_user(
        user=user, source=model_ref(PlanVersion, version.pk), kind=LetterKind.PLAN_SUMMARY
    )
    log_read(
        user=user,
        resident_id=plan.resident_id,
        objects=[plan, version, *([signature] if signature else [])],
    )
    return SummaryPage(plan=plan, version=version, signature=signature, letters=letters)


def signed_ao_decision_for(*, household_id: int | None) -> PlanVersion | None:
    """The signed version that is the decision on Aanvullende Ondersteuning for a household
    (seed 002 §5.1): the newest signed version of its active plan, when it records the
    support's scope, start date and review date; otherwise None.

    For the rule in `trajectory_start`, inside its transaction, after the actor's access to
    the resident was checked: it shows nothing, so it logs nothing."""
    if household_id is None:
        return None
    version = (
        PlanVersion.objects.filter(
            plan__household_id=household_id,
            plan__status=PlanStatus.ACTIVE,
            signature__isnull=False,
        )
        .order_by("-number")
        .first()
    )
    if version is None or not version.ao_scope.strip():
        return None
    if version.ao_start_on is None or version.ao_review_on is None:
        return None
    return version


# -- Ending -----------------------------------------------------------------------------------


def plan_end_allowed(*, user: User, plan: SupportPlan) -> bool:
    """Who may end a plan (the end of support, or a draft withdrawn): the same people who may
    change its coordinator, a team lead of the plan's team or its current staff coordinator
    (ADR 0034). Never an ended plan."""
    return coordinator_change_allowed(user=user, plan=plan)


@dataclass(frozen=True)
class PlanEndPage:
    """A plan as its ending page shows it, with the trajectories its current version links
    to that are still open (a warning: ending the plan does not close them)."""

    view: PlanView
    open_trajectories: list[Trajectory]

    @property
    def plan(self) -> SupportPlan:
        return self.view.plan


def plan_end_page_for_user(*, user: User, pk: int) -> PlanEndPage:
    """Plan `pk` for its ending page, or NotFoundError: also for a plan the user may see but
    not end (as the coordinator page). The plan is read (and logged) by `plan_get_for_user`,
    the trajectories by their own selector."""
    view = plan_get_for_user(user=user, pk=pk)
    if not plan_end_allowed(user=user, plan=view.plan):
        raise NotFoundError
    linked = [trajectory.pk for trajectory in view.current.trajectories.all()]
    open_trajectories = [
        trajectory
        for trajectory in trajectories_among_for_user(user=user, pks=linked)
        if trajectory.status != TrajectoryStatus.CLOSED
    ]
    return PlanEndPage(view=view, open_trajectories=open_trajectories)


# -- For the decision desk (wijk.decisions) ---------------------------------------------------


def newest_signed_version_of(*, plan: SupportPlan) -> PlanVersion | None:
    """The newest signed version of `plan`, which the caller has already read or locked
    through the plan's visibility (placing a case at the decision desk)."""
    return (
        PlanVersion.objects.filter(plan=plan, signature__isnull=False).order_by("-number").first()
    )


def signed_version_for_desk(*, version_id: int) -> PlanVersion:
    """The version a decision case names, with its signature, goals and links, for the
    decision desk's page: the caller (wijk.decisions.selectors) has checked that the case is
    in the desk's queue and logs the read; nothing else of the plan is read here."""
    return (
        PlanVersion.objects.select_related("signature__signer", "signature__witness")
        .prefetch_related("goals__member", "trajectories__resident", "activities", "organisations")
        .get(pk=version_id, signature__isnull=False)
    )


# -- For monitoring: evaluations on time, counted (wijk.monitoring.sources, ADR 0042) ----------

_RESIDENT_WIJK = "resident__address__buurt__wijk__code"


def plan_evaluations_on_time(
    *,
    start: datetime.date,
    end: datetime.date,
    team_ids: Sequence[int],
    today: datetime.date,
) -> list[DueRow]:
    """Counts only, for the monitoring pages (registered in PlansConfig.ready): the
    evaluations due from `start` up to `end`, by the date they were due as it was set (at
    signing, or by the evaluation before), per month of that date, team of the plan and wijk
    of the resident's address:

      on time     held on or before the date (`Evaluation.held_on <= due_on`);
      late        held after it;
      not held    not held, the date has passed (before today), and the plan still runs or
                  ended after the date;
      not judged  not held, and the date has not passed (today included), or the plan
                  ended on or before it.

    Evaluations recorded before their due date was kept (`due_on` empty) are not counted.
    Two queries: the evaluations held, and the plans' dates still waiting."""
    tally = DueTally()

    for values in (
        Evaluation.objects.filter(
            due_on__gte=start, due_on__lt=end, plan__team_id__in=list(team_ids)
        )
        .annotate(month=TruncMonth("due_on"))
        .values("month", in_team=F("plan__team_id"), in_wijk=F(f"plan__{_RESIDENT_WIJK}"))
        .annotate(
            on_time=Count("pk", filter=Q(held_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(held_on__gt=F("due_on"))),
        )
        .order_by()
    ):
        tally.add(values, on_time=values["on_time"], late=values["late"])
    # A plan's next evaluation date is the one not held yet: each evaluation replaces it.
    passed = Q(next_evaluation_on__lt=today) & (
        Q(status=PlanStatus.ACTIVE) | Q(ended_on__gt=F("next_evaluation_on"))
    )
    for pending in (
        SupportPlan.objects.filter(
            status__in=(PlanStatus.ACTIVE, PlanStatus.ENDED),
            next_evaluation_on__gte=start,
            next_evaluation_on__lt=end,
            team_id__in=list(team_ids),
        )
        .annotate(month=TruncMonth("next_evaluation_on"))
        .values("month", in_team=F("team_id"), in_wijk=F(_RESIDENT_WIJK))
        .annotate(waiting=Count("pk"), not_held=Count("pk", filter=passed))
        .order_by()
    ):
        tally.add(
            pending,
            not_held=pending["not_held"],
            not_judged=pending["waiting"] - pending["not_held"],
        )
    return tally.rows()
