"""Every read of trajectories. Each one goes through TrajectoryQuerySet.visible_to and writes
its access-log entry; a trajectory that is missing and one that may not be seen give the same
NotFoundError."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.access import (
    get_visible_or_refuse,
    log_list,
    log_read,
    model_ref,
    refs_with_resident,
    require_or_refuse,
)
from wijk.core.quality import (
    Category,
    QualityCheck,
    QualityRow,
    QualitySource,
    code_not_valid,
    counts_of,
    counts_per_wijk,
    later_than,
)
from wijk.core.rows import Capped, Columns, Values, capped_rows, record_refs
from wijk.core.timeline import TimelineEntry, TimelineKind, on_day
from wijk.organisations.models import Team
from wijk.organisations.selectors import workers_of
from wijk.reference.models import Code
from wijk.residents.models import Resident, full_name_of
from wijk.trajectories.adulthood import birth_dates_turning_18_soon, turns_18_soon
from wijk.trajectories.models import (
    Handover,
    Trajectory,
    TrajectoryCoordinatorChange,
    TrajectoryQuerySet,
    TrajectoryStatusChange,
    ZrmAssessment,
    ZrmScore,
)
from wijk.trajectories.workflow import HandoverDestination, Part, TrajectoryStatus, ZrmMoment


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
    coordinator_changes: list[TrajectoryCoordinatorChange]


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
        coordinator_changes=list(
            trajectory.coordinator_changes.select_related("assignee", "previous", "by").order_by(
                "at", "pk"
            )
        ),
    )


def coordinator_choices_for_trajectory(*, user: User, trajectory: Trajectory) -> list[User]:
    """Whom a team lead of the trajectory's team may make its coordinator: the active
    professionals and team leads of that team. Empty for everyone else: only the team lead
    hands the coordination over."""
    if not gate_for(user).oversee_teams:
        return []
    return list(workers_of(teams=Team.objects.active_for(user).filter(pk=trajectory.team_id)))


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


# --- the resident's case-file timeline ------------------------------------------------------

# The kinds of timeline entry this app gives (wijk.core.timeline).
TIMELINE_KINDS: tuple[TimelineKind, ...] = ("trajectory", "zrm", "handover")

_TIMELINE_TRAJECTORY_COLUMNS = Columns(
    {
        "pk": "pk",
        "part": "part",
        "inflow_date": "inflow_date",
        "status": "status",
        "outflow_date": "outflow_date",
        "youth_support": "youth_support",
        "coordinator_username": "coordinator__username",
        "coordinator_first_name": "coordinator__first_name",
        "coordinator_last_name": "coordinator__last_name",
        "team_name": "team__name",
    }
)
_TIMELINE_ZRM_COLUMNS = Columns(
    {
        "pk": "pk",
        "assessed_on": "assessed_on",
        "moment": "moment",
        "trajectory_pk": "trajectory_id",
        "part": "trajectory__part",
    }
)
_TIMELINE_HANDOVER_COLUMNS = Columns(
    {
        "pk": "pk",
        "handed_over_on": "handed_over_on",
        "destination": "destination",
        "receiver": "receiver",
        "trajectory_pk": "trajectory_id",
    }
)


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _trajectory_entry(
    values: Values, *, born: datetime.date, today: datetime.date
) -> TimelineEntry:
    status = TrajectoryStatus(values["status"])
    state = (
        gettext("Afgesloten op %(day)s") % {"day": _day(values["outflow_date"])}
        if status == TrajectoryStatus.CLOSED
        else str(status.label)
    )
    coordinator = f"{values['coordinator_first_name']} {values['coordinator_last_name']}"
    name = coordinator.strip() or values["coordinator_username"]
    birthday = (
        turns_18_soon(born, today)
        if values["youth_support"] and status != TrajectoryStatus.CLOSED
        else None
    )
    return TimelineEntry(
        at=on_day(values["inflow_date"]),
        kind="trajectory",
        title=gettext("Traject %(part)s gestart") % {"part": Part(values["part"]).label},
        detail=" · ".join(
            (state, gettext("regisseur %(name)s") % {"name": name}, values["team_name"])
        ),
        url=reverse("trajectories:detail", args=[values["pk"]]),
        ref=model_ref(Trajectory, values["pk"]),
        flag=gettext("Wordt 18 op %(day)s") % {"day": _day(birthday)} if birthday else "",
    )


def _zrm_entry(values: Values, scores: list[str]) -> TimelineEntry:
    return TimelineEntry(
        at=on_day(values["assessed_on"]),
        kind="zrm",
        title=gettext("ZRM ingevuld: %(moment)s") % {"moment": ZrmMoment(values["moment"]).label},
        detail=f"{Part(values['part']).label} · {', '.join(scores)}",
        url=reverse("trajectories:detail", args=[values["trajectory_pk"]]),
        ref=model_ref(ZrmAssessment, values["pk"]),
    )


def _handover_entry(values: Values) -> TimelineEntry:
    destination = HandoverDestination(values["destination"]).label
    return TimelineEntry(
        at=on_day(values["handed_over_on"]),
        kind="handover",
        title=gettext("Warme overdracht: %(destination)s") % {"destination": destination},
        detail=values["receiver"],
        url=reverse("trajectories:detail", args=[values["trajectory_pk"]]),
        ref=model_ref(Handover, values["pk"]),
    )


def _zrm_scores(assessment_ids: list[int]) -> dict[int, list[str]]:
    """Per assessment its scores as "Financiën 4", in the order of the ZRM's domains (one
    query; none without assessments)."""
    scores: dict[int, list[str]] = {pk: [] for pk in assessment_ids}
    if assessment_ids:
        english = (get_language() or "nl").startswith("en")  # as Code.label
        rows = (
            ZrmScore.objects.filter(assessment_id__in=assessment_ids)
            .order_by("domain__sort_order", "domain__code")
            .values_list("assessment_id", "domain__label_nl", "domain__label_en", "score")
        )
        for assessment_id, label_nl, label_en, score in rows:
            scores[assessment_id].append(f"{label_en if english else label_nl} {score}")
    return scores


def timeline_trajectories_for_user(
    *,
    user: User,
    resident: Resident,
    kinds: Collection[str] = TIMELINE_KINDS,
    limit: int = LIST_LIMIT,
) -> list[TimelineEntry]:
    """The resident's trajectories ("trajectory", on their inflow date, flagged when the
    resident turns 18 soon), their ZRM assessments ("zrm") and warm handovers ("handover")
    that the user may see (Trajectory.objects.visible_to), as case-file timeline entries: of
    each kind in `kinds` the newest `limit` (wijk.core.timeline), and one READ entry in the
    access log naming them. For the case file, which has already checked that the user may
    see the resident; roles without person-level access get none."""
    if not gate_for(user).person_level:
        return []
    visible = Trajectory.objects.visible_to(user).filter(resident=resident)
    entries: list[TimelineEntry] = []
    if "trajectory" in kinds:
        today = timezone.localdate()
        trajectories = visible.order_by("-inflow_date", "-pk")[:limit]
        entries.extend(
            _trajectory_entry(values, born=resident.date_of_birth, today=today)
            for values in _TIMELINE_TRAJECTORY_COLUMNS.read(trajectories)
        )
    if "zrm" in kinds:
        assessments = ZrmAssessment.objects.filter(trajectory__in=visible.values("pk"))
        newest = _TIMELINE_ZRM_COLUMNS.read(assessments.order_by("-assessed_on", "-pk")[:limit])
        scores = _zrm_scores([values["pk"] for values in newest])
        entries.extend(_zrm_entry(values, scores[values["pk"]]) for values in newest)
    if "handover" in kinds:
        handovers = Handover.objects.filter(trajectory__in=visible.values("pk"))
        newest = _TIMELINE_HANDOVER_COLUMNS.read(
            handovers.order_by("-handed_over_on", "-pk")[:limit]
        )
        entries.extend(map(_handover_entry, newest))
    if entries:
        log_read(user=user, objects=[entry.ref for entry in entries], resident_id=resident.pk)
    return entries


def coordinator_choices_for_user(*, user: User) -> list[User]:
    """Who may coordinate a trajectory the user starts: who may hold the work of the user's
    active teams (organisations.selectors.workers_of)."""
    return list(workers_of(teams=Team.objects.active_for(user)))


def teams_of(user: User) -> list[Team]:
    return list(Team.objects.active_for(user).order_by("name"))


# A running trajectory is due for a ZRM evaluation when none was scored for this many days
# (about six months; ADR 0029).
EVALUATION_DUE_DAYS = 182


@dataclass(frozen=True)
class TrajectoryCounts:
    """What the start page counts of running trajectories (wijk.trajectories.home)."""

    coordinating: int
    evaluation_due: int  # of those the user coordinates
    team_evaluation_due: int  # of the user's active teams; 0 unless the user oversees teams


def trajectory_counts_for_user(*, user: User) -> TrajectoryCounts:
    """Counts of the running trajectories the user may see, in one query; no trajectory is
    shown, so nothing is written to the access log."""
    require_or_refuse(gate_for(user).person_level, user=user)
    cutoff = timezone.localdate() - datetime.timedelta(days=EVALUATION_DUE_DAYS)
    recent = ZrmAssessment.objects.filter(trajectory=OuterRef("pk"), assessed_on__gte=cutoff)
    due = Q(inflow_date__lt=cutoff) & ~Q(Exists(recent))
    mine = Q(coordinator=user)
    in_team = Q(team__in=Team.objects.active_for(user).values("pk"))
    counts = (
        Trajectory.objects.visible_to(user)
        .exclude(status=TrajectoryStatus.CLOSED)
        .aggregate(
            coordinating=Count("pk", filter=mine),
            evaluation_due=Count("pk", filter=mine & due),
            team_evaluation_due=Count("pk", filter=in_team & due),
        )
    )
    if not gate_for(user).oversee_teams:
        counts["team_evaluation_due"] = 0
    return TrajectoryCounts(**counts)


def trajectories_of_household_for_user(*, user: User, household_id: int) -> list[Trajectory]:
    """The trajectories of a household's members that the user may see, the newest first:
    what a support plan of that household may link to as its solution (wijk.plans). The
    list is logged as shown."""
    trajectories = list(
        _queryset(user).filter(household_id=household_id).order_by("-inflow_date", "-pk")
    )
    if trajectories:
        log_list(user=user, objects=refs_with_resident(trajectories))
    return trajectories


def trajectories_among_for_user(*, user: User, pks: Collection[int]) -> list[Trajectory]:
    """Those of the trajectories `pks` that the user may see, the newest first: the ones a
    support plan links to, to record a ZRM at its evaluation (wijk.plans). Logged as shown."""
    if not pks:
        return []
    trajectories = list(_queryset(user).filter(pk__in=pks).order_by("-inflow_date", "-pk"))
    if trajectories:
        log_list(user=user, objects=refs_with_resident(trajectories))
    return trajectories


# ---------------------------------------------------------------------------------------------
# Data quality (seed 002 §8.2, ADR 0047): the trajectories' checks, read for the report

# A trajectory has had this long to get its first ZRM assessment before it counts as missing.
ZRM_START_GRACE_DAYS = 30

TRAJECTORY_CHECKS = (
    QualityCheck(
        code="trajectory_resident_without_address",
        category=Category.COMPLETENESS,
        title=_("Traject van een inwoner zonder adres"),
        explanation=_(
            "Het traject loopt nog, maar de inwoner heeft geen adres. Dan telt het traject "
            "niet mee in de cijfers per wijk. Vul het adres van de inwoner aan."
        ),
    ),
    QualityCheck(
        code="trajectory_without_start_zrm",
        category=Category.COMPLETENESS,
        title=_("Traject zonder ZRM bij de start"),
        explanation=_(
            "Het traject loopt al meer dan 30 dagen, maar er is geen ZRM-meting bij de start. "
            "Zonder die meting kunnen we de verandering in zelfredzaamheid niet meten. "
            "Trajecten in de Sociale Basis tellen hier niet mee."
        ),
    ),
    QualityCheck(
        code="trajectory_without_end_zrm",
        category=Category.COMPLETENESS,
        title=_("Afgesloten traject zonder ZRM aan het einde"),
        explanation=_(
            "Het traject is afgesloten zonder ZRM-meting aan het einde. Zonder die meting "
            "kunnen we de verandering in zelfredzaamheid niet meten. Trajecten in de Sociale "
            "Basis tellen hier niet mee."
        ),
    ),
    QualityCheck(
        code="trajectory_date_in_future",
        category=Category.VALIDITY,
        title=_("Traject met een datum in de toekomst"),
        explanation=_("De datum van instroom of uitstroom ligt na vandaag. Dat kan niet."),
    ),
    QualityCheck(
        code="trajectory_code_not_valid",
        category=Category.VALIDITY,
        title=_("Traject met een keuze die toen niet gold"),
        explanation=_(
            "De reden van instroom, het belangrijkste leefgebied of de reden van uitstroom "
            "stond op die datum niet in de keuzelijst. Kies een keuze die toen gold."
        ),
    ),
    QualityCheck(
        code="trajectory_registered_late",
        category=Category.TIMELINESS,
        title=_("Traject laat vastgelegd"),
        explanation=_(
            "Het traject is meer dan 30 dagen na de datum van instroom vastgelegd. Dan "
            "veranderen cijfers die al zijn doorgegeven. Leg een traject vast zodra het begint."
        ),
    ),
)


def _trajectory_conditions(today: datetime.date) -> dict[str, Q]:
    zrm_expected = ~Q(part=Part.SOCIALE_BASIS)

    def zrm_at(moment: str) -> Exists:
        return Exists(ZrmAssessment.objects.filter(trajectory=OuterRef("pk"), moment=moment))

    return {
        "trajectory_resident_without_address": Q(resident__address__isnull=True)
        & ~Q(status=TrajectoryStatus.CLOSED),
        "trajectory_without_start_zrm": zrm_expected
        & Q(inflow_date__lt=today - datetime.timedelta(days=ZRM_START_GRACE_DAYS))
        & Q(~zrm_at(ZrmMoment.START)),
        "trajectory_without_end_zrm": zrm_expected
        & Q(status=TrajectoryStatus.CLOSED)
        & Q(~zrm_at(ZrmMoment.END)),
        "trajectory_date_in_future": Q(inflow_date__gt=today) | Q(outflow_date__gt=today),
        "trajectory_code_not_valid": code_not_valid("inflow_reason", F("inflow_date"))
        | code_not_valid("primary_life_domain", F("inflow_date"))
        | code_not_valid("outflow_reason", F("outflow_date")),
        "trajectory_registered_late": Q(
            created_at__date__gt=ExpressionWrapper(
                F("inflow_date") + later_than(), output_field=DateField()
            )
        ),
    }


def trajectory_quality_counts(*, today: datetime.date) -> dict[tuple[str, str], int]:
    """Per check and wijk (the resident's address), the city's trajectories that fail it:
    counts only, for nobody in particular (the feed's summary)."""
    return counts_per_wijk(
        Trajectory.objects.all(),
        wijk="resident__address__buurt__wijk__code",
        conditions=_trajectory_conditions(today),
    )


def trajectory_quality_team_counts(*, user: User, today: datetime.date) -> dict[str, int]:
    """Per check, the trajectories of the team lead's active teams that fail it (the team
    rule, as for counts of requests: ADR 0020); nothing for other roles."""
    if not gate_for(user).oversee_teams:
        return {}
    teams = Team.objects.active_for(user).values("pk")
    return counts_of(
        Trajectory.objects.filter(team__in=teams), conditions=_trajectory_conditions(today)
    )


_QUALITY_COLUMNS = Columns(
    {
        "pk": "pk",
        "resident_id": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "inflow_date": "inflow_date",
    }
)


def _quality_row(values: Values, *, on_resident: bool) -> QualityRow:
    # The resident's address is put right on the resident's page; the rest on the trajectory's.
    url = (
        reverse("residents:detail", args=[values["resident_id"]])
        if on_resident
        else reverse("trajectories:detail", args=[values["pk"]])
    )
    name = full_name_of(values["given_names"], values["name_prefix"], values["family_name"])
    return QualityRow(
        pk=values["pk"],
        title=gettext("Traject van %(name)s") % {"name": name},
        day=values["inflow_date"],
        url=url,
    )


def trajectory_quality_rows(
    *, user: User, code: str, today: datetime.date, limit: int
) -> Capped[QualityRow]:
    """The team lead's trajectories that fail check `code`: of their active teams and visible
    to them (the one rule, ADR 0020), oldest inflow first, at most `limit`, logged as a
    list."""
    require_or_refuse(gate_for(user).oversee_teams, user=user)
    teams = Team.objects.active_for(user).values("pk")
    on_resident = code == "trajectory_resident_without_address"
    return capped_rows(
        user=user,
        queryset=Trajectory.objects.visible_to(user)
        .filter(team__in=teams)
        .filter(_trajectory_conditions(today)[code])
        .order_by("inflow_date", "pk"),
        columns=_QUALITY_COLUMNS,
        build=lambda values: _quality_row(values, on_resident=on_resident),
        refs=record_refs(Trajectory, resident="resident_id"),
        limit=limit,
    )


TRAJECTORY_QUALITY = QualitySource(
    checks=TRAJECTORY_CHECKS,
    counts=trajectory_quality_counts,
    team_counts=trajectory_quality_team_counts,
    rows=trajectory_quality_rows,
)


# ---------------------------------------------------------------------------------------------
# The record-level part of the daily feed (docs/adr/0050): a system read, with no user. The
# feed service alone calls it, after checking the recorded legal basis and the key, and logs
# the delivery as one access-log entry with its row counts.

FEED_CHUNK = 2000


def trajectories_for_feed(
    *, since: datetime.date | None, first_day: datetime.date
) -> Iterator[Any]:
    """Every trajectory the feed delivers, streamed from the database in chunks in the order
    of registration (primary key), as named rows: pk, resident_id, born (for the age band
    only: never delivered), wijk_code (of the resident's address), help_request_id (None
    without a request; the ids are internal, the feed turns them into pseudonyms), part,
    inflow_date, inflow_reason, life_domain, youth_support, status, outflow_date,
    outflow_reason.

    Full (`since` None): those begun on or after `first_day`, still running, or ended on or
    after it. Incremental: those registered, begun, ended or otherwise moved on (a status
    change) on or after `since`."""
    if since is None:
        wanted = (
            Q(inflow_date__gte=first_day)
            | Q(outflow_date__isnull=True)
            | Q(outflow_date__gte=first_day)
        )
    else:
        wanted = (
            Q(created_at__date__gte=since)
            | Q(inflow_date__gte=since)
            | Q(outflow_date__gte=since)
            | Q(
                Exists(
                    TrajectoryStatusChange.objects.filter(
                        trajectory=OuterRef("pk"), at__date__gte=since
                    )
                )
            )
        )
    return (
        Trajectory.objects.filter(wanted)
        .order_by("pk")
        .values_list(
            "pk",
            "resident_id",
            "resident__date_of_birth",
            "resident__address__buurt__wijk__code",
            "help_request_id",
            "part",
            "inflow_date",
            "inflow_reason__code",
            "primary_life_domain__code",
            "youth_support",
            "status",
            "outflow_date",
            "outflow_reason__code",
            named=True,
        )
        .iterator(chunk_size=FEED_CHUNK)
    )
