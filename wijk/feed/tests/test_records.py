"""The pseudonymised record-level part of the daily feed (docs/adr/0050): refused without a
recorded legal basis or a key, and with both delivered in every format without a name, BSN,
birth date, address or free text, with pseudonyms that are stable under one key and differ
under another, computed in Python so that the key never reaches the database, logged in the
access log."""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import sqlite3
from io import StringIO
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from wijk.accounts.models import Role
from wijk.accounts.tests.factories import UserFactory
from wijk.activities.tests.factories import ActivitySessionFactory
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.core.pseudonyms import DEVELOPMENT_PSEUDONYM_KEY, RESIDENT, pseudonym, pseudonym_key
from wijk.decisions.models import DecisionCase
from wijk.decisions.workflow import DecisionKind
from wijk.feed.content import DeliveryContent
from wijk.feed.models import Delivery, DeliveryStatus
from wijk.feed.records import RecordSource, record_tables
from wijk.feed.services import FeedError, run_delivery
from wijk.feed.writers.xml_files import validate_xml
from wijk.monitoring.indicators import CONTRACT_START
from wijk.monitoring.tests.factories import (
    HelpRequestFactory,
    ShortContactFactory,
    TrajectoryFactory,
)
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import sign_directly
from wijk.plans.workflow import PlanStatus
from wijk.requests.models import HelpRequest
from wijk.requests.selectors import help_requests_for_feed
from wijk.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)
ALL = ("csv", "xml", "sql", "parquet")
KEY = "feed-test-key-" + "x" * 40
OTHER_KEY = "another-feed-test-key-" + "y" * 40
LEGAL_BASIS = "AVG art. 6 lid 1 sub e; convenant gegevensuitwisseling Haarlem 2026"
RECORD_TABLES = ("verzoeken", "trajecten", "korte_contacten", "bijeenkomsten", "besluiten")
QUESTION = "Mijn buurvrouw Zwanenburg-Quist helpt mij niet meer met de post"
DRAFT = "Concepttekst over mevrouw Oosterbeek-Trip en haar administratie"


@pytest.fixture
def records_allowed(settings: Any) -> None:
    settings.FEED_RECORDS_LEGAL_BASIS = LEGAL_BASIS
    settings.PSEUDONYM_KEY = KEY


@pytest.fixture
def city(db: Any) -> dict[str, Any]:
    """Residents with known names, BSNs and birth dates, and a record of every kind."""
    hendrika = ResidentFactory(
        given_names="Hendrika",
        family_name="Zwanenburg",
        bsn="111222333",
        date_of_birth=datetime.date(1931, 2, 17),
        phone="0612345678",
        email="hendrika@example.org",
    )
    youngster = ResidentFactory(
        given_names="Tijmen",
        family_name="Oosterbeek",
        bsn="123456782",
        date_of_birth=datetime.date(2011, 9, 23),
    )
    received = datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC)
    request = HelpRequestFactory(
        resident=hendrika,
        received_at=received,
        question=QUESTION,
        requester_name="Pieternella Quist",
        requester_phone="0687654321",
        requester_email="quist@example.net",
    )
    HelpRequestFactory(resident=None, question=QUESTION)  # not linked to a resident yet
    TrajectoryFactory(
        resident=hendrika, help_request=request, inflow_date=datetime.date(2026, 11, 10)
    )
    TrajectoryFactory(
        resident=youngster, youth_support=True, inflow_date=datetime.date(2026, 10, 1)
    )
    ShortContactFactory(contact_date=datetime.date(2026, 11, 20))
    ActivitySessionFactory(held_on=datetime.date(2026, 11, 21), attendance_total=12)
    author = UserFactory(role=Role.PROFESSIONAL)
    plan = SupportPlanFactory(coordinator=author, status=PlanStatus.ACTIVE)
    sign_directly(plan, witness=author)
    applicant = plan.resident
    applicant.given_names = "Quirinus"
    applicant.family_name = "Oosterbeek-Trip"
    applicant.bsn = "100000009"
    applicant.date_of_birth = datetime.date(1958, 4, 29)
    applicant.save()
    decided = DecisionCase.objects.create(
        plan=plan,
        version=plan.current,
        resident=plan.resident,
        placed_by=author,
        kind=DecisionKind.REQUESTED,
        draft_text=DRAFT,
    )
    return {"hendrika": hendrika, "youngster": youngster, "request": request, "case": decided}


