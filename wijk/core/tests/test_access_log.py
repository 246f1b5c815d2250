"""The access log is append-only in the database, hash-chained, and verifiable from the CLI."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from wijk.core.audit import (
    _ENTRY_COLUMNS,
    GENESIS,
    access_log_record,
    access_log_verify,
    entry_digest,
)
from wijk.core.models import AccessEvent, AccessLogEntry, AccessLogHead, AccessOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(make_user) -> list[AccessLogEntry]:
    user = make_user()
    for resident_id in (1, 2, 3):
        access_log_record(actor=user, event=AccessEvent.READ, resident_id=resident_id)
    return list(AccessLogEntry.objects.order_by("id"))


def test_entries_are_chained_from_genesis(entries) -> None:
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert access_log_verify().ok


def test_entry_records_who_what_and_outcome(entries) -> None:
    entry = entries[0]
    assert entry.event == "read"
    assert entry.outcome == "success"
    assert entry.role == "professional"
    assert entry.username.startswith("medewerker")
    assert entry.access_point == "cli"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_accesslogentry SET reason = 'changed'",
        "DELETE FROM core_accesslogentry",
    ],
)
def test_database_refuses_update_and_delete(entries, statement) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessLogEntry.objects.count() == 3


def test_orm_update_is_refused_too(entries) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entries[1].pk).update(username="someone else")


def _tamper(sql: str, params: list[object]) -> None:
    """What an attacker with the table owner's rights could do: switch the guard off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_accesslogentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_accesslogentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_access_log_no_update")
            cursor.execute("DROP TRIGGER core_access_log_no_delete")
            cursor.execute(sql, params)


def test_verify_names_the_first_tampered_entry(entries, capsys) -> None:
    call_command("audit", "verify")
    assert "3 entries checked" in capsys.readouterr().out
    _tamper("UPDATE core_accesslogentry SET username = %s WHERE id = %s", ["x", entries[1].pk])
    with pytest.raises(CommandError, match=f"entry {entries[1].pk}: content"):
        call_command("audit", "verify")


def test_verify_detects_a_removed_entry(entries) -> None:
    _tamper("DELETE FROM core_accesslogentry WHERE id = %s", [entries[1].pk])
    report = access_log_verify()
    assert report.first_bad_id == entries[2].pk
    assert "link" in report.problem


def test_verify_detects_removed_newest_entries(entries) -> None:
    """The head row names the newest link: cutting entries off the end breaks no link
    between the entries left, but the head no longer matches the last one."""
    assert AccessLogHead.objects.get().entry_hash == entries[-1].entry_hash
    _tamper("DELETE FROM core_accesslogentry WHERE id = %s", [entries[-1].pk])
    report = access_log_verify()
    assert report.checked == 2
    assert report.first_bad_id == entries[1].pk
    assert report.problem == "the newest entries are missing"


def test_chain_hash_computed_by_the_database_matches_python(entries) -> None:
    """On PostgreSQL the entry hash is computed in SQL; it must equal entry_digest, also for
    text outside ASCII."""
    access_log_record(
        actor=None, event=AccessEvent.READ, reason="Zoë, café 'ĳ' — €5", objects=["a:1", "b:2"]
    )
    last = AccessLogEntry.objects.order_by("-id").first()
    assert last is not None
    values = {field: getattr(last, field) for field in _ENTRY_COLUMNS}
    assert last.entry_hash == entry_digest(entries[-1].entry_hash, values)
    assert access_log_verify().ok


def test_refused_access_outside_a_request_is_written_at_once(make_user) -> None:
    user = make_user()
    access_log_record(
        actor=user, event=AccessEvent.READ, resident_id=9, outcome=AccessOutcome.REFUSED
    )
    assert AccessLogEntry.objects.get().outcome == "refused"
