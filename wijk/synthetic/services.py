"""Writing the synthetic city: the demo's organisations and teams (idempotent), and the
generated households, addresses, residents and memberships in bulk.

On PostgreSQL the rows go in with COPY, as a bulk load should (PostgreSQL manual, "Populating
a Database"): ids are assigned here from each table's sequence, so households, residents and
memberships name their addresses and households without a round trip per row; the tables are
locked until commit (readers wait too), and their foreign keys are dropped and added back,
which checks every row at once. Elsewhere (the demo's SQLite) `bulk_create` in batches.
Either way the whole city is written in one transaction: an interrupted seed leaves nothing
behind, never half a household.

These writes carry no acting user: the seed is an operator's command on a demo or benchmark
database, not a change made by someone in the service.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import structlog
from django.db import connection, transaction
from django.db.models import Field, Max, Model

from wijk.areas.models import Buurt, District, Wijk
from wijk.organisations.models import Organisation, OrganisationKind, Team
from wijk.residents.models import Address, Household, HouseholdMembership, Resident
from wijk.synthetic.generate import (
    Area,
    HouseholdRow,
    ResidentRow,
    city_households,
    resident_target,
)

log = structlog.get_logger(__name__)

# The consortium behind Gewoon in de Wijk in the demo; the first is the lead partner, which
# employs the teams. Fictitious names.
CONSORTIUM_MEMBERS = (
    "Stichting Wijkkracht Haarlem",
    "Spaarne Welzijn en Zorg",
    "Jeugd en Gezin Kennemerland",
    "Stichting Geldzorg Haarlem",
)
TEAM_PREFIX = "Sociaal Wijkteam"
INTAKE_TEAM = "Intaketeam"

CHUNK_HOUSEHOLDS = 10_000  # households generated and written at a time
ORM_BATCH_HOUSEHOLDS = 2_000  # households per bulk_create round
CITY = "Haarlem"
ADDRESS_FIELDS = (
    "id", "street", "house_number", "house_letter", "house_number_addition", "postcode",
    "city", "buurt",
)  # fmt: skip
HOUSEHOLD_FIELDS = ("id", "address", "created_at")
RESIDENT_FIELDS = (
    "id", "given_names", "name_prefix", "family_name", "date_of_birth", "bsn", "phone",
    "email", "address", "created_at",
)  # fmt: skip
MEMBERSHIP_FIELDS = ("id", "household", "resident", "relation")
TABLES = {
    "addresses": Address,
    "households": Household,
    "residents": Resident,
    "memberships": HouseholdMembership,
}

# A bar: called with a label and a total, it gives a context whose value is told progress.
Progress = Callable[[str, int | None], AbstractContextManager[Callable[[int], object]]]


@dataclass(frozen=True)
class TeamsResult:
    organisations_created: int
    teams_created: int
    wijken_uncovered: int  # wijken of the newest CBS year without a stadsdeel, so no team


@dataclass(frozen=True)
class SeedReport:
    rows: dict[str, int]  # per table: addresses, households, residents, memberships
    seconds: float
    teams: TeamsResult

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
    """The consortium's member organisations, one "Sociaal Wijkteam <stadsdeel>" per
    stadsdeel covering its wijken of the newest CBS year, and the Intaketeam. Running it
    again changes nothing, except that the teams follow a newer CBS year when one is loaded."""
    organisations_created = teams_created = 0
    members = []
    for name in CONSORTIUM_MEMBERS:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": OrganisationKind.CONSORTIUM_MEMBER}
        )
        organisations_created += created
        members.append(organisation)
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


# -- the city ----------------------------------------------------------------------------------


def city_seed(
    *,
    seed: int,
    scale: float,
    years: int,
    as_of: datetime.date,
    progress: Progress | None = None,
) -> SeedReport:
    """Ensure the demo's organisations and teams, then generate the city and write it; on
    PostgreSQL generating and writing overlap (the rows stream into COPY as they are made)."""
    teams = demo_organisations_ensure()
    started = time.perf_counter()
    households = city_households(
        seed=seed,
        scale=scale,
        years=years,
        as_of=as_of,
        areas=city_areas(),
        taken_bsns=bsns_taken() if residents_exist() else frozenset(),
    )
    rows = city_write(households=households, expected=resident_target(scale), progress=progress)
    report = SeedReport(rows=rows, seconds=time.perf_counter() - started, teams=teams)
    log.info(
        "city_seeded",
        seed=seed,
        scale=scale,
        years=years,
        rows=report.total_rows,
        seconds=round(report.seconds, 2),
    )
    return report


def city_write(
    *,
    households: Iterable[tuple[HouseholdRow, list[ResidentRow]]],
    expected: int | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write households with their residents (as city_households makes them) in one
    transaction. Returns the rows written per table; `expected` residents size the bar."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _write_copy(households, expected, progress)
        return _write_orm(households, expected, progress)


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


# -- PostgreSQL: COPY --------------------------------------------------------------------------


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class _Target:
    """A table to COPY into: the statement, and the column types binary COPY sends."""

    statement: str
    types: list[int]


def _target(cursor: Any, model: type[Model], fields: Sequence[str]) -> _Target:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or field.column is None:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        columns.append(field.column)
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
    )


def _copy(cursor: Any, target: _Target, rows: Iterable[Sequence[object]]) -> None:
    """COPY rows in PostgreSQL's binary format: psycopg encodes them in C, the server has
    nothing to parse, and NULLs and odd characters need no escaping."""
    with cursor.copy(target.statement) as copy:
        copy.set_types(target.types)
        for row in rows:
            copy.write_row(row)


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


def _generated_ahead(
    households: Iterable[tuple[HouseholdRow, list[ResidentRow]]], size: int
) -> Iterator[tuple[tuple[HouseholdRow, list[ResidentRow]], ...]]:
    """The households in chunks of `size`, drawn by a worker thread up to two chunks ahead:
    the worker generates while this thread waits for the database (psycopg releases the GIL
    while it waits), so generating and loading overlap. The worker touches no database."""
    chunks: queue.Queue[tuple[Any, ...] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def work() -> None:
        try:
            for chunk in itertools.batched(households, size):
                if stop.is_set():
                    return
                chunks.put(chunk)
            chunks.put(None)
        except BaseException as error:  # handed to the consumer, raised there
            chunks.put(error)

    worker = threading.Thread(target=work, name="wijk-seed-generate", daemon=True)
    worker.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a worker blocked on a full queue see the stop
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)


def _write_copy(
    households: Iterable[tuple[HouseholdRow, list[ResidentRow]]],
    expected: int | None,
    progress: Progress | None,
) -> dict[str, int]:
    """COPY a chunk of households at a time into the four tables. Ids come from each
    table's sequence: under a lock that keeps everyone else out until commit, the next value
    is the first id, and at the end the sequence is moved past the last one used. The foreign
    keys are dropped while loading and checked once, when they are added back."""
    models = (Address, Household, Resident, HouseholdMembership)
    households_written = residents_written = 0
    with connection.cursor() as cursor, _bar(progress, "residents", expected) as advance:
        tables = ", ".join(_table(model) for model in models)
        # ALTER TABLE below would take this lock anyway: take it first, not by upgrading
        cursor.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
        foreign_keys = _foreign_keys_drop(cursor, models)
        sequences = {model: _sequence(cursor, model) for model in models}
        first = {}
        for model, sequence in sequences.items():
            cursor.execute("SELECT nextval(%s)", [sequence])
            first[model] = int(cursor.fetchone()[0])
        address_0, household_0, resident_0, membership_0 = (first[model] for model in models)

        address_table = _target(cursor, Address, ADDRESS_FIELDS)
        household_table = _target(cursor, Household, HOUSEHOLD_FIELDS)
        resident_table = _target(cursor, Resident, RESIDENT_FIELDS)
        membership_table = _target(cursor, HouseholdMembership, MEMBERSHIP_FIELDS)

        for chunk in _generated_ahead(households, CHUNK_HOUSEHOLDS):
            start = households_written
            # each resident with the position of their household in the whole city
            members = [
                (position, row)
                for position, (_, residents) in enumerate(chunk, start)
                for row in residents
            ]
            _copy(
                cursor,
                address_table,
                (
                    (address_0 + position, row.street, row.house_number, row.house_letter,
                     row.house_number_addition, row.postcode, CITY, row.buurt_id)
                    for position, (row, _) in enumerate(chunk, start)
                ),
            )  # fmt: skip
            _copy(
                cursor,
                household_table,
                (
                    (household_0 + position, address_0 + position, row.created_at)
                    for position, (row, _) in enumerate(chunk, start)
                ),
            )
            _copy(
                cursor,
                resident_table,
                (
                    (resident_0 + index, row.given_names, row.name_prefix, row.family_name,
                     row.date_of_birth, row.bsn, row.phone, row.email, address_0 + position,
                     row.created_at)
                    for index, (position, row) in enumerate(members, residents_written)
                ),
            )  # fmt: skip
            _copy(
                cursor,
                membership_table,
                (
                    (membership_0 + index, household_0 + position, resident_0 + index,
                     row.relation)
                    for index, (position, row) in enumerate(members, residents_written)
                ),
            )  # fmt: skip
            households_written += len(chunk)
            residents_written += len(members)
            advance(len(members))

        counts = {Address: households_written, Household: households_written}
        counts |= {Resident: residents_written, HouseholdMembership: residents_written}
        for model, sequence in sequences.items():
            # past the last id used; when none was, the next is the one taken above
            last, used = first[model] + counts[model] - 1, counts[model] > 0
            cursor.execute(
                "SELECT setval(%s, %s, %s)", [sequence, last if used else first[model], used]
            )
        _foreign_keys_add(cursor, foreign_keys)
    return {name: counts[model] for name, model in TABLES.items()}


# -- elsewhere: bulk_create --------------------------------------------------------------------


def _next_id(model: type[Model]) -> int:
    """The first free id; safe inside the write transaction (SQLite takes its write lock at
    BEGIN, see settings)."""
    return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _write_orm(
    households: Iterable[tuple[HouseholdRow, list[ResidentRow]]],
    expected: int | None,
    progress: Progress | None,
) -> dict[str, int]:
    """bulk_create, a batch of households at a time, with ids assigned here."""
    address_0, household_0 = _next_id(Address), _next_id(Household)
    resident_0 = _next_id(Resident)
    household_count = resident_count = 0
    with _bar(progress, "residents", expected) as advance:
        for batch in itertools.batched(households, ORM_BATCH_HOUSEHOLDS):
            addresses, households_batch, residents, memberships = [], [], [], []
            for household, members in batch:
                address_id = address_0 + household_count
                household_id = household_0 + household_count
                household_count += 1
                addresses.append(
                    Address(
                        id=address_id,
                        street=household.street,
                        house_number=household.house_number,
                        house_letter=household.house_letter,
                        house_number_addition=household.house_number_addition,
                        postcode=household.postcode,
                        city=CITY,
                        buurt_id=household.buurt_id,
                    )
                )
                households_batch.append(
                    Household(
                        id=household_id, address_id=address_id, created_at=household.created_at
                    )
                )
                for row in members:
                    resident_id = resident_0 + resident_count
                    resident_count += 1
                    residents.append(
                        Resident(
                            id=resident_id,
                            given_names=row.given_names,
                            name_prefix=row.name_prefix,
                            family_name=row.family_name,
                            date_of_birth=row.date_of_birth,
                            bsn=row.bsn,
                            phone=row.phone,
                            email=row.email,
                            address_id=address_id,
                            created_at=row.created_at,
                        )
                    )
                    memberships.append(
                        HouseholdMembership(
                            household_id=household_id,
                            resident_id=resident_id,
                            relation=row.relation,
                        )
                    )
            Address.objects.bulk_create(addresses)
            Household.objects.bulk_create(households_batch)
            Resident.objects.bulk_create(residents)
            HouseholdMembership.objects.bulk_create(memberships)
            advance(len(residents))
    return {
        "addresses": household_count,
        "households": household_count,
        "residents": resident_count,
        "memberships": resident_count,
    }
