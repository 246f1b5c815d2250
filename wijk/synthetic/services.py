"""Writing the synthetic city: the demo's organisations and teams (idempotent), their staff,
the generated households, addresses, residents and memberships, and the teams' daily work
(requests, trajectories, ZRM scores, short contacts, activities) in bulk.

On PostgreSQL the rows go in with COPY, as a bulk load should (PostgreSQL manual, "Populating
a Database"): ids are assigned here from each table's sequence, so rows name the rows they
refer to without a round trip per row; the tables are locked until commit (readers wait too),
their plain indexes are dropped and built again afterwards, and their foreign keys are dropped
and added back, which checks every row at once. Generating (in a worker thread) and loading
overlap, and so does the server's index building: the city's while the work is generated,
the requests' while the short contacts and activities are. (Autovacuum analyzes the new rows
within a minute or so; run ANALYZE to have the planner's statistics at once.) Elsewhere (the
demo's SQLite) `bulk_create` in batches. Either way the whole seed is one transaction: an
interrupted seed leaves nothing behind, never half a household or a request without its
history.

These writes carry no acting user and no access-log entry: the seed is an operator's command
on a demo or benchmark database, not a change made by someone in the service. The one
exception is the demo professional's own caseload (demo_caseload_ensure), which the demo's
team lead shares out through the services.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import queue
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import structlog
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Field, Max, Model, Q
from django.utils.text import slugify

from wijk.accounts.models import Role, User
from wijk.areas.models import Buurt, District, Wijk
from wijk.core.calendar import is_working_day
from wijk.organisations.models import Organisation, OrganisationKind, Team
from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import HelpRequest
from wijk.requests.services import request_assign
from wijk.residents.models import Resident
from wijk.synthetic import rows as declared
from wijk.synthetic.generate import (
    Area,
    DrawnHousehold,
    DrawnResident,
    city_households,
    resident_target,
)
from wijk.synthetic.rows import address_row, household_row, membership_row, resident_row
from wijk.synthetic.work import (
    CityIndex,
    Deadlines,
    TeamArea,
    WijkInfo,
    WorkChunk,
    WorkSetting,
    person_name,
    staff_plan,
    work_generate,
)
from wijk.trajectories.models import Trajectory
from wijk.trajectories.services import trajectory_coordinator_change
from wijk.trajectories.workflow import TrajectoryStatus

try:  # psycopg's row formatter for binary COPY (C with psycopg[binary]); see _copy
    from psycopg._copy_base import format_row_binary as _format_row_binary
except ImportError:  # pragma: no cover
    _format_row_binary = None

log = structlog.get_logger(__name__)

# The consortium behind Gewoon in de Wijk in the demo; the first is the lead partner, which
# employs the teams. Fictitious names, as are the volunteer organisations that run some of
# the group activities.
CONSORTIUM_MEMBERS = (
    "Stichting Wijkkracht Haarlem",
    "Spaarne Welzijn en Zorg",
    "Jeugd en Gezin Kennemerland",
    "Stichting Geldzorg Haarlem",
)
VOLUNTEER_ORGANISATIONS = (
    "Buurtvereniging Het Spaarnehof",
    "Stichting Buurtkracht Schalkwijk",
    "Vrijwilligersgroep De Kleine Hout",
)
TEAM_PREFIX = "Sociaal Wijkteam"
INTAKE_TEAM = "Intaketeam"
# Reference lists the work draws its codes from.
CODE_LISTS = (
    "channels",
    "referrer_types",
    "inflow_reasons",
    "life_domains",
    "outflow_reasons",
    "out_of_scope_provisions",
    "policy_themes",
    "target_groups",
)

CHUNK_HOUSEHOLDS = 10_000  # households generated and written at a time
ORM_BATCH_HOUSEHOLDS = 2_000  # households per bulk_create round
CITY = "Haarlem"


def _tables(tables: Mapping[str, declared.Table]) -> dict[str, tuple[type[Model], tuple[str, ...]]]:
    """Per table key: the model and the fields its rows hold, from the rows' declarations."""
    return {key: (apps.get_model(table.model), table.fields) for key, table in tables.items()}


CITY_TABLES = _tables(declared.CITY_TABLES)
WORK_TABLES = _tables(declared.WORK_TABLES)
# Every table the seed fills, by the key its row count is reported under.
TABLES: dict[str, tuple[type[Model], tuple[str, ...]]] = CITY_TABLES | WORK_TABLES