def forbidden_texts(city: dict[str, Any]) -> list[str]:
    """What must never be in a delivery: names, BSNs, birth dates, contact details, address,
    free text, and the internal ids as the records' own references."""
    texts = [QUESTION, DRAFT, "Pieternella", "0687654321", "quist@example.net"]
    residents = [city["hendrika"], city["youngster"], city["case"].resident]
    for resident in residents:
        texts += [resident.given_names, resident.family_name, resident.date_of_birth.isoformat()]
        if resident.bsn:
            texts.append(resident.bsn)
        if resident.phone:
            texts.append(resident.phone)
        if resident.email:
            texts.append(resident.email)
        if resident.address is not None:
            texts += [resident.address.street, resident.address.postcode]
    texts.append(city["request"].reference)
    return texts


def record_content() -> DeliveryContent:
    """Only the record-level tables, as the delivery builds them (the aggregated tables are
    tested elsewhere and take long to compute)."""
    key = pseudonym_key(KEY)
    return DeliveryContent(
        tables=record_tables(RecordSource(key=key, since=None, first_day=CONTRACT_START)),
        pseudonym_key_id=key.key_id,
    )


def deliver_records(out: Path, **options: Any) -> Delivery:
    options.setdefault("day", DAY)
    options.setdefault("since", None)
    options.setdefault("formats", ALL)
    options.setdefault("content", record_content())
    return run_delivery(out_dir=out, records=True, **options)


def csv_rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------
# Refused


@pytest.mark.parametrize(
    ("legal_basis", "key", "message"),
    [
        ("", KEY, "needs a recorded legal basis: set WIJK_FEED_RECORDS_LEGAL_BASIS"),
        ("   ", KEY, "needs a recorded legal basis: set WIJK_FEED_RECORDS_LEGAL_BASIS"),
        (LEGAL_BASIS, "", "needs a pseudonym key: set WIJK_PSEUDONYM_KEY"),
        (LEGAL_BASIS, "too-short-a-key", "needs a pseudonym key: set WIJK_PSEUDONYM_KEY"),
        (LEGAL_BASIS, DEVELOPMENT_PSEUDONYM_KEY, "refuses the development pseudonym key"),
    ],
)
def test_export_records_is_refused_without_legal_basis_or_key(
    tmp_path: Path, settings: Any, city: dict[str, Any], legal_basis: str, key: str, message: str
) -> None:
    settings.FEED_RECORDS_LEGAL_BASIS = legal_basis
    settings.PSEUDONYM_KEY = key
    with pytest.raises(CommandError, match=message):
        call_command("export", "--out", str(tmp_path), "--day", DAY.isoformat(), "--records")
    assert list(tmp_path.iterdir()) in ([], [tmp_path / ".levering.lock"])
    assert not Delivery.objects.exists()
    assert not AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).exists()


# ---------------------------------------------------------------------------------------------
# Delivered through the command, with the aggregated tables beside them


