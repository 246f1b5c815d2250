"""Reads of API clients (the administrators' list, the client a token belongs to), and the
frozen figures of one published set."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wijk.api.models import ApiClient
from wijk.monitoring.models import PublishedSet


def api_client_list() -> QuerySet[ApiClient]:
    """Every client, active first, with who made and revoked it (no token: none is stored)."""
    return ApiClient.objects.select_related("created_by", "revoked_by").order_by(
        "-active", "name", "pk"
    )


def api_client_get(*, pk: int) -> ApiClient | None:
    return ApiClient.objects.filter(pk=pk).first()


def api_client_for_token_hash(*, digest: str) -> ApiClient | None:
    """The client whose token has this SHA-256, active or not; None when there is none. The
    lookup is by the hash (an index), so no secret is compared character by character."""
    return ApiClient.objects.filter(token_hash=digest).first()


def published_set_rows(*, pk: int) -> list[dict[str, Any]] | None:
    """The figures of published set `pk` as frozen (IndicatorRow fields, dates as ISO 8601
    text), or None when there is no such set. Aggregates only, as every published set."""
    found = PublishedSet.objects.filter(pk=pk).values_list("rows", flat=True).first()
    return None if found is None else list(found)
