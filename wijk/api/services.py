"""Writes on API clients: made and revoked by an administrator, each an access-log entry in
the same transaction; the moment of last use, kept up to the minute."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wijk.api.models import ApiClient, ApiScope
from wijk.core.audit import access_log_record
from wijk.core.models import AccessEvent
from wijk.core.submissions import submission_claim

if TYPE_CHECKING:
    from wijk.accounts.models import User

log = structlog.get_logger(__name__)

# What every token starts with, so that a token found in a file or a log is recognised as ours.
TOKEN_PREFIX = "wijk_"  # noqa: S105 (a prefix, not a secret)
# Random bytes in a token (RFC 6750 bearer token; 256 bits, never guessed).
TOKEN_BYTES = 32
# The moment of last use is written at most this often per client, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The hex SHA-256 of a token as stored: a token of 256 random bits needs no salt or slow
    hash (nobody can try them all), and a lookup by the hash compares no secret in Python."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewApiClient:
    """A client just made and its token: the only moment the token exists outside the
    client's own system."""

    client: ApiClient
    token: str


@transaction.atomic(durable=True)
def api_client_create(
    *,
    actor: User,
    name: str,
    organisation: str,
    scopes: Iterable[str],
    submission_key: uuid.UUID | None = None,
) -> NewApiClient:
    submission = submission_claim(actor=actor, key=submission_key, model=ApiClient)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    client = ApiClient(
        name=name,
        organisation=organisation,
        scopes=sorted({ApiScope(scope).value for scope in scopes}),
        token_hash=token_hash(token),
        created_by=actor,
        created_at=timezone.now(),
    )
    client.full_clean()
    client.save()
    access_log_record(
        actor=actor, event=AccessEvent.CREATE, objects=[client], reason="api client created"
    )
    submission.made(client)
    log.info("api_client_created", api_client_id=client.pk, by=actor.pk)
    return NewApiClient(client=client, token=token)


@transaction.atomic(durable=True)
def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """The token stops working at once, for good; revoking a revoked client changes nothing."""
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if not locked.active:
        return locked
    locked.active = False
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["active", "revoked_at", "revoked_by"])
    access_log_record(
        actor=actor, event=AccessEvent.UPDATE, objects=[locked], reason="api client revoked"
    )
    log.info("api_client_revoked", api_client_id=locked.pk, by=actor.pk)
    return locked


def api_client_used(*, client: ApiClient) -> None:
    """Note that `client` was used now: one UPDATE a minute at most, none in between."""
    now = timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    client.last_used_at = now
