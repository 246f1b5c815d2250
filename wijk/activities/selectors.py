"""Reads of group activities: the list and detail pages with attendance counted per session,
the named participants of a session, and the aggregated overview.

Activities and sessions hold no personal data: professionals and team leads read them
without an access-log entry. Named participants are person-level: they are read only here,
through ParticipationQuerySet.visible_to, and a participant list shown is one SEARCH entry in
the access log naming every participant on it (as the request lists do). Management and the
municipality see aggregates only, never participants."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.activities.models import (
    Activity,
    ActivityMove,
    ActivityMoveStatus,
    ActivitySession,
    Participation,
)
from wijk.areas.models import Wijk
from wijk.core.access import log_list, refs_with_resident
from wijk.core.disclosure import Figure, derived, protect_breakdown, protect_list, single
from wijk.core.errors import NotFoundError
from wijk.reference.models import Code

POLICY_THEMES = "policy_themes"
TARGET_GROUPS = "target_groups"
FIRST_YEAR = 2022  # the contract started on 1 July 2022


def _require_person_level(user: User) -> None:
    if not gate_for(user).person_level:
        raise NotFoundError


def sub_themes_valid_on(day: datetime.date) -> QuerySet[Code]:
    """The sub-themes of the four policy themes (002 §3), ordered under their main theme."""
    return (
        Code.objects.filter(code_list__slug=POLICY_THEMES, parent__isnull=False)
        .valid_on(day)
        .select_related("parent")
        .order_by("parent__sort_order", "sort_order")
    )


def target_groups_valid_on(day: datetime.date) -> QuerySet[Code]:
    return Code.objects.filter(code_list__slug=TARGET_GROUPS).valid_on(day).order_by("sort_order")


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("organiser", "theme__parent", "target_group", "wijk")


def activities_for_user(
    *, user: User, wijk: Wijk | None = None, include_inactive: bool = False
) -> list[Activity]:
    """Activities with their number of sessions and the date of the last one; active ones
    only unless asked. A fixed number of queries."""
    _require_person_level(user)
    queryset = _activities().annotate(
        session_count=Count("sessions"), last_held_on=Max("sessions__held_on")
    )
    if wijk is not None:
        queryset = queryset.filter(wijk__code=wijk.code)
    if not include_inactive:
        queryset = queryset.filter(active=True)
    return list(queryset.order_by("-active", "name", "pk"))


def activity_get_for_user(*, user: User, pk: int) -> Activity:
    """An activity to read (no personal data): for professionals and team leads."""
    _require_person_level(user)
    activity = _activities().filter(pk=pk).first()
    if activity is None:
        raise NotFoundError
    return activity


def activity_get_for_team(*, user: User, pk: int) -> Activity:
    """An activity to change or to record sessions of: only for members of its own teams,
    the active teams covering its wijk (ADR 0018). NotFoundError for others, as for a
    missing activity."""
    _require_person_level(user)
    activity = _activities().filter(pk=pk, pk__in=Activity.objects.in_wijken_of(user)).first()
    if activity is None:
        raise NotFoundError
    return activity


def activity_move_pending(*, activity: Activity) -> ActivityMove | None:
    """The activity's move to another wijk waiting for a team lead (an area, no person)."""
    return (
        ActivityMove.objects.filter(activity=activity, status=ActivityMoveStatus.PENDING)
        .select_related("to_wijk")
        .first()
    )


def activity_moves_for_review(*, user: User) -> list[ActivityMove]:
    """The pending moves the team lead decides on, oldest first (ADR 0018)."""
    if not gate_for(user).oversee_teams:
        raise NotFoundError
    return list(
        ActivityMove.objects.reviewable_by(user)
        .select_related("activity", "from_wijk", "to_wijk", "requested_by")
        .order_by("requested_at", "pk")
    )


