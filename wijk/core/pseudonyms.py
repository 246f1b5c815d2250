"""Keyed pseudonyms for the record-level part of the daily feed (docs/adr/0050).

A pseudonym is HMAC-SHA256 with WIJK_PSEUDONYM_KEY over "<kind>:<id>" (kind: `inwoner` for a
resident, the table's kind for a record), written as the first 32 hexadecimal characters (128
bits, RFC 2104 §5 allows the truncation). The same key gives the same pseudonym in every
delivery, so rows of one resident can be linked across tables and days; without the key
nobody can go back from a pseudonym to an id, nor compute the pseudonym of an id. The key is
held only in wijk's environment: never in the database, never in a delivery (a delivery names
only `key_id`, a fingerprint that changes when the key does).

Pseudonyms are computed here, in Python, and nowhere else: the key never travels to the
database. A query parameter is bound into the statement text, so a key sent with a query would
appear in PostgreSQL's log (log_min_error_statement, slow-query logs), in pg_stat_activity and
in Django's SQL log; whoever read it there could pseudonymise any id. The selectors of the
record-level part return internal ids, which never leave the process, and the feed turns them
into pseudonyms row by row (wijk.feed.records).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

PSEUDONYM_CHARS = 32
RESIDENT = "inwoner"
# The key a DEBUG run uses when WIJK_PSEUDONYM_KEY is not set (wijk.settings). It is in the
# source, so anyone can compute its pseudonyms: a record-level delivery refuses it.
DEVELOPMENT_PSEUDONYM_KEY = "insecure-development-pseudonym-key-only-for-the-demo"


@dataclass(frozen=True)
class PseudonymKey:
    """A pseudonym key (never shown in a repr, never sent to the database)."""

    secret: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """A fingerprint of the key (not the key): it changes when the key does, so a
        consumer knows that pseudonyms of different deliveries cannot be linked."""
        return hmac.new(self.secret, b"wijk pseudonym key id", hashlib.sha256).hexdigest()[:12]


def pseudonym_key(secret: str) -> PseudonymKey:
    return PseudonymKey(secret=secret.encode())


def pseudonym(key: PseudonymKey, kind: str, pk: int) -> str:
    """The pseudonym of record `pk` of `kind` (a resident: kind RESIDENT)."""
    message = f"{kind}:{pk}".encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


def optional_pseudonym(key: PseudonymKey, kind: str, pk: int | None) -> str | None:
    """The pseudonym of `pk`, or None for no record (a request not linked to a resident yet)."""
    return None if pk is None else pseudonym(key, kind, pk)