# A bar: called with a label and a total, it gives a context whose value is told progress.
Progress = Callable[[str, int | None], AbstractContextManager[Callable[[int], object]]]


@dataclass(frozen=True)
class TeamsResult:
    organisations_created: int
    teams_created: int
    wijken_uncovered: int  # wijken of the newest CBS year without a stadsdeel, so no team


@dataclass(frozen=True)
class SeedReport:
    rows: dict[str, int]  # per table key of TABLES
    seconds: float
    teams: TeamsResult
    staff_created: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


# -- reads the seed needs ----------------------------------------------------------------------


def residents_exist() -> bool:
    return Resident.objects.exists()


def city_areas() -> list[Area]:
    """The buurten of the newest CBS year, with their wijk and stadsdeel."""
    newest = Buurt.objects.aggregate(year=Max("source_year"))["year"]
    buurten = (
        Buurt.objects.filter(source_year=newest).select_related("wijk__district").order_by("code")
    )
    return [
        Area(
            buurt_id=buurt.pk,
            buurt_code=buurt.code,
            wijk_code=buurt.wijk.code,
            district=buurt.wijk.district.name if buurt.wijk.district else "",
        )
        for buurt in buurten
    ]


def bsns_taken() -> frozenset[str]:
    """BSNs already in the database, for the generator to avoid (none on a fresh database)."""
    return frozenset(bsn for bsn in Resident.objects.values_list("bsn", flat=True) if bsn)


# -- organisations and teams -------------------------------------------------------------------


@transaction.atomic
def demo_organisations_ensure() -> TeamsResult:
    """The consortium's member organisations, a few volunteer organisations, one "Sociaal
    Wijkteam <stadsdeel>" per stadsdeel covering its wijken of the newest CBS year, and the
    Intaketeam. Running it again changes nothing, except that the teams follow a newer CBS
    year when one is loaded."""
    organisations_created = teams_created = 0
    members = []
    for name in CONSORTIUM_MEMBERS:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": OrganisationKind.CONSORTIUM_MEMBER}
        )
        organisations_created += created
        members.append(organisation)
    for name in VOLUNTEER_ORGANISATIONS:
        _, created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": OrganisationKind.VOLUNTEER}
        )
        organisations_created += created
    lead = members[0]
    newest = Wijk.objects.aggregate(year=Max("source_year"))["year"]
    for district in District.objects.order_by("name"):
        wijken = list(Wijk.objects.filter(district=district, source_year=newest))
        if not wijken:
            continue
        team, created = Team.objects.get_or_create(
            name=f"{TEAM_PREFIX} {district.name}", defaults={"organisation": lead}
        )
        teams_created += created
        team.wijken.set(wijken)
    intake, created = Team.objects.get_or_create(
        name=INTAKE_TEAM, defaults={"organisation": lead, "is_intake": True}
    )
    teams_created += created
    if not intake.is_intake:
        intake.is_intake = True
        intake.save(update_fields=["is_intake"])
    uncovered = Wijk.objects.filter(source_year=newest, district__isnull=True).count()
    log.info(
        "demo_organisations_ensured",
        organisations_created=organisations_created,
        teams_created=teams_created,
        wijken_uncovered=uncovered,
    )
    return TeamsResult(organisations_created, teams_created, uncovered)


def _seed_teams() -> list[Team]:
    """The active teams demo_organisations_ensure manages, by name."""
    return list(
        Team.objects.filter(active=True)
        .filter(Q(name__startswith=f"{TEAM_PREFIX} ") | Q(name=INTAKE_TEAM, is_intake=True))
        .order_by("name")
    )


def team_slug(team: Team) -> str:
    """The team's part of staff usernames: "Sociaal Wijkteam Zuid-West" -> "zuid-west"."""
    return slugify(team.name.removeprefix(TEAM_PREFIX).strip()) or f"team{team.pk}"


def team_areas() -> list[TeamArea]:
    newest = Wijk.objects.aggregate(year=Max("source_year"))["year"]
    return [
        TeamArea(
            team_id=team.pk,
            slug=team_slug(team),
            wijk_codes=frozenset(
                team.wijken.filter(source_year=newest).values_list("code", flat=True)
            ),
            is_intake=team.is_intake,
        )
        for team in _seed_teams()
    ]


@dataclass(frozen=True)
class Staff:
    professionals: dict[int, list[int]]  # team id -> user ids, in username order
    team_leads: dict[int, list[int]]
    created: int


