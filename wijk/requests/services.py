"""Writes on requests for help: receiving one (from staff or the public form; a professional's
registration with the resident found through the residents' selector), linking the resident
later, recording the first contact and contact attempts, assigning it to a professional of its
team, and closing with an outcome. There is no delete: every request ends with a recorded
outcome. Each service is one transaction with its access-log entry inside it."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import TEAM_MEMBER_ROLES, gate_for
from wijk.areas.models import Buurt
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.workflow import Workflow
from wijk.organisations.models import Organisation, Team
from wijk.organisations.selectors import team_for_buurt
from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import ContactAttempt, HelpRequest, RequestStatusChange
from wijk.requests.workflow import (
    MIN_ATTEMPTS_FOR_NOT_REACHABLE,
    TRANSITIONS,
    Outcome,
    RequesterRelation,
    RequestStatus,
)
from wijk.residents.models import Household, Resident, WorkKind
from wijk.residents.selectors import ResidentView, resident_get_for_user
from wijk.residents.services import work_under_grant_record

log = structlog.get_logger(__name__)

# No 0/O, 1/I/L: a reference read out over the phone must not be misheard.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_REFERENCE_LENGTH = 8


def reference_new() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(_REFERENCE_LENGTH))


# The request's lifecycle on the shared mechanism: every change of a request locks it through
# HelpRequest.objects.visible_to, and every status step goes along workflow.TRANSITIONS.
REQUEST_WORKFLOW: Workflow[HelpRequest] = Workflow(
    states=RequestStatus,
    transitions=TRANSITIONS,
    initial=RequestStatus.RECEIVED,
    history=RequestStatusChange,
    visible=lambda user: HelpRequest.objects.visible_to(user),
    noun=_("de hulpvraag"),
)


def request_receive(
    *,
    actor: User | None,
    channel: Code,
    question: str,
    received_at: datetime | None = None,
    resident: Resident | None = None,
    household: Household | None = None,
    requested_by: RequesterRelation | str = RequesterRelation.SELF,
    requester_name: str = "",
    requester_phone: str = "",
    requester_email: str = "",
    referrer_type: Code | None = None,
    referrer_organisation: Organisation | None = None,
    postcode: str = "",
    buurt: Buurt | None = None,
    team: Team | None = None,
    assigned_to: User | None = None,
    submission_key: uuid.UUID | None = None,
) -> HelpRequest:
    """Register a request and compute its deadlines. `actor` is None for the public form.
    With a `submission_key` a repeated submission returns the request stored the first time.
    The team is the given one, else the team of the resident's or the given buurt, else the
    intake team. `household` is set only when the request concerns the resident's whole
    household; a request about the resident alone leaves it empty."""
    if actor is not None and not gate_for(actor).person_level:
        raise PermissionDeniedError
    if not question.strip():
        raise ValidationFailed(fields={"question": str(_("Beschrijf kort waar de hulp voor is."))})
    if submission_key is not None:
        existing = HelpRequest.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    received_at = received_at or timezone.now()
    deadlines = request_deadlines(received_at)
    if buurt is None and resident is not None and resident.address is not None:
        buurt = resident.address.buurt
    routed_team = team or team_for_buurt(buurt=buurt)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                help_request = HelpRequest.objects.create(
                    reference=reference_new(),
                    received_at=received_at,
                    channel=channel,
                    question=question.strip(),
                    resident=resident,
                    household=household,
                    requested_by=str(requested_by),
                    requester_name=requester_name.strip(),
                    requester_phone=requester_phone.strip(),
                    requester_email=requester_email.strip(),
                    referrer_type=referrer_type,
                    referrer_organisation=referrer_organisation,
                    postcode=postcode,
                    buurt=buurt,
                    team=routed_team,
                    assigned_to=assigned_to,
                    created_by=actor,
                    first_contact_due=deadlines.first_contact,
                    support_due=deadlines.support,
                    submission_key=submission_key,
                )
                REQUEST_WORKFLOW.start(subject=help_request, by=actor)
                access_log_record(
                    actor=actor,
                    event=AccessEvent.CREATE,
                    resident_id=resident.pk if resident is not None else None,
                    objects=[help_request],
                    on_behalf_of="" if actor is not None else "public form",
                )
        except IntegrityError:
            if submission_key is not None:
                existing = HelpRequest.objects.filter(submission_key=submission_key).first()
                if existing is not None:
                    return existing  # the same form, sent twice at once: one request
            continue  # a reference collision: draw another
        log.info("request_received", request_id=help_request.pk, team_id=routed_team.pk)
        return help_request
    raise RuntimeError("Could not draw a free request reference")


# A request registered afterwards (a letter that came in earlier) may be dated back this far.
RECEIVED_AT_MAX_AGE = timedelta(days=365)
# Clock skew between the professional's device and the server.
RECEIVED_AT_TOLERANCE = timedelta(minutes=5)


def request_register(
    *,
    actor: User,
    channel: Code,
    question: str,
    received_at: datetime | None = None,
    resident_id: int | None = None,
    whole_household: bool = False,
    requested_by: RequesterRelation | str = RequesterRelation.SELF,
    requester_name: str = "",
    requester_phone: str = "",
    requester_email: str = "",
    referrer_type: Code | None = None,
    referrer_organisation: Organisation | None = None,
    assign_to_actor: bool = True,
) -> HelpRequest:
    """A professional registers a request from any channel (request_receive does the rest).

    The resident, when known, is one the professional may see (read, and logged, through
    resident_get_for_user); the request then goes to the team of the resident's buurt. With
    `whole_household` it concerns the resident's whole household. Without a resident, the
    request names who asked and how to reach them, and goes to the professional's own team.
    The professional is assigned to it unless `assign_to_actor` is false (then the team
    picks it up from the team worklist)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    now = timezone.now()
    errors: dict[str, str] = {}
    if received_at is not None:
        if received_at > now + RECEIVED_AT_TOLERANCE:
            errors["received_at"] = str(_("Dit moment ligt in de toekomst."))
        elif received_at < now - RECEIVED_AT_MAX_AGE:
            errors["received_at"] = str(_("Dit moment ligt meer dan een jaar terug."))
    requester_name = requester_name.strip()
    if requested_by not in RequesterRelation.values:
        errors["requested_by"] = str(_("Kies wie de vraag stelt."))
    elif requested_by != RequesterRelation.SELF and not requester_name:
        errors["requester_name"] = str(_("Vul de naam in van wie de vraag stelt."))
    if resident_id is None:
        if not requester_name:
            errors["requester_name"] = str(
                _("Kies een inwoner, of vul de naam in van wie de vraag stelt.")
            )
        if not requester_phone.strip() and not requester_email.strip():
            errors["requester_phone"] = str(
                _("Vul een telefoonnummer of e-mailadres in, zodat wij contact kunnen opnemen.")
            )
        if whole_household:
            errors["whole_household"] = str(
                _("Kies eerst de inwoner van wie het huishouden hulp vraagt.")
            )
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        resident: Resident | None = None
        household: Household | None = None
        team: Team | None = None
        view: ResidentView | None = None
        if resident_id is not None:
            try:
                view = resident_get_for_user(user=actor, pk=resident_id)
            except NotFoundError as error:  # also BreakGlassRequired: no file, no link
                raise ValidationFailed(
                    fields={"resident": str(_("Kies een inwoner uit de zoekresultaten."))}
                ) from error
            resident = view.resident
            if whole_household:
                household = next(
                    (m.household for m in view.household if m.resident_id == resident.pk), None
                )
                if household is None:
                    raise ValidationFailed(
                        fields={
                            "whole_household": str(
                                _("Deze inwoner hoort bij geen huishouden in wijk.")
                            )
                        }
                    )
        else:
            team = Team.objects.active_for(actor).order_by("name", "pk").first()
        help_request = request_receive(
            actor=actor,
            channel=channel,
            question=question,
            received_at=received_at or now,
            resident=resident,
            household=household,
            requested_by=requested_by,
            requester_name=requester_name,
            requester_phone=requester_phone,
            requester_email=requester_email,
            referrer_type=referrer_type,
            referrer_organisation=referrer_organisation,
            team=team,
            assigned_to=actor if assign_to_actor else None,
        )
        if view is not None:  # flagged when the resident was reached by a grant only
            work_under_grant_record(
                view=view,
                kind=WorkKind.REQUEST,
                record=help_request,
                reference=help_request.reference,
                responsible=help_request.assigned_to,
            )
        return help_request


