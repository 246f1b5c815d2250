"""Writing and verifying the access log.

Every entry is chained to the previous one with a key the database never holds:
entry_hash = HMAC-SHA256(WIJK_AUDIT_KEY, prev_hash + canonical JSON of the entry), and the
entry stores the key's id (entries from before the keyed chain have none and a plain sha256).
Whoever can rewrite the table cannot compute valid hashes; `wijk audit anchor` also writes the
newest entry's id and hash outside the database, and `wijk audit verify` checks the chain
against every anchor, so a tail cut off below an anchor is found.

The chain is extended by one writer at a time. On PostgreSQL two statements do it: the first
locks the head row (AccessLogHead, the newest link) and reads its hash; the entry's HMAC is
computed here, in Python (the key never reaches the database, its logs or pg_stat_activity);
the second moves the head to the new hash and inserts the entry with the head's previous hash.
The head's row lock serialises writers; it is held from the first statement until the
caller's transaction commits (one HMAC and one round trip longer than the single statement
of before, which needed the key in its text). On SQLite the IMMEDIATE write lock its
transactions take does the same.

Successful accesses are written inside the caller's transaction, so no change commits without
its record. Refused accesses must survive the rollback of the request's transaction: during a
request they are kept aside and written by AccessLogContextMiddleware once the view has
returned or raised, outside any transaction of the view; outside a request they are written at
once.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wijk.core.models import AccessEvent, AccessLogEntry, AccessLogHead, AccessOutcome

if TYPE_CHECKING:
    from django.db.models import Model

GENESIS = "0" * 64


@dataclass
class RequestContext:
    access_point: str
    pending: list[dict[str, Any]] = field(default_factory=list)


_request_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "wijk_access_log_request", default=None
)


def request_context_start(*, access_point: str) -> contextvars.Token[RequestContext | None]:
    return _request_context.set(RequestContext(access_point=access_point))


def request_context_route(view_name: str) -> None:
    context = _request_context.get()
    if context is not None:
        context.access_point = f"{context.access_point} {view_name}"


def request_context_end(token: contextvars.Token[RequestContext | None]) -> None:
    """Write the refused entries kept aside during the request, then forget the context."""
    context = _request_context.get()
    _request_context.reset(token)
    if context is not None:
        for values in context.pending:
            _append(values)


def model_ref(model: type[Model], pk: object) -> str:
    """The access-log reference of record `pk` of `model` ("app_label.model:pk"), without
    loading it; the one place that writes the format."""
    return f"{model._meta.label_lower}:{pk}"


def object_ref(obj: Model) -> str:
    """The access-log reference of a loaded record: `model_ref` of its model and pk."""
    return model_ref(type(obj), obj.pk)


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"user_id": None, "username": "", "role": "", "organisation": ""}
    organisation = getattr(actor, "organisation", None)
    return {
        "user_id": actor.pk,
        "username": actor.get_username(),
        "role": getattr(actor, "role", ""),
        "organisation": str(organisation) if organisation is not None else "",
    }


def access_log_record(
    *,
    actor: Any,
    event: AccessEvent,
    resident_id: int | None = None,
    objects: Iterable[Model | str] = (),
    outcome: AccessOutcome = AccessOutcome.SUCCESS,
    reason: str = "",
    flagged: bool = False,
    on_behalf_of: str = "",
) -> None:
    """Record one access to person-level data. Refused accesses are kept until the request
    ends (see the module docstring); all others are written in the current transaction."""
    context = _request_context.get()
    values: dict[str, Any] = {
        "at": timezone.now(),
        "event": str(event),
        "outcome": str(outcome),
        **_actor_fields(actor),
        "on_behalf_of": on_behalf_of,
        "access_point": context.access_point if context else "cli",
        "resident_id": resident_id,
        "objects_touched": [o if isinstance(o, str) else object_ref(o) for o in objects],
        "reason": reason,
        "flagged": flagged,
    }
    if outcome == AccessOutcome.REFUSED and context is not None:
        context.pending.append(values)
        return
    _append(values)


def _canonical(values: dict[str, Any]) -> str:
    """The entry as hashed: sorted keys, no spaces, UTC timestamp to the microsecond."""
    payload = {
        "at": values["at"].astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "event": values["event"],
        "outcome": values["outcome"],
        "user_id": values["user_id"],
        "username": values["username"],
        "role": values["role"],
        "organisation": values["organisation"],
        "on_behalf_of": values["on_behalf_of"],
        "access_point": values["access_point"],
        "resident_id": values["resident_id"],
        "objects_touched": list(values["objects_touched"]),
        "reason": values["reason"],
        "flagged": bool(values["flagged"]),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class ChainKey:
    """One key of the chain: its id (stored with every entry it hashed, names the key without
    revealing it) and the secret. The HMAC is computed here, in Python, never by the database:
    a key sent in a statement would be in PostgreSQL's log of a failed statement, in
    pg_stat_activity and in a debug log of the SQL."""

    key_id: str
    secret: bytes = field(repr=False)


@functools.lru_cache(maxsize=8)
def chain_key(secret: str) -> ChainKey:
    raw = secret.encode()
    key_id = hmac.new(raw, b"wijk access log key id", hashlib.sha256).hexdigest()[:12]
    return ChainKey(key_id=key_id, secret=raw)


def _current_key() -> ChainKey:
    return chain_key(settings.WIJK_AUDIT_KEY)


def _known_keys() -> dict[str, ChainKey]:
    keys = [chain_key(secret) for secret in settings.WIJK_AUDIT_PREVIOUS_KEYS]
    keys.append(_current_key())
    return {key.key_id: key for key in keys}


def entry_digest(prev_hash: str, values: dict[str, Any], *, key: ChainKey | None) -> str:
    """The entry's hash: HMAC-SHA256 with `key` over prev_hash + canonical JSON; with no key,
    the plain sha256 of the entries written before the chain was keyed."""
    message = (prev_hash + _canonical(values)).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


_ENTRY_COLUMNS = (
    "at",
    "event",
    "outcome",
    "user_id",
    "username",
    "role",
    "organisation",
    "on_behalf_of",
    "access_point",
    "resident_id",
    "objects_touched",
    "reason",
    "flagged",
)
# The head is locked first (FOR UPDATE, in the writer's transaction), the entry's hash is
# computed here from the head's hash (entry_digest, as for SQLite and `wijk audit verify`), and
# one statement moves the head on by one link and inserts the entry with the head's old hash.
# A concurrent writer waits for the head's row lock, so no two entries share a previous hash;
# the entry's id is drawn after the head is locked, so ids follow the chain. The key never
# reaches the database. Table and column names are our models' own; every value is a
# parameter.
_LOCK_HEAD_SQL = f"""
SELECT entry_hash FROM {AccessLogHead._meta.db_table} WHERE id = 1 FOR UPDATE
"""  # noqa: S608
_APPEND_SQL = f"""
WITH head AS (
    UPDATE {AccessLogHead._meta.db_table}
       SET prev_hash = entry_hash, entry_hash = %s
     WHERE id = 1 AND entry_hash = %s
 RETURNING prev_hash, entry_hash
)
INSERT INTO {AccessLogEntry._meta.db_table}
       ({", ".join(_ENTRY_COLUMNS)}, key_id, prev_hash, entry_hash)
