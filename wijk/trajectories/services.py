"""Writes on trajectories: starting one (from a request or from a resident's page), moving it
along its lifecycle (closing it with the outflow and an optional warm handover), recording
a ZRM assessment, and handing the coordination to a colleague. Each is one transaction that
writes its access-log entry inside it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.workflow import ASSIGNMENT_REASON_MAX_LENGTH, Workflow
from wijk.organisations.models import Team
from wijk.organisations.selectors import is_worker_of
from wijk.plans.selectors import signed_ao_decision_for
from wijk.reference.models import Code
from wijk.requests.models import HelpRequest
from wijk.requests.selectors import holds_open_request_of
from wijk.requests.services import request_close_within
from wijk.requests.workflow import Outcome
from wijk.residents.models import Resident, WorkKind
from wijk.residents.selectors import resident_get_for_user
from wijk.residents.services import (
    coordinator_assign,
    coordinator_unassign,
    work_under_grant_record,
)
from wijk.trajectories.models import (
    Handover,
    Trajectory,
    TrajectoryCoordinatorChange,
    TrajectoryStatusChange,
    ZrmAssessment,
    ZrmScore,
)
from wijk.trajectories.workflow import (
    TRANSITIONS,
    HandoverDestination,
    Part,
    TrajectoryStatus,
    ZrmMoment,
)

log = structlog.get_logger(__name__)

ZRM_MIN_SCORE = 1
ZRM_MAX_SCORE = 5


@dataclass(frozen=True)
class HandoverInput:
    """A warm handover at the end: to whom (the kind of care and the receiving organisation or
    municipality) and when."""

    destination: HandoverDestination | str
    receiver: str
    handed_over_on: datetime.date | None


def _in_list(code: Code | None, slug: str, on: datetime.date) -> bool:
    return (
        code is not None
        and Code.objects.filter(pk=code.pk, code_list__slug=slug).valid_on(on).exists()
    )


def _not_in_future(day: datetime.date | None) -> bool:
    return day is None or day <= timezone.localdate()


# The trajectory's lifecycle on the shared mechanism: every change of a trajectory locks it
# through Trajectory.objects.visible_to, and every status step goes along workflow.TRANSITIONS.
TRAJECTORY_WORKFLOW: Workflow[Trajectory] = Workflow(
    states=TrajectoryStatus,
    transitions=TRANSITIONS,
    initial=TrajectoryStatus.ACTIVE,
    history=TrajectoryStatusChange,
    visible=lambda user: Trajectory.objects.visible_to(user),
    noun=_("het traject"),
    holder_field="coordinator",
    assignments=TrajectoryCoordinatorChange,
)


def _locked_trajectory(*, actor: User, trajectory: Trajectory) -> Trajectory:
    """The trajectory, locked for this transaction, if the actor may see it."""
    return TRAJECTORY_WORKFLOW.lock(subject=trajectory, actor=actor)


AO_NEEDS_SIGNED_PLAN = _(
    "Aanvullende Ondersteuning kan pas starten als de inwoner het plan van het huishouden heeft "
    "ondertekend, met daarin de omvang van de ondersteuning, de ingangsdatum en de datum "
    "waarop die wordt herzien. Het ondertekende plan is het besluit."
)


def trajectory_start(
    *,
    actor: User,
    resident: Resident,
    help_request: HelpRequest | None = None,
    part: Part | str,
    inflow_date: datetime.date,
    inflow_reason: Code,
    primary_life_domain: Code,
    life_domains: Iterable[Code],
    coordinator: User,
    team: Team,
    youth_support: bool,
) -> Trajectory:
    """Start a trajectory for a resident the actor may see: the trajectory and its first
    status (active). Started from a request, that request closes with the outcome "support
    started", in the same transaction. The coordinator is a professional or team lead of the
    team, and the actor is a member of that team. Aanvullende Ondersteuning starts only on
    the signed plan version that is its decision (`decision_version`, ADR 0038)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    others = [domain for domain in life_domains if domain.pk != primary_life_domain.pk]
    errors: dict[str, str] = {}
    if part not in Part.values:
        errors["part"] = str(_("Kies het onderdeel."))
    if not _not_in_future(inflow_date):
        errors["inflow_date"] = str(_("De datum instroom ligt in de toekomst."))
    if not _in_list(inflow_reason, "inflow_reasons", inflow_date):
        errors["inflow_reason"] = str(_("Kies een reden instroom uit de lijst."))
    if not _in_list(primary_life_domain, "life_domains", inflow_date):
        errors["primary_life_domain"] = str(_("Kies het belangrijkste leefgebied uit de lijst."))
    if any(not _in_list(domain, "life_domains", inflow_date) for domain in others):
        errors["life_domains"] = str(_("Kies de andere leefgebieden uit de lijst."))
    if not team.active or not team.members.filter(pk=actor.pk).exists():
        errors["team"] = str(_("Kies een team waar u zelf lid van bent."))
    elif not is_worker_of(user=coordinator, team=team):
        errors["coordinator"] = str(_("De regisseur moet een medewerker van dit team zijn."))
    if help_request is not None and help_request.resident_id not in (None, resident.pk):
        errors["__all__"] = str(_("Deze hulpvraag hoort bij een andere inwoner."))
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        view = resident_get_for_user(user=actor, pk=resident.pk)
        household = next(
            (m.household for m in view.household if m.resident_id == resident.pk),
            help_request.household if help_request is not None else None,
        )
        decision = None
        if part == Part.AANVULLENDE_ONDERSTEUNING:
            # The signed plan is the decision (seed 002 §5.1, ADR 0038).
            decision = signed_ao_decision_for(household_id=household.pk if household else None)
            if decision is None:
                raise ValidationFailed(fields={"part": str(AO_NEEDS_SIGNED_PLAN)})
        trajectory = Trajectory.objects.create(
            resident=view.resident,
            household=household,
            help_request=help_request,
            team=team,
            part=str(part),
            inflow_date=inflow_date,
            inflow_reason=inflow_reason,
            primary_life_domain=primary_life_domain,
            youth_support=youth_support,
            coordinator=coordinator,
            status=TrajectoryStatus.ACTIVE,
            decision_version=decision,
        )
        trajectory.life_domains.set(others)
        work_under_grant_record(  # when the resident was reached by a grant only (ADR 0020)
            view=view,
            kind=WorkKind.TRAJECTORY,
            record=trajectory,
            reference=str(_("Traject %(number)s") % {"number": trajectory.pk}),
            responsible=coordinator,
        )
        assignment = coordinator_assign(
            actor=actor, resident=view.resident, coordinator=coordinator
        )
        TRAJECTORY_WORKFLOW.start(subject=trajectory, by=actor)
        if help_request is not None:
            request_close_within(
                actor=actor, help_request=help_request, outcome=Outcome.SUPPORT_STARTED
            )
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=resident.pk,
            objects=[
                trajectory,
                view.resident,
                *([assignment] if assignment else []),
                *([decision] if decision else []),
            ],
        )
    log.info(
        "trajectory_started",
        trajectory_id=trajectory.pk,
        team_id=team.pk,
        request_id=help_request.pk if help_request is not None else None,
    )
    return trajectory


