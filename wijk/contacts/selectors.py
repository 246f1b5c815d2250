"""Reads of count-only contacts: the teams a user registers for, the tally board of a team's
day, and the aggregated overview per month, team, channel and life domain.

Short contacts hold no personal data, so nothing here writes an access-log entry. Who may see
what is still checked here: registering and tallying is for members of the team (roles with
person-level work), the overview for team leads (their own teams), management and the
municipality (all teams). Counts are contacts, never unique residents (002 §8.2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from wijk.accounts.models import Role, User
from wijk.accounts.roles import gate_for
from wijk.contacts.models import ShortContact
from wijk.core.errors import NotFoundError
from wijk.organisations.models import Team
from wijk.reference.models import Code

CHANNELS = "channels"
LIFE_DOMAINS = "life_domains"
DEFAULT_CHANNEL = "walk_in"
# Aggregates only: no role here sees a person. Team leads see their own teams.
OVERVIEW_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY})
FIRST_YEAR = 2022  # the contract started on 1 July 2022
# How long after counting a contact in tally mode its author may take it back.
UNDO_WINDOW = datetime.timedelta(minutes=5)


def teams_for_registering(*, user: User) -> QuerySet[Team]:
    """The active teams the user is a member of; none for roles without person-level work."""
    if not gate_for(user).person_level:
        return Team.objects.none()
    return Team.objects.filter(members=user, active=True).order_by("name")


def codes_valid_on(*, slug: str, day: datetime.date) -> QuerySet[Code]:
    return Code.objects.filter(code_list__slug=slug).valid_on(day).order_by("sort_order", "code")


@dataclass(frozen=True)
class TallyRow:
    life_domain: Code
    count: int


@dataclass(frozen=True)
class TallyBoard:
    """What the tally page shows for one team, day and channel."""

    team: Team
    contact_date: datetime.date
    channel: Code
    rows: list[TallyRow]
    total: int
    undoable: ShortContact | None

    @property
    def is_today(self) -> bool:
        return self.contact_date == timezone.localdate()


def tally_board_for_user(
    *,
    user: User,
    team: Team,
    contact_date: datetime.date,
    channel: Code,
) -> TallyBoard:
    """The life domains valid on the day with the contacts counted for each, for this team and
    channel, and the user's own last tally that may still be taken back."""
    if not teams_for_registering(user=user).filter(pk=team.pk).exists():
        raise NotFoundError
    domains = list(codes_valid_on(slug=LIFE_DOMAINS, day=contact_date))
    counts = dict(
        ShortContact.objects.filter(team=team, contact_date=contact_date, channel=channel)
        .values("life_domain")
        .annotate(n=Count("pk"))
        .values_list("life_domain", "n")
    )
    undoable = (
        ShortContact.objects.select_related("life_domain")
        .filter(
            registered_by=user,
            tallied=True,
            registered_at__gte=timezone.now() - UNDO_WINDOW,
        )
        .order_by("-registered_at", "-pk")
        .first()
    )
    return TallyBoard(
        team=team,
        contact_date=contact_date,
        channel=channel,
        rows=[TallyRow(life_domain=d, count=counts.get(d.pk, 0)) for d in domains],
        total=sum(counts.values()),
        undoable=undoable,
    )


def may_see_overview(user: User) -> bool:
    """Team leads, management and the municipality, signed in with their second factor.

    The gate cannot tell: management's and the municipality's gates grant nothing, so they
    look like no access at all. The gate's own three conditions are checked instead."""
    is_verified = getattr(user, "is_verified", None)
    return bool(
        user.is_authenticated
        and user.is_active
        and is_verified is not None
        and is_verified()
        and user.role in OVERVIEW_ROLES
    )


def overview_teams_for_user(*, user: User) -> QuerySet[Team]:
    """Team leads: their own teams; management and municipality: every team."""
    if not may_see_overview(user):
        return Team.objects.none()
    if user.role == Role.TEAM_LEAD:
        return Team.objects.filter(members=user).order_by("name")
    return Team.objects.order_by("name")


@dataclass(frozen=True)
class OverviewRow:
    label: str
    counts: list[int]
    total: int


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    counts: list[int]
    total: int


@dataclass(frozen=True)
class ContactsOverview:
    year: int
    months: list[datetime.date]
    per_team: list[OverviewRow]  # per team, a count per month
    month_totals: list[int]
    channels: list[Code]
    per_month: list[MonthRow]  # per month, a count per channel
    channel_totals: list[int]
    per_life_domain: list[tuple[Code, int, int]]  # domain, count, share in whole percents
    total: int


def contacts_overview_for_user(
    *, user: User, year: int, team: Team | None = None
) -> ContactsOverview:
    """Short contacts of one year, for one team or every team the user may see: per team and
    month, per month and channel, per life domain. Aggregates only; a fixed number of
    queries, whatever the number of contacts."""
    if not may_see_overview(user):
        raise NotFoundError
    scope = list(overview_teams_for_user(user=user))
    if team is not None:
        if team.pk not in {t.pk for t in scope}:
            raise NotFoundError
        scope = [team]
    contacts = ShortContact.objects.filter(
        contact_date__year=year, team__in=[t.pk for t in scope]
    ).annotate(month=ExtractMonth("contact_date"))
    months = [datetime.date(year, month, 1) for month in range(1, 13)]

    by_team: dict[tuple[int, int], int] = {
        (row["team"], row["month"]): row["n"]
        for row in contacts.values("team", "month").annotate(n=Count("pk"))
    }
    per_team = []
    for each in scope:
        counts = [by_team.get((each.pk, m), 0) for m in range(1, 13)]
        per_team.append(OverviewRow(label=each.name, counts=counts, total=sum(counts)))
    month_totals = [sum(row.counts[i] for row in per_team) for i in range(12)]

    all_channels = list(Code.objects.filter(code_list__slug=CHANNELS).order_by("sort_order"))
    by_channel: dict[tuple[int, int], int] = {
        (row["month"], row["channel"]): row["n"]
        for row in contacts.values("month", "channel").annotate(n=Count("pk"))
    }
    used = {channel for _month, channel in by_channel}
    channels = [c for c in all_channels if c.valid_until is None or c.pk in used]
    per_month = []
    for month in months:
        counts = [by_channel.get((month.month, c.pk), 0) for c in channels]
        per_month.append(MonthRow(month=month, counts=counts, total=sum(counts)))
    channel_totals = [sum(row.counts[i] for row in per_month) for i in range(len(channels))]

    by_domain = dict(
        contacts.values("life_domain").annotate(n=Count("pk")).values_list("life_domain", "n")
    )
    total = sum(by_domain.values())
    domains = [
        d
        for d in Code.objects.filter(code_list__slug=LIFE_DOMAINS).order_by("sort_order")
        if d.valid_until is None or d.pk in by_domain
    ]
    per_life_domain = [
        (d, by_domain.get(d.pk, 0), round(100 * by_domain.get(d.pk, 0) / total) if total else 0)
        for d in domains
    ]
    return ContactsOverview(
        year=year,
        months=months,
        per_team=per_team,
        month_totals=month_totals,
        channels=channels,
        per_month=per_month,
        channel_totals=channel_totals,
        per_life_domain=per_life_domain,
        total=total,
    )


def overview_years() -> list[int]:
    """The years an overview can be asked for: from the start of the contract to this year."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))
