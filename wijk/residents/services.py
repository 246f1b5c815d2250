"""Writes on residents: registering a resident (alone or into a household), breaking the
glass, flagging work started under a grant and the team lead's review of it. Each is one
transaction that writes its access-log entry inside it."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.areas.models import Buurt
from wijk.core.access import log_refusal
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent, AccessOutcome
from wijk.organisations.models import Team
from wijk.residents.bsn import bsn_is_valid
from wijk.residents.models import (
    Address,
    Assignment,
    BreakGlassGrant,
    Household,
    HouseholdMembership,
    Relation,
    Resident,
    WorkKind,
    WorkUnderGrant,
    own_work,
)
from wijk.residents.selectors import (
    DUPLICATE_CHECK_REASON,
    Duplicates,
    ResidentView,
    resident_duplicate_checks_since,
    resident_duplicates_for_user,
    resident_get_for_user,
)

log = structlog.get_logger(__name__)

BREAK_GLASS_MIN_REASON = 10
# A break-the-glass reason is read by the team lead: it needs words, not ten dots.
BREAK_GLASS_REASON_WORDS = 3
BREAK_GLASS_REASON_MESSAGE = _("Schrijf in minstens drie woorden waarom u dit dossier nodig heeft.")
_WORD = re.compile(r"[^\W\d_]{2,}")


def break_glass_reason_has_words(reason: str) -> bool:
    """At least BREAK_GLASS_REASON_WORDS words of two or more letters, and
    BREAK_GLASS_MIN_REASON characters in all."""
    return (
        len(reason.strip()) >= BREAK_GLASS_MIN_REASON
        and len(_WORD.findall(reason)) >= BREAK_GLASS_REASON_WORDS
    )


class BreakGlassWithoutTeam(ValidationFailed):
    """Breaking the glass needs a team: the grant is reviewed by the team leads of the
    holder's active teams at the moment of granting (ADR 0020)."""

    code = "break_glass_without_team"
    status = 403
    message = _(
        "U bent geen lid van een actief team. Daarom kunt u geen tijdelijke toegang vragen: "
        "er is geen teamleider die uw reden kan nakijken. Vraag de beheerder om u aan een "
        "team toe te voegen."
    )


class DuplicateSuspected(ValidationFailed):
    code = "duplicate_suspected"
    message = _("Deze inwoner staat misschien al in wijk.")

    def __init__(self, *, visible: list[Resident], others: int, bsn_taken: bool = False) -> None:
        super().__init__()
        self.visible = visible
        self.others = others
        self.bsn_taken = bsn_taken


class DuplicateCheckLimitReached(ValidationFailed):
    """The user made WIJK_DUPLICATE_CHECK_LIMIT duplicate checks in the last hour."""

    code = "duplicate_check_limit"
    status = 429
    message = _(
        "U heeft het afgelopen uur al heel vaak gecontroleerd of een inwoner al in wijk staat. "
        "Daarom kan dat nu even niet. Probeer het later opnieuw. Is het dringend? Vraag dan "
        "uw teamleider om hulp."
    )


@dataclass(frozen=True)
class AddressInput:
    street: str
    house_number: int
    house_letter: str
    house_number_addition: str
    postcode: str
    city: str
    buurt: Buurt


