"""Every read of trajectories. Each one goes through TrajectoryQuerySet.visible_to and writes
its access-log entry; a trajectory that is missing and one that may not be seen give the same
NotFoundError."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone

from wijk.accounts.models import User
from wijk.accounts.roles import TEAM_MEMBER_ROLES, gate_for
from wijk.core.access import (
    get_visible_or_refuse,
    log_list,
    log_read,
    refs_with_resident,
    require_or_refuse,
)
from wijk.core.rows import Capped, Columns, Values, capped_rows, record_refs
from wijk.organisations.models import Team
from wijk.reference.models import Code
from wijk.residents.models import Resident, full_name_of
from wijk.trajectories.adulthood import birth_dates_turning_18_soon, turns_18_soon
from wijk.trajectories.models import (
    Handover,
    Trajectory,
    TrajectoryQuerySet,
    TrajectoryStatusChange,
    ZrmAssessment,
    ZrmScore,
)
from wijk.trajectories.workflow import Part, TrajectoryStatus


@dataclass(frozen=True)
class ZrmChange:
    """One life domain: its score in the first and in the latest assessment that scored it."""

    domain: Code
    first: int
    latest: int
    scored_times: int

    @property
    def difference(self) -> int:
        return self.latest - self.first

    @property
    def summary(self) -> str:
        """ "Financiën 2 → 4 (+2)", or "Financiën 3" when it was scored once."""
        if self.scored_times < 2:
            return f"{self.domain.label} {self.first}"
        return f"{self.domain.label} {self.first} → {self.latest} ({self.difference:+d})"


@dataclass(frozen=True)
class ZrmRow:
    """One life domain across all assessments, for the table on the trajectory page."""

    domain: Code
    scores: list[int | None]


@dataclass(frozen=True)
class TrajectoryView:
    """A trajectory as its page shows it."""

    trajectory: Trajectory
    history: list[TrajectoryStatusChange]
    assessments: list[ZrmAssessment]
    zrm_rows: list[ZrmRow]
    zrm_changes: list[ZrmChange]
    handover: Handover | None
    turns_18_on: datetime.date | None


@dataclass(frozen=True)
class ResidentTrajectory:
    """A trajectory in the summary on the resident's page."""

    trajectory: Trajectory
    zrm_changes: list[ZrmChange]
    turns_18_on: datetime.date | None


@dataclass(frozen=True)
class Turning18:
    trajectory: Trajectory
    birthday: datetime.date


def _queryset(user: User) -> TrajectoryQuerySet:
    return Trajectory.objects.visible_to(user).select_related(
        "resident", "coordinator", "team", "inflow_reason", "primary_life_domain"
    )


def life_domains() -> list[Code]:
    """The ZRM 2017 domains in their list order, the ones retired today included (an old
    assessment may have scored them)."""
    return list(Code.objects.filter(code_list__slug="life_domains").order_by("sort_order", "code"))


def _zrm_changes(assessments: list[ZrmAssessment]) -> list[ZrmChange]:
    """Per domain, the first and the latest score among the assessments (in date order) that
    scored it. Not every assessment scores every domain, so a domain left out of the first or
    the latest assessment still shows its own change."""
    seen: dict[int, tuple[Code, int, int, int]] = {}
    for assessment in assessments:
        for score in assessment.scores.all():
            domain = score.domain
            if domain.pk in seen:
                _domain, first, _latest, times = seen[domain.pk]
                seen[domain.pk] = (domain, first, score.score, times + 1)
            else:
                seen[domain.pk] = (domain, score.score, score.score, 1)
    changes = [
        ZrmChange(domain, first, latest, times) for domain, first, latest, times in seen.values()
    ]
    return sorted(changes, key=lambda change: (change.domain.sort_order, change.domain.code))


def _zrm_rows(assessments: list[ZrmAssessment], domains: Iterable[Code]) -> list[ZrmRow]:
    by_assessment = [
        {score.domain_id: score.score for score in assessment.scores.all()}
        for assessment in assessments
    ]
    rows = [
        ZrmRow(domain, [scores.get(domain.pk) for scores in by_assessment]) for domain in domains
    ]
    return [row for row in rows if any(score is not None for score in row.scores)]


def _assessments() -> Prefetch[Any, Any, Any]:
    return Prefetch(
        "zrm_assessments",
        queryset=ZrmAssessment.objects.select_related("by")
        .prefetch_related(Prefetch("scores", queryset=ZrmScore.objects.select_related("domain")))
        .order_by("assessed_on", "id"),
    )


def _turns_18_on(trajectory: Trajectory, today: datetime.date) -> datetime.date | None:
    if not trajectory.youth_support or trajectory.status == TrajectoryStatus.CLOSED:
        return None
    return turns_18_soon(trajectory.resident.date_of_birth, today)