def test_export_records_writes_every_record_table_in_every_format_without_identifying_data(
    tmp_path: Path, records_allowed: None, city: dict[str, Any]
) -> None:
    # Incremental since 1 November, so that the aggregates cover a few periods only (a full
    # delivery of eight years of them is tested in test_export_command): every record of the
    # city was made or changed since.
    call_command(
        "export",
        "--out",
        str(tmp_path),
        "--day",
        DAY.isoformat(),
        "--since",
        "2026-11-01",
        "--records",
        stdout=StringIO(),
    )
    folder = tmp_path / DAY.isoformat()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["records"] is True
    assert manifest["records_legal_basis"] == LEGAL_BASIS
    method = manifest["records_pseudonymisation"]
    assert method["key_id"] == pseudonym_key(KEY).key_id
    assert "HMAC-SHA256" in method["method"]
    assert manifest["tables"]["verzoeken"] == 2
    assert manifest["tables"]["trajecten"] == 2
    assert manifest["tables"]["korte_contacten"] == 1
    assert manifest["tables"]["bijeenkomsten"] == 1
    assert manifest["tables"]["besluiten"] == 1
    assert manifest["tables"]["indicatoren"] > 0  # the aggregates stay

    for table in RECORD_TABLES:
        for path in (f"csv/{table}.csv", f"xml/{table}.xml", f"parquet/{table}.parquet"):
            assert (folder / path).is_file(), path
    database = sqlite3.connect(folder / "sql" / "levering.sqlite")
    assert {name for (name,) in database.execute("SELECT name FROM sqlite_master")} >= set(
        RECORD_TABLES
    )

    # No name, BSN, birth date, contact detail, address or free text in any byte of any file
    # (the Parquet files are compressed: their values are read back).
    forbidden = forbidden_texts(city)
    key = KEY.encode()
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            text = json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)
            data = text.encode()
        else:
            data = path.read_bytes()
        assert key not in data, path
        for word in forbidden:
            assert word.encode() not in data, (path, word)

    # The frictionless data package and every XML file validate.
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    for table in RECORD_TABLES:
        validate_xml(
            schema_file=folder / "xml" / "levering.xsd", xml_file=folder / f"xml/{table}.xml"
        )
    page = (folder / "woordenboek.html").read_text(encoding="utf-8")
    assert LEGAL_BASIS in page and "HMAC-SHA256" in page and "leeftijdsgroep" in page

    # Age band and wijk instead of birth date and address; the same resident has the same
    # pseudonym in requests and trajectories, and the trajectory names its request.
    hendrika = pseudonym(pseudonym_key(KEY), RESIDENT, city["hendrika"].pk)
    requests = {row["inwoner"]: row for row in csv_rows(folder, "verzoeken")}
    trajectories = {row["inwoner"]: row for row in csv_rows(folder, "trajecten")}
    assert requests[hendrika]["leeftijdsgroep"] == "80+"
    assert requests[hendrika]["ontvangen_op"] == "2026-11-03"
    assert requests[hendrika]["wijkcode"] == city["hendrika"].address.buurt.wijk.code
    assert trajectories[hendrika]["verzoek_id"] == requests[hendrika]["verzoek_id"]
    youngster = pseudonym(pseudonym_key(KEY), RESIDENT, city["youngster"].pk)
    assert trajectories[youngster]["leeftijdsgroep"] == "0-17"
    assert trajectories[youngster]["jeugd"] == "true"
    assert requests[""]["inwoner"] == ""  # the request without a resident
    (case,) = csv_rows(folder, "besluiten")
    assert case["inwoner"] == pseudonym(pseudonym_key(KEY), RESIDENT, city["case"].resident.pk)
    assert case["soort"] == "requested"

    # The delivery is in the tamper-evident access log, with its rows, made by the system.
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.records
    (entry,) = AccessLogEntry.objects.filter(event=AccessEvent.EXPORT)
    assert entry.user_id is None
    assert entry.objects_touched == [f"feed.delivery:{delivery.pk}"]
    assert "verzoeken 2, trajecten 2, korte_contacten 1, bijeenkomsten 1, besluiten 1" in (
        entry.reason
    )
    assert LEGAL_BASIS in entry.reason


# ---------------------------------------------------------------------------------------------
# The record tables on their own


