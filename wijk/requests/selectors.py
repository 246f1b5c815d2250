"""Every read of requests for help. Each one goes through HelpRequest.objects.visible_to and
writes its access-log entry; a request that is missing and one that may not be seen give the
same NotFoundError.

The lists (a professional's worklist, the team worklist, the waiting list and the team lead's
overview of open requests) are one capped query each, in the order of the model's indexes,
plus at most one aggregate: their query count does not grow with the number of rows. Each
list writes one SEARCH entry naming the requests and residents it shows.

Deadline arithmetic goes through wijk.requests.deadlines only."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.access import (
    get_visible_or_refuse,
    log_read,
    log_refusal,
    model_ref,
    require_or_refuse,
)
from wijk.core.calendar import add_working_days, working_days_between
from wijk.core.errors import NotFoundError
from wijk.core.models import AccessEvent
from wijk.core.quality import (
    Category,
    QualityCheck,
    QualityRow,
    QualitySource,
    code_not_valid,
    counts_of,
    counts_per_wijk,
)
from wijk.core.rows import Capped, Columns, Values, capped_rows, page_rows, record_refs
from wijk.core.timeline import TimelineEntry, TimelineKind
from wijk.organisations.models import Team
from wijk.organisations.selectors import workers_of
from wijk.requests.models import (
    ContactAttempt,
    HelpRequest,
    HelpRequestQuerySet,
    RequestAssignment,
    RequestStatusChange,
)
from wijk.requests.workflow import RequestStatus
from wijk.residents.models import Resident, full_name_of

# Rows a list shows at most; the rest is counted, or flagged, never loaded.
LIST_LIMIT = 200
# Rows per page of the waiting list (ranked by waiting time, so a page is a band of it).
WAITING_PAGE = 25
# "Due soon": the first-contact deadline falls within this many working days after today.
SOON_WORKING_DAYS = 2


class DeadlineGroup:
    """Where an open request stands against its deadlines: the groups of the worklists, most
    urgent first."""

    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"
    CONTACTED = "contacted"

    ORDER = (OVERDUE, TODAY, SOON, LATER, CONTACTED)
    LABELS = {
        OVERDUE: _("Eerste contact te laat"),
        TODAY: _("Eerste contact vandaag"),
        SOON: _("Eerste contact binnen twee werkdagen"),
        LATER: _("Eerste contact later"),
        CONTACTED: _("Eerste contact gehad, uitkomst nog vastleggen"),
    }


def deadline_group(
    *, first_contact_due: datetime.date, contacted: bool, today: datetime.date
) -> str:
    """The worklist group of an open request. Overdue: no first contact and its deadline
    before today. Soon: the deadline within SOON_WORKING_DAYS working days after today."""
    if contacted:
        return DeadlineGroup.CONTACTED
    if first_contact_due < today:
        return DeadlineGroup.OVERDUE
    if first_contact_due == today:
        return DeadlineGroup.TODAY
    if first_contact_due <= add_working_days(today, SOON_WORKING_DAYS):
        return DeadlineGroup.SOON
    return DeadlineGroup.LATER


@dataclass(frozen=True)
class RequestRow:
    """One request as the lists show it (never contact details or the BSN), with where it
    stands against its deadlines. Lists read these columns only, not whole records."""

    pk: int
    reference: str
    received_at: datetime.datetime
    question: str
    status: str
    first_contact_due: datetime.date
    support_due: datetime.date
    first_contact_at: datetime.datetime | None
    outcome_at: datetime.datetime | None
    requester_name: str
    resident_id: int | None
    household_id: int | None
    resident_name: str  # "" while no resident is linked
    team_name: str
    assignee_name: str  # "" while nobody is assigned
    assignee_id: int | None
    unreached_attempts: int
    # Where it stands today:
    received_on: datetime.date  # the local day of receipt
    group: str
    # First contact: working days left until the deadline (negative: overdue by that many).
    first_contact_working_days: int
    # Calendar days since the day of receipt.
    waiting_days: int
    support_overdue: bool

    @property
    def overdue_working_days(self) -> int:
        return -self.first_contact_working_days

    @property
    def status_label(self) -> str:
        return str(RequestStatus(self.status).label)


def _assignee_name(username: str | None, first_name: str, last_name: str) -> str:
    """As User.get_full_name, falling back to the username; "" when nobody is assigned."""
    if username is None:
        return ""
    return f"{first_name} {last_name}".strip() or username


# What the lists read of a request: these columns, never contact details, the BSN or a
# user's account; as values, not whole records (model instances cost more than the page).
LIST_COLUMNS = Columns(
    {
        "pk": "pk",
        "reference": "reference",
        "received_at": "received_at",
        "question": "question",
        "status": "status",
        "first_contact_due": "first_contact_due",
        "support_due": "support_due",
        "first_contact_at": "first_contact_at",
        "outcome_at": "outcome_at",
        "requester_name": "requester_name",
        "resident_id": "resident_id",
        "household_id": "household_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "team_name": "team__name",
        "username": "assigned_to__username",
        "first_name": "assigned_to__first_name",
        "last_name": "assigned_to__last_name",
        "assignee_id": "assigned_to_id",
        "unreached_attempts": "unreached_attempts",
    }
)
# What a list names in the access log for each row: the request and its resident.
_ROW_REFS = record_refs(HelpRequest, resident="resident_id")


def _row(values: Values, *, today: datetime.date) -> RequestRow:
    """A row from the named values of LIST_COLUMNS."""
    received_on = timezone.localdate(values["received_at"])
    first_contact_due = values["first_contact_due"]
    resident_id = values["resident_id"]
    return RequestRow(
        pk=values["pk"],
        reference=values["reference"],
        received_at=values["received_at"],
        question=values["question"],
        status=values["status"],
        first_contact_due=first_contact_due,
        support_due=values["support_due"],
        first_contact_at=values["first_contact_at"],
        outcome_at=values["outcome_at"],
        requester_name=values["requester_name"],
        resident_id=resident_id,
        household_id=values["household_id"],
        resident_name=(
            full_name_of(values["given_names"], values["name_prefix"], values["family_name"])
            if resident_id is not None
            else ""
        ),
        team_name=values["team_name"],
        assignee_name=_assignee_name(values["username"], values["first_name"], values["last_name"]),
        assignee_id=values["assignee_id"],
        unreached_attempts=values["unreached_attempts"],
        received_on=received_on,
        group=deadline_group(
            first_contact_due=first_contact_due,
            contacted=values["first_contact_at"] is not None,
            today=today,
        ),
        first_contact_working_days=working_days_between(today, first_contact_due),
        waiting_days=(today - received_on).days,
        support_overdue=values["support_due"] < today,
    )


def request_row(help_request: HelpRequest, *, today: datetime.date) -> RequestRow:
    """Where one loaded request stands today, as a list shows it (its page, a row swapped in
    after a contact attempt)."""
    return _row(LIST_COLUMNS.of(help_request), today=today)


@dataclass(frozen=True)
class HelpRequestView:
    """A request as a user may see it: with its contact attempts and status history."""

    help_request: HelpRequest
    row: RequestRow
    attempts: list[ContactAttempt]
    history: list[RequestStatusChange]
    assignments: list[RequestAssignment]


@dataclass(frozen=True)
class Worklist:
    """Open requests in deadline groups, most urgent first. `more` when the list was capped
    at LIST_LIMIT rows."""

    groups: list[tuple[str, str, list[RequestRow]]]  # (group, label, rows)
    count: int
    more: bool


@dataclass(frozen=True)
class TeamWaiting:
    team_id: int
    team_name: str
    waiting: int
    over_four_weeks: int


@dataclass(frozen=True)
class WaitingList:
    """Open requests ranked by waiting time (longest first), counted per team; one page of
    WAITING_PAGE rows."""

    teams: list[TeamWaiting]
    rows: list[RequestRow]
    team: Team | None  # the team the list is narrowed to, if any
    total: int  # waiting requests on the list (of the team, if narrowed)
    page: int  # 1-based
    pages: int
    some_not_shown: bool = False  # the page holds fewer rows than the team's count promises

    @property
    def first_rank(self) -> int:
        """The place in the ranking of the first row on this page (1-based)."""
        return (self.page - 1) * WAITING_PAGE + 1

    @property
    def last_rank(self) -> int:
        return self.first_rank + len(self.rows) - 1


@dataclass(frozen=True)
class OpenOverview:
    """A team lead's view of every open request of their teams, oldest first."""

    rows: list[RequestRow]
    total: int
    first_contact_overdue: int
    unassigned: int
    support_overdue: int
    rest: int


