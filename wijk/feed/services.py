"""The daily delivery: `run_delivery` writes one dated delivery for the municipality and
records the run (docs/adr/0049).

How a delivery is written:

- Every table streams from its source through every format at once (one pass, in batches),
  then the data dictionary, the XSD check of every XML file and the manifest follow.
- With `records` (docs/adr/0050) the run is refused unless a legal basis and a pseudonym
  key are set; the delivery is written into the access log before it is made visible.
- Everything is written into a hidden temporary directory inside the output directory (the
  same file system), every file and directory is fsynced, and the directory is renamed into
  place as `<out_dir>/<YYYY-MM-DD>`. A rerun of a day moves the old directory aside, renames
  the new one in and removes the old one: a consumer sees the old complete delivery or the new
  complete one, never half of one. A run that fails (or is killed) leaves only hidden
  directories, which the next run removes (an old delivery moved aside and not replaced is
  put back).
- One run at a time per output directory (an exclusive lock on `<out_dir>/.levering.lock`).
- Rerunning a day on the same data gives the same bytes: no clock time in any file (the
  delivery day stands for it), rows in primary-key order (checked; the record tables in the
  order of registration, docs/adr/0050), JSON with sorted keys, Parquet and SQLite written
  the same way each time.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from wijk.core.audit import access_log_record
from wijk.core.models import AccessEvent
from wijk.core.pseudonyms import DEVELOPMENT_PSEUDONYM_KEY
from wijk.core.replica import reporting_database, reporting_reads
from wijk.feed.content import DeliveryContent, delivery_content, delivery_periods
from wijk.feed.dictionary import (
    DATAPACKAGE,
    DICTIONARY_PAGE,
    datapackage,
    dictionary_page,
    json_text,
)
from wijk.feed.models import Delivery, DeliveryKind, DeliveryStatus
from wijk.feed.records import PSEUDONYM_METHOD
from wijk.feed.tables import FeedDataError, Row, TableSpec, row_checker
from wijk.feed.writers import FormatWriter, TableWriter
from wijk.feed.writers.csv_files import CsvWriter, csv_path
from wijk.feed.writers.parquet_files import ParquetWriter, parquet_path
from wijk.feed.writers.sql_files import DATABASE, SCRIPT, SqlWriter
from wijk.feed.writers.xml_files import XmlWriter, validate_xml, xml_path, xsd_path
from wijk.monitoring.services import published_sets_ensure

logger = structlog.get_logger(__name__)

FORMATS = ("csv", "xml", "sql", "parquet")
MANIFEST = "manifest.json"
BATCH_ROWS = 10_000
LOCK_NAME = ".levering.lock"
TEMPORARY_PREFIX = ".levering-nieuw-"
ASIDE_PREFIX = ".levering-oud-"
HASH_CHUNK = 1024 * 1024
PSEUDONYM_KEY_MIN_LENGTH = 32


class FeedError(Exception):
    """A delivery that cannot be made, in plain words and without personal data."""


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: str
    rows: int | None
    size: int
    sha256: str


def delivery_formats(requested: Sequence[str]) -> tuple[str, ...]:
    """The formats of a delivery in their fixed order. CSV is always among them: the data
    package (`datapackage.json`) describes the tables as CSV files."""
    wanted = {name.strip().lower() for name in requested if name.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise FeedError(f"Unknown format {', '.join(unknown)}: choose from {', '.join(FORMATS)}.")
    return tuple(name for name in FORMATS if name in wanted or name == "csv")


def run_delivery(
    *,
    out_dir: Path,
    day: datetime.date,
    since: datetime.date | None,
    formats: Sequence[str],
    records: bool = False,
    progress: Callable[[int, int], None] | None = None,
    content: DeliveryContent | None = None,
) -> Delivery:
    """Write the delivery of `day` into `out_dir/<day>` and record the run.

    `since` makes it incremental (only what may have changed since that day; None: full).
    `progress(done, total)` is called in steps: one per table, one for the checks and the
    dictionary. `content` replaces the registry's tables (tests). Raises FeedError for a
    delivery that cannot be made; a run that fails is recorded as failed and leaves no
    directory visible."""
    chosen = delivery_formats(formats)
    if since is not None and since > day:
        raise FeedError("--since must not be after the delivery day.")
    if records:
        _check_records_allowed()
    out_dir.mkdir(parents=True, exist_ok=True)
    directory = out_dir.resolve()
    with _exclusive(directory):
        _clean_leftovers(directory)
        delivery = _delivery_start(
            directory=directory, day=day, since=since, formats=chosen, records=records
        )
        logger.info("delivery_started", delivery=delivery.pk, attempt=delivery.attempts)
        try:
            if content is None:
                # The periods of the delivery that have ended are frozen on their first
                # delivery, and delivered as frozen from then on (docs/adr/0044).
                published_sets_ensure(periods=delivery_periods(day=day, since=since), today=day)
            with reporting_reads(), _snapshot():
                found = content or delivery_content(day=day, since=since, records=records)
                temporary, manifest_sha256, counts = _write(
                    directory=directory,
                    day=day,
                    since=since,
                    formats=chosen,
                    records=records,
                    content=found,
                    progress=progress,
                )
            _log_and_publish(
                delivery=delivery,
                temporary=temporary,
                target=directory / day.isoformat(),
                records=records,
                content=found,
                counts=counts,
            )
            if progress is not None:
                progress(len(found.tables) + 1, len(found.tables) + 1)
        except BaseException as error:
            _delivery_fail(delivery=delivery, error=error)
            logger.warning("delivery_failed", delivery=delivery.pk, error=delivery.error)
            raise
        _delivery_succeed(delivery=delivery, manifest_sha256=manifest_sha256, counts=counts)
        logger.info("delivery_succeeded", delivery=delivery.pk, rows=sum(counts.values()))
    return delivery


def _check_records_allowed() -> None:
    """The record-level part is delivered only with a recorded legal basis, a pseudonym key
    that is not the public development key, and PostgreSQL (whose server-side cursors stream
    the rows); otherwise the run is refused before anything is written or recorded
    (docs/adr/0050)."""
    if not settings.FEED_RECORDS_LEGAL_BASIS.strip():
        raise FeedError(
            "The record-level part needs a recorded legal basis: set "
            "WIJK_FEED_RECORDS_LEGAL_BASIS. Without it a delivery holds aggregates only."
        )
    if len(settings.PSEUDONYM_KEY) < PSEUDONYM_KEY_MIN_LENGTH:
        raise FeedError(
            "The record-level part needs a pseudonym key: set WIJK_PSEUDONYM_KEY to at least "
            f"{PSEUDONYM_KEY_MIN_LENGTH} random characters, and keep it."
        )
    if settings.PSEUDONYM_KEY == DEVELOPMENT_PSEUDONYM_KEY:
        raise FeedError(
            "The record-level part refuses the development pseudonym key: it is public, so "
            "anyone could compute the pseudonyms. Set WIJK_PSEUDONYM_KEY to a key of your own."
        )
    with reporting_reads():
        vendor = connections[reporting_database()].vendor
    if vendor != "postgresql":
        raise FeedError("The record-level part needs PostgreSQL: deliver without --records.")


# ---------------------------------------------------------------------------------------------
# The run's record


def _delivery_start(
    *,
    directory: Path,
    day: datetime.date,
    since: datetime.date | None,
    formats: tuple[str, ...],
    records: bool,
) -> Delivery:
    """Start a record, or continue the one of an earlier attempt at this day that did not
    succeed. A record of this directory still "running" is of a run that was killed (under
    the lock no other run is writing here): it is recorded as failed."""
    with transaction.atomic(durable=True):
        Delivery.objects.filter(directory=str(directory), status=DeliveryStatus.RUNNING).update(
            status=DeliveryStatus.FAILED,
            finished_at=timezone.now(),
            error="Interrupted: the run stopped before it finished.",
        )
        earlier = (
            Delivery.objects.select_for_update()
            .filter(directory=str(directory), day=day)
            .order_by("-started_at", "-pk")
            .first()
        )
        fields: dict[str, Any] = {
            "since": since,
            "kind": DeliveryKind.FULL if since is None else DeliveryKind.INCREMENTAL,
            "formats": list(formats),
            "records": records,
            "status": DeliveryStatus.RUNNING,
            "started_at": timezone.now(),
            "finished_at": None,
            "error": "",
            "manifest_sha256": "",
            "row_counts": {},
        }
        if earlier is not None and earlier.status != DeliveryStatus.SUCCEEDED:
            for name, value in fields.items():
                setattr(earlier, name, value)
            earlier.attempts += 1
            earlier.save()
            return earlier
        return Delivery.objects.create(directory=str(directory), day=day, **fields)


def _delivery_fail(*, delivery: Delivery, error: BaseException) -> None:
    if isinstance(error, FeedError | FeedDataError):
        message = str(error)
    elif isinstance(error, KeyboardInterrupt):
        message = "Interrupted."
    else:
        # Another exception's message may quote a value from a row: only its kind is kept.
        message = f"Unexpected error ({type(error).__name__}); see the log of the run."
    delivery.status = DeliveryStatus.FAILED
    delivery.finished_at = timezone.now()
    delivery.error = message[:500]
    with transaction.atomic(durable=True):
        delivery.save(update_fields=["status", "finished_at", "error"])


def _delivery_succeed(*, delivery: Delivery, manifest_sha256: str, counts: dict[str, int]) -> None:
    delivery.status = DeliveryStatus.SUCCEEDED
    delivery.finished_at = timezone.now()
    delivery.manifest_sha256 = manifest_sha256
    delivery.row_counts = counts
    with transaction.atomic(durable=True):
        delivery.save(update_fields=["status", "finished_at", "manifest_sha256", "row_counts"])


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """Read every table of a delivery from one snapshot of the reporting database (the read
    replica when there is one, docs/adr/0048; PostgreSQL: REPEATABLE READ, READ ONLY), so the
    tables agree with each other."""
    alias = reporting_database()
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# ---------------------------------------------------------------------------------------------
# The directory: lock, leftovers, publication


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    with (directory / LOCK_NAME).open("a") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FeedError(
                f"Another delivery is being written into {directory}; try again when it is done."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _clean_leftovers(directory: Path) -> None:
    """Remove what a killed run left: its temporary directory, and an old delivery it had
    moved aside (put back when the new one never arrived)."""
    for path in sorted(directory.iterdir()):
        if path.name.startswith(TEMPORARY_PREFIX):
            shutil.rmtree(path)
        elif path.name.startswith(ASIDE_PREFIX):
            day = path.name.removeprefix(ASIDE_PREFIX).split(".", 1)[0]
            target = directory / day
            if target.exists() or not _is_day(day):
                shutil.rmtree(path)
            else:
                path.rename(target)
    _fsync_directory(directory)


def _is_day(name: str) -> bool:
    try:
        return datetime.date.fromisoformat(name).isoformat() == name
    except ValueError:
        return False


def _publish(*, temporary: Path, target: Path) -> None:
    """Rename the finished delivery into place; an earlier one of the same day goes aside
    first and is removed after."""
    aside = None
    if target.exists():
        aside = target.with_name(f"{ASIDE_PREFIX}{target.name}.{secrets.token_hex(4)}")
        target.rename(aside)
    temporary.rename(target)
    _fsync_directory(target.parent)
    if aside is not None:
        shutil.rmtree(aside)


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------------------------------------
# Writing


def _write(
    *,
    directory: Path,
    day: datetime.date,
    since: datetime.date | None,
    formats: tuple[str, ...],
    records: bool,
    content: DeliveryContent,
    progress: Callable[[int, int], None] | None,
) -> tuple[Path, str, dict[str, int]]:
    """Write the whole delivery into a hidden temporary directory and return it with the
    manifest's SHA-256 and the rows per table; the directory is removed if anything fails."""
    tables = content.tables
    if not records and any(table.records for table in tables):
        raise FeedError("Record-level tables are delivered only with --records.")
    temporary = directory / f"{TEMPORARY_PREFIX}{day.isoformat()}.{secrets.token_hex(4)}"
    temporary.mkdir()
    try:
        steps = len(tables) + 1
        writers = _format_writers(temporary, formats=formats, tables=tables, day=day)
        counts: dict[str, int] = {}
        for done, table in enumerate(tables):
            counts[table.name] = _write_table(table, [writer.table(table) for writer in writers])
            if progress is not None:
                progress(done + 1, steps)
        for writer in writers:
            writer.finish()
        if "xml" in formats:
            for table in tables:
                _check_xml(temporary, table)
        files = _dictionary_and_manifest(
            temporary,
            day=day,
            since=since,
            formats=formats,
            records=records,
            content=content,
            counts=counts,
        )
        for folder in sorted({Path(file.path).parent for file in files}):
            _fsync_directory(temporary / folder)
        _fsync_directory(temporary)
        manifest_sha256 = _file_digest(temporary / MANIFEST)[1]
        return temporary, manifest_sha256, counts
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _log_and_publish(
    *,
    delivery: Delivery,
    temporary: Path,
    target: Path,
    records: bool,
    content: DeliveryContent,
    counts: dict[str, int],
) -> None:
    """Make the written delivery visible. A delivery with the record-level part is first
    written into the access log (one entry: the delivery, its record tables and their rows),
    so pseudonymised person data never leaves without its entry in the tamper-evident log;
    if the rename then fails, the entry stays and says more than was delivered, never less."""
    try:
        if records:
            _records_delivery_log(delivery=delivery, content=content, counts=counts)
        _publish(temporary=temporary, target=target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _records_delivery_log(
    *, delivery: Delivery, content: DeliveryContent, counts: dict[str, int]
) -> None:
    """One access-log entry for a record-level delivery: made by the system (no user), for
    the municipality, naming the delivery and the rows of each record table (docs/adr/0050)."""
    rows = ", ".join(
        f"{table.name} {counts[table.name]}" for table in content.tables if table.records
    )
    with transaction.atomic(durable=True):
        access_log_record(
            actor=None,
            event=AccessEvent.EXPORT,
            objects=[delivery],
            on_behalf_of="gemeente: dagelijkse levering",
            reason=(
                f"Pseudonymised record-level delivery {delivery.day.isoformat()}: {rows}. "
                f"Legal basis: {settings.FEED_RECORDS_LEGAL_BASIS.strip()}"
            )[:2000],
        )


def _format_writers(
    directory: Path, *, formats: tuple[str, ...], tables: Sequence[TableSpec], day: datetime.date
) -> list[FormatWriter]:
    writers: list[FormatWriter] = []
    for name in formats:
        if name == "csv":
            writers.append(CsvWriter(directory))
        elif name == "xml":
            writers.append(XmlWriter(directory, tables, day))
        elif name == "sql":
            writers.append(SqlWriter(directory))
        elif name == "parquet":
            writers.append(ParquetWriter(directory))
    return writers


def _write_table(table: TableSpec, writers: list[TableWriter]) -> int:
    """Stream the table's rows through every writer in batches; return the number of rows."""
    check = row_checker(table)
    positions = table.key_positions
    pause_after = settings.FEED_PAUSE_AFTER_ROWS
    previous: tuple[Any, ...] | None = None
    batch: list[Row] = []
    count = 0
    # A record table comes in the order of registration (its internal id, which is not
    # delivered), not in the order of its pseudonymous key: pseudonyms are computed in
    # Python, so the database cannot sort on them (docs/adr/0050). Its rows are one per
    # internal id, so its keys are unique; the SQL format's PRIMARY KEY refuses a duplicate.
    ordered = not table.records
    for row in table.rows():
        check(row)
        if ordered:
            key = tuple(row[position] for position in positions)
            if previous is not None and not key > previous:
                raise FeedDataError(
                    f"{table.name}: rows not in primary-key order, or a key occurs twice"
                )
            previous = key
        batch.append(row)
        count += 1
        if len(batch) >= BATCH_ROWS or count == pause_after:
            for writer in writers:
                writer.write(batch)
            batch = []
        if count == pause_after:
            _pause(count)
    if batch:
        for writer in writers:
            writer.write(batch)
    for writer in writers:
        writer.close()
    return count


def _pause(count: int) -> None:
    """WIJK_FEED_PAUSE_AFTER_ROWS (tests only): say so and wait to be killed."""
    sys.stderr.write(f"delivery paused after {count} rows\n")
    sys.stderr.flush()
    while True:
        time.sleep(60)


def _check_xml(directory: Path, table: TableSpec) -> None:
    try:
        validate_xml(schema_file=directory / xsd_path(), xml_file=directory / xml_path(table))
    except Exception:
        raise FeedError(f"{xml_path(table)} does not follow {xsd_path()}.") from None


def _dictionary_and_manifest(
    directory: Path,
    *,
    day: datetime.date,
    since: datetime.date | None,
    formats: tuple[str, ...],
    records: bool,
    content: DeliveryContent,
    counts: dict[str, int],
) -> list[WrittenFile]:
    tables = content.tables
    rows_of_file: dict[str, int | None] = {}
    for table in tables:
        rows_of_file[csv_path(table)] = counts[table.name]
        rows_of_file[xml_path(table)] = counts[table.name]
        rows_of_file[parquet_path(table)] = counts[table.name]
    rows_of_file[DATABASE] = rows_of_file[SCRIPT] = sum(counts.values())
    csv_files = {csv_path(table): _file_digest(directory / csv_path(table)) for table in tables}
    (directory / DATAPACKAGE).write_text(
        json_text(datapackage(tables=tables, day=day, csv_files=csv_files)), encoding="utf-8"
    )
    (directory / DICTIONARY_PAGE).write_text(
        dictionary_page(
            tables=tables,
            day=day,
            manifest_name=MANIFEST,
            records=records,
            legal_basis=settings.FEED_RECORDS_LEGAL_BASIS.strip() if records else "",
            pseudonym_method=PSEUDONYM_METHOD if records else "",
            pseudonym_key_id=content.pseudonym_key_id,
        ),
        encoding="utf-8",
    )
    files = []
    for path in sorted(path for path in directory.rglob("*") if path.is_file()):
        relative = path.relative_to(directory).as_posix()
        size, sha256 = _file_digest(path)
        files.append(WrittenFile(relative, rows_of_file.get(relative), size, sha256))
    manifest = {
        "day": day.isoformat(),
        "since": since.isoformat() if since else None,
        "kind": str(DeliveryKind.FULL if since is None else DeliveryKind.INCREMENTAL),
        "formats": list(formats),
        "tables": {table.name: counts[table.name] for table in tables},
        "definition_versions": [
            {"indicator": code, "version": version} for code, version in content.definition_versions
        ],
        "records": records,
        "records_legal_basis": settings.FEED_RECORDS_LEGAL_BASIS.strip() if records else None,
        "records_pseudonymisation": (
            {"method": PSEUDONYM_METHOD, "key_id": content.pseudonym_key_id} if records else None
        ),
        "files": [
            {"path": file.path, "rows": file.rows, "bytes": file.size, "sha256": file.sha256}
            for file in files
        ],
    }
    manifest_path = directory / MANIFEST
    manifest_path.write_text(json_text(manifest), encoding="utf-8")
    for path in (directory / DATAPACKAGE, directory / DICTIONARY_PAGE, manifest_path):
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    xsd = directory / xsd_path()
    if xsd.exists():
        with xsd.open("rb") as handle:
            os.fsync(handle.fileno())
    return files


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