def resident_register(
    *,
    actor: User,
    given_names: str,
    name_prefix: str,
    family_name: str,
    date_of_birth: datetime.date,
    bsn: str | None,
    phone: str = "",
    email: str = "",
    address: AddressInput | None,
    household_of: int | None = None,
    relation: Relation | str = Relation.REFERENCE_PERSON,
    confirmed_not_duplicate: bool = False,
) -> Resident:
    """Register a resident. With `household_of` the resident joins that resident's household
    (and address); otherwise a new household is started at `address`. Raises
    DuplicateSuspected when a resident with the same BSN, or the same family name and date of
    birth, exists, unless the user confirmed that this is someone else; a BSN that exists is
    always refused. That check is logged and limited per user, and its entry stays when the
    registration is refused (_duplicate_check). The registering professional is assigned to
    the resident."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    bsn = (bsn or "").strip() or None
    if bsn is not None and not bsn_is_valid(bsn):
        raise ValidationFailed(
            fields={"bsn": str(_("Dit BSN klopt niet. Controleer de 9 cijfers."))}
        )
    if date_of_birth > timezone.localdate():
        raise ValidationFailed(
            fields={"date_of_birth": str(_("De geboortedatum ligt in de toekomst."))}
        )
    if bsn is not None or not confirmed_not_duplicate:
        found = _duplicate_check(
            actor=actor,
            bsn=bsn or "",
            family_name=family_name,
            date_of_birth=date_of_birth,
            by_name=not confirmed_not_duplicate,
        )
        if found.bsn_taken or found.visible or found.others:
            raise DuplicateSuspected(
                visible=found.visible, others=found.others, bsn_taken=found.bsn_taken
            )
    with transaction.atomic(durable=True):
        if bsn is not None and Resident.objects.select_for_update().filter(bsn=bsn).exists():
            # Registered by someone else since the check: the check's answer stands.
            raise DuplicateSuspected(visible=[], others=0, bsn_taken=True)
        head_view: ResidentView | None = None
        if household_of is not None:
            head_view = resident_get_for_user(user=actor, pk=household_of)
            head = head_view.resident
            membership = HouseholdMembership.objects.select_related("household").get(resident=head)
            household = membership.household
            home = household.address
        else:
            home = None
            if address is not None:
                home = Address(**vars(address))
                _clean(home)
                home.save()
            household = Household.objects.create(address=home)
            relation = Relation.REFERENCE_PERSON
        resident = Resident(
            given_names=given_names.strip(),
            name_prefix=name_prefix.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
            bsn=bsn,
            phone=phone.strip(),
            email=email.strip(),
            address=home,
        )
        _clean(resident)
        resident.save()
        HouseholdMembership.objects.create(
            household=household, resident=resident, relation=str(relation)
        )
        if head_view is None or head_view.grant is None:
            Assignment.objects.create(resident=resident, user=actor)
        else:
            _register_under_grant(head_view=head_view, grant=head_view.grant, resident=resident)
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=resident.pk,
            objects=[resident, household],
        )
    log.info("resident_registered", resident_id=resident.pk, by=actor.pk)
    return resident


def _duplicate_check(
    *, actor: User, bsn: str, family_name: str, date_of_birth: datetime.date, by_name: bool
) -> Duplicates:
    """One duplicate check of a registration, in a transaction of its own: its access-log
    entry is committed whatever becomes of the registration (ADR 0017). At most
    WIJK_DUPLICATE_CHECK_LIMIT checks an hour per user, counted from the access log; the
    user's row is locked while counting, so parallel requests cannot pass the limit
    together. Over the limit nothing is looked up, and the refusal is logged."""
    with transaction.atomic(durable=True):
        list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
        since = timezone.now() - datetime.timedelta(hours=1)
        if resident_duplicate_checks_since(user=actor, since=since) < (
            settings.WIJK_DUPLICATE_CHECK_LIMIT
        ):
            return resident_duplicates_for_user(
                user=actor,
                bsn=bsn,
                family_name=family_name,
                date_of_birth=date_of_birth,
                by_name=by_name,
            )
    access_log_record(
        actor=actor,
        event=AccessEvent.SEARCH,
        outcome=AccessOutcome.REFUSED,
        reason=DUPLICATE_CHECK_REASON,
    )
    log.warning("duplicate_check_refused", by=actor.pk)
    raise DuplicateCheckLimitReached


def _register_under_grant(
    *, head_view: ResidentView, grant: BreakGlassGrant, resident: Resident
) -> None:
    """A resident registered into the household of a resident reached through a grant only
    (ADR 0020): no assignment, which would outlive the grant, but the same grant on the new
    household member, ending when it ends, and the registration flagged for the team lead,
    whose approval gives the registering professional the assignment. The member's grant
    is reviewed by the same teams as the first, and is an access-log entry of its own, as
    every grant is (break_glass_grant)."""
    member_grant = BreakGlassGrant.objects.create(
        resident=resident,
        user=grant.user,
        reason=grant.reason,
        granted_at=timezone.now(),
        expires_at=grant.expires_at,
    )
    member_grant.teams.set(grant.teams.all())
    access_log_record(
        actor=grant.user,
        event=AccessEvent.GRANT,
        resident_id=resident.pk,
        objects=[member_grant, grant],
        reason=grant.reason,
        flagged=True,
    )
    work_under_grant_record(
        view=replace(head_view, grant=member_grant),
        kind=WorkKind.RESIDENT,
        record=resident,
        reference=str(_("Inwoner %(number)s") % {"number": resident.pk}),
        responsible=grant.user,
        resident=resident,
    )


def _clean(instance: Address | Resident) -> None:
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise ValidationFailed(
            fields={field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from error


def break_glass_grant(*, actor: User, resident_pk: int, reason: str) -> BreakGlassGrant:
    """Record why the user needs this file outside their normal access, and grant access for
    WIJK_BREAK_GLASS_MINUTES. Every read under the grant is flagged in the access log. The
    grant records the actor's active teams, whose team leads review it (ADR 0020); an actor
    in no active team has no team lead and is refused (BreakGlassWithoutTeam, logged)."""
    if not gate_for(actor).break_glass:
        raise PermissionDeniedError
    teams = list(Team.objects.active_for(actor))
    if not teams:
        log_refusal(
            user=actor,
            event=AccessEvent.GRANT,
            model=Resident,
            pk=resident_pk,
            resident_id=resident_pk,
        )
        log.warning("break_glass_refused_without_team", resident_id=resident_pk, by=actor.pk)
        raise BreakGlassWithoutTeam
    reason = " ".join(reason.split())
    if not break_glass_reason_has_words(reason):
        raise ValidationFailed(fields={"reason": str(BREAK_GLASS_REASON_MESSAGE)})
    with transaction.atomic(durable=True):
        resident = Resident.objects.filter(pk=resident_pk).first()
        if resident is None:
            raise NotFoundError
        now = timezone.now()
        grant = BreakGlassGrant.objects.create(
            resident=resident,
            user=actor,
            reason=reason,
            granted_at=now,
            expires_at=now + datetime.timedelta(minutes=settings.WIJK_BREAK_GLASS_MINUTES),
        )
        grant.teams.set(teams)
        # The grant itself is an access-log entry (in the tamper-evident chain), not only the
        # reads it allows: who widened their access to whom, when, and why.
        access_log_record(
            actor=actor,
            event=AccessEvent.GRANT,
            resident_id=resident.pk,
            objects=[grant],
            reason=reason,
            flagged=True,
        )
    log.info("break_glass_granted", resident_id=resident_pk, by=actor.pk, grant_id=grant.pk)
    return grant


def work_under_grant_record(
    *,
    view: ResidentView,
    kind: WorkKind,
    record: Model,
    reference: str,
    responsible: User | None,
    resident: Resident | None = None,
) -> WorkUnderGrant | None:
    """Flag work started on the resident of `view` (or on `resident`, reached through them)
    when the access to them came from a break-the-glass grant only (ADR 0020): listed for the
    team lead's review, with a flagged access-log entry that carries the grant's reason.
    Nothing when the access was regular. Runs inside the caller's transaction (the service
    that started the work)."""
    grant = view.grant
    if grant is None:
        return None
    about = resident or view.resident
    work = WorkUnderGrant.objects.create(
        grant=grant,
        resident=about,
        kind=str(kind),
        object_id=record.pk,
        reference=reference[:100],
        responsible=responsible,
    )
    access_log_record(
        actor=grant.user,
        event=AccessEvent.CREATE,
        resident_id=about.pk,
        objects=[record, work, grant],
        reason=grant.reason,
        flagged=True,
    )
    log.info("work_under_grant_flagged", work_id=work.pk, kind=str(kind), grant_id=grant.pk)
    return work


def work_under_grant_review(*, actor: User, pk: int, approve: bool) -> WorkUnderGrant:
    """A team lead reviews work started under a grant made while its holder was a member of
    one of the team lead's teams (the teams recorded on the grant), never work of their own
    grant nor work they carry on themselves: nobody approves a lasting basis for
    themselves (ADR 0020). Approving gives the responsible professional an assignment to the
    resident, a regular basis, unless they already have one; not approving leaves the record
    reachable only on the bases its resident is reached on. Either way the decision is in the
    access log. NotFoundError for work the team lead may not review or that was reviewed already."""
    if not gate_for(actor).review_break_glass:
        raise NotFoundError
    with transaction.atomic(durable=True):
        grants = BreakGlassGrant.objects.for_review_by(actor).values("pk")
        work = (
            WorkUnderGrant.objects.select_for_update(of=("self",))
            .select_related("grant")
            .filter(pk=pk, grant__in=grants, reviewed_at__isnull=True)
            .exclude(own_work(actor))
            .first()
        )
        if work is None:
            raise NotFoundError
        resident_id = work.resident_id
        objects: list[Model] = [work]
        responsible = work.responsible
        if (
            approve
            and responsible is not None
            and responsible.is_active
            and not Resident.objects.normally_reached_by_account(responsible)
            .filter(pk=resident_id)
            .exists()
        ):
            objects.append(Assignment.objects.create(resident_id=resident_id, user=responsible))
        work.reviewed_at = timezone.now()
        work.reviewed_by = actor
        work.approved = approve
        work.save(update_fields=["reviewed_at", "reviewed_by", "approved"])
        access_log_record(
            actor=actor,
            event=AccessEvent.APPROVE if approve else AccessEvent.REJECT,
            resident_id=resident_id,
            objects=objects,
            reason=work.grant.reason,
        )
    log.info("work_under_grant_reviewed", work_id=work.pk, approved=approve, by=actor.pk)
    return work


def coordinator_unassign(*, resident: Resident, previous: User) -> list[Assignment]:
    """End the open assignments of a coordinator who handed the resident's coordination over
    and holds no other work on the resident (the caller knows: ADR 0020), so that handing
    over never leaves a personal basis behind. Runs inside the caller's transaction, which
    names the ended assignments in its access-log entry."""
    ended = list(
        Assignment.objects.select_for_update().filter(
            resident=resident, user=previous, ended_at=None
        )
    )
    now = timezone.now()
    for assignment in ended:
        assignment.ended_at = now
    Assignment.objects.bulk_update(ended, ["ended_at"])
    return ended


def coordinator_assign(*, actor: User, resident: Resident, coordinator: User) -> Assignment | None:
    """Give a trajectory's coordinator an open assignment to its resident, so that the
    coordination stays reachable when the resident or the coordinator moves (ADR 0020): only
    when the actor reaches the resident regularly (a grant only: the team lead's review
    decides), and not when the coordinator has an open assignment already. Runs inside the
    caller's transaction, which names the assignment in its access-log entry."""
    if not Resident.objects.normally_visible_to(actor).filter(pk=resident.pk).exists():
        return None
    if Assignment.objects.filter(resident=resident, user=coordinator, ended_at=None).exists():
        return None
    return Assignment.objects.create(resident=resident, user=coordinator)


def household_of_one_start(*, resident: Resident) -> Household:
    """The household of a resident the caller has read through the resident selector: theirs,
    or, when they have none yet, a new household of one at their address with them as its
    reference person. Runs inside the caller's transaction (a plan is drawn up for a
    household, ADR 0034), which names the household in its access-log entry.

    The resident's row is locked first: of two callers at once (a double submit), the second
    waits and then finds the household the first made, instead of failing on the
    membership's unique index. (FOR NO KEY UPDATE: it does not wait for, nor block, the
    foreign-key checks of other transactions that insert rows about the resident.)"""
    Resident.objects.select_for_update(no_key=True, of=("self",)).filter(pk=resident.pk).values(
        "pk"
    ).first()
    membership = (
        HouseholdMembership.objects.select_related("household").filter(resident=resident).first()
    )
    if membership is not None:
        return membership.household
    household = Household.objects.create(address=resident.address)
    HouseholdMembership.objects.create(
        household=household, resident=resident, relation=Relation.REFERENCE_PERSON
    )
    return household
