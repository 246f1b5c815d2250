"""Aggregates for steering: deadline compliance, waiting-list counts, inflow and outflow.

This is the one module outside the requests and trajectories apps that reads their managers
(see wijk/core/tests/test_no_second_road.py), and it returns counts only: per month, team and
wijk. No name, question, request reference, resident id or other person-level field leaves
it; the rows are dataclasses whose fields say so (wijk/monitoring/tests/test_pages.py checks
their names, and renders every page with named residents to be sure). The database does the
counting (`Count` with `filter=`, `TruncMonth` in Europe/Amsterdam), in a fixed number of
queries whatever the number of requests; Python only adds up the groups it returns.

Who sees what follows the role's gate (wijk.accounts.roles, the one role table), read here
as a `MonitoringScope`:

| role         | Termijnen                 | Wachtlijst      | Instroom, uitstroom, bereik |
|--------------|---------------------------|-----------------|-----------------------------|
| team lead    | own teams, per team+wijk  | own teams       | no                          |
| management   | all teams, per team+wijk  | all teams       | yes                         |
| municipality | all teams, per wijk only  | no              | yes                         |

Teams are the consortium's internal organisation, not persons: management steers on them.
The municipality steers on results per area (001 §5.5, 002 §8.2), so it sees wijken, not
teams, and no count below 5 (wijk.monitoring.figures and wijk.core.disclosure,
docs/adr/0011). No role sees person-level data here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from wijk.accounts.models import User
from wijk.accounts.roles import Gate, gate_for
from wijk.activities.models import ActivitySession
from wijk.areas.models import Buurt, Wijk
from wijk.contacts.models import ShortContact
from wijk.monitoring.models import PublishedSet
from wijk.organisations.models import Team
from wijk.reference.models import Code
from wijk.requests.deadlines import SUPPORT_CALENDAR_DAYS
from wijk.requests.models import HelpRequest
from wijk.requests.workflow import Outcome
from wijk.residents.models import Address, Resident
from wijk.trajectories.models import Trajectory, ZrmAssessment, ZrmScore
from wijk.trajectories.workflow import HandoverDestination, Part, ZrmMoment

# The wijk filter's value for requests without a known buurt (CBS codes start with "WK").
UNKNOWN_WIJK = "onbekend"
# Outcomes that answer the resident: support started, short support given, or referred out.
# Withdrawn and not reachable end a request without an answer.
ANSWER_OUTCOMES = (Outcome.SUPPORT_STARTED, Outcome.INFORMATION_GIVEN, Outcome.REFERRED_OUT)
PERIOD_CHOICES = (1, 3, 6, 12, 24, 36)
# The deadlines page lists the rows per month, team and wijk only up to this many; beyond it
# the user narrows the choice (a team, a wijk, a shorter period) to see them.
DETAIL_LIMIT = 300
DEFAULT_MONTHS = 12


# ---------------------------------------------------------------------------------------------
# Who sees what


@dataclass(frozen=True, slots=True)
class MonitoringScope:
    """The monitoring pages a role may open, and over which teams."""

    compliance: bool = False
    waiting: bool = False
    flows: bool = False  # inflow and outflow, their reasons, and reach: the city's figures
    all_teams: bool = False  # False: only the user's own active teams
    per_team: bool = False  # False: per wijk only, never per team
    exact: bool = False  # False: no count below 5 (docs/adr/0011-monitoring-small-numbers.md)


def monitoring_scope_for(user: User | Any) -> MonitoringScope:
    """The scope the user's gate gives (`gate_for`: signed in, active, TOTP-verified and, for
    roles that need it, approved; nothing otherwise). Counts per team and exact counts go
    together: they are the consortium's (team leads, management); the municipality sees
    wijken without small numbers."""
    return monitoring_scope_of(gate_for(user))


def monitoring_scope_of(gate: Gate) -> MonitoringScope:
    """The monitoring scope a gate gives (also to work done in the background on behalf of
    the person who asked, wijk.accounts.roles.account_gate)."""
    return MonitoringScope(
        compliance=gate.aggregates,
        waiting=gate.team_counts,
        flows=gate.city_flows,
        all_teams=gate.all_teams,
        per_team=gate.team_counts,
        exact=gate.team_counts,
    )


@dataclass(frozen=True, slots=True)
class TeamOption:
    pk: int
    name: str
    active: bool


def teams_in_scope(*, user: User, scope: MonitoringScope) -> list[TeamOption]:
    """The teams whose figures the user may see: all teams (active ones first), or the
    user's own active teams."""
    teams = Team.objects.all()
    if not scope.all_teams:
        teams = teams.active_for(user)
    return [
        TeamOption(pk=pk, name=name, active=active)
        for pk, name, active in teams.order_by("-active", "name").values_list(
            "pk", "name", "active"
        )
    ]


@dataclass(frozen=True, slots=True)
class WijkOption:
    code: str
    name: str


def wijk_options() -> list[WijkOption]:
    """Every wijk by CBS code, with the name of its newest CBS year."""
    newest: dict[str, str] = {}
    for code, name in Wijk.objects.order_by("code", "source_year").values_list("code", "name"):
        newest[code] = name
    return [WijkOption(code=code, name=name) for code, name in newest.items()]


# ---------------------------------------------------------------------------------------------
# Periods


