"""The access log is append-only in the database, hash-chained, and verifiable from the CLI."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wijk.core.audit import (
    _ENTRY_COLUMNS,
    GENESIS,
    _canonical,
    access_log_record,
    access_log_verify,
    chain_key,
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


_GUARDS = (
    "core_access_log_no_update",
    "core_access_log_no_delete",
    "core_access_log_head_forward_only",
    "core_access_log_head_no_delete",
)


def _tamper(sql: str, params: list[object]) -> None:
    """What an attacker with the tables' owner's rights could do: switch the guards of the
    log and of its head off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_accesslogentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_accessloghead DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_accesslogentry ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_accessloghead ENABLE TRIGGER USER")
        else:
            for trigger in _GUARDS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
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


@pytest.mark.parametrize("audit_key", [None, "a key longer than SHA-256's block " * 3])
def test_chain_hash_of_the_stored_entry_matches_python(entries, settings, audit_key) -> None:
    """The entry hash (an HMAC) is computed from the values given; read back as stored, they
    give the same hash, also for text outside ASCII and for a key longer than a block."""
    if audit_key is not None:
        settings.WIJK_AUDIT_PREVIOUS_KEYS = [settings.WIJK_AUDIT_KEY]
        settings.WIJK_AUDIT_KEY = audit_key
    access_log_record(
        actor=None, event=AccessEvent.READ, reason="Zoë, café 'ĳ' — €5", objects=["a:1", "b:2"]
    )
    last = AccessLogEntry.objects.order_by("-id").first()
    assert last is not None
    values = {field: getattr(last, field) for field in _ENTRY_COLUMNS}
    key = chain_key(settings.WIJK_AUDIT_KEY)
    assert last.key_id == key.key_id
    assert last.entry_hash == entry_digest(entries[-1].entry_hash, values, key=key)
    assert access_log_verify().ok


def test_no_statement_sent_to_the_database_carries_the_chain_key(entries, settings) -> None:
    """The key would otherwise be in PostgreSQL's log of a failed statement, in
    pg_stat_activity and in a debug log of the SQL: whoever read it there could rewrite the
    chain undetected. Neither the key nor its RFC 2104 pads (one XOR away from it) is sent."""
    secret = settings.WIJK_AUDIT_KEY.encode()
    block = secret.ljust(64, b"\0")
    forms = [secret, secret.hex().encode()]
    for pad in (0x36, 0x5C):
        padded = bytes(byte ^ pad for byte in block)
        forms += [padded, padded.hex().encode()]
    with CaptureQueriesContext(connection) as queries:
        access_log_record(actor=None, event=AccessEvent.READ, reason="sleutel niet sturen")
    assert queries.captured_queries
    sent = "\n".join(query["sql"] for query in queries.captured_queries).encode()
    assert not [form for form in forms if form.lower() in sent.lower()]
    assert access_log_verify().ok


def test_refused_access_outside_a_request_is_written_at_once(make_user) -> None:
    user = make_user()
    access_log_record(
        actor=user, event=AccessEvent.READ, resident_id=9, outcome=AccessOutcome.REFUSED
    )
    assert AccessLogEntry.objects.get().outcome == "refused"


def _values(entry: AccessLogEntry) -> dict[str, object]:
    return {field: getattr(entry, field) for field in _ENTRY_COLUMNS}


def _rewrite_from(entries: list[AccessLogEntry], index: int, digest, key_id: str) -> None:
    """Change entry `index`'s user name and recompute the hashes of it and every later entry,
    and the head, with `digest` (what someone without WIJK_AUDIT_KEY can compute)."""
    prev_hash = entries[index - 1].entry_hash if index else GENESIS
    entries[index].username = "someone else"
    for entry in entries[index:]:
        entry_hash = digest(prev_hash, _values(entry))
        _tamper(
            "UPDATE core_accesslogentry SET username = %s, prev_hash = %s, entry_hash = %s, "
            "key_id = %s WHERE id = %s",
            [entry.username, prev_hash, entry_hash, key_id, entry.pk],
        )
        prev_hash = entry_hash
    _tamper("UPDATE core_accessloghead SET entry_hash = %s", [prev_hash])


def test_verify_detects_a_chain_rewritten_with_plain_hashes(entries) -> None:
    """Without the key, a rewritten chain can only be hashed as the old unkeyed chain was:
    verify refuses unkeyed entries after WIJK_AUDIT_UNKEYED_UNTIL."""
    _rewrite_from(entries, 1, lambda prev, values: entry_digest(prev, values, key=None), "")
    with pytest.raises(CommandError, match=f"entry {entries[1].pk}: the entry is not keyed"):
        call_command("audit", "verify")


def test_verify_detects_a_chain_rewritten_with_another_key(entries) -> None:
    """Claiming the real key's id while hashing with a guessed key breaks the content check."""
    forged = chain_key("a key the attacker chose, not WIJK_AUDIT_KEY at all")
    _rewrite_from(
        entries,
        1,
        lambda prev, values: entry_digest(prev, values, key=forged),
        entries[0].key_id,
    )
    with pytest.raises(CommandError, match=f"entry {entries[1].pk}: content does not match"):
        call_command("audit", "verify")


