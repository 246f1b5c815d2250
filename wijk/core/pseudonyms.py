"""Keyed pseudonyms for the record-level part of the daily feed (docs/adr/0050).

A pseudonym is HMAC-SHA256 with WIJK_PSEUDONYM_KEY over "<kind>:<id>" (kind: `inwoner` for a
resident, the table's kind for a record), written as the first 32 hexadecimal characters (128
bits, RFC 2104 §5 allows the truncation). The same key gives the same pseudonym in every
delivery, so rows of one resident can be linked across tables and days; without the key
nobody can go back from a pseudonym to an id, nor compute the pseudonym of an id. The key is
held only in wijk's environment: never in the database, never in a delivery (a delivery names
only `key_id`, a fingerprint that changes when the key does).

PostgreSQL computes the same value (`Pseudonym`, an expression), so a table can be sorted on
its pseudonyms by the database while it streams: HMAC as RFC 2104 defines it, with two sha256
calls over the padded key, as the access log does (wijk.core.audit). The padded key travels
as a query parameter, like the access log's.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Func

PSEUDONYM_CHARS = 32
RESIDENT = "inwoner"
_SHA256_BLOCK = 64


@dataclass(frozen=True)
class PseudonymKey:
    """A pseudonym key, padded as RFC 2104 does so that SQL can compute the HMAC."""

    secret: bytes = field(repr=False)
    inner: bytes = field(repr=False)
    outer: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """A fingerprint of the key (not the key): it changes when the key does, so a
        consumer knows that pseudonyms of different deliveries cannot be linked."""
        return hmac.new(self.secret, b"wijk pseudonym key id", hashlib.sha256).hexdigest()[:12]


def pseudonym_key(secret: str) -> PseudonymKey:
    raw = secret.encode()
    block = hashlib.sha256(raw).digest() if len(raw) > _SHA256_BLOCK else raw
    block = block.ljust(_SHA256_BLOCK, b"\0")
    return PseudonymKey(
        secret=raw,
        inner=bytes(byte ^ 0x36 for byte in block),
        outer=bytes(byte ^ 0x5C for byte in block),
    )


def pseudonym(key: PseudonymKey, kind: str, pk: int) -> str:
    """The pseudonym of record `pk` of `kind` (a resident: kind RESIDENT)."""
    message = f"{kind}:{pk}".encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


class Pseudonym(Func):
    """The pseudonym of the id in `expression` as PostgreSQL computes it (the same value as
    `pseudonym`); NULL for a NULL id. PostgreSQL only: the record-level part is refused on
    another database."""

    output_field = CharField()

    def __init__(self, expression: Any, *, key: PseudonymKey, kind: str) -> None:
        super().__init__(expression)
        self.key = key
        self.kind = kind

    def as_sql(  # type: ignore[override]  # the whole expression is written here
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        if connection.vendor != "postgresql":
            raise NotImplementedError("Pseudonyms are computed by PostgreSQL only.")
        (expression,) = self.get_source_expressions()
        pk_sql, pk_params = compiler.compile(expression)
        sql = (
            f"CASE WHEN ({pk_sql}) IS NULL THEN NULL ELSE substr(encode(sha256(%s::bytea || "
            f"sha256(%s::bytea || convert_to(%s || ({pk_sql})::text, 'UTF8'))), 'hex'), 1, "
            f"{PSEUDONYM_CHARS}) END"
        )
        params = (*pk_params, self.key.outer, self.key.inner, f"{self.kind}:", *pk_params)
        return sql, params