def test_record_tables_load_in_duckdb_and_sqlite_with_the_declared_types(
    tmp_path: Path, records_allowed: None, city: dict[str, Any]
) -> None:
    deliver_records(tmp_path)
    folder = tmp_path / DAY.isoformat()
    parquet = duckdb.sql(
        "SELECT typeof(verzoek_id), typeof(ontvangen_op), typeof(afgerond_op) FROM read_parquet(?)"
        " LIMIT 1",
        params=[str(folder / "parquet" / "verzoeken.parquet")],
    ).fetchall()[0]
    assert parquet == ("VARCHAR", "DATE", "DATE")
    sessions = duckdb.sql(
        "SELECT typeof(deelnemers), deelnemers, typeof(datum) FROM read_parquet(?)",
        params=[str(folder / "parquet" / "bijeenkomsten.parquet")],
    ).fetchall()
    assert sessions == [("BIGINT", 12, "DATE")]
    jeugd = duckdb.sql(
        "SELECT DISTINCT typeof(jeugd) FROM read_csv(?, types={'jeugd': 'BOOLEAN'})",
        params=[str(folder / "csv" / "trajecten.csv")],
    ).fetchall()
    assert jeugd == [("BOOLEAN",)]
    database = sqlite3.connect(folder / "sql" / "levering.sqlite")
    declared = {
        name: kind for _, name, kind, *_ in database.execute("PRAGMA table_info(trajecten)")
    }
    assert declared["instroom_op"] == "DATE" and declared["jeugd"] == "BOOLEAN"
    assert declared["traject_id"] == "TEXT"
    script = sqlite3.connect(":memory:")
    script.executescript((folder / "sql" / "levering.sql").read_text(encoding="utf-8"))
    assert script.execute("SELECT count(*) FROM verzoeken").fetchone() == (2,)


