"""Writes on requests for help: receiving one (from staff or the public form; a professional's
registration with the resident found through the residents' selector), linking the resident
later, recording the first contact and contact attempts, picking it up, assigning it (the team
lead, one or several at once) to a professional of its team, and closing with an outcome.
There is no delete: every request ends with a recorded outcome. Each service is one
transaction with its access-log entry inside it."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import cast

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.areas.models import Buurt
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.workflow import Workflow
from wijk.organisations.models import Organisation, Team
from wijk.organisations.selectors import is_worker_of, team_for_buurt
from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import (
    ContactAttempt,
    HelpRequest,
    RequestAssignment,
    RequestStatusChange,
)
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

# A reference is written down from the screen and read out over the phone: no characters
# that look alike in print or handwriting (0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V), in two
# groups of four after "HV-", such as HV-7KA4-M9TX. Twenty characters to the
# power eight is 25 billion references. Older references (eight characters in a row, from a
# wider alphabet) stay valid as they were given out: the field and its length do not change.
_REFERENCE_ALPHABET = "34679ACEFGHKMNPRTWXY"
_REFERENCE_PREFIX = "HV"
_REFERENCE_GROUPS = (4, 4)


def reference_new() -> str:
    """A new request's reference, such as HV-7KA4-M9TX (12 characters)."""
    groups = (
        "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(size))
        for size in _REFERENCE_GROUPS
    )
    return "-".join((_REFERENCE_PREFIX, *groups))