def test_verify_detects_a_tail_cut_off_below_an_anchor(entries, capsys, audit_anchor_dir) -> None:
    """Removing the newest entries and setting the head back to the last one left passes the
    chain and the head; the anchor written outside the database names what is missing."""
    call_command("audit", "anchor")
    assert f"Anchored entry {entries[-1].pk}" in capsys.readouterr().out
    (anchor,) = audit_anchor_dir.glob("anchor-*.json")
    _tamper("DELETE FROM core_accesslogentry WHERE id >= %s", [entries[1].pk])
    _tamper("UPDATE core_accessloghead SET entry_hash = %s", [entries[0].entry_hash])
    with pytest.raises(
        CommandError,
        match=(
            f"entry {entries[0].pk}: the newest entries are missing: anchor {anchor.name} "
            f"names entry {entries[-1].pk}, the log ends at entry {entries[0].pk}"
        ),
    ):
        call_command("audit", "verify")


def test_verify_checks_the_chain_against_every_anchor(entries, capsys, audit_anchor_dir) -> None:
    call_command("audit", "anchor")
    access_log_record(actor=None, event=AccessEvent.READ, resident_id=4)
    call_command("audit", "anchor")
    capsys.readouterr()
    call_command("audit", "verify")
    assert "4 entries checked, 2 anchors matched" in capsys.readouterr().out


def test_verify_refuses_a_changed_anchor(entries, audit_anchor_dir) -> None:
    call_command("audit", "anchor")
    (path,) = audit_anchor_dir.glob("anchor-*.json")
    document = json.loads(path.read_text())
    document["entry_id"] = entries[0].pk
    document["entry_hash"] = entries[0].entry_hash
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=f"anchor {path.name} was changed"):
        call_command("audit", "verify")


def test_anchor_refuses_a_broken_chain(entries, audit_anchor_dir) -> None:
    _tamper("UPDATE core_accesslogentry SET reason = 'x' WHERE id = %s", [entries[0].pk])
    with pytest.raises(CommandError, match=f"entry {entries[0].pk}"):
        call_command("audit", "anchor")
    assert not list(audit_anchor_dir.glob("anchor-*.json"))


def test_anchor_on_an_empty_log_writes_nothing(db, capsys, audit_anchor_dir) -> None:
    call_command("audit", "anchor")
    assert "nothing to anchor" in capsys.readouterr().out
    assert not audit_anchor_dir.exists()


def test_entries_made_with_a_previous_key_verify_after_rotation(entries, settings) -> None:
    old_key = settings.WIJK_AUDIT_KEY
    settings.WIJK_AUDIT_KEY = "a new key of at least thirty-two characters, rotated"
    access_log_record(actor=None, event=AccessEvent.READ, resident_id=4)
    report = access_log_verify()
    assert report.first_bad_id == entries[0].pk
    assert "neither WIJK_AUDIT_KEY nor one of WIJK_AUDIT_PREVIOUS_KEYS" in report.problem
    settings.WIJK_AUDIT_PREVIOUS_KEYS = [old_key]
    assert access_log_verify().ok


def test_entries_from_before_the_keyed_chain_verify_up_to_the_configured_id(
    db, make_user, settings
) -> None:
    """An installation that wrote unkeyed entries accepts them as the log's beginning once
    the operator names the last one (WIJK_AUDIT_UNKEYED_UNTIL); later ones stay keyed."""
    values = {
        "at": timezone.now(),
        "event": "read",
        "outcome": "success",
        "user_id": None,
        "username": "",
        "role": "",
        "organisation": "",
        "on_behalf_of": "",
        "access_point": "cli",
        "resident_id": 7,
        "objects_touched": [],
        "reason": "",
        "flagged": False,
    }
    legacy_hash = hashlib.sha256((GENESIS + _canonical(values)).encode()).hexdigest()
    legacy = AccessLogEntry.objects.create(
        **values, prev_hash=GENESIS, entry_hash=legacy_hash, key_id=""
    )
    _tamper("UPDATE core_accessloghead SET prev_hash = '', entry_hash = %s", [legacy_hash])
    access_log_record(actor=make_user(), event=AccessEvent.READ, resident_id=8)
    report = access_log_verify()
    assert report.first_bad_id == legacy.pk
    assert "WIJK_AUDIT_UNKEYED_UNTIL" in report.problem
    settings.WIJK_AUDIT_UNKEYED_UNTIL = legacy.pk
    report = access_log_verify()
    assert report.ok, report.problem
    assert report.checked == 2


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        ("UPDATE core_accessloghead SET entry_hash = prev_hash", "UPDATE"),
        ("UPDATE core_accessloghead SET prev_hash = 'x', entry_hash = 'y'", "UPDATE"),
        ("DELETE FROM core_accessloghead", "DELETE"),
        ("TRUNCATE core_accessloghead", "TRUNCATE"),
    ],
)
def test_database_lets_the_head_only_move_forward(entries, statement, operation) -> None:
    if operation == "TRUNCATE" and connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with (
        pytest.raises(DatabaseError, match=f"only moves forward: {operation} refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessLogHead.objects.get().entry_hash == entries[-1].entry_hash
    assert access_log_verify().ok
