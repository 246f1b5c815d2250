"""A delivery written and read back: every format with its declared types, the XSD, the data
package, the manifest, byte-identical reruns, and failures that leave nothing visible."""

from __future__ import annotations

import datetime
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import duckdb
import frictionless
import pytest
import xmlschema

from wijk.feed.content import DeliveryContent
from wijk.feed.models import Delivery, DeliveryStatus
from wijk.feed.selectors import recent_deliveries
from wijk.feed.services import FeedError, run_delivery
from wijk.feed.tables import FeedDataError, Row, TableSpec
from wijk.feed.tests.sample import FIELDS, sample_content, sample_rows, sample_table
from wijk.feed.writers.xml_files import validate_xml

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)
ALL = ("csv", "xml", "sql", "parquet")


def deliver(out: Path, content: DeliveryContent | None = None, **options) -> Delivery:
    options.setdefault("day", DAY)
    options.setdefault("since", None)
    options.setdefault("formats", ALL)
    return run_delivery(out_dir=out, content=content or sample_content(), **options)


def file_hashes(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def expected_rows(count: int = 25) -> list[Row]:
    return list(sample_rows(count)())


def test_a_delivery_is_one_dated_directory_with_every_format(tmp_path: Path) -> None:
    delivery = deliver(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith(".")) == [
        "2026-12-07"
    ]
    assert sorted(file_hashes(tmp_path / "2026-12-07")) == [
        "csv/klein.csv",
        "csv/proef.csv",
        "datapackage.json",
        "manifest.json",
        "parquet/klein.parquet",
        "parquet/proef.parquet",
        "sql/levering.sql",
        "sql/levering.sqlite",
        "woordenboek.html",
        "xml/klein.xml",
        "xml/levering.xsd",
        "xml/proef.xml",
    ]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.row_counts == {"proef": 25, "klein": 3}
    assert delivery.kind == "full"


def test_progress_is_told_a_step_per_table_and_one_for_the_checks(tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    deliver(tmp_path, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 3), (2, 3), (3, 3)]


def test_csv_is_rfc_4180_and_loads_in_duckdb_with_the_declared_types(tmp_path: Path) -> None:
    deliver(tmp_path)
    path = tmp_path / "2026-12-07" / "csv" / "proef.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"sleutel,soort,tekst,aantal,getal,dag,moment,waar\r\n")
    assert raw.count(b"\r\n") > 25  # CRLF line ends (and the one inside a quoted value)
    assert b'"comma, ""quote"""' in raw
    types = {
        "sleutel": "BIGINT",
        "soort": "VARCHAR",
        "tekst": "VARCHAR",
        "aantal": "BIGINT",
        "getal": "DOUBLE",
        "dag": "DATE",
        "moment": "TIMESTAMPTZ",
        "waar": "BOOLEAN",
    }
    database = duckdb.connect()
    database.execute("SET TimeZone = 'UTC'")
    loaded = database.execute(
        f"SELECT {AS_MICROSECONDS} FROM read_csv(?, header = true, columns = ?,"
        " quote = '\"', escape = '\"') ORDER BY sleutel",
        [str(path), types],
    ).fetchall()
    assert [_normal(row) for row in loaded] == [_normal(row) for row in expected_rows()]


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# DuckDB hands out moments with a zone only through pytz: read them as microseconds instead.
AS_MICROSECONDS = "* REPLACE (epoch_us(moment) AS moment)"


def _normal(row: tuple) -> tuple:
    """Moments compared as instants (microseconds since 1970)."""
    return tuple(
        (value - EPOCH) // datetime.timedelta(microseconds=1)
        if isinstance(value, datetime.datetime)
        else value
        for value in row
    )


def test_parquet_loads_in_duckdb_with_the_declared_types(tmp_path: Path) -> None:
    deliver(tmp_path)
    path = str(tmp_path / "2026-12-07" / "parquet" / "proef.parquet")
    database = duckdb.connect()
    database.execute("SET TimeZone = 'UTC'")
    described = database.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
    assert [(name, kind) for name, kind, *_ in described] == [
        ("sleutel", "BIGINT"),
        ("soort", "VARCHAR"),
        ("tekst", "VARCHAR"),
        ("aantal", "BIGINT"),
        ("getal", "DOUBLE"),
        ("dag", "DATE"),
        ("moment", "TIMESTAMP WITH TIME ZONE"),
        ("waar", "BOOLEAN"),
    ]
    loaded = database.execute(
        f"SELECT {AS_MICROSECONDS} FROM read_parquet(?) ORDER BY sleutel", [path]
    ).fetchall()
    assert [_normal(row) for row in loaded] == [_normal(row) for row in expected_rows()]


def test_sqlite_file_and_sql_script_hold_the_rows_with_declared_types(tmp_path: Path) -> None:
    deliver(tmp_path)
    folder = tmp_path / "2026-12-07" / "sql"
    database = sqlite3.connect(folder / "levering.sqlite")
    declared = [
        (row[1], row[2], row[3], row[5]) for row in database.execute("PRAGMA table_info(proef)")
    ]
    assert declared == [
        ("sleutel", "INTEGER", 1, 1),
        ("soort", "TEXT", 1, 0),
        ("tekst", "TEXT", 0, 0),
        ("aantal", "INTEGER", 0, 0),
        ("getal", "DOUBLE PRECISION", 0, 0),
        ("dag", "DATE", 1, 0),
        ("moment", "TIMESTAMP", 0, 0),
        ("waar", "BOOLEAN", 1, 0),
    ]
    stored = database.execute("SELECT * FROM proef ORDER BY sleutel").fetchall()
    expected = [tuple(_stored(value) for value in row) for row in expected_rows()]
    assert stored == expected
    script = sqlite3.connect(":memory:")
    with (folder / "levering.sql").open(encoding="utf-8", newline="") as text:
        script.executescript(text.read())
    assert script.execute("SELECT * FROM proef ORDER BY sleutel").fetchall() == expected
    assert script.execute("SELECT count(*) FROM klein").fetchone() == (3,)
    # The declared constraints hold in the file: a value outside the code list is refused.
    with pytest.raises(sqlite3.IntegrityError):
        database.execute(
            "INSERT INTO proef (sleutel, soort, dag, waar) VALUES (99, 'c', '2026-01-01', 1)"
        )


def _stored(value: object) -> object:
    if isinstance(value, datetime.datetime):
        utc = value.astimezone(datetime.UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def test_every_xml_file_validates_against_the_xsd_and_a_broken_one_does_not(tmp_path: Path) -> None:
    deliver(tmp_path)
    folder = tmp_path / "2026-12-07" / "xml"
    schema = folder / "levering.xsd"
    for name in ("proef.xml", "klein.xml"):
        validate_xml(schema_file=schema, xml_file=folder / name)
    decoded = xmlschema.XMLSchema(str(schema)).to_dict(str(folder / "proef.xml"))
    first = decoded["rij"][0]
    assert first["sleutel"] == 1 and first["soort"] == "a" and first["waar"] is False
    text = (folder / "proef.xml").read_text(encoding="utf-8")
    assert "&lt;tag&gt; &amp; ampersand" in text
    for broken in (
        text.replace("<soort>a</soort>", "<soort>c</soort>", 1),  # outside the code list
        text.replace("<dag>", "<dagen>", 1).replace("</dag>", "</dagen>", 1),  # unknown field
        text.replace("<sleutel>1</sleutel>", "", 1),  # a required field missing
    ):
        (folder / "broken.xml").write_text(broken, encoding="utf-8")
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            validate_xml(schema_file=schema, xml_file=folder / "broken.xml")


def test_the_data_package_passes_frictionless_validate(tmp_path: Path) -> None:
    deliver(tmp_path)
    package = tmp_path / "2026-12-07" / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    described = json.loads(package.read_text(encoding="utf-8"))
    proef = described["resources"][0]
    assert proef["path"] == "csv/proef.csv"
    assert proef["schema"]["primaryKey"] == ["sleutel"]
    soort = proef["schema"]["fields"][1]
    assert soort["constraints"] == {"required": True, "enum": ["a", "b"]}
    assert [field["name"] for field in proef["schema"]["fields"]] == [f.name for f in FIELDS]


def test_a_changed_csv_fails_frictionless_validate(tmp_path: Path) -> None:
    """The check is real: a value outside the code list (and a changed checksum) is found."""
    deliver(tmp_path)
    path = tmp_path / "2026-12-07" / "csv" / "proef.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n1,a,", b"\r\n1,c,", 1))
    report = frictionless.validate(str(tmp_path / "2026-12-07" / "datapackage.json"))
    assert not report.valid