def period_start(today: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months - 1` months before `today`'s month."""
    if months < 1:
        raise ValueError(f"a period has at least one month, not {months}")
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _next_month(day: datetime.date) -> datetime.date:
    index = day.year * 12 + day.month
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_months(today: datetime.date, months: int) -> list[datetime.date]:
    """The first days of the period's months, newest first."""
    month = period_start(today, months)
    days = []
    for _month in range(months):
        days.append(month)
        month = _next_month(month)
    return days[::-1]


def period_end(today: datetime.date) -> datetime.date:
    """The first day after `today`'s month: where the last `months` months end."""
    return _next_month(today)


class PeriodUnit:
    """Calendar periods by which reach, inflow and outflow are counted (the values are the
    filter's, in the URL)."""

    MONTH = "maand"
    QUARTER = "kwartaal"
    YEAR = "jaar"
    ALL = (MONTH, QUARTER, YEAR)

    MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month, quarter or year: the same period, and so the same figures and the
    same hidden counts, whichever day or filter asks for it."""

    start: datetime.date
    unit: str

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        index = self.start.year * 12 + self.start.month - 1 + PeriodUnit.MONTHS[self.unit]
        return datetime.date(index // 12, index % 12 + 1, 1)

    @property
    def months(self) -> list[datetime.date]:
        """The first days of the period's months, oldest first."""
        month, months = self.start, []
        while month < self.end:
            months.append(month)
            month = _next_month(month)
        return months

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day < self.end

    @property
    def label(self) -> str:
        if self.unit == PeriodUnit.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.unit == PeriodUnit.QUARTER:
            return gettext("kwartaal %(quarter)d van %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return str(self.start.year)

    @property
    def short_label(self) -> str:
        """A label that fits under a bar: "jan 26", "K1 2026", "2026"."""
        if self.unit == PeriodUnit.MONTH:
            return date_format(self.start, "M y").lower()
        if self.unit == PeriodUnit.QUARTER:
            return gettext("K%(quarter)d %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return str(self.start.year)


def period_of(unit: str, day: datetime.date) -> Period:
    """The calendar period of `unit` that holds `day`."""
    if unit not in PeriodUnit.ALL:
        raise ValueError(f"no such period: {unit}")
    size = PeriodUnit.MONTHS[unit]
    return Period(start=datetime.date(day.year, (day.month - 1) // size * size + 1, 1), unit=unit)


def recent_periods(unit: str, count: int, today: datetime.date) -> list[Period]:
    """The period holding `today` and the `count - 1` before it, newest first."""
    if count < 1:
        raise ValueError(f"at least one period, not {count}")
    periods = [period_of(unit, today)]
    while len(periods) < count:
        periods.append(period_of(unit, periods[-1].start - datetime.timedelta(days=1)))
    return periods


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def _month_of(value: datetime.date | datetime.datetime) -> datetime.date:
    """The first day of a truncated month as the database returns it (a local date)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return value.date()
    return value


def _teams(team_ids: Iterable[int] | None) -> dict[int, str]:
    """The names of the given teams, or of every team, by id. The counting queries then
    filter on an explicit list of teams, which lets the database use the request indexes
    that start with the team: (team, received_at) and (team, first_contact_due)."""
    teams = Team.objects.all()
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    return dict(teams.values_list("pk", "name"))


# ---------------------------------------------------------------------------------------------
# Deadline compliance


@dataclass(frozen=True, slots=True)
class DeadlineCounts:
    """How many requests met a deadline, missed it, or cannot be judged (yet)."""

    met: int = 0
    not_met: int = 0
    not_judged: int = 0

    @property
    def judged(self) -> int:
        return self.met + self.not_met

    @property
    def percent_met(self) -> int | None:
        """The share met of the judged requests, in whole percents rounded half up; None
        when none can be judged."""
        if not self.judged:
            return None
        return (200 * self.met + self.judged) // (2 * self.judged)

    def __add__(self, other: DeadlineCounts) -> DeadlineCounts:
        return DeadlineCounts(
            met=self.met + other.met,
            not_met=self.not_met + other.not_met,
            not_judged=self.not_judged + other.not_judged,
        )


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """Requests received in one month by one team (`team_id` None when counted per wijk
    only), from one wijk (`wijk_code` "" when the request's buurt is unknown)."""

    month: datetime.date
    team_id: int | None
    team_name: str
    wijk_code: str
    wijk_name: str
    received: int
    first_contact: DeadlineCounts
    support: DeadlineCounts
    investigation: DeadlineCounts = DeadlineCounts()
    # Of the requests received: how many had an investigation started (the rest is short
    # advice, and "not judged" for the investigation's deadline).
    investigations: int = 0

    @property
    def deadlines(self) -> tuple[DeadlineCounts, DeadlineCounts, DeadlineCounts]:
        return self.first_contact, self.support, self.investigation


# Each count tests the cheap column conditions first and computes a local date only where
# it must, and "not met" is derived from counts (`_deadline_counts`) rather than tested with
# a second chain of conditions. With 50,000 requests a year this more than halved the time of
# the query for twelve months (measured on PostgreSQL 15).
_NO_CONTACT = Q(first_contact_at__isnull=True) & ~Q(outcome__in=ANSWER_OUTCOMES)
_CLOSED = Q(outcome_at__isnull=False)
_OPEN = Q(outcome_at__isnull=True)
# The request's investigation (wijk.investigations), when one was started: its reverse
# one-to-one, so the join adds no rows.
_INVESTIGATION_UNFINISHED = Q(investigation__isnull=False, investigation__completed_on__isnull=True)


def _compliance_counts(today: datetime.date) -> dict[str, Count]:
    """The counts per group that the two deadlines are derived from (`_deadline_counts`)."""
    contact_due, support_due = F("first_contact_due"), F("support_due")
    return {
        "received": Count("pk"),
        # first contact
        "contacted": Count("pk", filter=~_NO_CONTACT),
        "contacted_in_time": Count("pk", filter=~_NO_CONTACT & Q(contact_on__lte=contact_due)),
        "closed_late_without_contact": Count(
            "pk", filter=_NO_CONTACT & _CLOSED & Q(closed_on__gt=contact_due)
        ),
        "open_overdue_without_contact": Count(
            "pk", filter=_NO_CONTACT & _OPEN & Q(first_contact_due__lt=today)
        ),
        # support
        "closed": Count("pk", filter=_CLOSED),
        "closed_in_time": Count("pk", filter=_CLOSED & Q(closed_on__lte=support_due)),
        "closed_in_time_without_answer": Count(
            "pk",
            filter=_CLOSED & ~Q(outcome__in=ANSWER_OUTCOMES) & Q(closed_on__lte=support_due),
        ),
        "open_past_support_due": Count("pk", filter=_OPEN & Q(support_due__lt=today)),
        # investigation
        "investigations": Count("pk", filter=Q(investigation__isnull=False)),
        "investigation_in_time": Count(
            "pk", filter=Q(investigation__completed_on__lte=F("investigation_due"))
        ),
        "investigation_late": Count(
            "pk",
            filter=Q(investigation__completed_on__gt=F("investigation_due"))
            | (_INVESTIGATION_UNFINISHED & _OPEN & Q(investigation_due__lt=today))
            | (_INVESTIGATION_UNFINISHED & _CLOSED & Q(closed_on__gt=F("investigation_due"))),
        ),
    }


def _deadline_counts(
    row: Mapping[str, int],
) -> tuple[DeadlineCounts, DeadlineCounts, DeadlineCounts]:
    """(first contact, support, investigation) of one group, from `_compliance_counts`."""
    received = row["received"]
    contact_met = row["contacted_in_time"]
    contact_not_met = (
        row["contacted"]
        - contact_met
        + row["closed_late_without_contact"]
        + row["open_overdue_without_contact"]
    )
    support_met = row["closed_in_time"] - row["closed_in_time_without_answer"]
    support_not_met = row["closed"] - row["closed_in_time"] + row["open_past_support_due"]
    return (
        DeadlineCounts(
            met=contact_met,
            not_met=contact_not_met,
            not_judged=received - contact_met - contact_not_met,
        ),
        DeadlineCounts(
            met=support_met,
            not_met=support_not_met,
            not_judged=received - support_met - support_not_met,
        ),
        DeadlineCounts(
            met=row["investigation_in_time"],
            not_met=row["investigation_late"],
            not_judged=received - row["investigation_in_time"] - row["investigation_late"],
        ),
    )


def _requests_received(
    *,
    start: datetime.date,
    end: datetime.date,
    team_ids: list[int],
    wijk_code: str | None,
) -> QuerySet[HelpRequest]:
    tz = timezone.get_default_timezone()
    requests = HelpRequest.objects.filter(
        team_id__in=team_ids,
        received_at__gte=_local_midnight(start),
        received_at__lt=_local_midnight(end),
    )
    if wijk_code == UNKNOWN_WIJK:
        requests = requests.filter(buurt__isnull=True)
    elif wijk_code:
        requests = requests.filter(buurt__wijk__code=wijk_code)
    # The day of the first contact: recorded, or else the day of an answering outcome.
    answered_at = Case(
        When(outcome__in=ANSWER_OUTCOMES, then=F("outcome_at")),
        default=None,
        output_field=DateTimeField(),
    )
    return requests.alias(
        contact_on=TruncDate(Coalesce("first_contact_at", answered_at), tzinfo=tz),
        closed_on=TruncDate("outcome_at", tzinfo=tz),
    ).annotate(month=TruncMonth("received_at", tzinfo=tz))


def _compliance_rows(
    requests: QuerySet[HelpRequest],
    *,
    teams: Mapping[int, str],
    per_team: bool,
    today: datetime.date,
) -> list[ComplianceRow]:
    """The compliance rows of `requests` (from `_requests_received`) per month of receipt and
    wijk, and per team when `per_team` (`teams` gives their names). One query."""
    group = (
        ["month", "team_id", "buurt__wijk__code"] if per_team else ["month", "buurt__wijk__code"]
    )
    rows = []
    for row in (
        requests.values(*group)
        .annotate(**_compliance_counts(today), wijk_name=Max("buurt__wijk__name"))
        .order_by()
    ):
        first_contact, support, investigation = _deadline_counts(row)
        team_id = row.get("team_id")
        rows.append(
            ComplianceRow(
                month=_month_of(row["month"]),
                team_id=team_id,
                team_name=teams[team_id] if team_id is not None else "",
                wijk_code=row["buurt__wijk__code"] or "",
                wijk_name=row["wijk_name"] or "",
                received=row["received"],
                first_contact=first_contact,
                support=support,
                investigation=investigation,
                investigations=row["investigations"],
            )
        )
    return rows


def deadline_compliance(
    *,
    months: int = DEFAULT_MONTHS,
    team_ids: list[int] | None = None,
    wijk_code: str | None = None,
    per_team: bool = True,
    today: datetime.date | None = None,
) -> list[ComplianceRow]:
    """Deadline compliance per month of receipt (Europe/Amsterdam), team and wijk of the
    request's buurt, over the last `months` months up to and including this one.

    First contact (working day 5 after receipt, `first_contact_due`):
      met        the contact day is on or before the deadline; the contact day is the local
                 date of `first_contact_at`, or of `outcome_at` for a request closed with an
                 answer (support started, information given, referred out) without a
                 separately recorded contact;
      not met    the contact day is after the deadline; or there was no contact and the
                 request was closed (withdrawn, not reachable) after the deadline, or is
                 still open while the deadline has passed;
      not judged no contact yet and the deadline has not passed; or closed without contact
                 (withdrawn, not reachable) on or before the deadline.
    Support (four weeks after the day of receipt, `support_due`):
      met        closed with an answer (support started, information given, referred out)
                 on or before the deadline;
      not met    closed after the deadline, whatever the outcome; or still open while the
                 deadline has passed;
      not judged still open and the deadline has not passed; or withdrawn or not reachable
                 on or before the deadline.
    Investigation (six weeks after the day of receipt, `investigation_due`; Wmo 2015 art.
    2.3.2), of the requests whose investigation was started (wijk.investigations):
      met        finished (`completed_on`) on or before the deadline;
      not met    finished after the deadline; or not finished while the deadline has passed
                 and the request is still open, or was closed after the deadline;
      not judged no investigation (short advice needs none); not finished and the deadline
                 has not passed; or not finished and the request closed on or before it.
    The share met is met / (met + not met); requests not judged are left out of it.

    `team_ids=None` counts every team; `per_team=False` adds the teams up per wijk (the
    municipality's view). `wijk_code` filters on one wijk, UNKNOWN_WIJK on requests without a
    known buurt. Two queries: the teams' names, and the counts.
    """
    today = today or timezone.localdate()
    teams = _teams(team_ids)
    requests = _requests_received(
        start=period_start(today, months),
        end=_next_month(today),
        team_ids=list(teams),
        wijk_code=wijk_code,
    )
    rows = _compliance_rows(requests, teams=teams, per_team=per_team, today=today)
    # newest month first, then by team name, then by wijk code with the unknown wijk last
    rows.sort(key=lambda row: (row.team_name, not row.wijk_code, row.wijk_code))
    rows.sort(key=lambda row: row.month, reverse=True)
    return rows


@dataclass(frozen=True, slots=True)
class ComplianceSum:
    """Compliance rows added up: per month, team or wijk, or over the whole period."""

    received: int = 0
    first_contact: DeadlineCounts = DeadlineCounts()
    support: DeadlineCounts = DeadlineCounts()
    investigation: DeadlineCounts = DeadlineCounts()

    def __add__(self, other: ComplianceSum | ComplianceRow) -> ComplianceSum:
        return ComplianceSum(
            received=self.received + other.received,
            first_contact=self.first_contact + other.first_contact,
            support=self.support + other.support,
            investigation=self.investigation + other.investigation,
        )

    @property
    def deadlines(self) -> tuple[DeadlineCounts, DeadlineCounts, DeadlineCounts]:
        return self.first_contact, self.support, self.investigation


def compliance_sums[K](
    rows: Iterable[ComplianceRow], key: Callable[[ComplianceRow], K]
) -> dict[K, ComplianceSum]:
    """The rows added up per `key` (a month, a team name, a wijk code), in Python: these
    are the query's groups, a few per team and wijk, never requests."""
    sums: dict[K, ComplianceSum] = defaultdict(ComplianceSum)
    for row in rows:
        sums[key(row)] += row
    return dict(sums)


@dataclass(frozen=True, slots=True)
class ComplianceOverview:
    """What the deadlines page shows: the period's total, and the sums per month (every
    month of the period, newest first), per team (by name) and per wijk (by code, the
    unknown wijk last)."""

    total: ComplianceSum
    by_month: list[tuple[datetime.date, ComplianceSum]]
    by_team: list[tuple[str, ComplianceSum]]
    by_wijk: list[tuple[WijkOption, ComplianceSum]]


def compliance_overview(
    rows: list[ComplianceRow], *, months: int, today: datetime.date | None = None
) -> ComplianceOverview:
    """The rows of `deadline_compliance` for the same period, added up for the page."""
    today = today or timezone.localdate()
    per_month = compliance_sums(rows, lambda row: row.month)
    by_month = [
        (month, per_month.get(month, ComplianceSum())) for month in period_months(today, months)
    ]
    total = ComplianceSum()
    for _month, month_sum in by_month:
        total += month_sum
    per_wijk = compliance_sums(rows, lambda row: WijkOption(code=row.wijk_code, name=row.wijk_name))
    return ComplianceOverview(
        total=total,
        by_month=by_month,
        by_team=sorted(compliance_sums(rows, lambda row: row.team_name).items()),
        by_wijk=sorted(per_wijk.items(), key=lambda item: (not item[0].code, item[0].code)),
    )


# ---------------------------------------------------------------------------------------------
# Waiting list


@dataclass(frozen=True, slots=True)
class WaitingRow:
    """The open requests of one team, counted."""

    team_id: int
    team_name: str
    open: int = 0
    without_first_contact: int = 0
    first_contact_overdue: int = 0
    over_four_weeks: int = 0
    median_waiting_days: float | None = None


def waiting_counts(
    *, team_ids: list[int] | None = None, today: datetime.date | None = None
) -> list[WaitingRow]:
    """Per team, the requests not yet closed today: how many, how many without first contact
    and with the first-contact deadline passed, how many waiting longer than four weeks
    (received more than 28 days ago: the support deadline has passed), and the median
    waiting time in days since the day of receipt.

    Every active team in `team_ids` (None: every team) gets a row, also without open
    requests; an inactive team only when it still has open ones. Three queries: the teams,
    the counts, and the open requests per team and day of receipt for the median (a
    histogram of at most teams times days rows, never one row per request)."""
    today = today or timezone.localdate()
    teams = Team.objects.order_by("name")
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    team_list = list(teams.values_list("pk", "name", "active"))
    ids = [pk for pk, _name, _active in team_list]
    open_requests = HelpRequest.objects.open().filter(team_id__in=ids)
    four_weeks_ago = _local_midnight(today - datetime.timedelta(days=SUPPORT_CALENDAR_DAYS))
    counts = {
        row["team_id"]: row
        for row in open_requests.values("team_id")
        .annotate(
            open=Count("pk"),
            without_first_contact=Count("pk", filter=Q(first_contact_at__isnull=True)),
            first_contact_overdue=Count(
                "pk", filter=Q(first_contact_at__isnull=True, first_contact_due__lt=today)
            ),
            over_four_weeks=Count(
                "pk", filter=Q(support_due__lt=today) | Q(received_at__lt=four_weeks_ago)
            ),
        )
        .order_by()
    }
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        open_requests.annotate(
            received_on=TruncDate("received_at", tzinfo=timezone.get_default_timezone())
        )
        .values("team_id", "received_on")
        .annotate(requests=Count("pk"))
        .order_by()
    ):
        histograms[row["team_id"]][(today - row["received_on"]).days] = row["requests"]
    rows = []
    for pk, name, active in team_list:
        count = counts.get(pk)
        if count is None:
            if active:
                rows.append(WaitingRow(team_id=pk, team_name=name))
            continue
        rows.append(
            WaitingRow(
                team_id=pk,
                team_name=name,
                open=count["open"],
                without_first_contact=count["without_first_contact"],
                first_contact_overdue=count["first_contact_overdue"],
                over_four_weeks=count["over_four_weeks"],
                median_waiting_days=median_of_counts(histograms[pk]),
            )
        )
    return rows


def median_of_counts(counts: Mapping[int, int]) -> float | None:
    """The median of a multiset given as value → how often; None when it is empty."""
    total = sum(counts.values())
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2  # positions of the middle value(s), from 0
    seen = 0
    low_value: int | None = None
    for value in sorted(counts):
        seen += counts[value]
        if low_value is None and seen > lower:
            low_value = value
        if seen > upper:
            assert low_value is not None
            return (low_value + value) / 2
    raise AssertionError("unreachable: the upper position lies within the total")


@dataclass(frozen=True, slots=True)
class WaitingTotal:
    open: int = 0
    without_first_contact: int = 0
    first_contact_overdue: int = 0
    over_four_weeks: int = 0


def waiting_total(rows: Iterable[WaitingRow]) -> WaitingTotal:
    total = WaitingTotal()
    for row in rows:
        total = WaitingTotal(
            open=total.open + row.open,
            without_first_contact=total.without_first_contact + row.without_first_contact,
            first_contact_overdue=total.first_contact_overdue + row.first_contact_overdue,
            over_four_weeks=total.over_four_weeks + row.over_four_weeks,
        )
    return total


# ---------------------------------------------------------------------------------------------
# Inflow and outflow


@dataclass(frozen=True, slots=True)
class PartCounts:
    """Unique residents, in all parts together and per part (a resident with trajectories
    in two parts counts once in `total` and once in each part), and of them in support for
    young people and their parents."""

    total: int = 0
    sociale_basis: int = 0
    sociaal_wijkteam: int = 0
    aanvullende_ondersteuning: int = 0
    youth: int = 0


# ---------------------------------------------------------------------------------------------
# Reach, and inflow and outflow by reason, per calendar period and wijk
#
# A trajectory's wijk is that of its resident's current address ("" without one): the
# register holds no address history, and every resident so lands in exactly one wijk, so
# that wijken add up to the city.

_RESIDENT_WIJK = F("resident__address__buurt__wijk__code")


def _part_filters() -> dict[str, Q]:
    return {
        "total": Q(),
        "sociale_basis": Q(part=Part.SOCIALE_BASIS),
        "sociaal_wijkteam": Q(part=Part.SOCIAAL_WIJKTEAM),
        "aanvullende_ondersteuning": Q(part=Part.AANVULLENDE_ONDERSTEUNING),
        "youth": Q(youth_support=True),
    }


def period_span(periods: Iterable[Period]) -> tuple[datetime.date, datetime.date]:
    """The first day of the earliest period and the first day after the latest."""
    periods = list(periods)
    return min(p.start for p in periods), max(p.end for p in periods)


def reach_per_wijk(periods: list[Period]) -> dict[tuple[datetime.date, str], PartCounts]:
    """Reach (bereik, 002 §8.2): per period and wijk, the unique residents with a trajectory
    running at some time in the period: started before the period's end and not ended before
    its start. In all parts together, per part (a resident with trajectories in two parts
    counts once in the total and once in each part), and of them in support for young people
    and their parents. Requests are not support, and short support (information and advice)
    counts contacts, not residents (`contacts_per_wijk`). Keyed by (period start, wijk code).

    One query, grouped by wijk, with a count per period and part."""
    if not periods:
        return {}
    start, end = period_span(periods)

    def running(period: Period) -> Q:
        return Q(inflow_date__lt=period.end) & (
            Q(outflow_date__isnull=True) | Q(outflow_date__gte=period.start)
        )

    # The trajectories running at some time in the span: one range, rather than the periods'
    # conditions joined by OR.
    span = Q(inflow_date__lt=end) & (Q(outflow_date__isnull=True) | Q(outflow_date__gte=start))
    return _people_per_wijk(periods, running, span=span)


def contacts_per_wijk(
    start: datetime.date, end: datetime.date
) -> dict[tuple[datetime.date, str], int]:
    """Count-only contacts (short information and advice) per month and wijk, from `start`
    up to `end`: contacts, never residents (002 §8.2). Keyed by (first day of the month, wijk
    code, "" without a wijk). One query."""
    rows = (
        ShortContact.objects.filter(contact_date__gte=start, contact_date__lt=end)
        .annotate(month=TruncMonth("contact_date"))
        .values("month", wijk_code=F("wijk__code"))
        .annotate(contacts=Count("pk"))
        .order_by()
    )
    return {(row["month"], row["wijk_code"] or ""): row["contacts"] for row in rows}


@dataclass(frozen=True, slots=True)
class CodeOption:
    """A reason or destination as a table column: a key and a label, no person."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ReasonCounts:
    """Trajectories started per reason for inflow, and ended per reason for outflow and per
    destination of the warm handover, keyed by (period start, wijk code, code)."""

    inflow_reasons: list[CodeOption]
    outflow_reasons: list[CodeOption]
    destinations: list[CodeOption]
    inflow: dict[tuple[datetime.date, str, str], int]
    outflow: dict[tuple[datetime.date, str, str], int]
    handover: dict[tuple[datetime.date, str, str], int]


def reason_counts(*, unit: str, start: datetime.date, end: datetime.date) -> ReasonCounts:
    """Inflow and outflow by reason (002 §8.2) per month or quarter (`unit`) and wijk, from
    `start` up to `end`, in trajectories: each trajectory has one reason for inflow and, once
    closed, one reason for outflow and at most one warm handover, so that reasons add up to
    the trajectories started or ended (a resident with two trajectories counts twice; the
    unique residents are on the inflow and outflow page). Inflow by inflow date, outflow and
    handover by outflow date. Years are the sums of their quarters.

    Three queries: the two code lists, the inflow, and the outflow with its handovers."""
    if unit not in (PeriodUnit.MONTH, PeriodUnit.QUARTER):
        raise ValueError(f"reasons are counted per month or quarter, not per {unit}")
    trunc = TruncMonth if unit == PeriodUnit.MONTH else TruncQuarter
    inflow = {
        (row["period"], row["wijk"] or "", str(row["inflow_reason_id"])): row["trajectories"]
        for row in Trajectory.objects.filter(inflow_date__gte=start, inflow_date__lt=end)
        .annotate(period=trunc("inflow_date"))
        .values("period", "inflow_reason_id", wijk=_RESIDENT_WIJK)
        .annotate(trajectories=Count("pk"))
        .order_by()
    }
    outflow: dict[tuple[datetime.date, str, str], int] = defaultdict(int)
    handover: dict[tuple[datetime.date, str, str], int] = defaultdict(int)
    for row in (
        Trajectory.objects.filter(outflow_date__gte=start, outflow_date__lt=end)
        .annotate(period=trunc("outflow_date"))
        .values("period", "outflow_reason_id", "handover__destination", wijk=_RESIDENT_WIJK)
        .annotate(trajectories=Count("pk"))
        .order_by()
    ):
        place = (row["period"], row["wijk"] or "")
        outflow[(*place, str(row["outflow_reason_id"]))] += row["trajectories"]
        if row["handover__destination"]:
            handover[(*place, row["handover__destination"])] += row["trajectories"]
    used = {key[2] for key in inflow} | {key[2] for key in outflow}
    lists: dict[str, list[CodeOption]] = {"inflow_reasons": [], "outflow_reasons": []}
    for code in Code.objects.filter(code_list__slug__in=list(lists)).select_related("code_list"):
        current = code.valid_until is None or code.valid_until >= start
        if current or str(code.pk) in used:
            lists[code.code_list.slug].append(CodeOption(code=str(code.pk), name=code.label))
    return ReasonCounts(
        inflow_reasons=lists["inflow_reasons"],
        outflow_reasons=lists["outflow_reasons"],
        destinations=[
            CodeOption(code=value, name=str(label)) for value, label in HandoverDestination.choices
        ],
        inflow=inflow,
        outflow=dict(outflow),
        handover=dict(handover),
    )


# ---------------------------------------------------------------------------------------------
# Counts for the indicators (wijk.monitoring.indicators), per period and wijk


def _people_per_wijk(
    periods: list[Period], within: Callable[[Period], Q], *, span: Q | None = None
) -> dict[tuple[datetime.date, str], PartCounts]:
    """Unique residents of the trajectories `within` each period, per period and wijk, in all
    parts together, per part and in support for young people. `span`: a condition that holds
    for every trajectory within some period, cheaper for the database than theirs joined by OR
    (the default). One query."""
    if not periods:
        return {}
    counts: dict[str, Count] = {}
    either = Q()
    for number, period in enumerate(periods):
        condition = within(period)
        either |= condition
        for name, part in _part_filters().items():
            counts[f"p{number}_{name}"] = Count(
                "resident_id", distinct=True, filter=condition & part
            )
    rows = (
        Trajectory.objects.filter(either if span is None else span)
        .values(wijk=_RESIDENT_WIJK)
        .annotate(**counts)
        .order_by()
    )
    found: dict[tuple[datetime.date, str], PartCounts] = {}
    for row in rows:
        values: Mapping[str, Any] = row
        for number, period in enumerate(periods):
            found[(period.start, values["wijk"] or "")] = PartCounts(
                **{name: values[f"p{number}_{name}"] for name in _part_filters()}
            )
    return found


def inflow_per_wijk(periods: list[Period]) -> dict[tuple[datetime.date, str], PartCounts]:
    """Inflow (instroom, 002 §8.2): the unique residents with a trajectory whose inflow date
    (first involvement) falls in the period, per period and wijk."""
    return _people_per_wijk(
        periods, lambda period: Q(inflow_date__gte=period.start, inflow_date__lt=period.end)
    )


def outflow_per_wijk(periods: list[Period]) -> dict[tuple[datetime.date, str], PartCounts]:
    """Outflow (uitstroom, 002 §8.2): the unique residents with a trajectory whose outflow
    date falls in the period, per period and wijk."""
    return _people_per_wijk(
        periods, lambda period: Q(outflow_date__gte=period.start, outflow_date__lt=period.end)
    )


def attendance_per_wijk(
    start: datetime.date, end: datetime.date
) -> dict[tuple[datetime.date, str], tuple[int, int]]:
    """Activity attendance (deelnames): per month and wijk of the activity, the attendance of
    its sessions held from `start` up to `end`, and of it the young people's. Counted without
    persons: one resident at ten sessions is ten. One query."""
    rows = (
        ActivitySession.objects.filter(held_on__gte=start, held_on__lt=end)
        .annotate(month=TruncMonth("held_on"))
        .values("month", wijk_code=F("activity__wijk__code"))
        .annotate(total=Sum("attendance_total"), youth=Sum("attendance_youth"))
        .order_by()
    )
    return {
        (_month_of(row["month"]), row["wijk_code"] or ""): (row["total"] or 0, row["youth"] or 0)
        for row in rows
    }


# How long the requests on the waiting list have waited, in days since the day of receipt,
# counted on the last day of the period: the lower bound of each band (docs/adr/0051). Four
# weeks is the support deadline (SUPPORT_CALENDAR_DAYS), six weeks the investigation's.
WAITING_BANDS: tuple[tuple[str, int], ...] = (
    ("tot_2_weken", 0),
    ("2_tot_4_weken", 14),
    ("4_tot_8_weken", SUPPORT_CALENDAR_DAYS),
    ("8_weken_of_langer", 56),
)


def waiting_times_per_wijk(
    periods: list[Period], *, today: datetime.date | None = None
) -> dict[tuple[datetime.date, str], list[int]]:
    """The waiting list at the end of each period (or today, for the running period): the
    requests received before that moment and not closed by then, per wijk of the request's
    buurt, by how long they had waited (`WAITING_BANDS`: days from the local day of receipt to
    the period's last day, or today). Each request is in one band, so the bands add up to the
    waiting list. Keyed by (period start, wijk code). One query."""
    if not periods:
        return {}
    today = today or timezone.localdate()
    counts: dict[str, Count] = {}
    span = Q()
    for number, period in enumerate(periods):
        end = min(period.end, today + datetime.timedelta(days=1))
        moment = _local_midnight(end)
        condition = Q(received_at__lt=moment) & (
            Q(outcome_at__isnull=True) | Q(outcome_at__gte=moment)
        )
        span |= condition
        # Waited at least `days` days on the last day (end - 1): received before the local
        # midnight `days` days before `end`.
        edges = [_local_midnight(end - datetime.timedelta(days=days)) for _n, days in WAITING_BANDS]
        for band, lower in enumerate(edges):
            band_condition = condition & Q(received_at__lt=lower)
            if band + 1 < len(edges):
                band_condition &= Q(received_at__gte=edges[band + 1])
            counts[f"p{number}_{band}"] = Count("pk", filter=band_condition)
    rows = (
        HelpRequest.objects.filter(span)
        .values(wijk=F("buurt__wijk__code"))
        .annotate(**counts)
        .order_by()
    )
    found: dict[tuple[datetime.date, str], list[int]] = {}
    for row in rows:
        values: Mapping[str, Any] = row
        for number, period in enumerate(periods):
            found[(period.start, values["wijk"] or "")] = [
                values[f"p{number}_{band}"] for band in range(len(WAITING_BANDS))
            ]
    return found


def codes_in_use(slug: str, *, since: datetime.date, used: Iterable[str]) -> list[str]:
    """The codes of code list `slug` as the categories of a breakdown: those valid on or after
    `since`, and any in `used`, in the list's order."""
    wanted = set(used)
    return [
        code
        for code, valid_until in Code.objects.filter(code_list__slug=slug)
        .order_by("sort_order", "code")
        .values_list("code", "valid_until")
        if valid_until is None or valid_until >= since or code in wanted
    ]


def referrals_per_wijk(
    start: datetime.date, end: datetime.date
) -> dict[tuple[datetime.date, str, str], int]:
    """Referrals (doorverwijzingen, 002 §6): the requests closed as referred out to a
    provision outside the contract, per month of closing (Europe/Amsterdam, from `start` up to
    `end`), wijk of the request's buurt ("" unknown) and provision (its code in the list
    "out_of_scope_provisions"; a referral always names one). Requests, one resident each.
    Keyed by (month, wijk code, provision code). One query."""
    tz = timezone.get_default_timezone()
    rows = (
        HelpRequest.objects.filter(
            outcome=Outcome.REFERRED_OUT,
            outcome_at__gte=_local_midnight(start),
            outcome_at__lt=_local_midnight(end),
        )
        .annotate(month=TruncMonth("outcome_at", tzinfo=tz))
        .values("month", wijk=F("buurt__wijk__code"), provision=F("outcome_provision__code"))
        .annotate(requests=Count("pk"))
        .order_by()
    )
    return {
        (_month_of(row["month"]), row["wijk"] or "", row["provision"] or ""): row["requests"]
        for row in rows
    }


ZRM_CHANGES = ("beter", "gelijk", "slechter")


@dataclass(frozen=True, slots=True)
class ZrmChanges:
    """The ZRM change of trajectories ended per month and wijk: per life domain (its code) the
    trajectories whose end score was higher, the same or lower than the start score
    (`ZRM_CHANGES`), and the trajectories with a start and an end score on any domain."""

    per_domain: dict[tuple[datetime.date, str, str], tuple[int, int, int]]
    trajectories: dict[tuple[datetime.date, str], int]


def zrm_changes_per_wijk(start: datetime.date, end: datetime.date) -> ZrmChanges:
    """The change in ZRM scores (002 §8.2) of the trajectories that ended (outflow date) from
    `start` up to `end`, per month of ending and wijk of the resident's current address ("" none):
    per life domain, the score of the first start assessment (moment "start") that scored it
    against that of the last end assessment (moment "end") that scored it; a domain without both
    is not counted. Scores run from 1 (acute problems) to 5 (fully self-reliant), so a higher end
    score is better. One query, in SQL: the ended trajectories are found first (by their
    outflow date, an index) and only their assessments read, so the cost follows the
    trajectories that ended, not the 15 million scores of eight years (the ORM's correlated
    subqueries took 114 s for a month at scale 10, this 0.6 s, and 7.7 s for a year). Window
    functions rather than DISTINCT ON, so that the demo's SQLite runs it too; no self-join of a
    CTE (PostgreSQL cannot estimate its rows and chose nested loops over 88,000 rows each)."""
    per_domain: dict[tuple[datetime.date, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    trajectories: dict[tuple[datetime.date, str], int] = defaultdict(int)
    # The alias the router gives reads (the replica inside reporting_reads, docs/adr/0048).
    with connections[router.db_for_read(Trajectory)].cursor() as cursor:
        cursor.execute(
            _ZRM_CHANGES_SQL.format(
                trajectory=Trajectory._meta.db_table,
                resident=Resident._meta.db_table,
                address=Address._meta.db_table,
                buurt=Buurt._meta.db_table,
                wijk=Wijk._meta.db_table,
                assessment=ZrmAssessment._meta.db_table,
                score=ZrmScore._meta.db_table,
                code=Code._meta.db_table,
            ),
            [start, end, ZrmMoment.START, ZrmMoment.END, ZrmMoment.START, ZrmMoment.END],
        )
        # Grouped per day of ending (both databases can); the months are added up here.
        for day, wijk, domain, better, same, worse in cursor.fetchall():
            key = (_as_date(day).replace(day=1), wijk or "")
            if domain is None:
                trajectories[key] += better
                continue
            counts = per_domain[(*key, domain)]
            counts[0] += better
            counts[1] += same
            counts[2] += worse
    return ZrmChanges(
        per_domain={key: (c[0], c[1], c[2]) for key, c in per_domain.items()},
        trajectories=dict(trajectories),
    )


def _as_date(value: datetime.date | str) -> datetime.date:
    """A date column as the database driver returns it (SQLite's raw SQL gives text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


# Per ended trajectory and life domain, the score of the first start assessment that scored
# it and that of the last end assessment that scored it (a domain without both is left out).
_ZRM_CHANGES_SQL = """
WITH ended AS (
    SELECT t.id, t.outflow_date AS day, w.code AS wijk
    FROM {trajectory} t
    JOIN {resident} r ON r.id = t.resident_id
    LEFT JOIN {address} a ON a.id = r.address_id
    LEFT JOIN {buurt} b ON b.id = a.buurt_id
    LEFT JOIN {wijk} w ON w.id = b.wijk_id
    WHERE t.outflow_date >= %s AND t.outflow_date < %s
), scored AS (
    SELECT e.id, e.day, e.wijk, s.domain_id, z.moment, s.score,
           ROW_NUMBER() OVER (
               PARTITION BY z.trajectory_id, s.domain_id, z.moment
               ORDER BY z.assessed_on, z.id
           ) AS first_one,
           ROW_NUMBER() OVER (
               PARTITION BY z.trajectory_id, s.domain_id, z.moment
               ORDER BY z.assessed_on DESC, z.id DESC
           ) AS last_one
    FROM ended e
    JOIN {assessment} z ON z.trajectory_id = e.id
    JOIN {score} s ON s.assessment_id = z.id
    WHERE z.moment IN (%s, %s)
), both_scores AS (
    SELECT id, day, wijk, domain_id,
           MAX(CASE WHEN moment = %s AND first_one = 1 THEN score END) AS first_score,
           MAX(CASE WHEN moment = %s AND last_one = 1 THEN score END) AS last_score
    FROM scored
    GROUP BY id, day, wijk, domain_id
), pairs AS (
    SELECT p.id, p.day, p.wijk, c.code, p.first_score, p.last_score
    FROM both_scores p JOIN {code} c ON c.id = p.domain_id
    WHERE p.first_score IS NOT NULL AND p.last_score IS NOT NULL
)
SELECT day, wijk, code,
       SUM(CASE WHEN last_score > first_score THEN 1 ELSE 0 END),
       SUM(CASE WHEN last_score = first_score THEN 1 ELSE 0 END),
       SUM(CASE WHEN last_score < first_score THEN 1 ELSE 0 END)
FROM pairs GROUP BY day, wijk, code
UNION ALL
SELECT day, wijk, NULL, COUNT(DISTINCT id), 0, 0 FROM pairs GROUP BY day, wijk
"""


def wijk_districts() -> dict[str, str]:
    """Each wijk's stadsdeel by name ("" for a wijk without one), by wijk code."""
    return {code: name or "" for code, name in Wijk.objects.values_list("code", "district__name")}


def code_keys(*lists: str) -> dict[str, str]:
    """The codes of the given code lists (reasons for inflow and outflow), as shown in a
    delivery, by the key `reason_counts` uses for them (the row's id)."""
    return {
        str(pk): code
        for pk, code in Code.objects.filter(code_list__slug__in=lists).values_list("pk", "code")
    }


def compliance_per_wijk(
    start: datetime.date, end: datetime.date, *, today: datetime.date | None = None
) -> list[ComplianceRow]:
    """Deadline compliance (as `deadline_compliance`, judged as of `today`) of the requests
    received from `start` up to `end` (first days of months), per month of receipt and wijk,
    the teams added up. Two queries: the teams, and the counts."""
    today = today or timezone.localdate()
    teams = _teams(None)
    requests = _requests_received(start=start, end=end, team_ids=list(teams), wijk_code=None)
    return _compliance_rows(requests, teams=teams, per_team=False, today=today)


def all_team_ids() -> list[int]:
    """Every team, active or not: the indicators count the whole consortium."""
    return list(Team.objects.order_by("pk").values_list("pk", flat=True))


def latest_published_sets(
    periods: Iterable[Period], *, with_rows: bool = True
) -> dict[Period, PublishedSet]:
    """The newest published set of each of `periods` that has one. One query; without
    `with_rows` the sets come without their figures (to see which periods have one, a
    delivery of eight years need not hold every figure ever published in memory)."""
    wanted = list(periods)
    if not wanted:
        return {}
    condition = Q()
    for period in wanted:
        condition |= Q(period_unit=period.unit, period_start=period.start)
    found: dict[Period, PublishedSet] = {}
    sets = PublishedSet.objects.filter(condition).order_by("number")
    for published in sets if with_rows else sets.defer("rows"):
        found[Period(start=published.period_start, unit=published.period_unit)] = published
    return found


def published_sets(*, limit: int = 200) -> list[PublishedSet]:
    """The published sets, newest period first, each period's corrections newest first."""
    return list(
        PublishedSet.objects.defer("rows").order_by("-period_start", "period_unit", "-number")[
            :limit
        ]
    )


def code_labels(*lists: str) -> dict[str, str]:
    """The labels of the codes of the given code lists, by code, in the active language."""
    codes = Code.objects.filter(code_list__slug__in=lists).order_by("sort_order", "code")
    return {code.code: code.label for code in codes}