def request_link_resident(
    *, actor: User, help_request: HelpRequest, resident_id: int, whole_household: bool = False
) -> HelpRequest:
    """Link a request registered without a resident ("not known yet") to the resident, once
    known: one the actor may see (read, and logged, through resident_get_for_user). With
    `whole_household` it concerns the resident's whole household. The request keeps its team
    and deadlines; a request that is closed or already linked is refused."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        locked = REQUEST_WORKFLOW.lock(subject=help_request, actor=actor)
        if locked.status == RequestStatus.CLOSED:
            raise ValidationFailed(_("Deze hulpvraag is al afgerond."))
        if locked.resident_id is not None:
            raise ValidationFailed(_("Bij deze hulpvraag hoort al een inwoner."))
        try:
            view = resident_get_for_user(user=actor, pk=resident_id)
        except NotFoundError as error:  # also BreakGlassRequired: no file, no link
            raise ValidationFailed(
                fields={"resident": str(_("Kies een inwoner uit de zoekresultaten."))}
            ) from error
        household = None
        if whole_household:
            household = next(
                (m.household for m in view.household if m.resident_id == resident_id), None
            )
            if household is None:
                raise ValidationFailed(
                    fields={
                        "whole_household": str(_("Deze inwoner hoort bij geen huishouden in wijk."))
                    }
                )
        locked.resident = view.resident
        locked.household = household
        locked.save(update_fields=["resident", "household"])
        work_under_grant_record(
            view=view,
            kind=WorkKind.REQUEST,
            record=locked,
            reference=locked.reference,
            responsible=locked.assigned_to or actor,
        )
        access_log_record(
            actor=actor, event=AccessEvent.UPDATE, resident_id=resident_id, objects=[locked]
        )
    log.info("request_resident_linked", request_id=locked.pk, resident_id=resident_id)
    return locked


def request_record_attempt(*, actor: User, help_request: HelpRequest, reached: bool) -> HelpRequest:
    """Record a contact attempt on a request the actor may see; the first successful one is
    the first contact, the step to "contacted" (refused once the request is closed)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        locked = REQUEST_WORKFLOW.lock(subject=help_request, actor=actor)
        if locked.status == RequestStatus.CLOSED:
            raise ValidationFailed(_("Deze hulpvraag is al afgerond."))
        now = timezone.now()
        if reached and locked.first_contact_at is None:

            def first_contact(subject: HelpRequest) -> list[ContactAttempt]:
                subject.first_contact_at = now
                return [
                    ContactAttempt.objects.create(
                        help_request=subject, at=now, by=actor, reached=True
                    )
                ]

            locked = REQUEST_WORKFLOW.transition(
                subject=locked,
                to=RequestStatus.CONTACTED,
                actor=actor,
                apply=first_contact,
                fields=["first_contact_at"],
            )
        else:
            attempt = ContactAttempt.objects.create(
                help_request=locked, at=now, by=actor, reached=reached
            )
            if not reached:
                locked.unreached_attempts += 1
                locked.save(update_fields=["unreached_attempts"])
            access_log_record(
                actor=actor,
                event=AccessEvent.UPDATE,
                resident_id=locked.resident_id,
                objects=[locked, attempt],
            )
    log.info("request_attempt_recorded", request_id=locked.pk, reached=reached)
    return locked