def _open_visible(user: User) -> HelpRequestQuerySet:
    return HelpRequest.objects.visible_to(user).open()


def _capped(user: User, queryset: HelpRequestQuerySet) -> Capped[RequestRow]:
    """At most LIST_LIMIT rows of an ordered list queryset (one query) and the list's SEARCH
    entry naming the requests and residents it shows."""
    today = timezone.localdate()
    return capped_rows(
        user=user,
        queryset=queryset,
        columns=LIST_COLUMNS,
        build=lambda values: _row(values, today=today),
        refs=_ROW_REFS,
        limit=LIST_LIMIT,
    )


def _user_teams(user: User) -> list[Team]:
    return list(Team.objects.active_for(user).order_by("name", "pk"))


def _require_person_level(user: User) -> None:
    require_or_refuse(gate_for(user).person_level, user=user)


def help_request_get_for_user(
    *, user: User, pk: int, event: AccessEvent = AccessEvent.READ
) -> HelpRequestView:
    """One request with its contact attempts and history, or NotFoundError (missing, or of
    another team and not assigned to the user: the same answer)."""
    help_request = get_visible_or_refuse(
        queryset=HelpRequest.objects.visible_to(user).select_related(
            "channel",
            "referrer_type",
            "referrer_organisation",
            "resident",
            "household",
            "team",
            "assigned_to",
            "created_by",
            "outcome_provision",
        ),
        pk=pk,
        user=user,
        event=event,
    )
    attempts = list(help_request.contact_attempts.select_related("by").order_by("at", "pk"))
    history = list(help_request.status_changes.select_related("by").order_by("seq"))
    assignments = list(
        help_request.assignments.select_related("assignee", "previous", "by").order_by("at", "pk")
    )
    row = request_row(help_request, today=timezone.localdate())
    return HelpRequestView(
        help_request=help_request,
        row=row,
        attempts=attempts,
        history=history,
        assignments=assignments,
    )


