"""Writes on decision cases (ADR 0040): placing a case in the municipality's queue (the
consortium), recording the decision (the decision desk only), marking it seen (the plan's
team) and evaluating a granted pgb. Each is one durable transaction with its access-log entry
inside it; the lifecycle runs on the shared workflow (wijk.core.workflow)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijk.accounts.roles import gate_for
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.submissions import submission_claim
from wijk.core.workflow import Workflow
from wijk.decisions.deadlines import pgb_evaluation_limit, pgb_first_evaluation
from wijk.decisions.models import (
    REFERENCE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    DecisionCase,
    DecisionStatusChange,
    PgbEvaluation,
)
from wijk.decisions.workflow import (
    TRANSITIONS,
    DecisionKind,
    DecisionOutcome,
    DecisionStatus,
)
from wijk.investigations.selectors import investigation_get_for_user, investigation_id_of_request
from wijk.letters.services import LetterKind, letter_produce
from wijk.plans.selectors import newest_signed_version_of
from wijk.plans.services import PLAN_WORKFLOW
from wijk.plans.workflow import PlanStatus

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.investigations.models import Investigation
    from wijk.plans.models import SupportPlan

DECISION_WORKFLOW: Workflow[DecisionCase] = Workflow(
    states=DecisionStatus,
    transitions=TRANSITIONS,
    initial=DecisionStatus.PLACED,
    history=DecisionStatusChange,
    visible=lambda user: DecisionCase.objects.visible_to(user),
    noun="de zaak",
)

DRAFT_TEMPLATE = "decisions/letters/draft_decision.html"


def _too_long(text: str, limit: int = TEXT_MAX_LENGTH) -> str:
    return _("Gebruik niet meer dan %(limit)s tekens (nu %(count)s). Uw tekst staat er nog.") % {
        "limit": limit,
        "count": len(text),
    }


# -- Placing a case -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementInput:
    """What the consortium sends to the desk: why (the kind), the draft decision's text and,
    for a pgb, the resident's pgb plan and the amount asked for."""

    kind: str
    draft_text: str
    pgb_plan: str = ""
    amount_requested: Decimal | None = None