def staff_ensure(*, plan: Mapping[int, tuple[int, int]]) -> Staff:
    """At least so many professionals and team leads per team (team id -> (professionals,
    leads)): users `prof-<team>-<n>` and `lead-<team>-<n>`, members of their team, with an
    unusable password and no authenticator (nobody logs in as them until an administrator
    sets that up). Existing ones are kept; running it again creates nothing."""
    teams = {team.pk: team for team in Team.objects.filter(pk__in=list(plan))}
    wanted: dict[str, tuple[Team, str]] = {}
    for team_id, (professional_count, lead_count) in sorted(plan.items()):
        team = teams[team_id]
        slug = team_slug(team)
        for number in range(1, professional_count + 1):
            wanted[f"prof-{slug}-{number}"] = (team, Role.PROFESSIONAL)
        for number in range(1, lead_count + 1):
            wanted[f"lead-{slug}-{number}"] = (team, Role.TEAM_LEAD)
    existing = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "role"))
    for username, role in existing.items():
        if role != wanted[username][1]:
            raise ValueError(
                f"User {username} exists with role {role}: the seed's staff names are taken."
            )
    unusable = make_password(None)
    new_users = []
    for username, (team, role) in wanted.items():
        if username in existing:
            continue
        first_name, last_name = person_name(username)
        new_users.append(
            User(
                username=username,
                role=role,
                organisation_id=team.organisation_id,
                first_name=first_name,
                last_name=last_name,
                password=unusable,
                role_approved=True,  # seeded staff count as approved (docs/adr/0019)
            )
        )
    User.objects.bulk_create(new_users, batch_size=500)
    ids = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "pk"))
    membership = Team.members.through
    membership.objects.bulk_create(
        [membership(team_id=team.pk, user_id=ids[name]) for name, (team, _) in wanted.items()],
        ignore_conflicts=True,
        batch_size=1000,
    )
    professionals: dict[int, list[int]] = {team_id: [] for team_id in plan}
    leads: dict[int, list[int]] = {team_id: [] for team_id in plan}
    for username, (team, role) in wanted.items():
        (professionals if role == Role.PROFESSIONAL else leads)[team.pk].append(ids[username])
    log.info("seed_staff_ensured", users_created=len(new_users), teams=len(plan))
    return Staff(professionals=professionals, team_leads=leads, created=len(new_users))


# -- the demo professional's own caseload ------------------------------------------------------

DEMO_OPEN_REQUESTS = 10
DEMO_OPEN_TRAJECTORIES = 4


@dataclass(frozen=True)
class Caseload:
    requests: int  # the professional's open requests of the team
    trajectories: int  # the open trajectories of the team the professional coordinates
    requests_assigned: int  # by this run
    trajectories_taken_over: int  # by this run


def _hand_over_order(rows: Sequence[tuple[int, int | None]]) -> list[int]:
    """The pks of (pk, holder) rows in the order to share them out: the unassigned first,
    then those of the busiest holder, and so on; within each, in the order given."""
    load = Counter(holder for _pk, holder in rows if holder is not None)

    def rank(item: tuple[int, tuple[int, int | None]]) -> tuple[bool, int, int, int]:
        index, (_pk, holder) = item
        if holder is None:
            return (False, 0, 0, index)
        return (True, -load[holder], holder, index)

    return [pk for _index, (pk, _holder) in sorted(enumerate(rows), key=rank)]