def assignee_choices_for_user(*, user: User, help_request: HelpRequest | None = None) -> list[User]:
    """Whom a team lead may give requests to: the active professionals and team leads of the
    request's team, or without a request of every team the lead is in (the team worklist's
    bulk assignment; the service refuses a request whose team the chosen person is not in).
    Empty for everyone else: only team leads hand out work."""
    if not gate_for(user).oversee_teams:
        return []
    teams = Team.objects.active_for(user)
    if help_request is not None:
        teams = teams.filter(pk=help_request.team_id)
    return list(workers_of(teams=teams))


def _grouped(rows: list[RequestRow]) -> list[tuple[str, str, list[RequestRow]]]:
    by_group: dict[str, list[RequestRow]] = {group: [] for group in DeadlineGroup.ORDER}
    for row in rows:
        by_group[row.group].append(row)
    # Contacted requests wait for their outcome: the support deadline is what matters.
    by_group[DeadlineGroup.CONTACTED].sort(key=lambda row: (row.support_due, row.received_at))
    return [(group, str(DeadlineGroup.LABELS[group]), by_group[group]) for group in by_group]


def _worklist(*, user: User, queryset: HelpRequestQuerySet) -> Worklist:
    ordered = queryset.order_by("first_contact_due", "received_at", "pk")
    listed = _capped(user, ordered)
    return Worklist(groups=_grouped(listed.rows), count=len(listed.rows), more=listed.more)


def worklist_for_user(*, user: User) -> Worklist:
    """The user's own worklist: open requests assigned to them."""
    _require_person_level(user)
    return _worklist(user=user, queryset=_open_visible(user).filter(assigned_to=user))


def team_worklist_for_user(*, user: User) -> Worklist:
    """The team worklist: every open request of the user's active teams, assigned or not."""
    _require_person_level(user)
    teams = Team.objects.active_for(user).values("pk")
    return _worklist(user=user, queryset=_open_visible(user).filter(team__in=teams))