SELECT {", ".join("%s::jsonb" if c == "objects_touched" else "%s" for c in _ENTRY_COLUMNS)},
       %s, head.prev_hash, head.entry_hash
  FROM head
RETURNING id
"""  # noqa: S608
# The head row is made by migration 0003; a test database that was flushed gets it back here.
_HEAD_SQL = f"""
INSERT INTO {AccessLogHead._meta.db_table} (id, prev_hash, entry_hash)
SELECT 1, '', COALESCE(
    (SELECT entry_hash FROM {AccessLogEntry._meta.db_table} ORDER BY id DESC LIMIT 1), %s)
ON CONFLICT (id) DO NOTHING
"""  # noqa: S608


def _append(values: dict[str, Any]) -> None:
    key = _current_key()
    if connection.vendor == "postgresql":
        _append_postgresql(values, key)
        return
    with transaction.atomic():  # SQLite: the IMMEDIATE transaction is the writers' lock
        last = AccessLogEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev_hash = last or GENESIS
        entry_hash = entry_digest(prev_hash, values, key=key)
        AccessLogEntry.objects.create(
            **values, key_id=key.key_id, prev_hash=prev_hash, entry_hash=entry_hash
        )
        AccessLogHead.objects.update_or_create(
            pk=1, defaults={"prev_hash": prev_hash, "entry_hash": entry_hash}
        )


def _append_postgresql(values: dict[str, Any], key: ChainKey) -> None:
    columns = [
        json.dumps(list(values[c])) if c == "objects_touched" else values[c] for c in _ENTRY_COLUMNS
    ]
    # Joins the caller's transaction (no savepoint); outside one, makes its own, so that the
    # head stays locked from reading its hash to moving it on.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_LOCK_HEAD_SQL)
        head = cursor.fetchone()
        if head is None:
            cursor.execute(_HEAD_SQL, [GENESIS])
            cursor.execute(_LOCK_HEAD_SQL)
            head = cursor.fetchone()
            if head is None:
                raise RuntimeError("The access log's head row is missing and cannot be made.")
        prev_hash = head[0]
        entry_hash = entry_digest(prev_hash, values, key=key)
        cursor.execute(_APPEND_SQL, [entry_hash, prev_hash, *columns, key.key_id])
        if cursor.fetchone() is None:
            raise RuntimeError("The access log's head moved while it was locked.")


# Anchors: the newest entry's id and hash, written to a file outside the database with an HMAC
# over them, so that a chain rewritten or cut off below an anchor is found even when the head
# row was rewritten with it.


@dataclass(frozen=True)
class Anchor:
    name: str
    entry_id: int
    entry_hash: str


def _anchor_payload(entry_id: int, entry_hash: str, written_at: str, key_id: str) -> bytes:
    return json.dumps(
        {
            "entry_id": entry_id,
            "entry_hash": entry_hash,
            "written_at": written_at,
            "key_id": key_id,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def access_log_anchor(*, verified: ChainReport) -> Anchor | None:
    """Write an anchor for the newest entry a verification found intact to
    WIJK_AUDIT_ANCHOR_DIR; None when the log is empty. An anchor vouches for what it names, so
    it only names what was verified (entries written since are anchored next time)."""
    if not verified.ok:
        raise ValueError("Only a verified chain is anchored.")
    if verified.last_id is None:
        return None
    entry_id, entry_hash = verified.last_id, verified.last_hash
    key = _current_key()
    now = timezone.now().astimezone(datetime.UTC)
    written_at = now.isoformat(timespec="microseconds")
    payload = _anchor_payload(entry_id, entry_hash, written_at, key.key_id)
    document = {
        **json.loads(payload),
        "mac": hmac.new(key.secret, payload, hashlib.sha256).hexdigest(),
    }
    directory = Path(settings.WIJK_AUDIT_ANCHOR_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"anchor-{entry_id:012d}-{now:%Y%m%dT%H%M%S%fZ}.json"
    partial = directory / f".{name}.partial"
    partial.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(directory / name)
    return Anchor(name=name, entry_id=entry_id, entry_hash=entry_hash)


def _anchors(keys: dict[str, ChainKey]) -> tuple[list[Anchor], str]:
    """The anchors in WIJK_AUDIT_ANCHOR_DIR, oldest entry first, and the first problem found
    with one of them (unreadable, unknown key, MAC does not match), or ""."""
    directory = Path(settings.WIJK_AUDIT_ANCHOR_DIR)
    if not directory.is_dir():
        return [], ""
    anchors: list[Anchor] = []
    for path in sorted(directory.glob("anchor-*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            entry_id, entry_hash = int(document["entry_id"]), str(document["entry_hash"])
            key = keys.get(str(document["key_id"]))
            payload = _anchor_payload(
                entry_id, entry_hash, str(document["written_at"]), str(document["key_id"])
            )
            mac = str(document["mac"])
        except (OSError, ValueError, KeyError, TypeError):
            return anchors, f"anchor {path.name} cannot be read"
        if key is None:
            return anchors, f"anchor {path.name} was made with a key that is not configured"
        expected = hmac.new(key.secret, payload, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, mac):
            return anchors, f"anchor {path.name} was changed (its MAC does not match)"
        anchors.append(Anchor(name=path.name, entry_id=entry_id, entry_hash=entry_hash))
    anchors.sort(key=lambda anchor: anchor.entry_id)
    return anchors, ""


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    problem: str
    anchors: int = 0
    last_id: int | None = None
    last_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _entries() -> Iterator[AccessLogEntry]:
    return AccessLogEntry.objects.order_by("id").iterator(chunk_size=5000)


def access_log_verify() -> ChainReport:
    """Walk the chain from the first entry; report the first entry whose link, key or content
    does not match, or that differs from an anchor; then check that the head and every anchor
    name an entry that is still there."""
    keys = _known_keys()
    anchors, anchor_problem = _anchors(keys)
    if anchor_problem:
        return ChainReport(0, None, anchor_problem)
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.entry_id, []).append(anchor)
    unkeyed_until = settings.WIJK_AUDIT_UNKEYED_UNTIL
    prev_hash = GENESIS
    checked = 0
    last_id: int | None = None
    seen_anchored: set[int] = set()
    for entry in _entries():
        values = {f: getattr(entry, f) for f in _ENTRY_COLUMNS}
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, entry.pk, "link to the previous entry is broken")
        key = keys.get(entry.key_id)
        if not entry.key_id and entry.pk > unkeyed_until:
            return ChainReport(
                checked,
                entry.pk,
                "the entry is not keyed (entries before the keyed chain are accepted up to "
                f"WIJK_AUDIT_UNKEYED_UNTIL, now {unkeyed_until})",
            )
        if entry.key_id and key is None:
            return ChainReport(
                checked,
                entry.pk,
                f"made with key {entry.key_id}, which is neither WIJK_AUDIT_KEY nor one of "
                "WIJK_AUDIT_PREVIOUS_KEYS",
            )
        if entry_digest(prev_hash, values, key=key) != entry.entry_hash:
            return ChainReport(checked, entry.pk, "content does not match its hash")
        for anchor in anchored.get(entry.pk, ()):
            if anchor.entry_hash != entry.entry_hash:
                return ChainReport(
                    checked, entry.pk, f"the entry differs from anchor {anchor.name}"
                )
            seen_anchored.add(entry.pk)
        prev_hash = entry.entry_hash
        last_id = entry.pk
        checked += 1
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is not None and head.entry_hash != prev_hash:
        # Entries at the end were removed (or the head was changed): the last entry left is
        # not the newest link the log wrote.
        return ChainReport(checked, last_id or 0, "the newest entries are missing")
    for anchor in anchors:
        if last_id is None or anchor.entry_id > last_id:
            return ChainReport(
                checked,
                last_id or 0,
                f"the newest entries are missing: anchor {anchor.name} names entry "
                f"{anchor.entry_id}, the log ends at entry {last_id or 0}",
            )
        if anchor.entry_id not in seen_anchored:
            return ChainReport(
                checked, anchor.entry_id, f"the entry named by anchor {anchor.name} is missing"
            )
    return ChainReport(
        checked, None, "", anchors=len(anchors), last_id=last_id, last_hash=prev_hash
    )