# The request's lifecycle on the shared mechanism: every change of a request locks it through
# HelpRequest.objects.visible_to, and every status step goes along workflow.TRANSITIONS.
REQUEST_WORKFLOW: Workflow[HelpRequest] = Workflow(
    states=RequestStatus,
    transitions=TRANSITIONS,
    initial=RequestStatus.RECEIVED,
    history=RequestStatusChange,
    visible=lambda user: HelpRequest.objects.visible_to(user),
    noun=_("de hulpvraag"),
    holder_field="assigned_to",
    assignments=RequestAssignment,
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
                    investigation_due=deadlines.investigation,
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


def request_register_problems(
    *,
    received_at: datetime | None,
    resident_known: bool,
    whole_household: bool,
    requested_by: RequesterRelation | str | None,
    requester_name: str,
    requester_phone: str,
    requester_email: str,
) -> dict[str, str]:
    """What is wrong with a request to register, a message per field (empty: nothing). The
    register form shows these with its own errors, so everything is said in one round;
    request_register refuses on them. `requested_by` None: not known (its own field's error
    is shown), so no rule on it."""
    now = timezone.now()
    errors: dict[str, str] = {}
    if received_at is not None:
        if received_at > now + RECEIVED_AT_TOLERANCE:
            errors["received_at"] = str(_("Dit moment ligt in de toekomst."))
        elif received_at < now - RECEIVED_AT_MAX_AGE:
            errors["received_at"] = str(_("Dit moment ligt meer dan een jaar terug."))
    requester_name = requester_name.strip()
    if requested_by is not None and requested_by not in RequesterRelation.values:
        errors["requested_by"] = str(_("Kies wie de vraag stelt."))
    elif requested_by not in (None, RequesterRelation.SELF) and not requester_name:
        errors["requester_name"] = str(_("Vul de naam in van wie de vraag stelt."))
    if not resident_known:
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
    return errors


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
    requester_name = requester_name.strip()
    errors = request_register_problems(
        received_at=received_at,
        resident_known=resident_id is not None,
        whole_household=whole_household,
        requested_by=requested_by,
        requester_name=requester_name,
        requester_phone=requester_phone,
        requester_email=requester_email,
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
            received_at=received_at or timezone.now(),
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


class Expected(Enum):
    """The current holder a form was filled in against is not known (a caller that is not a
    form, such as the demo seed): then a request is reassigned whoever has it now."""

    ANYONE = "anyone"


def _holder_name(user: User | None) -> str:
    if user is None:
        return str(_("niemand"))
    return user.get_full_name() or user.username


def _stale(locked: HelpRequest, expected_id: int | Expected | None) -> str:
    """Why the form is out of date ("" when it is not): someone else picked the request up,
    or gave it back, since the page was shown. Says who has it now."""
    if expected_id is Expected.ANYONE or locked.assigned_to_id == expected_id:
        return ""
    if locked.assigned_to is None:
        return str(
            _(
                "Hulpvraag %(reference)s is intussen teruggezet naar het team. "
                "Er is niets veranderd."
            )
            % {"reference": locked.reference}
        )
    return str(
        _("Hulpvraag %(reference)s is intussen opgepakt door %(name)s. Er is niets veranderd.")
        % {"reference": locked.reference, "name": _holder_name(locked.assigned_to)}
    )


def _lock_in_own_team(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """The request, locked, if it belongs to one of the actor's active teams: handing out
    and picking up work happen within the team (a request the actor only has assigned from
    another team is not found, as one of another team is)."""
    locked = REQUEST_WORKFLOW.lock(subject=help_request, actor=actor)
    if not Team.objects.active_for(actor).filter(pk=locked.team_id).exists():
        raise NotFoundError
    return locked


def _assign_locked(
    *, actor: User, locked: HelpRequest, assignee: User | None, expected: int | Expected | None
) -> RequestAssignment | None:
    """Assign a request locked by the calling service, or refuse with a message that names
    the request; None when it has this assignee already."""
    if locked.status == RequestStatus.CLOSED:
        raise ValidationFailed(
            _("Hulpvraag %(reference)s is al afgerond.") % {"reference": locked.reference}
        )
    stale = _stale(locked, expected)
    if stale:
        raise ValidationFailed(stale, fields={"assigned_to": stale})
    if assignee is not None and not is_worker_of(user=assignee, team=locked.team):
        message = _("%(name)s hoort niet bij het team van hulpvraag %(reference)s.") % {
            "name": _holder_name(assignee),
            "reference": locked.reference,
        }
        raise ValidationFailed(message, fields={"assigned_to": str(message)})
    if locked.assigned_to_id == (assignee.pk if assignee is not None else None):
        return None
    return cast(
        RequestAssignment, REQUEST_WORKFLOW.reassign(subject=locked, to=assignee, actor=actor)
    )


def request_assign(
    *,
    actor: User,
    help_request: HelpRequest,
    assignee: User | None,
    expected: int | Expected | None = Expected.ANYONE,
) -> HelpRequest:
    """A team lead gives an open request of a team they lead to an active professional or
    team lead of that team, or with None back to the team's queue (docs/adr/0026).
    `expected` is the id of whom the form showed as the holder (None: nobody): when someone
    else has it by now, the change is refused with who that is, never made silently.
    Assigning it to whom it already has changes nothing."""
    if not gate_for(actor).oversee_teams:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        locked = _lock_in_own_team(actor=actor, help_request=help_request)
        previous_id = locked.assigned_to_id
        change = _assign_locked(actor=actor, locked=locked, assignee=assignee, expected=expected)
    if change is not None:
        log.info(
            "request_assigned",
            request_id=locked.pk,
            assigned_to=change.assignee_id,
            previous=previous_id,
            by=actor.pk,
        )
    return locked


@dataclass(frozen=True)
class AssignRow:
    """One request of a bulk assignment, with whom the form showed as its holder."""

    pk: int
    expected: int | None


def request_assign_many(
    *, actor: User, rows: Sequence[AssignRow], assignee: User | None
) -> list[HelpRequest]:
    """A team lead gives several requests at once to one person (see request_assign): all or
    nothing. When any request is refused, nothing changes, and ValidationFailed names every
    refused request in `fields` (its id as the key, the message naming its reference), so
    the page can say per row what to fix (docs/adr/0026)."""
    if not gate_for(actor).oversee_teams:
        raise PermissionDeniedError
    if not rows:
        raise ValidationFailed(
            fields={"requests": str(_("Kies een of meer hulpvragen om toe te wijzen."))}
        )
    refused: dict[str, str] = {}
    assigned: list[HelpRequest] = []
    with transaction.atomic(durable=True):
        unique = {row.pk: row for row in rows}  # a request sent twice is assigned once
        for row in sorted(unique.values(), key=lambda row: row.pk):  # one lock order
            locked = _lock_in_own_team(actor=actor, help_request=HelpRequest(pk=row.pk))
            try:
                _assign_locked(actor=actor, locked=locked, assignee=assignee, expected=row.expected)
            except ValidationFailed as error:
                refused[str(row.pk)] = str(error.message)
            assigned.append(locked)
        if refused:
            raise ValidationFailed(
                ngettext(
                    "%(count)d hulpvraag kan niet worden toegewezen. Er is niets veranderd.",
                    "%(count)d hulpvragen kunnen niet worden toegewezen. Er is niets veranderd.",
                    len(refused),
                )
                % {"count": len(refused)},
                fields=refused,
            )
    log.info(
        "requests_assigned",
        count=len(assigned),
        assigned_to=assignee.pk if assignee is not None else None,
        by=actor.pk,
    )
    return assigned


def request_pick_up(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """A professional or team lead takes an open, unassigned request of their team. When
    someone else has it by now, it is refused with who that is; picking up one's own request
    again changes nothing."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        locked = _lock_in_own_team(actor=actor, help_request=help_request)
        if locked.assigned_to_id == actor.pk:
            return locked
        change = _assign_locked(actor=actor, locked=locked, assignee=actor, expected=None)
    if change is not None:
        log.info("request_picked_up", request_id=locked.pk, by=actor.pk)
    return locked
