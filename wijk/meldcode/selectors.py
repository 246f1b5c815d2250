"""Every read of meldcode cases (ADR 0039). A case is visible only to its coordinator, the
team leads of its team and the readers added with a reason, and to them only while they may
see its resident (`MeldcodeCaseQuerySet.visible_to`). Every read is logged through
wijk.core.access; a case that is missing and one that may not be seen give the same
NotFoundError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.accounts.roles import TEAM_MEMBER_ROLES, gate_for
from wijk.core.access import (
    log_list,
    log_read,
    model_ref,
    refs_with_resident,
    visible_or_refuse,
)
from wijk.core.calendar import add_working_days
from wijk.core.worklist import Scope, WorkItem, WorkPart
from wijk.meldcode.models import (
    MeldcodeCase,
    MeldcodeCaseQuerySet,
    MeldcodeReader,
    MeldcodeStatusChange,
    MeldcodeStep,
    reader_grants_open,
)
from wijk.meldcode.workflow import MeldcodeStatus, Step
from wijk.monitoring.sources import CountRow
from wijk.organisations.models import Team

if TYPE_CHECKING:
    from wijk.residents.models import Resident

# Each next step is due this many working days after the last step recorded (or the opening).
STEP_WORKING_DAYS = 5


def next_step_due(last: dt.date) -> dt.date:
    """The date by which the next step of an open case is due (ADR 0039)."""
    return add_working_days(last, STEP_WORKING_DAYS)


def next_step(recorded: set[int]) -> Step | None:
    """The first of the five steps not recorded yet; None when all are."""
    return next((step for step in Step if step.value not in recorded), None)


@dataclass(frozen=True)
class MeldcodeCaseView:
    """A case as one of its readers sees it."""

    case: MeldcodeCase
    steps: list[MeldcodeStep]
    """Every step recorded, by step number, then oldest first."""
    readers: list[MeldcodeReader]
    """Every reader row, open and ended, oldest first (with `end` loaded)."""
    history: list[MeldcodeStatusChange]
    leads: bool
    """The user is the coordinator or a team lead of the case's team: records steps, adds
    and ends readers, closes."""

    @property
    def open_readers(self) -> list[MeldcodeReader]:
        return [reader for reader in self.readers if not _ended(reader)]

    @property
    def next_step(self) -> Step | None:
        return next_step({step.number for step in self.steps})

    def latest(self, number: int) -> MeldcodeStep | None:
        """The newest record of step `number`, None when it was not recorded."""
        found = [step for step in self.steps if step.number == number]
        return max(found, key=lambda step: (step.at, step.pk)) if found else None


def _ended(reader: MeldcodeReader) -> bool:
    try:
        reader.end  # noqa: B018
    except MeldcodeReader.end.RelatedObjectDoesNotExist:
        return False
    return True


def _queryset(user: User) -> MeldcodeCaseQuerySet:
    return MeldcodeCase.objects.visible_to(user).select_related("resident", "team", "coordinator")


def meldcode_case_get_for_user(*, user: User, pk: int) -> MeldcodeCaseView:
    """One case with its steps, readers and status history, or NotFoundError. The read names
    the case, its resident and every step and reader row shown."""
    case = visible_or_refuse(queryset=_queryset(user), pk=pk, user=user)
    steps = list(case.steps.select_related("by").order_by("number", "at", "pk"))
    readers = list(
        case.readers.select_related("user", "added_by", "end__ended_by").order_by("added_at", "pk")
    )
    history = list(case.status_changes.select_related("by").order_by("seq"))
    leads = MeldcodeCase.objects.filter(pk=case.pk).led_by(user).exists()
    log_read(
        user=user,
        objects=[*refs_with_resident([case]), *steps, *readers],
        resident_id=case.resident_id,
    )
    return MeldcodeCaseView(case=case, steps=steps, readers=readers, history=history, leads=leads)


def meldcode_cases_for_resident(*, user: User, resident: Resident) -> list[MeldcodeCase]:
    """The resident's cases the user reads, newest first, for the resident's meldcode page
    (which has already checked that the user may see the resident): one query, and one
    access-log entry naming every case listed (none when there is none)."""
    cases = list(_queryset(user).filter(resident=resident).order_by("-opened_at", "-pk"))
    if cases:
        log_read(user=user, objects=cases, resident_id=resident.pk)
    return cases


def meldcode_reader_candidates(*, case: MeldcodeCase, actor: User) -> QuerySet[User]:
    """Who may be added as reader of `case` by `actor`: active, approved accounts with a
    person-level role in an active team; never the actor (nobody adds themselves), the
    coordinator, or someone who reads already by an open reader row. Whether they may see
    the resident is decided at every read, not here (ADR 0039)."""
    readers = reader_grants_open().filter(case=case).values("user_id")
    in_active_team = Team.objects.filter(active=True, members=OuterRef("pk"))
    return (
        User.objects.filter(
            Exists(in_active_team),
            is_active=True,
            role__in=TEAM_MEMBER_ROLES,
            role_approved=True,
        )
        .exclude(pk__in=[actor.pk, case.coordinator_id])
        .exclude(pk__in=readers)
        .order_by("first_name", "last_name", "username")
    )


def meldcode_worklist_for_user(*, user: User, scope: Scope, today: dt.date, limit: int) -> WorkPart:
    """The open cases with their next step, for the worklist, those whose next step is due
    first at the top: "mine" the cases the user coordinates; "team" the cases of the user's
    active teams that the user leads (a team lead: all of them; a professional: their own).
    Added readers and the team's other members get none: they do not record steps. One
    query and one access-log entry, whatever the number of cases."""
    if not gate_for(user).person_level:
        return WorkPart(items=[])
    cases = _queryset(user).filter(status=MeldcodeStatus.OPEN)
    if scope == "mine":
        cases = cases.filter(coordinator=user)
    else:
        cases = cases.led_by(user).filter(team__in=Team.objects.active_for(user).values("pk"))
    # One join with the steps, grouped per case (not a subquery per step: the ORM's time to
    # build six subqueries was most of this part of the worklist, even with no case at all).
    rows = list(
        cases.annotate(
            since=Coalesce(Max("steps__at"), "opened_at"),
            step_numbers=ArrayAgg("steps__number", distinct=True, default=Value([])),
        ).order_by("since", "pk")[: limit + 1]
    )
    shown = rows[:limit]
    if not shown:
        return WorkPart(items=[])
    log_list(user=user, objects=refs_with_resident(shown))
    items = []
    for case in shown:
        recorded: list[int | None] = case.__dict__["step_numbers"]  # the annotation above
        step = next_step({number for number in recorded if number is not None})
        title = (
            _("Meldcode stap %(number)s: %(step)s") % {"number": step.value, "step": step.label}
            if step is not None
            else _("Meldcode: beslissen of afsluiten")
        )
        since: dt.datetime = case.__dict__["since"]  # the annotation above
        items.append(
            WorkItem(
                kind="meldcode",
                due=next_step_due(timezone.localdate(since)),
                title=title,
                resident_name=case.resident.full_name,
                url=reverse("meldcode:detail", args=[case.pk]),
                holder_name=case.coordinator.get_full_name() or case.coordinator.username,
                ref=model_ref(MeldcodeCase, case.pk),
            )
        )
    return WorkPart(items=items, more=len(rows) > limit)


# -- For monitoring: only a count (wijk.monitoring.sources, ADR 0042) ---------------------------


def meldcode_cases_opened(
    *, start: dt.date, end: dt.date, team_ids: Sequence[int]
) -> list[CountRow]:
    """The number of cases opened from `start` up to `end` (local dates), per month of
    opening (Europe/Amsterdam), team and the wijk of the resident's address when the case was
    opened ("" when unknown; never today's address: a move must not change a month), for the
    monitoring pages (registered in MeldcodeConfig.ready). A count and its keys, nothing
    else: no resident, step, status, date of a case or text leaves this function, and
    monitoring never imports this app (ADR 0039). Not logged: it names no
    case. One query."""
    tz = timezone.get_default_timezone()
    rows = []
    for values in (
        MeldcodeCase.objects.filter(
            team_id__in=list(team_ids),
            opened_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            opened_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz),
        )
        .annotate(month=TruncMonth("opened_at", tzinfo=tz))
        .values("month", "team_id", in_wijk=F("wijk_at_opening__code"))
        .annotate(opened=Count("pk"))
        .order_by()
    ):
        rows.append(
            CountRow(
                month=timezone.localtime(values["month"], tz).date(),
                team_id=values["team_id"],
                wijk_code=values["in_wijk"] or "",
                count=values["opened"],
            )
        )
    return rows