def test_the_manifest_lists_every_file_with_its_checksum_and_rows(tmp_path: Path, settings) -> None:
    delivery = deliver(tmp_path)
    folder = tmp_path / "2026-12-07"
    manifest_bytes = (folder / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    hashes = file_hashes(folder)
    del hashes["manifest.json"]
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == hashes
    for entry in manifest["files"]:
        assert (folder / entry["path"]).stat().st_size == entry["bytes"]
    rows = {entry["path"]: entry["rows"] for entry in manifest["files"]}
    assert rows["csv/proef.csv"] == rows["parquet/proef.parquet"] == rows["xml/proef.xml"] == 25
    assert rows["sql/levering.sqlite"] == 28
    assert rows["datapackage.json"] is None
    assert manifest["day"] == "2026-12-07"
    assert manifest["kind"] == "full" and manifest["since"] is None
    assert manifest["formats"] == list(ALL)
    assert manifest["records"] is False and manifest["records_legal_basis"] is None
    assert manifest["definition_versions"] == [{"indicator": "bereik", "version": 1}]
    delivery.refresh_from_db()
    assert delivery.manifest_sha256 == hashlib.sha256(manifest_bytes).hexdigest()


def test_rerunning_a_day_gives_byte_identical_files(tmp_path: Path) -> None:
    deliver(tmp_path / "first")
    deliver(tmp_path / "second")
    first = file_hashes(tmp_path / "first" / "2026-12-07")
    assert first == file_hashes(tmp_path / "second" / "2026-12-07")
    deliver(tmp_path / "first")  # replaces the day in place
    assert file_hashes(tmp_path / "first" / "2026-12-07") == first
    assert [path.name for path in (tmp_path / "first").iterdir() if path.is_dir()] == ["2026-12-07"]


def test_an_incremental_delivery_says_since_when(tmp_path: Path) -> None:
    delivery = deliver(tmp_path, since=datetime.date(2026, 12, 1), formats=["csv"])
    manifest = json.loads((tmp_path / "2026-12-07" / "manifest.json").read_text())
    assert manifest["kind"] == "incremental" and manifest["since"] == "2026-12-01"
    assert manifest["formats"] == ["csv"]
    assert delivery.kind == "incremental"


def test_csv_is_always_written_since_the_data_package_describes_it(tmp_path: Path) -> None:
    deliver(tmp_path, formats=["parquet"])
    names = sorted(file_hashes(tmp_path / "2026-12-07"))
    assert "csv/proef.csv" in names and "parquet/proef.parquet" in names
    assert not any(name.startswith(("xml/", "sql/")) for name in names)


def failing_rows(after: int) -> Iterator[Row]:
    yield from sample_rows(after)()
    raise RuntimeError("the database went away, resident 123 Jansen")


def test_a_failed_run_leaves_nothing_visible_and_is_recorded(tmp_path: Path) -> None:
    broken = DeliveryContent(
        tables=(
            TableSpec(
                name="proef",
                title="Proef",
                description="Breekt halverwege.",
                fields=FIELDS,
                primary_key=("sleutel",),
                rows=lambda: failing_rows(10),
            ),
        )
    )
    with pytest.raises(RuntimeError):
        deliver(tmp_path, content=broken)
    assert [path.name for path in tmp_path.iterdir()] == [".levering.lock"]
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED
    assert failed.finished_at is not None
    assert "Jansen" not in failed.error and "123" not in failed.error
    assert "RuntimeError" in failed.error
    # The retry continues the same record and succeeds.
    deliver(tmp_path)
    retried = Delivery.objects.get()
    assert retried.status == DeliveryStatus.SUCCEEDED and retried.attempts == 2
    assert retried.error == ""


def test_a_failed_rerun_keeps_the_earlier_delivery_of_the_day(tmp_path: Path) -> None:
    deliver(tmp_path)
    before = file_hashes(tmp_path / "2026-12-07")
    broken = DeliveryContent(tables=(sample_table(5, name="proef"),))
    object.__setattr__(broken.tables[0], "rows", lambda: failing_rows(3))
    with pytest.raises(RuntimeError):
        deliver(tmp_path, content=broken)
    assert file_hashes(tmp_path / "2026-12-07") == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(2, "a"), (1, "a")], "primary-key order"),
        ([(1, "a"), (1, "b")], "primary-key order"),
        ([(1, "c")], "code list"),
        ([(1, None)], "required field"),
        ([(1, "")], "required text"),
        ([("1", "a")], "not a integer"),
        ([(0, "a")], "range"),
    ],
)
def test_rows_that_do_not_fit_their_table_are_refused(tmp_path: Path, rows, message) -> None:
    from wijk.feed.tables import Code, Field, FieldType

    table = TableSpec(
        name="streng",
        title="Streng",
        description="Controle.",
        fields=(
            Field("sleutel", FieldType.INTEGER, "Sleutel.", minimum=1),
            Field("soort", FieldType.STRING, "Soort.", codes=(Code("a", "a"), Code("b", "b"))),
        ),
        primary_key=("sleutel",),
        rows=lambda: iter(rows),
    )
    with pytest.raises(FeedDataError, match=message):
        deliver(tmp_path, content=DeliveryContent(tables=(table,)))
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED and message in failed.error
    assert not (tmp_path / "2026-12-07").exists()


