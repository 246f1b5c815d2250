"""Writing and verifying the access log.

Every entry is chained to the previous one: entry_hash = sha256(prev_hash + canonical JSON of
the entry). The chain is extended by one writer at a time: on PostgreSQL under a transaction-
level advisory lock, on SQLite under the IMMEDIATE write lock its transactions take.

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

from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome

if TYPE_CHECKING:
    from django.db.models import Model

GENESIS = "0" * 64
_CHAIN_LOCK_KEY = 7513_0001


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


def entry_digest(prev_hash: str, values: dict[str, Any]) -> str:
    at = values["at"]
    payload = {
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _append(values: dict[str, Any]) -> AccessLogEntry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AccessLogEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev_hash = last or GENESIS
        return AccessLogEntry.objects.create(
            **values, prev_hash=prev_hash, entry_hash=entry_digest(prev_hash, values)
        )


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
        values = {f: getattr(entry, f) for f in _HASHED_FIELDS}
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, entry.pk, "link to the previous entry is broken")
        if entry_digest(prev_hash, values) != entry.entry_hash:
            return ChainReport(checked, entry.pk, "content does not match its hash")
        prev_hash = entry.entry_hash
        checked += 1
    return ChainReport(checked, None, "")


_HASHED_FIELDS = (
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