def _outflow_errors(
    *,
    trajectory: Trajectory,
    outflow_date: datetime.date | None,
    outflow_reason: Code | None,
    handover: HandoverInput | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if outflow_date is None:
        errors["outflow_date"] = str(_("Vul de datum uitstroom in."))
    elif outflow_date < trajectory.inflow_date:
        errors["outflow_date"] = str(_("De datum uitstroom ligt voor de datum instroom."))
    elif not _not_in_future(outflow_date):
        errors["outflow_date"] = str(_("De datum uitstroom ligt in de toekomst."))
    if outflow_reason is None:
        errors["outflow_reason"] = str(_("Kies de reden uitstroom."))
    elif not _in_list(outflow_reason, "outflow_reasons", outflow_date or timezone.localdate()):
        errors["outflow_reason"] = str(_("Kies een reden uitstroom uit de lijst."))
    if handover is not None:
        if handover.destination not in HandoverDestination.values:
            errors["handover_destination"] = str(_("Kies aan wie u overdraagt."))
        if not handover.receiver.strip():
            errors["handover_receiver"] = str(
                _("Vul de naam van de organisatie of gemeente in die het overneemt.")
            )
        if handover.handed_over_on is None:
            errors["handover_date"] = str(_("Vul de datum van de overdracht in."))
        elif handover.handed_over_on < trajectory.inflow_date:
            errors["handover_date"] = str(_("De overdracht ligt voor de datum instroom."))
    return errors


def trajectory_transition(
    *,
    actor: User,
    trajectory: Trajectory,
    to: TrajectoryStatus | str,
    reason: str = "",
    outflow_date: datetime.date | None = None,
    outflow_reason: Code | None = None,
    handover: HandoverInput | None = None,
) -> Trajectory:
    """Move the trajectory to `to` along workflow.TRANSITIONS (wijk.core.workflow appends
    the history row and writes the access-log entry). Closing records the outflow date (not
    before the inflow date) and reason, and optionally a warm handover; the other steps take
    neither."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError

    def outflow(locked: Trajectory) -> list[Handover]:
        if to != TrajectoryStatus.CLOSED:
            if outflow_date is not None or outflow_reason is not None or handover is not None:
                raise ValidationFailed(
                    _("Een datum en reden uitstroom of een overdracht horen alleen bij afsluiten.")
                )
            return []
        errors = _outflow_errors(
            trajectory=locked,
            outflow_date=outflow_date,
            outflow_reason=outflow_reason,
            handover=handover,
        )
        if errors:
            raise ValidationFailed(fields=errors)
        locked.outflow_date = outflow_date
        locked.outflow_reason = outflow_reason
        if handover is None:
            return []
        assert handover.handed_over_on is not None  # checked above
        return [
            Handover.objects.create(
                trajectory=locked,
                destination=str(handover.destination),
                receiver=handover.receiver.strip(),
                handed_over_on=handover.handed_over_on,
                by=actor,
            )
        ]

    with transaction.atomic(durable=True):
        locked = TRAJECTORY_WORKFLOW.transition(
            subject=trajectory,
            to=to,
            actor=actor,
            reason=reason,
            apply=outflow,
            fields=["outflow_date", "outflow_reason"],
        )
    log.info(
        "trajectory_transitioned",
        trajectory_id=locked.pk,
        status=str(to),
        handover=handover is not None,
    )
    return locked


def zrm_record(
    *,
    actor: User,
    trajectory: Trajectory,
    moment: ZrmMoment | str,
    assessed_on: datetime.date,
    scores: Mapping[Code, int],
) -> ZrmAssessment:
    """Record a ZRM 2017 assessment (see zrm_record_within), in a transaction of its own."""
    with transaction.atomic(durable=True):
        assessment = zrm_record_within(
            actor=actor,
            trajectory=trajectory,
            moment=moment,
            assessed_on=assessed_on,
            scores=scores,
        )
    log.info(
        "zrm_recorded",
        trajectory_id=assessment.trajectory_id,
        assessment_id=assessment.pk,
        moment=str(assessment.moment),
        domains=len(scores),
    )
    return assessment


def zrm_record_within(
    *,
    actor: User,
    trajectory: Trajectory,
    moment: ZrmMoment | str,
    assessed_on: datetime.date,
    scores: Mapping[Code, int],
) -> ZrmAssessment:
    """Record a ZRM 2017 assessment: a score from 1 to 5 on one or more of the 13 life
    domains, at the start, an evaluation or the end, inside the transaction of a service that
    composes it (the evaluation of a support plan); zrm_record is the one to call on its own.
    There is one start and one end at most; a closed trajectory takes only the end
    assessment. Writes its own access-log entry."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if moment not in ZrmMoment.values:
        errors["moment"] = str(_("Kies het moment."))
    if not _not_in_future(assessed_on):
        errors["assessed_on"] = str(_("De datum ligt in de toekomst."))
    elif assessed_on < trajectory.inflow_date:
        errors["assessed_on"] = str(_("De datum ligt voor de start van het traject."))
    if not scores:
        errors["__all__"] = str(_("Geef ten minste één leefgebied een score."))
    domains = set(
        Code.objects.filter(
            pk__in=[domain.pk for domain in scores], code_list__slug="life_domains"
        ).values_list("pk", flat=True)
    )
    for domain, score in scores.items():
        if domain.pk not in domains:
            errors[f"score_{domain.code}"] = str(_("Dit is geen leefgebied van de ZRM."))
        elif not ZRM_MIN_SCORE <= score <= ZRM_MAX_SCORE:
            errors[f"score_{domain.code}"] = str(_("Een score is 1, 2, 3, 4 of 5."))
    if errors:
        raise ValidationFailed(fields=errors)
    moment = ZrmMoment(moment)
    with transaction.atomic():
        locked = _locked_trajectory(actor=actor, trajectory=trajectory)
        taken = set(locked.zrm_assessments.values_list("moment", flat=True))
        if locked.status == TrajectoryStatus.CLOSED and moment != ZrmMoment.END:
            only_end = _("Het traject is afgesloten. Vul alleen nog de ZRM bij het einde in.")
            raise ValidationFailed(fields={"moment": str(only_end)})
        if moment == ZrmMoment.START and ZrmMoment.START in taken:
            raise ValidationFailed(
                fields={"moment": str(_("Er is al een ZRM bij het begin. Kies Evaluatie."))}
            )
        if moment == ZrmMoment.END and ZrmMoment.END in taken:
            raise ValidationFailed(fields={"moment": str(_("Er is al een ZRM bij het einde."))})
        assessment = ZrmAssessment.objects.create(
            trajectory=locked, moment=moment, assessed_on=assessed_on, by=actor
        )
        ZrmScore.objects.bulk_create(
            ZrmScore(assessment=assessment, domain=domain, score=score)
            for domain, score in scores.items()
        )
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=locked.resident_id,
            objects=[assessment, locked],
        )
    return assessment