def test_the_record_level_part_is_refused_without_a_legal_basis(tmp_path: Path, settings) -> None:
    settings.FEED_RECORDS_LEGAL_BASIS = ""
    with pytest.raises(FeedError, match="WIJK_FEED_RECORDS_LEGAL_BASIS"):
        deliver(tmp_path, records=True)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("legal_basis", "key", "message"),
    [
        ("", "k" * 32, "WIJK_FEED_RECORDS_LEGAL_BASIS"),
        ("AVG art. 6(1)(e), convenant 2026", "", "WIJK_PSEUDONYM_KEY"),
    ],
)
def test_the_record_level_part_is_refused_in_plain_words(
    tmp_path: Path, settings, legal_basis: str, key: str, message: str
) -> None:
    settings.FEED_RECORDS_LEGAL_BASIS = legal_basis
    settings.PSEUDONYM_KEY = key
    with pytest.raises(FeedError, match=message):
        deliver(tmp_path, records=True)
    assert not Delivery.objects.exists()
    assert not (tmp_path / "2026-12-07").exists()


def test_record_tables_are_refused_without_records(tmp_path: Path) -> None:
    table = sample_table(3)
    object.__setattr__(table, "records", True)
    with pytest.raises(FeedError, match="only with --records"):
        deliver(tmp_path, content=DeliveryContent(tables=(table,)))
    assert not (tmp_path / "2026-12-07").exists()