def trajectory_get_for_user(*, user: User, pk: int) -> TrajectoryView:
    """One trajectory with its history, ZRM assessments and handover, or NotFoundError."""
    trajectory = get_visible_or_refuse(
        queryset=_queryset(user)
        .select_related("household", "help_request", "outflow_reason")
        .prefetch_related(
            "life_domains",
            Prefetch(
                "status_changes", queryset=TrajectoryStatusChange.objects.select_related("by")
            ),
            _assessments(),
        ),
        pk=pk,
        user=user,
    )
    handover = Handover.objects.filter(trajectory=trajectory).first()
    assessments = list(trajectory.zrm_assessments.all())
    return TrajectoryView(
        trajectory=trajectory,
        history=list(trajectory.status_changes.all()),
        assessments=assessments,
        zrm_rows=_zrm_rows(assessments, life_domains()),
        zrm_changes=_zrm_changes(assessments),
        handover=handover,
        turns_18_on=_turns_18_on(trajectory, timezone.localdate()),
    )


# Rows the trajectory list shows at most; `more` says there are more.
LIST_LIMIT = 200


@dataclass(frozen=True)
class TrajectoryRow:
    """One open trajectory as the list shows it."""

    pk: int
    resident_name: str
    part: str
    inflow_date: datetime.date
    status: str
    coordinator_name: str
    team_name: str

    @property
    def part_label(self) -> str:
        return str(Part(self.part).label)

    @property
    def status_label(self) -> str:
        return str(TrajectoryStatus(self.status).label)


LIST_COLUMNS = Columns(
    {
        "pk": "pk",
        "resident_id": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "part": "part",
        "inflow_date": "inflow_date",
        "status": "status",
        "coordinator_username": "coordinator__username",
        "coordinator_first_name": "coordinator__first_name",
        "coordinator_last_name": "coordinator__last_name",
        "team_name": "team__name",
    }
)


def _list_row(values: Values) -> TrajectoryRow:
    coordinator = f"{values['coordinator_first_name']} {values['coordinator_last_name']}"
    return TrajectoryRow(
        pk=values["pk"],
        resident_name=full_name_of(
            values["given_names"], values["name_prefix"], values["family_name"]
        ),
        part=values["part"],
        inflow_date=values["inflow_date"],
        status=values["status"],
        coordinator_name=coordinator.strip() or values["coordinator_username"],
        team_name=values["team_name"],
    )


def trajectory_list_for_user(*, user: User) -> Capped[TrajectoryRow]:
    """Open trajectories of the user's teams (and those the user coordinates), oldest inflow
    first, at most LIST_LIMIT of them."""
    require_or_refuse(gate_for(user).person_level, user=user)
    return capped_rows(
        user=user,
        queryset=Trajectory.objects.visible_to(user)
        .exclude(status=TrajectoryStatus.CLOSED)
        .order_by("inflow_date", Lower("resident__family_name"), "pk"),
        columns=LIST_COLUMNS,
        build=_list_row,
        refs=record_refs(Trajectory, resident="resident_id"),
        limit=LIST_LIMIT,
    )


def trajectories_turning_18_for_user(
    *, user: User, today: datetime.date | None = None
) -> list[Turning18]:
    """Open trajectories with youth support whose resident turns 18 from today up to six
    months ahead (see wijk.trajectories.adulthood), by birthday."""
    require_or_refuse(gate_for(user).person_level, user=user)
    today = today or timezone.localdate()
    earliest, latest = birth_dates_turning_18_soon(today)
    candidates = (
        _queryset(user)
        .exclude(status=TrajectoryStatus.CLOSED)
        .filter(youth_support=True, resident__date_of_birth__range=(earliest, latest))
    )
    rows = []
    for trajectory in candidates:
        birthday = turns_18_soon(trajectory.resident.date_of_birth, today)
        if birthday is not None:
            rows.append(Turning18(trajectory=trajectory, birthday=birthday))
    rows.sort(
        key=lambda row: (
            row.birthday,
            row.trajectory.resident.family_name.lower(),
            row.trajectory.pk,
        )
    )
    log_list(user=user, objects=refs_with_resident(row.trajectory for row in rows))
    return rows


def resident_trajectories_for_user(*, user: User, resident: Resident) -> list[ResidentTrajectory]:
    """The trajectories of one resident that the user may see, newest first, each with its ZRM
    change and the 18th-birthday flag. For the resident's page, which has already checked
    that the user may see the resident."""
    if not gate_for(user).person_level:
        return []
    trajectories = list(
        _queryset(user)
        .filter(resident=resident)
        .prefetch_related(_assessments())
        .order_by("-inflow_date", "-pk")
    )
    if not trajectories:
        return []
    log_read(user=user, objects=trajectories, resident_id=resident.pk)
    today = timezone.localdate()
    return [
        ResidentTrajectory(
            trajectory=trajectory,
            zrm_changes=_zrm_changes(list(trajectory.zrm_assessments.all())),
            turns_18_on=_turns_18_on(trajectory, today),
        )
        for trajectory in trajectories
    ]


def coordinator_choices_for_user(*, user: User) -> list[User]:
    """Who may coordinate a trajectory the user starts: active professionals and team leads of
    the user's active teams."""
    teams = Team.objects.active_for(user).values("pk")
    return list(
        User.objects.filter(teams__in=teams, role__in=TEAM_MEMBER_ROLES, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def teams_of(user: User) -> list[Team]:
    return list(Team.objects.active_for(user).order_by("name"))