def demo_caseload_ensure(
    *,
    actor: User,
    professional: User,
    team: Team,
    requests: int = DEMO_OPEN_REQUESTS,
    trajectories: int = DEMO_OPEN_TRAJECTORIES,
) -> Caseload:
    """Give the demo professional an own caseload in the seeded city, as the team lead
    (`actor`, verified) shares out the work: open requests of the team up to `requests`, the
    team's unassigned ones first, then those of the busiest professional of the seed (most
    urgent first); and the coordination of open trajectories of the team up to
    `trajectories`, taken over from the busiest professional of the seed.

    Unlike the rest of the seed this goes through the services, as changes made by someone
    in the service: each one is checked and in the access log under the actor. Running it
    again changes nothing once the caseload is there; without seeded work it does nothing."""
    seeded = User.objects.filter(
        teams=team, role=Role.PROFESSIONAL, username__startswith=f"prof-{team_slug(team)}-"
    ).exclude(pk=professional.pk)
    open_requests = HelpRequest.objects.open().filter(team=team)
    own_requests = open_requests.filter(assigned_to=professional).count()
    wanted = requests - own_requests
    assigned = 0
    if wanted > 0:
        rows = list(
            open_requests.filter(Q(assigned_to__isnull=True) | Q(assigned_to__in=seeded))
            .order_by("first_contact_due", "received_at", "pk")
            .values_list("pk", "assigned_to")
        )
        for pk in _hand_over_order(rows)[:wanted]:
            request_assign(
                actor=actor,
                help_request=HelpRequest.objects.get(pk=pk),
                assignee=professional,
            )
            assigned += 1
    open_trajectories = Trajectory.objects.filter(team=team).exclude(status=TrajectoryStatus.CLOSED)
    own_trajectories = open_trajectories.filter(coordinator=professional).count()
    wanted = trajectories - own_trajectories
    taken_over = 0
    if wanted > 0:
        rows = list(
            open_trajectories.filter(coordinator__in=seeded)
            .order_by("inflow_date", "pk")
            .values_list("pk", "coordinator")
        )
        for pk in _hand_over_order(rows)[:wanted]:
            trajectory_coordinator_change(
                actor=actor,
                trajectory=Trajectory.objects.get(pk=pk),
                coordinator=professional,
                reason="Verdeling van het werk voor de demo",
            )
            taken_over += 1
    log.info(
        "demo_caseload_ensured",
        user_id=professional.pk,
        team_id=team.pk,
        requests_assigned=assigned,
        trajectories_taken_over=taken_over,
    )
    return Caseload(
        requests=own_requests + assigned,
        trajectories=own_trajectories + taken_over,
        requests_assigned=assigned,
        trajectories_taken_over=taken_over,
    )


# -- the work's setting ------------------------------------------------------------------------


def _codes(as_of: datetime.date) -> tuple[dict[str, dict[str, int]], frozenset[str]]:
    """Codes valid on the as-of date, per list; and the policy themes that have a parent."""
    codes: dict[str, dict[str, int]] = {slug: {} for slug in CODE_LISTS}
    sub_themes = set()
    rows = Code.objects.filter(code_list__slug__in=CODE_LISTS).valid_on(as_of)
    for slug, code, pk, parent in rows.values_list("code_list__slug", "code", "pk", "parent_id"):
        codes[slug][code] = pk
        if slug == "policy_themes" and parent is not None:
            sub_themes.add(code)
    return codes, frozenset(sub_themes)


def _deadlines(moment: datetime.datetime) -> Deadlines:
    deadlines = request_deadlines(moment)
    return Deadlines(deadlines.first_contact, deadlines.support, deadlines.investigation)


def _working_day(day: datetime.date) -> bool:
    return is_working_day(day, liberation_day_every_year=settings.WIJK_LIBERATION_DAY_EVERY_YEAR)