def activity_move_get_for_review(*, user: User, pk: int) -> ActivityMove:
    """One pending move the team lead may decide on; NotFoundError otherwise."""
    move = (
        ActivityMove.objects.reviewable_by(user)
        .select_related("activity__organiser", "from_wijk", "to_wijk", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if move is None:
        raise NotFoundError
    return move


@dataclass(frozen=True)
class MonthTotal:
    month: datetime.date
    sessions: int
    attendance: int
    youth: int


@dataclass(frozen=True)
class ActivityDetail:
    activity: Activity
    year: int
    years: list[int]
    sessions: Sequence[ActivitySession]  # of the year, newest first, with participant_count
    months: list[MonthTotal]  # of the year, months with sessions only, newest first
    participants_visible: bool  # the user may open the sessions' participant lists
    editable: bool = False  # the user is in one of the activity's teams (ADR 0018)
    pending_move: ActivityMove | None = None  # a move to another wijk waiting for approval


def activity_detail_for_user(*, user: User, pk: int, year: int | None = None) -> ActivityDetail:
    """An activity with its sessions of one year (default: the year of its last session, or
    this year) and the totals per month. A fixed number of queries."""
    activity = activity_get_for_user(user=user, pk=pk)
    years = sorted(
        {
            *ActivitySession.objects.filter(activity=activity)
            .annotate(year=ExtractYear("held_on"))
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        },
        reverse=True,
    )
    if year is None:
        year = years[0] if years else timezone.localdate().year
    sessions = list(
        ActivitySession.objects.filter(activity=activity, held_on__year=year)
        .annotate(participant_count=Count("participations"))
        .order_by("-held_on")
    )
    by_month: dict[int, list[ActivitySession]] = {}
    for session in sessions:
        by_month.setdefault(session.held_on.month, []).append(session)
    months = [
        MonthTotal(
            month=datetime.date(year, month, 1),
            sessions=len(items),
            attendance=sum(s.attendance_total for s in items),
            youth=sum(s.attendance_youth for s in items),
        )
        for month, items in sorted(by_month.items(), reverse=True)
    ]
    editable = Activity.objects.in_wijken_of(user).filter(pk=activity.pk).exists()
    return ActivityDetail(
        activity=activity,
        year=year,
        years=years,
        sessions=sessions,
        months=months,
        participants_visible=activity.registers_participants and editable,
        editable=editable,
        pending_move=activity_move_pending(activity=activity),
    )


def session_get_for_user(*, user: User, pk: int) -> ActivitySession:
    """A session with its activity, to correct it: for members of the activity's own teams
    (ADR 0018; its named participants are not read here). NotFoundError otherwise."""
    _require_person_level(user)
    session = (
        ActivitySession.objects.select_related("activity")
        .filter(pk=pk, activity__in=Activity.objects.in_wijken_of(user))
        .first()
    )
    if session is None:
        raise NotFoundError
    return session


def session_for_participants(*, user: User, pk: int) -> ActivitySession:
    """A session whose named participants the user may read and add: its activity registers
    participants and lies in a wijk of one of the user's teams. NotFoundError otherwise."""
    _require_person_level(user)
    session = (
        ActivitySession.objects.select_related("activity__wijk")
        .filter(
            pk=pk,
            activity__registers_participants=True,
            activity__in=Activity.objects.in_wijken_of(user),
        )
        .first()
    )
    if session is None:
        raise NotFoundError
    return session


def session_participants_for_user(*, user: User, session: ActivitySession) -> list[Participation]:
    """The named participants of a session the user may see, by name. The list shown is one
    SEARCH entry in the access log naming the session and every participant and resident on
    it, in the caller's transaction (none when the list is empty): a fixed number of queries,
    whatever the number of participants."""
    participations = list(
        Participation.objects.visible_to(user)
        .filter(session=session)
        .select_related("resident")
        .order_by("resident__family_name", "resident__given_names", "pk")
    )
    if participations:
        log_list(user=user, objects=[session, *refs_with_resident(participations)])
    return participations


def may_see_overview(user: User) -> bool:
    """Team leads, management and the municipality, signed in with their second factor: the
    roles whose gate gives aggregates (wijk.accounts.roles)."""
    return gate_for(user).aggregates


@dataclass(frozen=True)
class AttendanceRow:
    """Sessions and visits: exact for everyone (ADR 0028: they do not count people)."""

    label: str
    sessions: Figure
    attendance: Figure
    youth: Figure

    @property
    def youth_share(self) -> int | None:
        """Young people as a share of the attendance, in whole percents; None when hidden."""
        youth, attendance = self.youth, self.attendance
        if (
            youth.value is None
            or attendance.value is None
            or not (youth.shown and attendance.shown)
        ):
            return None
        return round(100 * youth.value / attendance.value) if attendance.value else 0


@dataclass(frozen=True)
class ThemeGroup:
    """A main policy theme: its total and a row per sub-theme."""

    total: AttendanceRow
    rows: list[AttendanceRow]


@dataclass(frozen=True)
class ActivitiesOverview:
    year: int
    total: AttendanceRow
    per_theme: list[ThemeGroup]
    per_wijk: list[AttendanceRow]
    per_month: list[tuple[datetime.date, AttendanceRow]]
    activity_count: Figure
    protected: bool = False  # the municipality's figures: no small numbers


_MEASURES = ("sessions", "attendance", "youth")


def _values(values: Mapping[str, Any]) -> tuple[int, int, int]:
    return (
        values.get("sessions") or 0,
        values.get("attendance") or 0,
        values.get("youth") or 0,
    )


def _rows(
    labels: list[str], values: list[tuple[int, int, int]], *, suppress: bool, canonical: bool
) -> tuple[list[AttendanceRow], AttendanceRow]:
    """Rows adding up to the year's total, per measure one protected list: the wijken are the
    canonical table (its totals are the year's), themes and months break the same totals down
    and never hide them (wijk.core.disclosure.protect_breakdown)."""
    protect = protect_list if canonical else protect_breakdown
    lists = [protect([row[m] for row in values], suppress=suppress) for m in range(3)]
    rows = [
        AttendanceRow(label, lists[0].cells[r], lists[1].cells[r], lists[2].cells[r])
        for r, label in enumerate(labels)
    ]
    return rows, AttendanceRow("", lists[0].total, lists[1].total, lists[2].total)


def activities_overview_for_user(*, user: User, year: int) -> ActivitiesOverview:
    """Sessions and attendance of one year per policy theme (main theme with its
    sub-themes), per wijk and per month, with the share of young people. Visits counted per
    session, not unique residents; nothing about participants. A fixed number of queries.
    Exact for everyone who may see it: sessions and visits are not people, so small-number
    protection does not apply (docs/adr/0028-small-numbers-count-people.md)."""
    if not may_see_overview(user):
        raise NotFoundError
    suppress = False
    sessions = ActivitySession.objects.filter(held_on__year=year).order_by()
    sums = {
        "sessions": Count("pk"),
        "attendance": Sum("attendance_total"),
        "youth": Sum("attendance_youth"),
    }
    activity_count = single(sessions.values("activity").distinct().count(), suppress=suppress)

    wijk_values = list(
        sessions.values("activity__wijk__code", "activity__wijk__name")
        .annotate(**sums)
        .order_by("activity__wijk__name", "activity__wijk__code")
    )
    per_wijk, total = _rows(
        [row["activity__wijk__name"] for row in wijk_values],
        [_values(row) for row in wijk_values],
        suppress=suppress,
        canonical=True,
    )

    by_theme = {
        row["activity__theme"]: row for row in sessions.values("activity__theme").annotate(**sums)
    }
    themes = list(Code.objects.filter(code_list__slug=POLICY_THEMES).order_by("sort_order"))
    main_themes = [t for t in themes if t.parent_id is None]
    children = {main.pk: [t for t in themes if t.parent_id == main.pk] for main in main_themes}
    flat = [child for main in main_themes for child in children[main.pk]]
    theme_rows, _theme_total = _rows(
        [c.label for c in flat],
        [_values(by_theme.get(c.pk, {})) for c in flat],
        suppress=suppress,
        canonical=False,
    )
    row_of = dict(zip([c.pk for c in flat], theme_rows, strict=True))
    per_theme: list[ThemeGroup] = []
    for main in main_themes:
        rows = [row_of[c.pk] for c in children[main.pk]]
        total_of_theme = AttendanceRow(
            main.label,
            *(derived(getattr(r, measure) for r in rows) for measure in _MEASURES),
        )
        per_theme.append(ThemeGroup(total=total_of_theme, rows=rows))

    by_month = {
        row["month"]: row
        for row in sessions.annotate(month=ExtractMonth("held_on")).values("month").annotate(**sums)
    }
    month_rows, _month_total = _rows(
        ["" for _month in range(12)],
        [_values(by_month.get(month, {})) for month in range(1, 13)],
        suppress=suppress,
        canonical=False,
    )
    per_month = [
        (datetime.date(year, month, 1), row)
        for month, row in zip(range(1, 13), month_rows, strict=True)
    ]
    return ActivitiesOverview(
        year=year,
        total=total,
        per_theme=per_theme,
        per_wijk=per_wijk,
        per_month=per_month,
        activity_count=activity_count,
        protected=suppress,
    )


def overview_years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def participations_exist(*, activity: Activity) -> bool:
    """Whether any session of the activity has named participants (a count, no persons)."""
    return Participation.objects.filter(session__activity=activity).exists()