class CoordinatorChangedMeanwhile(ValidationFailed):
    """Another team lead changed the coordinator since the form was shown; `current_id` is
    who it is now, so the form can be shown again against it."""

    def __init__(self, message: str, *, current_id: int) -> None:
        super().__init__(message)
        self.current_id = current_id


def trajectory_coordinator_change(
    *,
    actor: User,
    trajectory: Trajectory,
    coordinator: User,
    reason: str,
    expected_id: int | None = None,
) -> Trajectory:
    """A team lead of the trajectory's team makes another professional or team lead of that
    team its coordinator (a colleague taking over the caseload), with a reason, kept in the
    trajectory's coordinator history. Open trajectories only. Naming the current coordinator
    changes nothing. `expected_id` is the coordinator the form was shown with: when another
    team lead changed the coordinator since, nothing changes (ADR 0026: never overwritten
    silently)."""
    if not gate_for(actor).oversee_teams:
        raise PermissionDeniedError
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            fields={"reason": str(_("Schrijf op waarom de regisseur verandert."))}
        )
    if len(reason) > ASSIGNMENT_REASON_MAX_LENGTH:
        raise ValidationFailed(
            fields={
                "reason": str(
                    _("Schrijf de reden in hooguit %(limit)d tekens.")
                    % {"limit": ASSIGNMENT_REASON_MAX_LENGTH}
                )
            }
        )
    with transaction.atomic(durable=True):
        locked = _locked_trajectory(actor=actor, trajectory=trajectory)
        if not Team.objects.active_for(actor).filter(pk=locked.team_id).exists():
            raise NotFoundError  # a team lead hands out the work of their own teams only
        if locked.status == TrajectoryStatus.CLOSED:
            raise ValidationFailed(_("Dit traject is al afgesloten."))
        if not is_worker_of(user=coordinator, team=locked.team):
            raise ValidationFailed(
                fields={
                    "coordinator": str(_("De regisseur moet een medewerker van dit team zijn."))
                }
            )
        if expected_id is not None and locked.coordinator_id != expected_id:
            raise CoordinatorChangedMeanwhile(
                _("Intussen is %(name)s regisseur geworden. Er is niets veranderd.")
                % {"name": locked.coordinator.get_full_name() or locked.coordinator.username},
                current_id=locked.coordinator_id,
            )
        if locked.coordinator_id == coordinator.pk:
            return locked
        previous = locked.coordinator
        previous_id = previous.pk
        assignment = coordinator_assign(
            actor=actor, resident=locked.resident, coordinator=coordinator
        )
        # The previous coordinator keeps no personal basis once no work of theirs on the
        # resident remains (another open trajectory they coordinate, an open request of
        # theirs): a handover never leaves access behind (ADR 0020).
        still_working = Trajectory.objects.filter(
            resident=locked.resident, coordinator=previous
        ).exclude(pk=locked.pk).exclude(
            status=TrajectoryStatus.CLOSED
        ).exists() or holds_open_request_of(user=previous, resident=locked.resident)
        ended = (
            []
            if still_working
            else coordinator_unassign(resident=locked.resident, previous=previous)
        )
        TRAJECTORY_WORKFLOW.reassign(
            subject=locked,
            to=coordinator,
            actor=actor,
            reason=reason,
            touched=([assignment] if assignment else []) + ended,
        )
    log.info(
        "trajectory_coordinator_changed",
        trajectory_id=locked.pk,
        coordinator_id=coordinator.pk,
        previous=previous_id,
        by=actor.pk,
    )
    return locked
