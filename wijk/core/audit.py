"""Writing and verifying the access log.

Every entry is chained to the previous one: entry_hash = sha256(prev_hash + canonical JSON of
the entry). The chain is extended by one writer at a time. On PostgreSQL one statement does it:
it updates the head row (AccessLogHead, the newest link) to the new hash and inserts the entry
with the head's previous hash; the head's row lock serialises writers, and it is held only as
long as that statement runs (or until the caller's transaction commits), never across Python
work. On SQLite the IMMEDIATE write lock its transactions take does the same.

Successful accesses are written inside the caller's transaction, so no change commits without
its record. Refused accesses must survive the rollback of the request's transaction: during a
request they are kept aside and written by AccessLogContextMiddleware once the view has
returned or raised, outside any transaction of the view; outside a request they are written at
once.
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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


def object_ref(obj: Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


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


def entry_digest(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(values)).encode()).hexdigest()


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
# One statement: move the head on by one link and insert the entry with the head's old hash.
# The UPDATE waits for the row lock of a concurrent writer and then sees that writer's new
# head (READ COMMITTED re-checks the updated row), so no two entries share a previous hash;
# the entry's id is drawn after the head is locked, so ids follow the chain. The hash is
# computed by PostgreSQL (sha256 of the UTF-8 bytes), exactly as entry_digest does.
# Table and column names are our models' own; every value is a parameter.
_APPEND_SQL = f"""
WITH head AS (
    UPDATE {AccessLogHead._meta.db_table}
       SET prev_hash = entry_hash,
           entry_hash = encode(sha256(convert_to(entry_hash || %s, 'UTF8')), 'hex')
     WHERE id = 1
 RETURNING prev_hash, entry_hash
)
INSERT INTO {AccessLogEntry._meta.db_table} ({", ".join(_ENTRY_COLUMNS)}, prev_hash, entry_hash)
SELECT {", ".join("%s::jsonb" if c == "objects_touched" else "%s" for c in _ENTRY_COLUMNS)},
       head.prev_hash, head.entry_hash
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
    if connection.vendor == "postgresql":
        _append_postgresql(values)
        return
    with transaction.atomic():  # SQLite: the IMMEDIATE transaction is the writers' lock
        last = AccessLogEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev_hash = last or GENESIS
        entry_hash = entry_digest(prev_hash, values)
        AccessLogEntry.objects.create(**values, prev_hash=prev_hash, entry_hash=entry_hash)
        AccessLogHead.objects.update_or_create(
            pk=1, defaults={"prev_hash": prev_hash, "entry_hash": entry_hash}
        )


def _append_postgresql(values: dict[str, Any]) -> None:
    params = [
        _canonical(values),
        *(
            json.dumps(list(values[c])) if c == "objects_touched" else values[c]
            for c in _ENTRY_COLUMNS
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_SQL, params)
        if cursor.fetchone() is None:
            cursor.execute(_HEAD_SQL, [GENESIS])
            cursor.execute(_APPEND_SQL, params)
            if cursor.fetchone() is None:
                raise RuntimeError("The access log's head row is missing and cannot be made.")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def _entries() -> Iterator[AccessLogEntry]:
    return AccessLogEntry.objects.order_by("id").iterator(chunk_size=5000)


def access_log_verify() -> ChainReport:
    """Walk the chain from the first entry; report the first entry whose link or content does
    not match."""
    prev_hash = GENESIS
    checked = 0
    for entry in _entries():
        values = {f: getattr(entry, f) for f in _ENTRY_COLUMNS}
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, entry.pk, "link to the previous entry is broken")
        if entry_digest(prev_hash, values) != entry.entry_hash:
            return ChainReport(checked, entry.pk, "content does not match its hash")
        prev_hash = entry.entry_hash
        checked += 1
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is not None and head.entry_hash != prev_hash:
        # Entries at the end were removed (or the head was changed): the last entry left is
        # not the newest link the log wrote.
        last = AccessLogEntry.objects.order_by("-id").values_list("pk", flat=True).first()
        return ChainReport(checked, last or 0, "the newest entries are missing")
    return ChainReport(checked, None, "")