def test_pseudonyms_are_stable_under_one_key_and_differ_under_another(
    tmp_path: Path, settings: Any, records_allowed: None, city: dict[str, Any]
) -> None:
    first = deliver_records(tmp_path / "first")
    second = deliver_records(tmp_path / "second")
    assert first.manifest_sha256 == second.manifest_sha256  # byte-identical, every file
    one = tmp_path / "first" / DAY.isoformat()
    two = tmp_path / "second" / DAY.isoformat()
    for table in RECORD_TABLES:
        for path in (f"csv/{table}.csv", f"parquet/{table}.parquet", f"xml/{table}.xml"):
            assert (one / path).read_bytes() == (two / path).read_bytes(), path
    assert (one / "sql/levering.sqlite").read_bytes() == (two / "sql/levering.sqlite").read_bytes()

    settings.PSEUDONYM_KEY = OTHER_KEY
    key = pseudonym_key(OTHER_KEY)
    other = DeliveryContent(
        tables=record_tables(RecordSource(key=key, since=None, first_day=CONTRACT_START)),
        pseudonym_key_id=key.key_id,
    )
    deliver_records(tmp_path / "other", content=other)
    three = tmp_path / "other" / DAY.isoformat()
    before = {row["inwoner"] for row in csv_rows(one, "trajecten")}
    after = {row["inwoner"] for row in csv_rows(three, "trajecten")}
    assert len(before) == len(after) == 2 and not before & after
    ids_before = {row["verzoek_id"] for row in csv_rows(one, "verzoeken")}
    ids_after = {row["verzoek_id"] for row in csv_rows(three, "verzoeken")}
    assert not ids_before & ids_after
    manifest = json.loads((three / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["records_pseudonymisation"]["key_id"] == key.key_id != pseudonym_key(KEY).key_id


def test_rows_are_in_the_order_of_registration_with_the_python_hmac_as_pseudonym(
    tmp_path: Path, records_allowed: None, city: dict[str, Any]
) -> None:
    deliver_records(tmp_path)
    rows = csv_rows(tmp_path / DAY.isoformat(), "verzoeken")
    key = pseudonym_key(KEY)
    pk_of = {
        pseudonym(key, "verzoek", pk): pk for pk in HelpRequest.objects.values_list("pk", flat=True)
    }
    pks = [pk_of[row["verzoek_id"]] for row in rows]
    assert len(pks) >= 2
    assert pks == sorted(pks)
    assert city["request"].pk in pks


def _key_forms(secret: str) -> list[str]:
    """Every form in which the key could show in a statement's text: itself, its bytes in
    hexadecimal and the two padded blocks of RFC 2104 (each is the key XOR a constant)."""
    raw = secret.encode()
    block = raw.ljust(64, b"\0")
    pads = [bytes(byte ^ pad for byte in block) for pad in (0x36, 0x5C)]
    return [secret.lower(), raw.hex(), *(value.hex() for value in pads)]


def _statements(run: Any) -> list[str]:
    """The text of every statement `run` sends, on every database connection."""
    with contextlib.ExitStack() as stack:
        captured = [
            stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections
        ]
        run()
    return [query["sql"].lower() for capture in captured for query in capture.captured_queries]


def test_the_capture_would_see_a_key_sent_as_a_query_parameter(db: Any) -> None:
    pad = bytes(byte ^ 0x36 for byte in KEY.encode().ljust(64, b"\0"))

    def send_the_pad() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT length(%s::bytea)", [pad])

    statements = _statements(send_the_pad)
    assert any(form in sql for sql in statements for form in _key_forms(KEY))


def test_no_statement_sent_to_the_database_carries_the_pseudonym_key(
    tmp_path: Path, records_allowed: None, city: dict[str, Any]
) -> None:
    """A statement's parameters are bound into its text, which PostgreSQL logs on an error,
    shows in pg_stat_activity and in slow-query logs, and Django logs under DEBUG: the key
    must never be one of them, or anyone who reads a log can pseudonymise any resident."""
    statements = _statements(
        lambda: call_command(
            "export",
            "--out",
            str(tmp_path),
            "--day",
            DAY.isoformat(),
            "--since",
            "2026-11-01",
            "--format",
            "csv",
            "--records",
        )
    )
    assert any("help_request" in sql or "requests_helprequest" in sql for sql in statements)
    leaks = [sql[:200] for sql in statements for form in _key_forms(KEY) if form in sql]
    assert not leaks
    assert csv_rows(tmp_path / DAY.isoformat(), "verzoeken")


def test_an_incremental_delivery_holds_the_records_changed_since(
    tmp_path: Path, records_allowed: None, city: dict[str, Any]
) -> None:
    key = pseudonym_key(KEY)
    since = datetime.date(2026, 11, 15)
    content = DeliveryContent(
        tables=record_tables(RecordSource(key=key, since=since, first_day=CONTRACT_START)),
        pseudonym_key_id=key.key_id,
    )
    deliver_records(tmp_path, since=since, content=content)
    folder = tmp_path / DAY.isoformat()
    # The trajectories began in October and November: registered now (created_at), so both
    # are new since the 15th; the short contact of the 20th and the session of the 21st are.
    assert len(csv_rows(folder, "korte_contacten")) == 1
    assert len(csv_rows(folder, "bijeenkomsten")) == 1
    later = datetime.date(2026, 12, 8)
    content = DeliveryContent(
        tables=record_tables(RecordSource(key=key, since=later, first_day=CONTRACT_START)),
        pseudonym_key_id=key.key_id,
    )
    deliver_records(tmp_path, day=later, since=later, content=content)
    assert csv_rows(tmp_path / later.isoformat(), "korte_contacten") == []


def test_the_record_rows_stream_from_a_server_side_cursor(
    records_allowed: None, city: dict[str, Any]
) -> None:
    """Memory stays flat structurally: the rows come from a PostgreSQL cursor, fetched a
    chunk at a time while they are written, never as a list (the bench measures the peak)."""
    from django.db import transaction

    with transaction.atomic():
        rows = help_requests_for_feed(since=None, first_day=CONTRACT_START)
        assert not isinstance(rows, list | tuple)
        first = next(rows)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            (open_cursors,) = cursor.fetchone()
        assert open_cursors >= 1
        rest = list(rows)
        assert len(rest) == 1
        assert first.pk < rest[0].pk


def test_a_failed_record_delivery_is_not_logged_and_leaves_nothing(
    tmp_path: Path, records_allowed: None, city: dict[str, Any]
) -> None:
    with pytest.raises(FeedError):
        deliver_records(tmp_path, formats=("csv", "pdf"))
    assert not (tmp_path / DAY.isoformat()).exists()
    assert not AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).exists()


def test_records_on_either_side_of_a_birthday_do_not_give_the_birth_date_away() -> None:
    """One pseudonym links a resident's records; an age band on the day would change between
    a request received the day before the 18th birthday and a trajectory started on it, and so
    tell the birth date. Counted in years, both records have the same band."""
    from wijk.feed.records import _band

    born = datetime.date(2008, 3, 15)
    assert _band(born, datetime.date(2026, 3, 14)) == _band(born, datetime.date(2026, 3, 15))
    assert _band(born, datetime.date(2026, 1, 1)) == _band(born, datetime.date(2026, 12, 31))
    assert _band(None, datetime.date(2026, 3, 14)) is None