def waiting_list_for_user(*, user: User, team_id: int | None = None, page: int = 1) -> WaitingList:
    """Every request of the user's teams without an outcome yet (so no support started),
    longest waiting first, with per team how many wait and how many longer than four weeks
    (past their support deadline). `team_id` narrows the rows to one of the user's teams;
    `page` picks a page of WAITING_PAGE rows (past the last one: the last one)."""
    _require_person_level(user)
    today = timezone.localdate()
    teams = _user_teams(user)
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            log_refusal(user=user, event=AccessEvent.SEARCH, model=Team, pk=team_id)
            raise NotFoundError
    team_ids = [t.pk for t in teams]
    counts: dict[int, tuple[int, int]] = {
        entry["team"]: (entry["waiting"], entry["over_four_weeks"])
        for entry in HelpRequest.objects.team_workload(user)
        .open()
        .order_by()
        .values("team")
        .annotate(
            waiting=Count("pk"),
            over_four_weeks=Count("pk", filter=Q(support_due__lt=today)),
        )
    }
    per_team = [
        TeamWaiting(
            team_id=t.pk,
            team_name=t.name,
            waiting=counts.get(t.pk, (0, 0))[0],
            over_four_weeks=counts.get(t.pk, (0, 0))[1],
        )
        for t in teams
    ]
    total = sum(entry.waiting for entry in per_team if team is None or entry.team_id == team.pk)
    pages = max(1, -(-total // WAITING_PAGE))
    page = min(max(page, 1), pages)
    offset = (page - 1) * WAITING_PAGE
    waiting = _open_visible(user).filter(team__in=[team.pk] if team else team_ids)
    ordered = waiting.order_by("received_at", "pk")
    rows = page_rows(
        user=user,
        queryset=ordered,
        columns=LIST_COLUMNS,
        build=lambda values: _row(values, today=today),
        refs=_ROW_REFS,
        offset=offset,
        size=WAITING_PAGE,
    )
    # The counts are the teams' (team rule); the rows are the user's (the one resident rule).
    # A page shorter than the count promises holds requests the user may not open.
    expected = min(WAITING_PAGE, max(total - offset, 0))
    return WaitingList(
        teams=per_team,
        rows=rows,
        team=team,
        total=total,
        page=page,
        pages=pages,
        some_not_shown=len(rows) < expected,
    )


def open_requests_for_team_lead(*, user: User) -> OpenOverview:
    """Every request without an outcome of the team lead's teams, oldest first, with how many
    are past their first-contact deadline, unassigned, or past their support deadline."""
    require_or_refuse(gate_for(user).oversee_teams, user=user)
    today = timezone.localdate()
    teams = Team.objects.active_for(user).values("pk")
    queryset = _open_visible(user).filter(team__in=teams)
    counts = (
        HelpRequest.objects.team_workload(user)
        .open()
        .aggregate(
            total=Count("pk"),
            first_contact_overdue=Count(
                "pk", filter=Q(first_contact_at__isnull=True, first_contact_due__lt=today)
            ),
            unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
            support_overdue=Count("pk", filter=Q(support_due__lt=today)),
        )
    )
    rows = _capped(user, queryset.order_by("received_at", "pk")).rows
    return OpenOverview(
        rows=rows,
        total=counts["total"],
        first_contact_overdue=counts["first_contact_overdue"],
        unassigned=counts["unassigned"],
        support_overdue=counts["support_overdue"],
        rest=max(counts["total"] - len(rows), 0),
    )


# --- the worklist of every app (wijk.core.worklist, ADR 0037) -------------------------------


@dataclass(frozen=True)
class FirstContactDue:
    """An open request still waiting for its first contact, as the worklist shows it."""

    pk: int
    reference: str
    question: str
    first_contact_due: datetime.date
    resident_name: str  # "" while no resident is linked
    assignee_name: str  # "" while nobody is assigned


_FIRST_CONTACT_COLUMNS = Columns(
    {
        "pk": "pk",
        "reference": "reference",
        "question": "question",
        "first_contact_due": "first_contact_due",
        "resident_id": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "username": "assigned_to__username",
        "first_name": "assigned_to__first_name",
        "last_name": "assigned_to__last_name",
    }
)


def _first_contact_due(values: Values) -> FirstContactDue:
    return FirstContactDue(
        pk=values["pk"],
        reference=values["reference"],
        question=values["question"],
        first_contact_due=values["first_contact_due"],
        resident_name=(
            full_name_of(values["given_names"], values["name_prefix"], values["family_name"])
            if values["resident_id"] is not None
            else ""
        ),
        assignee_name=_assignee_name(values["username"], values["first_name"], values["last_name"]),
    )


def first_contacts_due_for_user(
    *, user: User, team_scope: bool, limit: int
) -> Capped[FirstContactDue]:
    """Open requests without first contact yet, earliest deadline first, at most `limit`:
    the user's own (assigned to them), or with `team_scope` every one of the user's active
    teams, whoever has it. One query, and one SEARCH entry naming the requests and residents
    shown (with `team_scope` two queries: the team's candidates without the access rule
    first, core.rows.capped_rows). Roles without person-level access: a logged refusal
    (NotFoundError)."""
    _require_person_level(user)

    def waiting(requests: HelpRequestQuerySet) -> HelpRequestQuerySet:
        requests = requests.open().filter(first_contact_at__isnull=True)
        if team_scope:
            return requests.filter(team__in=Team.objects.active_for(user).values("pk"))
        return requests.filter(assigned_to=user)

    order = ("first_contact_due", "received_at", "pk")
    return capped_rows(
        user=user,
        queryset=waiting(HelpRequest.objects.visible_to(user)).order_by(*order),
        columns=_FIRST_CONTACT_COLUMNS,
        build=_first_contact_due,
        refs=_ROW_REFS,
        limit=limit,
        candidates=waiting(HelpRequest.objects.all()).order_by(*order) if team_scope else None,
    )


# --- the resident's case-file timeline ------------------------------------------------------

# The kinds of timeline entry this app gives (wijk.core.timeline).
TIMELINE_KINDS: tuple[TimelineKind, ...] = ("request", "contact")
# How much of a request's question its timeline entry shows (its own page shows all of it).
TIMELINE_QUESTION_CHARS = 120

_TIMELINE_REQUEST_COLUMNS = Columns(
    {
        "pk": "pk",
        "reference": "reference",
        "received_at": "received_at",
        "question": "question",
        "status": "status",
        "team_name": "team__name",
    }
)
_TIMELINE_CONTACT_COLUMNS = Columns(
    {
        "pk": "pk",
        "at": "at",
        "reached": "reached",
        "request_pk": "help_request_id",
        "reference": "help_request__reference",
        "username": "by__username",
        "first_name": "by__first_name",
        "last_name": "by__last_name",
    }
)


def _request_entry(values: Values) -> TimelineEntry:
    question = Truncator(values["question"]).chars(TIMELINE_QUESTION_CHARS)
    status = RequestStatus(values["status"]).label
    return TimelineEntry(
        at=values["received_at"],
        kind="request",
        title=gettext("Hulpvraag %(reference)s ontvangen") % {"reference": values["reference"]},
        detail=f"{status} · {values['team_name']} · {question}",
        url=reverse("requests:detail", args=[values["pk"]]),
        ref=model_ref(HelpRequest, values["pk"]),
    )


def _contact_entry(values: Values) -> TimelineEntry:
    title = (
        gettext("Contact gehad over hulpvraag %(reference)s")
        if values["reached"]
        else gettext("Geen contact gekregen over hulpvraag %(reference)s")
    )
    name = _assignee_name(values["username"], values["first_name"], values["last_name"])
    return TimelineEntry(
        at=values["at"],
        kind="contact",
        title=title % {"reference": values["reference"]},
        detail=gettext("Door %(name)s") % {"name": name},
        url=reverse("requests:detail", args=[values["request_pk"]]),
        ref=model_ref(ContactAttempt, values["pk"]),
    )


def timeline_requests_for_user(
    *,
    user: User,
    resident: Resident,
    kinds: Collection[str] = TIMELINE_KINDS,
    limit: int = LIST_LIMIT,
) -> list[TimelineEntry]:
    """The resident's requests ("request") and the contact attempts on them ("contact") that
    the user may see (HelpRequest.objects.visible_to), as case-file timeline entries: of each
    kind in `kinds` the newest `limit` (wijk.core.timeline), and one READ entry in the access
    log naming them. For the case file, which has already checked that the user may see the
    resident; roles without person-level access get none."""
    if not gate_for(user).person_level:
        return []
    visible = HelpRequest.objects.visible_to(user).filter(resident=resident)
    entries: list[TimelineEntry] = []
    if "request" in kinds:
        requests = visible.order_by("-received_at", "-pk")[:limit]
        entries.extend(map(_request_entry, _TIMELINE_REQUEST_COLUMNS.read(requests)))
    if "contact" in kinds:
        attempts = ContactAttempt.objects.filter(help_request__in=visible.values("pk"))
        newest = attempts.order_by("-at", "-pk")[:limit]
        entries.extend(map(_contact_entry, _TIMELINE_CONTACT_COLUMNS.read(newest)))
    if entries:
        log_read(user=user, objects=[entry.ref for entry in entries], resident_id=resident.pk)
    return entries


@dataclass(frozen=True)
class RequestCounts:
    """What the start page counts of open requests (wijk.requests.home). The team counts are
    over the user's active teams, and 0 for a user who does not oversee teams."""

    mine: int
    mine_first_contact_overdue: int
    mine_first_contact_today: int
    waiting: int  # open requests of the user's teams: the length of their waiting list
    team_unassigned: int
    team_first_contact_overdue: int


def request_counts_for_user(*, user: User) -> RequestCounts:
    """Counts of open requests, in two queries: the user's own ones that they may see (as
    their worklist lists them), and the teams' workload by the team rule (as the waiting list
    and the team lead's overview count it: ADR 0020, "Counts"). Counts only: no request is
    shown, so nothing is written to the access log (as for the totals of the other lists)."""
    _require_person_level(user)
    today = timezone.localdate()
    overdue = Q(first_contact_at__isnull=True, first_contact_due__lt=today)
    oversee = gate_for(user).oversee_teams
    counts = (
        _open_visible(user)
        .filter(assigned_to=user)
        .aggregate(
            mine=Count("pk"),
            mine_first_contact_overdue=Count("pk", filter=overdue),
            mine_first_contact_today=Count(
                "pk", filter=Q(first_contact_at__isnull=True, first_contact_due=today)
            ),
        )
    )
    counts |= (
        HelpRequest.objects.team_workload(user)
        .open()
        .aggregate(
            waiting=Count("pk"),
            team_unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
            team_first_contact_overdue=Count("pk", filter=overdue),
        )
    )
    if not oversee:
        counts.update(team_unassigned=0, team_first_contact_overdue=0)
    return RequestCounts(**counts)


def holds_open_request_of(*, user: User, resident: Resident) -> bool:
    """Whether an open request of the resident is assigned to `user`: work that keeps their
    personal basis to the resident when they hand a trajectory's coordination over (ADR
    0020). A fact about the user's own work, for a service; no rows, no access-log entry."""
    return HelpRequest.objects.open().filter(resident=resident, assigned_to=user).exists()


# ---------------------------------------------------------------------------------------------
# Data quality (seed 002 §8.2, ADR 0047): the requests' checks, read for the report

REQUEST_CHECKS = (
    QualityCheck(
        code="request_without_buurt",
        category=Category.COMPLETENESS,
        title=_("Hulpvraag zonder buurt"),
        explanation=_(
            "Er is geen postcode of buurt ingevuld. Dan telt de hulpvraag niet mee in de "
            "cijfers per wijk."
        ),
    ),
    QualityCheck(
        code="request_dates_out_of_order",
        category=Category.VALIDITY,
        title=_("Hulpvraag met datums in de verkeerde volgorde"),
        explanation=_(
            "Het eerste contact of de afronding ligt vóór de dag dat de hulpvraag binnenkwam. "
            "Dan kloppen de termijnen niet."
        ),
    ),
    QualityCheck(
        code="request_date_in_future",
        category=Category.VALIDITY,
        title=_("Hulpvraag met een datum in de toekomst"),
        explanation=_(
            "De datum van ontvangst, eerste contact of afronding ligt na vandaag. Dat kan niet."
        ),
    ),
    QualityCheck(
        code="request_code_not_valid",
        category=Category.VALIDITY,
        title=_("Hulpvraag met een keuze die toen niet gold"),
        explanation=_(
            "Het kanaal, de soort verwijzer of de verwijzing stond op die datum niet in de "
            "keuzelijst. Kies een keuze die toen gold."
        ),
    ),
)


def _request_conditions(today: datetime.date) -> dict[str, Q]:
    tomorrow = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    received_on = TruncDate("received_at")
    return {
        "request_without_buurt": Q(buurt__isnull=True),
        "request_dates_out_of_order": Q(first_contact_at__lt=F("received_at"))
        | Q(outcome_at__lt=F("received_at")),
        "request_date_in_future": Q(received_at__gte=tomorrow)
        | Q(first_contact_at__gte=tomorrow)
        | Q(outcome_at__gte=tomorrow),
        "request_code_not_valid": code_not_valid("channel", received_on)
        | code_not_valid("referrer_type", received_on)
        | code_not_valid("outcome_provision", TruncDate("outcome_at")),
    }


def request_quality_counts(*, today: datetime.date) -> dict[tuple[str, str], int]:
    """Per check and wijk (the request's buurt), the city's requests that fail it: counts
    only, for nobody in particular (the feed's summary)."""
    return counts_per_wijk(
        HelpRequest.objects.all(), wijk="buurt__wijk__code", conditions=_request_conditions(today)
    )


def request_quality_team_counts(*, user: User, today: datetime.date) -> dict[str, int]:
    """Per check, the requests of the team lead's active teams that fail it (the team rule:
    ADR 0020, "Counts"); nothing for other roles."""
    if not gate_for(user).oversee_teams:
        return {}
    return counts_of(HelpRequest.objects.team_workload(user), conditions=_request_conditions(today))


_QUALITY_COLUMNS = Columns(
    {
        "pk": "pk",
        "reference": "reference",
        "received_at": "received_at",
        "resident_id": "resident_id",
    }
)


def _quality_row(values: Values) -> QualityRow:
    return QualityRow(
        pk=values["pk"],
        title=gettext("Hulpvraag %(reference)s") % {"reference": values["reference"]},
        day=timezone.localdate(values["received_at"]),
        url=reverse("requests:detail", args=[values["pk"]]),
    )


def request_quality_rows(
    *, user: User, code: str, today: datetime.date, limit: int
) -> Capped[QualityRow]:
    """The team lead's requests that fail check `code`: of their active teams and visible to
    them (the one rule, ADR 0020), oldest first, at most `limit`, logged as a list."""
    require_or_refuse(gate_for(user).oversee_teams, user=user)
    teams = Team.objects.active_for(user).values("pk")
    queryset = (
        HelpRequest.objects.visible_to(user)
        .filter(team__in=teams)
        .filter(_request_conditions(today)[code])
        .order_by("received_at", "pk")
    )
    return capped_rows(
        user=user,
        queryset=queryset,
        columns=_QUALITY_COLUMNS,
        build=_quality_row,
        refs=_ROW_REFS,
        limit=limit,
    )


REQUEST_QUALITY = QualitySource(
    checks=REQUEST_CHECKS,
    counts=request_quality_counts,
    team_counts=request_quality_team_counts,
    rows=request_quality_rows,
)


# ---------------------------------------------------------------------------------------------
# The record-level part of the daily feed (docs/adr/0050): a system read, with no user. The
# feed service alone calls it, after checking the recorded legal basis and the key, and logs
# the delivery as one access-log entry with its row counts.

FEED_CHUNK = 2000


def help_requests_for_feed(
    *, since: datetime.date | None, first_day: datetime.date
) -> Iterator[Any]:
    """Every request the feed delivers, streamed from the database in chunks in the order of
    registration (primary key), as named rows: pk, resident_id (None before a resident is
    linked; both internal ids that the feed turns into pseudonyms, docs/adr/0050), born
    (for the age band only: never delivered), wijk_code, received_at, channel, referrer_type,
    status, first_contact_due, first_contact_at, support_due, investigation_due, outcome,
    outcome_at.

    Full (`since` None): the requests received on or after `first_day` and those still open
    or closed on or after it. Incremental: the requests received, contacted, closed or
    otherwise moved on (a status change) on or after `since`."""
    if since is None:
        wanted = (
            Q(received_at__date__gte=first_day)
            | Q(outcome_at__isnull=True)
            | Q(outcome_at__date__gte=first_day)
        )
    else:
        wanted = (
            Q(received_at__date__gte=since)
            | Q(first_contact_at__date__gte=since)
            | Q(outcome_at__date__gte=since)
            | Q(
                Exists(
                    RequestStatusChange.objects.filter(
                        help_request=OuterRef("pk"), at__date__gte=since
                    )
                )
            )
        )
    return (
        HelpRequest.objects.filter(wanted)
        .annotate(
            wijk_code=Coalesce(F("buurt__wijk__code"), F("resident__address__buurt__wijk__code")),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "resident_id",
            "resident__date_of_birth",
            "wijk_code",
            "received_at",
            "channel__code",
            "referrer_type__code",
            "status",
            "first_contact_due",
            "first_contact_at",
            "support_due",
            "investigation_due",
            "outcome",
            "outcome_at",
            named=True,
        )
        .iterator(chunk_size=FEED_CHUNK)
    )