def request_close(
    *,
    actor: User,
    help_request: HelpRequest,
    outcome: Outcome | str,
    provision: Code | None = None,
    reason: str = "",
) -> HelpRequest:
    """End a request the actor may see with its outcome (see request_close_within), in a
    transaction of its own."""
    with transaction.atomic(durable=True):
        locked = request_close_within(
            actor=actor,
            help_request=help_request,
            outcome=outcome,
            provision=provision,
            reason=reason,
        )
    log.info("request_closed", request_id=locked.pk, outcome=locked.outcome)
    return locked


def request_close_within(
    *,
    actor: User,
    help_request: HelpRequest,
    outcome: Outcome | str,
    provision: Code | None = None,
    reason: str = "",
) -> HelpRequest:
    """End a request the actor may see with its outcome, inside the transaction of a service
    that composes it (trajectory_start); request_close is the one to call on its own.
    "Referred out" names the provision; "not reachable" needs at least
    MIN_ATTEMPTS_FOR_NOT_REACHABLE recorded attempts."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    outcome = Outcome(outcome)
    if outcome == Outcome.REFERRED_OUT and provision is None:
        raise ValidationFailed(
            fields={"provision": str(_("Kies de voorziening waarnaar u verwijst."))}
        )

    def record_outcome(subject: HelpRequest) -> list[ContactAttempt]:
        if outcome == Outcome.NOT_REACHABLE:
            attempts = subject.contact_attempts.filter(reached=False).count()
            if attempts < MIN_ATTEMPTS_FOR_NOT_REACHABLE:
                raise ValidationFailed(
                    _("Leg eerst %(needed)d contactpogingen vast. Nu zijn het er %(count)d.")
                    % {"needed": MIN_ATTEMPTS_FOR_NOT_REACHABLE, "count": attempts}
                )
        subject.outcome = outcome
        subject.outcome_at = timezone.now()
        subject.outcome_provision = provision if outcome == Outcome.REFERRED_OUT else None
        return []

    return REQUEST_WORKFLOW.transition(
        subject=help_request,
        to=RequestStatus.CLOSED,
        actor=actor,
        reason=reason,
        apply=record_outcome,
        fields=["outcome", "outcome_at", "outcome_provision"],
    )


def request_assign(*, actor: User, help_request: HelpRequest, assignee: User | None) -> HelpRequest:
    """Give an open request to a professional or team lead of its team (a team lead sharing
    out the work, a colleague handing over), or with None back to the team's queue. The actor
    is one who may see the request; assigning it to whom it already has changes nothing."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        locked = REQUEST_WORKFLOW.lock(subject=help_request, actor=actor)
        if locked.status == RequestStatus.CLOSED:
            raise ValidationFailed(_("Deze hulpvraag is al afgerond."))
        if assignee is not None and not (
            assignee.is_active
            and assignee.role in TEAM_MEMBER_ROLES
            and locked.team.members.filter(pk=assignee.pk).exists()
        ):
            raise ValidationFailed(
                fields={
                    "assigned_to": str(_("Kies een medewerker van het team van deze hulpvraag."))
                }
            )
        assignee_id = assignee.pk if assignee is not None else None
        if locked.assigned_to_id == assignee_id:
            return locked
        previous_id = locked.assigned_to_id
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        access_log_record(
            actor=actor, event=AccessEvent.UPDATE, resident_id=locked.resident_id, objects=[locked]
        )
    log.info(
        "request_assigned",
        request_id=locked.pk,
        assigned_to=assignee_id,
        previous=previous_id,
        by=actor.pk,
    )
    return locked
