"""Reads of count-only contacts: the teams a user registers for, the tally board of a team's
day, and the aggregated overview per month, team, channel and life domain.

Short contacts hold no personal data, so nothing here writes an access-log entry. Who may see
what is still checked here: registering and tallying is for members of the team (roles with
person-level work), the overview for team leads (their own teams), management and the
municipality (all teams). Counts are contacts, never unique residents (002 §8.2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.areas.models import Wijk
from wijk.contacts.models import ShortContact
from wijk.core.disclosure import Figure, derived, protect_breakdown, protect_list
from wijk.core.errors import NotFoundError
from wijk.core.quality import (
    Category,
    QualityCheck,
    QualitySource,
    code_not_valid,
    counts_of,
    counts_per_wijk,
    later_than,
)
from wijk.organisations.models import Team
from wijk.reference.models import Code

CHANNELS = "channels"
LIFE_DOMAINS = "life_domains"
DEFAULT_CHANNEL = "walk_in"
FIRST_YEAR = 2022  # the contract started on 1 July 2022
# How long after counting a contact in tally mode its author may take it back.
UNDO_WINDOW = datetime.timedelta(minutes=5)


def teams_for_registering(*, user: User) -> QuerySet[Team]:
    """The active teams the user is a member of; none for roles without person-level work."""
    if not gate_for(user).person_level:
        return Team.objects.none()
    return Team.objects.active_for(user).order_by("name")


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
    """Team leads, management and the municipality, signed in with their second factor: the
    roles whose gate gives aggregates (wijk.accounts.roles)."""
    return gate_for(user).aggregates


def overview_teams_for_user(*, user: User) -> QuerySet[Team]:
    """Team leads: their own teams; management and municipality: every team."""
    if not may_see_overview(user):
        return Team.objects.none()
    if not gate_for(user).all_teams:
        return Team.objects.active_for(user).order_by("name")
    return Team.objects.order_by("name")


def exact_overview(user: User) -> bool:
    """Team leads and management (the consortium) see exact counts per team; the municipality
    sees counts per wijk, never per team (ADR 0004); contacts are not people (ADR 0028)."""
    return gate_for(user).team_counts


@dataclass(frozen=True)
class OverviewRow:
    label: str
    counts: list[Figure]
    total: Figure


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    counts: list[Figure]
    total: Figure


@dataclass(frozen=True)
class ContactsOverview:
    """Rows per team for the consortium, per wijk for the municipality. Every count is exact
    for both: contacts count conversations, not people (ADR 0028), so small-number protection
    (wijk.core.disclosure) does not apply."""

    year: int
    months: list[datetime.date]
    per_wijk: bool  # rows per wijk (municipality) instead of per team
    per_team: list[OverviewRow]  # per team (or wijk), a count per month
    month_totals: list[Figure]
    channels: list[Code]
    per_month: list[MonthRow]  # per month, a count per channel
    channel_totals: list[Figure]
    per_life_domain: list[tuple[Code, Figure, int | None]]  # domain, count, share (None: hidden)
    total: Figure


def _share(count: Figure, total: Figure) -> int | None:
    """A share in whole percents, only when the count and the total are shown."""
    if count.value is None or total.value is None or not (count.shown and total.shown):
        return None
    return round(100 * count.value / total.value) if total.value else 0


def _wijk_rows() -> list[tuple[str, str]]:
    """(code, label) of every wijk by CBS code, with the name of its newest CBS year, and the
    unknown wijk ("") last: the rows of the monitoring pages (wijk.monitoring.figures)."""
    newest: dict[str, str] = {}
    for code, name in Wijk.objects.order_by("code", "source_year").values_list("code", "name"):
        newest[code] = name
    return [
        *((code, f"{newest[code]} ({code})") for code in sorted(newest) if code),
        ("", gettext("Wijk onbekend")),
    ]


def contacts_overview_for_user(
    *, user: User, year: int, team: Team | None = None
) -> ContactsOverview:
    """Short contacts of one year, for one team or every team the user may see: per team (the
    municipality: per wijk) and month, per month and channel, per life domain. Aggregates
    only; a fixed number of queries, whatever the number of contacts."""
    if not may_see_overview(user):
        raise NotFoundError
    exact_counts = exact_overview(user)
    scope = list(overview_teams_for_user(user=user))
    if team is not None:
        if not exact_counts or team.pk not in {t.pk for t in scope}:
            raise NotFoundError
        scope = [team]
    contacts = ShortContact.objects.filter(contact_date__year=year).annotate(
        month=ExtractMonth("contact_date")
    )
    if exact_counts:
        contacts = contacts.filter(team__in=[t.pk for t in scope])
    months = [datetime.date(year, month, 1) for month in range(1, 13)]

    all_channels = list(Code.objects.filter(code_list__slug=CHANNELS).order_by("sort_order"))
    by_channel: dict[tuple[int, int], int] = {
        (row["month"], row["channel"]): row["n"]
        for row in contacts.values("month", "channel").annotate(n=Count("pk")).order_by()
    }
    used = {channel for _month, channel in by_channel}
    channels = [c for c in all_channels if c.valid_until is None or c.pk in used]
    by_domain: dict[tuple[int, int], int] = {
        (row["month"], row["life_domain"]): row["n"]
        for row in contacts.values("month", "life_domain").annotate(n=Count("pk")).order_by()
    }
    used_domains = {domain for _month, domain in by_domain}
    domains = [
        d
        for d in Code.objects.filter(code_list__slug=LIFE_DOMAINS).order_by("sort_order")
        if d.valid_until is None or d.pk in used_domains
    ]

    rows: list[tuple[str, list[int]]]
    if exact_counts:
        by_team: dict[tuple[int, int], int] = {
            (row["team"], row["month"]): row["n"]
            for row in contacts.values("team", "month").annotate(n=Count("pk")).order_by()
        }
        rows = [(t.name, [by_team.get((t.pk, m), 0) for m in range(1, 13)]) for t in scope]
    else:
        by_wijk: dict[tuple[str, int], int] = {
            (row["wijk_code"] or "", row["month"]): row["n"]
            for row in contacts.values("month", wijk_code=F("wijk__code"))
            .annotate(n=Count("pk"))
            .order_by()
        }
        rows = [
            (label, [by_wijk.get((code, m), 0) for m in range(1, 13)])
            for code, label in _wijk_rows()
        ]
    # Contacts count conversations, not people: no one can be recognised in them, so the
    # municipality sees them exactly too (docs/adr/0028-small-numbers-count-people.md).
    suppress = False
    # Per month: one list of rows (teams or wijken), which also gives the month's total.
    month_lists = [
        protect_list([counts[i] for _label, counts in rows], suppress=suppress) for i in range(12)
    ]
    per_team = [
        OverviewRow(
            label=label,
            counts=[month_lists[i].cells[r] for i in range(12)],
            total=derived(month_lists[i].cells[r] for i in range(12)),
        )
        for r, (label, _counts) in enumerate(rows)
    ]
    month_totals = [month_list.total for month_list in month_lists]
    total = derived(month_totals)

    per_month = []
    channel_cells = []
    for i, month in enumerate(months):
        protected = protect_breakdown(
            [by_channel.get((month.month, c.pk), 0) for c in channels], suppress=suppress
        )
        channel_cells.append(protected.cells)
        per_month.append(MonthRow(month=month, counts=protected.cells, total=month_totals[i]))
    channel_totals = [derived(cells[c] for cells in channel_cells) for c in range(len(channels))]

    domain_cells = [
        protect_breakdown(
            [by_domain.get((month.month, d.pk), 0) for d in domains], suppress=suppress
        ).cells
        for month in months
    ]
    per_life_domain = []
    for d, domain in enumerate(domains):
        count = derived(cells[d] for cells in domain_cells)
        per_life_domain.append((domain, count, _share(count, total)))
    return ContactsOverview(
        year=year,
        months=months,
        per_wijk=not exact_counts,
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


# ---------------------------------------------------------------------------------------------
# Data quality (seed 002 §8.2, ADR 0047): the short contacts' checks. Counts only: a short
# contact holds no person and has no page of its own, so the report lists none.

CONTACT_CHECKS = (
    QualityCheck(
        code="contact_without_wijk",
        category=Category.COMPLETENESS,
        title=gettext_lazy("Kort contact zonder wijk"),
        explanation=gettext_lazy(
            "Bij het korte contact is geen wijk gekozen. Dan telt het niet mee in de cijfers "
            "per wijk. Kies voortaan de wijk als die bekend is."
        ),
    ),
    QualityCheck(
        code="contact_not_valid",
        category=Category.VALIDITY,
        title=gettext_lazy("Kort contact met een datum of keuze die niet klopt"),
        explanation=gettext_lazy(
            "De datum ligt na vandaag, of het kanaal of onderwerp stond op die datum niet in "
            "de keuzelijst."
        ),
    ),
    QualityCheck(
        code="contact_registered_late",
        category=Category.TIMELINESS,
        title=gettext_lazy("Kort contact laat vastgelegd"),
        explanation=gettext_lazy(
            "Het korte contact is meer dan 30 dagen na de datum van het contact vastgelegd. "
            "Dan veranderen cijfers die al zijn doorgegeven."
        ),
    ),
)


def _contact_conditions(today: datetime.date) -> dict[str, Q]:
    return {
        "contact_without_wijk": Q(wijk__isnull=True),
        "contact_not_valid": Q(contact_date__gt=today)
        | code_not_valid("channel", F("contact_date"))
        | code_not_valid("life_domain", F("contact_date")),
        "contact_registered_late": Q(
            registered_at__date__gt=ExpressionWrapper(
                F("contact_date") + later_than(), output_field=DateField()
            )
        ),
    }


def contact_quality_counts(*, today: datetime.date) -> dict[tuple[str, str], int]:
    """Per check and wijk, the city's short contacts that fail it."""
    return counts_per_wijk(
        ShortContact.objects.all(), wijk="wijk__code", conditions=_contact_conditions(today)
    )


def contact_quality_team_counts(*, user: User, today: datetime.date) -> dict[str, int]:
    """Per check, the short contacts of the team lead's active teams that fail it; nothing
    for other roles."""
    if not gate_for(user).oversee_teams:
        return {}
    teams = Team.objects.active_for(user).values("pk")
    return counts_of(
        ShortContact.objects.filter(team__in=teams), conditions=_contact_conditions(today)
    )


CONTACT_QUALITY = QualitySource(
    checks=CONTACT_CHECKS,
    counts=contact_quality_counts,
    team_counts=contact_quality_team_counts,
)