def _placement_errors(placement: PlacementInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if placement.kind not in DecisionKind.values:
        errors["kind"] = _("Kies waarom de gemeente een besluit neemt.")
    if not placement.draft_text.strip():
        errors["draft_text"] = _("Schrijf de concept-beschikking.")
    elif len(placement.draft_text) > TEXT_MAX_LENGTH:
        errors["draft_text"] = _too_long(placement.draft_text)
    if placement.kind == DecisionKind.PGB:
        if not placement.pgb_plan.strip():
            errors["pgb_plan"] = _("Schrijf het pgb-plan: welke hulp, van wie, en waarom een pgb.")
        elif len(placement.pgb_plan) > TEXT_MAX_LENGTH:
            errors["pgb_plan"] = _too_long(placement.pgb_plan)
        if placement.amount_requested is not None and placement.amount_requested < 0:
            errors["amount_requested"] = _("Het bedrag kan niet lager zijn dan 0.")
    elif placement.pgb_plan or placement.amount_requested is not None:
        errors["kind"] = _("Een pgb-plan en een bedrag horen alleen bij een pgb.")
    return errors


def _finished_investigation(*, actor: User, plan: SupportPlan) -> Investigation | None:
    """The finished investigation of the plan's request, read as the actor (logged by the
    investigations' selector), or None: no request, no investigation, or not finished."""
    if plan.help_request is None:
        return None
    pk = investigation_id_of_request(user=actor, help_request=plan.help_request)
    if pk is None:
        return None
    investigation = investigation_get_for_user(user=actor, pk=pk).investigation
    return investigation if investigation.completed else None


def decision_case_place(
    *,
    actor: User,
    plan: SupportPlan,
    placement: PlacementInput,
    submission_key: uuid.UUID | None = None,
) -> DecisionCase:
    """Place a case about `plan` in the municipality's queue: the plan's newest signed
    version, the finished investigation of its request (if any) and the draft decision,
    made into a letter (kind draft_decision; pgb_decision for a pgb). Refused without a
    signed version, for an ended plan, and while a case of the same kind about the plan
    waits. PermissionDeniedError for roles without person-level access (the desk places
    nothing); NotFoundError for a plan the actor may not see. The same form sent again
    (`submission_key`) raises SubmittedBefore with the case placed the first time
    (wijk.core.submissions), not the refusal of a second case of the same kind."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    errors = _placement_errors(placement)
    if errors:
        raise ValidationFailed(fields=errors)
    kind = DecisionKind(placement.kind)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=DecisionCase)
        locked = PLAN_WORKFLOW.lock(subject=plan, actor=actor)
        if locked.status == PlanStatus.ENDED:
            raise ValidationFailed(_("Dit plan is afgesloten. Start een nieuw plan."))
        version = newest_signed_version_of(plan=locked)
        if version is None:
            raise ValidationFailed(
                _("Het plan is nog niet ondertekend. Laat de inwoner eerst een versie tekenen.")
            )
        waiting = DecisionCase.objects.filter(
            plan=locked, kind=kind, status=DecisionStatus.PLACED
        ).first()
        if waiting is not None:
            raise ValidationFailed(
                _("Zaak %(number)s van deze soort ligt al bij de gemeente.")
                % {"number": waiting.pk}
            )
        investigation = _finished_investigation(actor=actor, plan=locked)
        case = DecisionCase.objects.create(
            plan=locked,
            version=version,
            resident_id=locked.resident_id,
            investigation=investigation,
            kind=kind,
            draft_text=placement.draft_text.strip(),
            pgb_plan=placement.pgb_plan.strip() if kind == DecisionKind.PGB else "",
            amount_requested=placement.amount_requested if kind == DecisionKind.PGB else None,
            placed_by=actor,
        )
        history = DECISION_WORKFLOW.start(subject=case, by=actor)
        letter = letter_produce(
            actor=actor,
            resident=locked.resident,
            kind=LetterKind.PGB_DECISION if kind == DecisionKind.PGB else LetterKind.DRAFT_DECISION,
            template=DRAFT_TEMPLATE,
            context={"case": case, "version": version, "investigation": investigation},
            source=case,
            team=locked.team,
        )
        case.draft_letter = letter
        case.save(update_fields=["draft_letter"])
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=case.resident_id,
            objects=[
                case,
                history,
                locked,
                version,
                letter,
                *([investigation] if investigation is not None else []),
            ],
        )
        submission.made(case)
    return case


# -- The decision ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    """The municipality's decision: granted or refused, its date and reference number, and
    (when granted) its start and end dates and, for a pgb, the amount in euro."""

    outcome: str
    decided_on: datetime.date
    reference: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    amount: Decimal | None = None


def _decision_errors(
    case: DecisionCase, decision: DecisionInput, today: datetime.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision.outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Kies of het besluit een toekenning of een afwijzing is.")
    if decision.decided_on > today:
        errors["decided_on"] = _("De datum van het besluit kan niet in de toekomst liggen.")
    elif decision.decided_on < timezone.localtime(case.placed_at).date():
        errors["decided_on"] = _("Het besluit kan niet eerder zijn dan de dag dat de zaak kwam.")
    reference = decision.reference.strip()
    if not reference:
        errors["reference"] = _("Vul het kenmerk van de gemeente in.")
    elif len(reference) > REFERENCE_MAX_LENGTH:
        errors["reference"] = _("Het kenmerk is te lang: niet meer dan %(limit)s tekens.") % {
            "limit": REFERENCE_MAX_LENGTH
        }
    granted = decision.outcome == DecisionOutcome.GRANTED
    if granted and decision.starts_on is None:
        errors["starts_on"] = _("Vul de ingangsdatum in.")
    if decision.starts_on and decision.ends_on and decision.ends_on <= decision.starts_on:
        errors["ends_on"] = _("De einddatum moet na de ingangsdatum liggen.")
    if case.kind == DecisionKind.PGB and granted:
        if decision.amount is None:
            errors["amount"] = _("Vul het bedrag van het pgb in.")
    elif decision.amount is not None:
        errors["amount"] = (
            _("Bij een afwijzing hoort geen bedrag.")
            if case.kind == DecisionKind.PGB
            else _("Een bedrag hoort alleen bij een pgb.")
        )
    if decision.amount is not None and decision.amount < 0:
        errors["amount"] = _("Het bedrag kan niet lager zijn dan 0.")
    return errors


def decision_record(
    *,
    actor: User,
    case: DecisionCase,
    decision: DecisionInput,
    today: datetime.date | None = None,
    submission_key: uuid.UUID | None = None,
) -> DecisionCase:
    """Record the municipality's decision on a case in the desk's queue: placed → decided.
    Only the decision desk (`Gate.decision_desk`) records it: nobody in the consortium
    does (PermissionDeniedError). A granted pgb gets its first evaluation date, at most two
    years after its start (seed 002 §5.2). The same form sent again (`submission_key`),
    also while the first is being saved, raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).decision_desk:
        raise PermissionDeniedError
    today = today or timezone.localdate()

    def apply(locked: DecisionCase) -> list[DecisionCase]:
        errors = _decision_errors(locked, decision, today)
        if errors:
            raise ValidationFailed(fields=errors)
        granted = decision.outcome == DecisionOutcome.GRANTED
        locked.outcome = decision.outcome
        locked.decided_on = decision.decided_on
        locked.reference = decision.reference.strip()
        locked.starts_on = decision.starts_on
        locked.ends_on = decision.ends_on
        locked.amount = decision.amount if granted else None
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        if locked.kind == DecisionKind.PGB and granted and decision.starts_on is not None:
            locked.next_evaluation_on = pgb_first_evaluation(
                starts_on=decision.starts_on, ends_on=decision.ends_on
            )
        return []

    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=DecisionCase)
        decided = DECISION_WORKFLOW.transition(
            subject=case,
            to=DecisionStatus.DECIDED,
            actor=actor,
            apply=apply,
            fields=[
                "outcome",
                "decided_on",
                "reference",
                "starts_on",
                "ends_on",
                "amount",
                "decided_by",
                "decided_at",
                "next_evaluation_on",
            ],
        )
        submission.made(decided)
    return decided