def test_a_killed_run_still_running_is_reported_failed_by_the_next_run(tmp_path: Path) -> None:
    deliver(tmp_path)
    Delivery.objects.update(status=DeliveryStatus.RUNNING, finished_at=None)  # as if killed
    deliver(tmp_path, day=datetime.date(2026, 12, 8))
    killed, later = Delivery.objects.order_by("day")
    assert killed.status == DeliveryStatus.FAILED and "Interrupted" in killed.error
    assert later.status == DeliveryStatus.SUCCEEDED


def test_unknown_formats_and_since_after_the_day_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="Unknown format pdf"):
        deliver(tmp_path, formats=["csv", "pdf"])
    with pytest.raises(FeedError, match="after the delivery day"):
        deliver(tmp_path, since=DAY + datetime.timedelta(days=1))
    assert not Delivery.objects.exists()


def test_leftovers_of_a_killed_run_are_cleared_and_a_moved_aside_delivery_put_back(
    tmp_path: Path,
) -> None:
    deliver(tmp_path)
    before = file_hashes(tmp_path / "2026-12-07")
    # A run killed between moving the old delivery aside and renaming the new one in.
    (tmp_path / "2026-12-07").rename(tmp_path / ".levering-oud-2026-12-07.abcd1234")
    (tmp_path / ".levering-nieuw-2026-12-07.ffff0000").mkdir()
    deliver(tmp_path, day=datetime.date(2026, 12, 6))
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".levering.lock",
        "2026-12-06",
        "2026-12-07",
    ]
    assert file_hashes(tmp_path / "2026-12-07") == before


def test_the_dictionary_page_is_dutch_and_accessible(tmp_path: Path) -> None:
    deliver(tmp_path)
    page = (tmp_path / "2026-12-07" / "woordenboek.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    assert "<caption>Kolommen van de tabel Proeftabel</caption>" in page
    assert '<th scope="col">Kolom</th>' in page
    assert '<th scope="row"><code>sleutel</code> (sleutel)</th>' in page
    assert "<code>a</code>: soort a" in page
    assert "van 0 tot en met 1000" in page


def test_recent_deliveries_lists_runs_without_personal_data(tmp_path: Path) -> None:
    deliver(tmp_path)
    deliver(tmp_path, day=datetime.date(2026, 12, 8))
    rows = recent_deliveries(1)
    assert len(rows) == 1
    assert rows[0].day == datetime.date(2026, 12, 8)
    assert rows[0].status == "succeeded" and rows[0].rows == 28
