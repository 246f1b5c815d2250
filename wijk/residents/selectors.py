"""Every read of person-level resident data. Each one goes through the access rule of
ResidentQuerySet and writes its access-log entry; a record that is missing and a record that
may not be seen give the same NotFoundError."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Lower

from wijk.accounts.models import Role, User
from wijk.accounts.roles import gate_for
from wijk.areas.models import Buurt
from wijk.core.audit import access_log_record, object_ref
from wijk.core.errors import BreakGlassRequired, NotFoundError
from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome
from wijk.residents.models import (
    Address,
    BreakGlassGrant,
    HouseholdMembership,
    Resident,
    ResidentQuerySet,
)

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class ResidentView:
    """A resident as a user may see them, with how the access was granted."""

    resident: Resident
    break_glass_reason: str | None
    household: list[HouseholdMembership]


def _refuse(*, user: User, pk: int | None, event: AccessEvent) -> None:
    access_log_record(
        actor=user,
        event=event,
        resident_id=pk,
        objects=[f"residents.resident:{pk}"] if pk is not None else [],
        outcome=AccessOutcome.REFUSED,
    )


def _resident_queryset() -> ResidentQuerySet:
    return Resident.objects.select_related("address__buurt__wijk")


def resident_get_for_user(
    *, user: User, pk: int, event: AccessEvent = AccessEvent.READ
) -> ResidentView:
    """One resident with their household, or NotFoundError. A user who may break the glass
    and asks for an existing resident outside their access gets BreakGlassRequired."""
    gate = gate_for(user)
    resident = _resident_queryset().normally_visible_to(user).filter(pk=pk).first()
    reason: str | None = None
    if resident is None and gate.person_level:
        grant = BreakGlassGrant.objects.active_for(user).filter(resident_id=pk).first()
        if grant is not None:
            resident = _resident_queryset().get(pk=pk)
            reason = grant.reason
    if resident is None:
        _refuse(user=user, pk=pk, event=event)
        if gate.break_glass and Resident.objects.filter(pk=pk).exists():
            raise BreakGlassRequired
        raise NotFoundError
    household = list(
        HouseholdMembership.objects.filter(
            household__memberships__resident=resident
        ).select_related("resident", "household__address__buurt")
    )
    access_log_record(
        actor=user,
        event=event,
        resident_id=resident.pk,
        objects=[resident, *(m.resident for m in household if m.resident_id != resident.pk)],
        reason=reason or "",
        flagged=reason is not None,
    )
    return ResidentView(resident=resident, break_glass_reason=reason, household=household)


def resident_search_for_user(
    *,
    user: User,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    bsn: str = "",
    postcode: str = "",
) -> list[Resident]:
    """Residents the user may see that match every given criterion; at most SEARCH_LIMIT.
    The log records the search and the residents found, never the search terms."""
    if not gate_for(user).person_level:
        _refuse(user=user, pk=None, event=AccessEvent.SEARCH)
        raise NotFoundError
    queryset = _resident_queryset().visible_to(user)
    if name:
        for part in name.split():
            queryset = queryset.filter(
                Q(family_name__icontains=part) | Q(given_names__icontains=part)
            )
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    if bsn:
        queryset = queryset.filter(bsn=bsn)
    if postcode:  # a whole postcode, or its first digits ("2011")
        queryset = queryset.filter(address__postcode__startswith=postcode)
    results = list(queryset.order_by(Lower("family_name"), "given_names", "pk")[:SEARCH_LIMIT])
    access_log_record(
        actor=user,
        event=AccessEvent.SEARCH,
        objects=[object_ref(r) for r in results],
    )
    return results


def resident_duplicates_for_user(
    *, user: User, bsn: str, family_name: str, date_of_birth: datetime.date
) -> tuple[list[Resident], int]:
    """Possible duplicates of a resident being registered: same BSN, or same family name and
    date of birth. Returns the ones the user may see, and how many others exist (counted
    only, so that registering tells nothing about residents outside the user's access)."""
    condition = Q(family_name__iexact=family_name.strip(), date_of_birth=date_of_birth)
    if bsn:
        condition |= Q(bsn=bsn)
    matches = Resident.objects.filter(condition)
    visible = list(_resident_queryset().visible_to(user).filter(pk__in=matches.values("pk")))
    others = matches.count() - len(visible)
    if visible:
        access_log_record(actor=user, event=AccessEvent.SEARCH, objects=visible)
    return visible, others


def resident_access_log_for_user(*, user: User, pk: int) -> tuple[Resident, list[AccessLogEntry]]:
    """Who accessed this resident's file: newest first. Reading it is itself logged."""
    view = resident_get_for_user(user=user, pk=pk)
    entries = list(AccessLogEntry.objects.filter(resident_id=pk).order_by("-id")[:500])
    roles = dict(Role.choices)
    for entry in entries:
        entry.role_label = roles.get(entry.role, entry.role)  # type: ignore[attr-defined]
    return view.resident, entries


def break_glass_grants_for_team_lead(*, user: User) -> list[BreakGlassGrant]:
    """Break-the-glass accesses by members of the team lead's teams, newest first."""
    if not gate_for(user).review_break_glass:
        raise NotFoundError
    members = User.objects.filter(teams__in=user.teams.all()).values("pk")
    return list(
        BreakGlassGrant.objects.filter(user__in=members)
        .select_related("user")
        .order_by("-granted_at")[:500]
    )


def buurt_for_postcode(postcode: str, *, house_number: int | None = None) -> Buurt | None:
    """The buurt a postcode lies in, to route a request from the public form to a team: the
    buurt of the known address with this postcode and house number, else the buurt most known
    addresses with this postcode lie in, else None. Not a read of anyone's data (it returns
    an area only), so it has no access check and writes no access-log entry."""
    addresses = Address.objects.filter(postcode=postcode)
    buurt_id = None
    if house_number is not None:
        buurt_id = (
            addresses.filter(house_number=house_number)
            .order_by("buurt_id")
            .values_list("buurt_id", flat=True)
            .first()
        )
    if buurt_id is None:
        buurt_id = (
            addresses.values("buurt_id")
            .annotate(count=Count("pk"))
            .order_by("-count", "buurt_id")
            .values_list("buurt_id", flat=True)
            .first()
        )
    if buurt_id is None:
        return None
    return Buurt.objects.select_related("wijk").get(pk=buurt_id)