def work_setting(
    *,
    city: CityIndex,
    areas: Sequence[Area],
    scale: float,
    years: int,
    as_of: datetime.date,
    first_ids: Mapping[str, int],
) -> tuple[WorkSetting, Staff]:
    """What the work generator needs from the database, staff included (created as needed
    for the city's size: see wijk.synthetic.work.staff_plan)."""
    teams = team_areas()
    if not any(team.is_intake for team in teams):
        raise ValueError("There is no intake team: the seed's team set-up did not run.")
    plan = staff_plan(city=city, areas=areas, teams=teams, scale=scale, years=years)
    staff = staff_ensure(plan=plan)
    codes, sub_themes = _codes(as_of)
    newest = Wijk.objects.aggregate(year=Max("source_year"))["year"]
    wijken = [
        WijkInfo(wijk_id=pk, code=code, name=name)
        for pk, code, name in Wijk.objects.filter(source_year=newest)
        .order_by("code")
        .values_list("pk", "code", "name")
    ]
    lead = Organisation.objects.filter(name=CONSORTIUM_MEMBERS[0]).values_list("pk", flat=True)
    organisers = list(lead) + list(
        Organisation.objects.filter(name__in=CONSORTIUM_MEMBERS[1:] + VOLUNTEER_ORGANISATIONS)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    setting = WorkSetting(
        areas=areas,
        teams=teams,
        wijken=wijken,
        codes=codes,
        sub_themes=sub_themes,
        organisers=organisers,
        professionals=staff.professionals,
        team_leads=staff.team_leads,
        first_ids=first_ids,
        working_day=_working_day,
        deadlines=_deadlines,
        decider=decider_ensure(),
    )
    return setting, staff


DECIDER_USERNAME = "gemeente-besluiten-1"


def decider_ensure() -> int:
    """The user of the municipality's decision desk who decides the seed's decision cases
    (ADR 0040): `gemeente-besluiten-1`, no organisation, an unusable password, as the seed's
    staff (see staff_ensure). Returns the user's id."""
    first_name, last_name = person_name(DECIDER_USERNAME)
    user, _ = User.objects.get_or_create(
        username=DECIDER_USERNAME,
        defaults={
            "role": Role.MUNICIPALITY_DECISIONS,
            "first_name": first_name,
            "last_name": last_name,
            "password": make_password(None),
            "role_approved": True,
        },
    )
    if user.role != Role.MUNICIPALITY_DECISIONS:
        raise ValueError(f"User {DECIDER_USERNAME} exists with role {user.role}.")
    return int(user.pk)


# -- the seed ----------------------------------------------------------------------------------


def city_seed(
    *,
    seed: int,
    scale: float,
    years: int,
    as_of: datetime.date,
    progress: Progress | None = None,
) -> SeedReport:
    """Ensure the demo's organisations and teams, generate the city and write it, then the
    staff and the work of `years` years up to `as_of`; all in one transaction. On PostgreSQL
    generating and writing overlap (the rows stream into COPY as they are made)."""
    with transaction.atomic():
        teams = demo_organisations_ensure()
        started = time.perf_counter()
        areas = city_areas()
        city = CityIndex()
        households = city.collect(
            city_households(
                seed=seed,
                scale=scale,
                years=years,
                as_of=as_of,
                areas=areas,
                taken_bsns=bsns_taken() if residents_exist() else frozenset(),
            )
        )
        writer = _CopyWriter() if connection.vendor == "postgresql" else _OrmWriter()
        with writer:
            rows = writer.city(households, expected=resident_target(scale), progress=progress)
            setting, staff = work_setting(
                city=city,
                areas=areas,
                scale=scale,
                years=years,
                as_of=as_of,
                first_ids=writer.first_ids,
            )
            work = work_generate(
                seed=seed, scale=scale, years=years, as_of=as_of, city=city, setting=setting
            )
            rows |= writer.work(
                work,
                months=years * 12 + 1,
                progress=progress,
                meanwhile=lambda: writer.tables_done(CITY_TABLES),
            )
    report = SeedReport(
        rows=rows, seconds=time.perf_counter() - started, teams=teams, staff_created=staff.created
    )
    log.info(
        "city_seeded",
        seed=seed,
        scale=scale,
        years=years,
        rows=report.total_rows,
        seconds=round(report.seconds, 2),
    )
    return report


@contextlib.contextmanager
def _bar(
    progress: Progress | None, label: str, total: int | None
) -> Iterator[Callable[[int], None]]:
    """Told progress, held at the total (the last household may overshoot the estimate)."""
    if progress is None:
        yield lambda count: None
        return
    with progress(label, total) as advance:
        done = 0

        def told(count: int) -> None:
            nonlocal done
            step = count if total is None else max(0, min(count, total - done))
            done += step
            advance(step)

        yield told


class _Ahead[T]:
    """The items, drawn by a worker thread up to `size` ahead, from the moment this is made:
    the worker generates while this thread waits for the database (psycopg releases the GIL
    while it waits), so generating and loading overlap. The worker touches no database.
    Meanwhile the interpreter switches threads every millisecond rather than every five, so
    the loading thread gets the GIL back soon after each write to the server (measured: a
    fifth off the time to write the work). close() stops the worker and restores that."""

    def __init__(self, items: Iterable[T], size: int = 2) -> None:
        self.switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self.switch_interval, 0.001))
        self.queue: queue.Queue[tuple[T] | BaseException | None] = queue.Queue(maxsize=size)
        self.stop = threading.Event()
        self.worker = threading.Thread(
            target=self._work, args=(items,), name="wijk-seed-generate", daemon=True
        )
        self.worker.start()

    def _work(self, items: Iterable[T]) -> None:
        try:
            for item in items:
                if self.stop.is_set():
                    return
                self.queue.put((item,))
            self.queue.put(None)
        except BaseException as error:  # handed to the consumer, raised there
            self.queue.put(error)

    def __iter__(self) -> Iterator[T]:
        while (entry := self.queue.get()) is not None:
            if isinstance(entry, BaseException):
                raise entry
            yield entry[0]

    def close(self) -> None:
        self.stop.set()
        while self.worker.is_alive():  # let a worker blocked on a full queue see the stop
            with contextlib.suppress(queue.Empty):
                self.queue.get(timeout=0.05)
        sys.setswitchinterval(self.switch_interval)


