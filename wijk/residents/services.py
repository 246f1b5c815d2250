"""Writes on residents: registering a resident (alone or into a household) and breaking the
glass. Each is one transaction that writes its access-log entry inside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.areas.models import Buurt
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.residents.bsn import bsn_is_valid
from wijk.residents.models import (
    Address,
    Assignment,
    BreakGlassGrant,
    Household,
    HouseholdMembership,
    Relation,
    Resident,
)
from wijk.residents.selectors import resident_duplicates_for_user, resident_get_for_user

log = structlog.get_logger(__name__)

BREAK_GLASS_MIN_REASON = 10


class DuplicateSuspected(ValidationFailed):
    code = "duplicate_suspected"
    message = _("Deze inwoner staat misschien al in wijk.")

    def __init__(self, *, visible: list[Resident], others: int, bsn_taken: bool = False) -> None:
        super().__init__()
        self.visible = visible
        self.others = others
        self.bsn_taken = bsn_taken


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
    always refused. The registering professional is assigned to the resident."""
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
    with transaction.atomic(durable=True):
        if bsn is not None and Resident.objects.select_for_update().filter(bsn=bsn).exists():
            visible, others = resident_duplicates_for_user(
                user=actor, bsn=bsn, family_name=family_name, date_of_birth=date_of_birth
            )
            raise DuplicateSuspected(visible=visible, others=others, bsn_taken=True)
        if not confirmed_not_duplicate:
            visible, others = resident_duplicates_for_user(
                user=actor, bsn="", family_name=family_name, date_of_birth=date_of_birth
            )
            if visible or others:
                raise DuplicateSuspected(visible=visible, others=others)
        if household_of is not None:
            head = resident_get_for_user(user=actor, pk=household_of).resident
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
        Assignment.objects.create(resident=resident, user=actor)
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=resident.pk,
            objects=[resident, household],
        )
    log.info("resident_registered", resident_id=resident.pk, by=actor.pk)
    return resident


def _clean(instance: Address | Resident) -> None:
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise ValidationFailed(
            fields={field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from error


def break_glass_grant(*, actor: User, resident_pk: int, reason: str) -> BreakGlassGrant:
    """Record why the user needs this file outside their normal access, and grant access for
    WIJK_BREAK_GLASS_MINUTES. Every read under the grant is flagged in the access log."""
    if not gate_for(actor).break_glass:
        raise PermissionDeniedError
    reason = " ".join(reason.split())
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationFailed(
            fields={
                "reason": str(_("Schrijf in een paar woorden waarom u dit dossier nodig heeft."))
            }
        )
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
    log.info("break_glass_granted", resident_id=resident_pk, by=actor.pk, grant_id=grant.pk)
    return grant
