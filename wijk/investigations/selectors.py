"""Every read of investigations. An investigation is visible exactly when its request is
(`Investigation.objects.visible_to`); every read is logged through wijk.core.access, and an
investigation that is missing and one that may not be seen give the same NotFoundError."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from wijk.accounts.roles import gate_for
from wijk.core.access import (
    log_read,
    model_ref,
    refs_with_resident,
    require_or_refuse,
    visible_or_refuse,
)
from wijk.core.rows import Capped, Columns, Values, capped_rows, record_refs
from wijk.core.timeline import TimelineEntry, TimelineKind
from wijk.investigations.models import Investigation, InvestigationQuerySet, OwnView
from wijk.letters.models import Letter, LetterKind
from wijk.letters.selectors import letter_versions_for_user
from wijk.organisations.models import Team
from wijk.reference.models import Code
from wijk.requests.workflow import RequestStatus
from wijk.residents.models import full_name_of

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.requests.models import HelpRequest
    from wijk.residents.models import Resident

# The timeline shows at most this many investigations of a resident.
TIMELINE_LIMIT = 200
TIMELINE_KINDS: tuple[TimelineKind, ...] = ("investigation",)


@dataclass(frozen=True)
class InvestigationView:
    """An investigation as its page shows it: its life domains and the resident's own views
    (oldest first)."""

    investigation: Investigation
    life_domains: list[Code]
    own_views: list[OwnView]

    @property
    def help_request(self) -> HelpRequest:
        return self.investigation.help_request


def _queryset(user: User) -> InvestigationQuerySet:
    return Investigation.objects.visible_to(user).select_related(
        "help_request",
        "resident",
        "started_by",
        "updated_by",
        "completed_by",
    )


def investigation_get_for_user(*, user: User, pk: int) -> InvestigationView:
    """One investigation with its life domains and the resident's views, or NotFoundError.
    The read names the investigation, its resident and the views shown."""
    investigation = visible_or_refuse(queryset=_queryset(user), pk=pk, user=user)
    domains = list(investigation.life_domains.order_by("sort_order", "code"))
    own_views = list(investigation.own_views.select_related("recorded_by").order_by("pk"))
    log_read(
        user=user,
        objects=[*refs_with_resident([investigation]), *own_views],
        resident_id=investigation.resident_id,
    )
    return InvestigationView(investigation=investigation, life_domains=domains, own_views=own_views)


def investigation_id_of_request(*, user: User, help_request: HelpRequest) -> int | None:
    """The id of the investigation of a request the caller has read for the user (through
    the requests' selector, which logged it), or None when none was started. Shows nothing
    of the investigation, so writes no access-log entry: its page does that."""
    require_or_refuse(gate_for(user).person_level, user=user)
    return (
        Investigation.objects.visible_to(user)
        .filter(help_request=help_request)
        .values_list("pk", flat=True)
        .first()
    )


def investigation_reports_for_user(*, user: User, investigation: Investigation) -> list[Letter]:
    """Every version of the investigation's report letter, oldest first, as far as the user
    may see them (read and logged through the letters' selector)."""
    return letter_versions_for_user(
        user=user,
        source=model_ref(Investigation, investigation.pk),
        kind=LetterKind.INVESTIGATION_REPORT,
    )


# --- the worklist (wijk.core.worklist) -------------------------------------------------------


@dataclass(frozen=True)
class InvestigationDue:
    """An investigation not finished yet, of an open request, as the worklist shows it."""

    pk: int
    reference: str
    due: datetime.date
    resident_name: str
    holder_name: str  # the request's professional; "" while nobody has it


_DUE_COLUMNS = Columns(
    {
        "pk": "pk",
        "reference": "help_request__reference",
        "due": "help_request__investigation_due",
        "resident_id": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "username": "help_request__assigned_to__username",
        "first_name": "help_request__assigned_to__first_name",
        "last_name": "help_request__assigned_to__last_name",
    }
)
_DUE_REFS = record_refs(Investigation, resident="resident_id")


def _holder(values: Values) -> str:
    if values["username"] is None:
        return ""
    return f"{values['first_name']} {values['last_name']}".strip() or str(values["username"])


def _due(values: Values) -> InvestigationDue:
    return InvestigationDue(
        pk=values["pk"],
        reference=values["reference"],
        due=values["due"],
        resident_name=full_name_of(
            values["given_names"], values["name_prefix"], values["family_name"]
        ),
        holder_name=_holder(values),
    )


def investigations_due_for_user(
    *, user: User, team_scope: bool, limit: int
) -> Capped[InvestigationDue]:
    """Investigations started and not finished, of requests still open, earliest six-week
    deadline first, at most `limit`: of the requests assigned to the user, or with
    `team_scope` of every request of the user's active teams. One query, and one SEARCH
    entry naming the investigations and residents shown. Roles without person-level access:
    a logged refusal (NotFoundError). With `team_scope` the team's candidates are read first
    without the access rule (core.rows.capped_rows)."""
    require_or_refuse(gate_for(user).person_level, user=user)

    def open_ones(investigations: InvestigationQuerySet) -> InvestigationQuerySet:
        investigations = investigations.open().exclude(help_request__status=RequestStatus.CLOSED)
        if team_scope:
            return investigations.filter(
                help_request__team__in=Team.objects.active_for(user).values("pk")
            )
        return investigations.filter(help_request__assigned_to=user)

    order = ("help_request__investigation_due", "pk")
    return capped_rows(
        user=user,
        queryset=open_ones(Investigation.objects.visible_to(user)).order_by(*order),
        columns=_DUE_COLUMNS,
        build=_due,
        refs=_DUE_REFS,
        limit=limit,
        candidates=open_ones(Investigation.objects.all()).order_by(*order) if team_scope else None,
    )


# --- the resident's case-file timeline ------------------------------------------------------

_TIMELINE_COLUMNS = Columns(
    {
        "pk": "pk",
        "started_at": "started_at",
        "completed_on": "completed_on",
        "reference": "help_request__reference",
        "due": "help_request__investigation_due",
    }
)


def _entry(values: Values) -> TimelineEntry:
    completed_on = values["completed_on"]
    if completed_on is not None:
        detail = gettext("Afgerond op %(day)s") % {"day": date_format(completed_on)}
    else:
        detail = gettext("Nog niet afgerond; uiterlijk %(day)s") % {
            "day": date_format(values["due"])
        }
    return TimelineEntry(
        at=values["started_at"],
        kind="investigation",
        title=gettext("Onderzoek bij hulpvraag %(reference)s gestart")
        % {"reference": values["reference"]},
        detail=detail,
        url=reverse("investigations:detail", args=[values["pk"]]),
        ref=model_ref(Investigation, values["pk"]),
    )


def timeline_investigations_for_user(
    *,
    user: User,
    resident: Resident,
    kinds: Collection[str] = TIMELINE_KINDS,
    limit: int = TIMELINE_LIMIT,
) -> list[TimelineEntry]:
    """The resident's investigations the user may see, as case-file timeline entries at the
    moment each started (finished or not is their second line): the newest `limit` (at most
    TIMELINE_LIMIT) in the order of `wijk.core.timeline.newest_first`, in one query and one
    access-log entry. For the case file, which has
    already checked that the user may see the resident; roles without person-level access
    get none."""
    if not gate_for(user).person_level or "investigation" not in kinds:
        return []
    rows = _TIMELINE_COLUMNS.read(
        Investigation.objects.visible_to(user)
        .filter(resident=resident)
        .order_by("-started_at", "-pk")[: min(limit, TIMELINE_LIMIT)]
    )
    entries = [_entry(values) for values in rows]
    if entries:
        log_read(user=user, objects=[entry.ref for entry in entries], resident_id=resident.pk)
    return entries