def copy_columns(model: type[Model], fields: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The columns to write for these fields, followed by the model's other columns (fields
    added since this module was written), which get their default value."""
    columns: list[str] = []
    for name in fields:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or field.column is None:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        columns.append(field.column)
    extra_columns: list[str] = []
    defaults: list[Any] = []
    for concrete in model._meta.concrete_fields:
        if concrete.column is not None and concrete.column not in columns:
            extra_columns.append(concrete.column)
            defaults.append(concrete.get_default())
    return columns + extra_columns, tuple(defaults)


def city_rows(
    batch: Sequence[tuple[DrawnHousehold, Sequence[DrawnResident]]],
    *,
    first_ids: Mapping[str, int],
    households_before: int,
    residents_before: int,
) -> dict[str, list[tuple[object, ...]]]:
    """The rows of the city's tables (keys of CITY_TABLES) for a batch of households with their
    residents, after `households_before` households and `residents_before` residents: one
    address per household, and one membership per resident."""
    address_0, household_0 = first_ids["addresses"], first_ids["households"]
    resident_0, membership_0 = first_ids["residents"], first_ids["memberships"]
    # each resident with the position of their household in the whole city
    members = [
        (position, row)
        for position, (_, residents) in enumerate(batch, households_before)
        for row in residents
    ]
    return {
        "addresses": [
            address_row(
                id=address_0 + position,
                street=row.street,
                house_number=row.house_number,
                house_letter=row.house_letter,
                house_number_addition=row.house_number_addition,
                postcode=row.postcode,
                city=CITY,
                buurt=row.buurt_id,
            )
            for position, (row, _) in enumerate(batch, households_before)
        ],
        "households": [
            household_row(
                id=household_0 + position, address=address_0 + position, created_at=row.created_at
            )
            for position, (row, _) in enumerate(batch, households_before)
        ],
        "residents": [
            resident_row(
                id=resident_0 + index,
                given_names=row.given_names,
                name_prefix=row.name_prefix,
                family_name=row.family_name,
                date_of_birth=row.date_of_birth,
                bsn=row.bsn,
                phone=row.phone,
                email=row.email,
                address=address_0 + position,
                created_at=row.created_at,
            )
            for index, (position, row) in enumerate(members, residents_before)
        ],
        "memberships": [
            membership_row(
                id=membership_0 + index,
                household=household_0 + position,
                resident=resident_0 + index,
                relation=row.relation,
            )
            for index, (position, row) in enumerate(members, residents_before)
        ],
    }


class _Writer:
    """Writes the seed's tables; `first_ids` holds the first id of each (by TABLES key)."""

    first_ids: dict[str, int]

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        return None

    def rows(self, key: str, rows: Sequence[tuple[object, ...]]) -> None:
        raise NotImplementedError

    def tables_done(self, keys: Iterable[str]) -> None:
        """No more rows for these tables (keys of TABLES)."""

    def city(
        self,
        households: Iterable[tuple[DrawnHousehold, list[DrawnResident]]],
        *,
        expected: int | None,
        progress: Progress | None,
        chunk: int = CHUNK_HOUSEHOLDS,
    ) -> dict[str, int]:
        """Households with their residents (as city_households makes them), a chunk at a
        time. Returns the rows written per table; `expected` residents size the bar."""
        households_written = residents_written = 0
        batches = _Ahead(itertools.batched(households, chunk))
        with contextlib.closing(batches), _bar(progress, "residents", expected) as advance:
            for batch in batches:
                for key, rows in city_rows(
                    batch,
                    first_ids=self.first_ids,
                    households_before=households_written,
                    residents_before=residents_written,
                ).items():
                    self.rows(key, rows)
                residents = sum(len(residents) for _, residents in batch)
                households_written += len(batch)
                residents_written += residents
                advance(residents)
        return {
            "addresses": households_written,
            "households": households_written,
            "residents": residents_written,
            "memberships": residents_written,
        }

    def work(
        self,
        chunks: Iterable[WorkChunk],
        *,
        months: int,
        progress: Progress | None,
        meanwhile: Callable[[], object] = lambda: None,
    ) -> dict[str, int]:
        """The work, a month at a time; returns the rows written per table. `meanwhile` runs
        once the work is being generated, before it is written."""
        counts = dict.fromkeys(WORK_TABLES, 0)
        ahead = _Ahead(chunks, size=4)
        with contextlib.closing(ahead), _bar(progress, "months of work", months) as advance:
            meanwhile()
            for chunk in ahead:
                for key, rows in chunk.rows.items():
                    if rows:
                        self.rows(key, rows)
                        counts[key] += len(rows)
                if chunk.finished:  # the next part is being generated meanwhile
                    self.tables_done(chunk.finished)
                advance(chunk.months)
        return counts