def decision_seen(*, actor: User, case: DecisionCase) -> DecisionCase:
    """The plan's team has seen the municipality's decision: decided → seen. Person-level
    roles who may see the case only."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        return DECISION_WORKFLOW.transition(subject=case, to=DecisionStatus.SEEN, actor=actor)


# -- Evaluating a pgb -----------------------------------------------------------------------


def pgb_evaluation_record(
    *,
    actor: User,
    case: DecisionCase,
    held_on: datetime.date,
    outcome: str,
    next_evaluation_on: datetime.date,
    today: datetime.date | None = None,
    submission_key: uuid.UUID | None = None,
) -> PgbEvaluation:
    """Record an evaluation of a granted pgb and its next date, at most two years after this
    one (seed 002 §5.2); the pgb's date until then is kept as the date the evaluation was due
    (`due_on`, ADR 0042). Person-level roles who may see the case only; refused for a case
    that is not a granted pgb. The same form sent again (`submission_key`) raises
    SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=PgbEvaluation)
        locked = DECISION_WORKFLOW.lock(subject=case, actor=actor)
        if not locked.pgb_granted:
            raise NotFoundError
        errors: dict[str, str] = {}
        if held_on > today:
            errors["held_on"] = _("De evaluatie kan niet in de toekomst liggen.")
        elif locked.starts_on is not None and held_on < locked.starts_on:
            errors["held_on"] = _("De evaluatie kan niet voor de ingangsdatum van het pgb liggen.")
        if not outcome.strip():
            errors["outcome"] = _("Schrijf wat de uitkomst van de evaluatie is.")
        elif len(outcome) > TEXT_MAX_LENGTH:
            errors["outcome"] = _too_long(outcome)
        limit = pgb_evaluation_limit(held_on)
        if next_evaluation_on <= held_on:
            errors["next_evaluation_on"] = _("De volgende evaluatie moet na deze evaluatie zijn.")
        elif next_evaluation_on > limit:
            errors["next_evaluation_on"] = _(
                "Een pgb wordt minstens één keer in de twee jaar geëvalueerd: "
                "kies uiterlijk %(limit)s."
            ) % {"limit": date_format(limit)}
        if errors:
            raise ValidationFailed(fields=errors)
        evaluation = PgbEvaluation.objects.create(
            case=locked,
            held_on=held_on,
            outcome=outcome.strip(),
            next_evaluation_on=next_evaluation_on,
            due_on=locked.next_evaluation_on,
            by=actor,
        )
        locked.next_evaluation_on = next_evaluation_on
        locked.save(update_fields=["next_evaluation_on"])
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=locked.resident_id,
            objects=[evaluation, locked],
        )
        submission.made(evaluation)
    return evaluation