class _CopyWriter(_Writer):
    """PostgreSQL: COPY into every table of TABLES. Ids come from each table's sequence: under
    a lock that keeps everyone else out until commit, the next value is the first id, and at
    the end the sequence is moved past the last one used. The plain indexes and the foreign
    keys are dropped while loading, and built and checked once per table when its last rows
    are in (tables_done), the rest at the end."""

    def __enter__(self) -> _CopyWriter:
        self.cursor = connection.cursor().__enter__()
        self.models = [model for model, _ in TABLES.values()]
        tables = ", ".join(_table(model) for model in self.models)
        # ALTER TABLE below would take this lock anyway: take it first, not by upgrading
        self.cursor.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
        self.foreign_keys = _foreign_keys_drop(self.cursor, self.models)
        self.indexes = _indexes_drop(self.cursor, self.models)
        self.done: set[str] = set()
        self.sequences = {key: _sequence(self.cursor, model) for key, (model, _) in TABLES.items()}
        self.first_ids = {}
        for key, sequence in self.sequences.items():
            self.cursor.execute("SELECT nextval(%s)", [sequence])
            self.first_ids[key] = int(self.cursor.fetchone()[0])
        self.targets = {
            key: _target(self.cursor, model, fields) for key, (model, fields) in TABLES.items()
        }
        self.counts = dict.fromkeys(TABLES, 0)
        return self

    def rows(self, key: str, rows: Sequence[tuple[object, ...]]) -> None:
        _copy(self.cursor, self.targets[key], rows)
        self.counts[key] += len(rows)

    def tables_done(self, keys: Iterable[str]) -> None:
        """Build the indexes and add the foreign keys of these tables now (the city's, while
        the work is being generated), the rest at the end."""
        self._keys_restore({TABLES[key][0]._meta.db_table for key in keys})

    def _keys_restore(self, tables: set[str]) -> None:
        tables -= self.done
        self.done |= tables
        _indexes_add(self.cursor, [index for index in self.indexes if index[0] in tables])
        _foreign_keys_add(self.cursor, [key for key in self.foreign_keys if key[0] in tables])

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            if exc_type is None:
                for key, sequence in self.sequences.items():
                    # past the last id used; when none was, the next is the one taken above
                    first, count = self.first_ids[key], self.counts[key]
                    self.cursor.execute(
                        "SELECT setval(%s, %s, %s)",
                        [sequence, first + count - 1 if count else first, count > 0],
                    )
                self._keys_restore({model._meta.db_table for model in self.models})
        finally:
            self.cursor.__exit__(None, None, None)


class _OrmWriter(_Writer):
    """Elsewhere: bulk_create, with the ids assigned here."""

    def __enter__(self) -> _OrmWriter:
        self.first_ids = {key: _next_id(model) for key, (model, _) in TABLES.items()}
        self.attnames = {
            key: [model._meta.get_field(name).attname for name in fields]  # type: ignore[union-attr]
            for key, (model, fields) in TABLES.items()
        }
        return self

    def rows(self, key: str, rows: Sequence[tuple[object, ...]]) -> None:
        model = TABLES[key][0]
        names = self.attnames[key]
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=2000
        )

    def city(
        self,
        households: Iterable[tuple[DrawnHousehold, list[DrawnResident]]],
        *,
        expected: int | None,
        progress: Progress | None,
        chunk: int = ORM_BATCH_HOUSEHOLDS,
    ) -> dict[str, int]:
        return super().city(households, expected=expected, progress=progress, chunk=chunk)


def _next_id(model: type[Model]) -> int:
    """The first free id; safe inside the write transaction (SQLite takes its write lock at
    BEGIN, see settings)."""
    return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


# -- PostgreSQL: COPY --------------------------------------------------------------------------


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class _Target:
    """A table to COPY into: the statement, the column types binary COPY sends, and the
    default values of the columns the rows leave out."""

    statement: str
    types: list[int]
    defaults: tuple[Any, ...]


def _target(cursor: Any, model: type[Model], fields: Sequence[str]) -> _Target:
    columns, defaults = copy_columns(model, fields)
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass"
        " AND attname = ANY(%s)",
        [model._meta.db_table, columns],
    )
    type_of = {str(name): int(oid) for name, oid in cursor.fetchall()}
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    return _Target(
        statement=f"COPY {_table(model)} ({quoted}) FROM STDIN (FORMAT BINARY)",
        types=[type_of[column] for column in columns],
        defaults=defaults,
    )


# The binary COPY format's header and trailer (PostgreSQL manual, COPY, "Binary Format").
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\0" + b"\0\0\0\0" + b"\0\0\0\0"
_BINARY_TRAILER = b"\xff\xff"
_COPY_BUFFER = 1 << 20


def _copy(cursor: Any, target: _Target, rows: Iterable[Sequence[object]]) -> None:
    """COPY rows in PostgreSQL's binary format: psycopg encodes them in C, the server has
    nothing to parse, and NULLs and odd characters need no escaping. The rows go to the
    C formatter that psycopg's write_row calls, without write_row's two Python calls per
    row (a sixth of the seed's time in Python); if psycopg ever moves it, write_row."""
    defaults = target.defaults
    if defaults:
        rows = ((*row, *defaults) for row in rows)
    with cursor.copy(target.statement) as copy:
        copy.set_types(target.types)
        transformer = getattr(copy.formatter, "transformer", None)
        if _format_row_binary is None or transformer is None:
            for row in rows:
                copy.write_row(row)
            return
        buffer = bytearray(_BINARY_SIGNATURE)
        for row in rows:
            _format_row_binary(row, transformer, buffer)
            if len(buffer) > _COPY_BUFFER:
                copy.write(buffer)
                buffer = bytearray()
        buffer += _BINARY_TRAILER
        copy.write(buffer)


def _sequence(cursor: Any, model: type[Model]) -> str:
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, %s)",
        [model._meta.db_table, model._meta.pk.column],
    )
    return str(cursor.fetchone()[0])


def _foreign_keys_drop(cursor: Any, models: Sequence[type[Model]]) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of these tables, returning (table, name, definition) to put them
    back with. PostgreSQL checks a foreign key row by row while loading (here at commit,
    the keys being deferred); added back afterwards it checks all rows in one join. Checks
    still pending from earlier writes in this transaction run first (ALTER TABLE refuses a
    table with pending trigger events); then constraints are deferred again, as Django
    declares its foreign keys."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])"
        " ORDER BY 1, 2",
        [[model._meta.db_table for model in models]],
    )
    foreign_keys = [(str(table), str(name), str(definition)) for table, name, definition in cursor]
    for table, name, _ in foreign_keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    return foreign_keys


def _foreign_keys_add(cursor: Any, foreign_keys: Sequence[tuple[str, str, str]]) -> None:
    for table, name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def index_definitions(cursor: Any, tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(table, name, CREATE INDEX statement) of the indexes of these tables that no constraint
    owns:
    the foreign keys' indexes, Django's Meta.indexes and conditional unique constraints
    (which PostgreSQL keeps as unique indexes). Primary keys and unique constraints stay."""
    cursor.execute(
        "SELECT i.indrelid::regclass::text,"
        " quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
        " pg_get_indexdef(i.indexrelid)"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE i.indrelid = ANY(%s::regclass[])"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
        " ORDER BY 1",
        [list(tables)],
    )
    return [(str(table), str(name), str(sql)) for table, name, sql in cursor.fetchall()]


def _indexes_drop(cursor: Any, models: Sequence[type[Model]]) -> list[tuple[str, str, str]]:
    """Drop the plain indexes of these tables while loading, returning how to build them
    again: one sorted build per index afterwards is much cheaper than keeping a dozen
    indexes up to date row by row (PostgreSQL manual, "Populating a Database": remove
    indexes). A unique index built again checks every row, as loading would have."""
    indexes = index_definitions(cursor, [model._meta.db_table for model in models])
    for _, name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return indexes


def _indexes_add(cursor: Any, indexes: Sequence[tuple[str, str, str]]) -> None:
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, _, definition in indexes:
        cursor.execute(definition)
