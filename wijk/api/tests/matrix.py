"""Authorization matrix rows of the API (merged by wijk/core/tests/test_authorization_matrix.py).

The endpoints under /api/v1/ answer an API client's token only: a session of any role, staff
or not, gets 401; the token in turn opens no page of wijk (its column is DENY everywhere
else). The OpenAPI document is public: it describes, it holds no figures. The pages that
manage API clients are the administrators'."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.accounts.models import Role
from wijk.api.tests.factories import api_client_make, token_client
from wijk.core.tests.matrix_kit import API, MANAGE, NO_ARGS, Kwargs, public, row
from wijk.monitoring.indicators import indicator_codes
from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.services import published_set_make

ONE_DAY = datetime.timedelta(days=1)

API_CLIENT_PK: Kwargs = lambda objects: {"pk": objects["api_client"].pk}  # noqa: E731


def _published_set(objects: dict[str, Any]) -> dict[str, Any]:
    """Last month's figures, published: made only for the rows that need it (it computes
    every indicator)."""
    last_month = period_of(PeriodUnit.MONTH, timezone.localdate().replace(day=1) - ONE_DAY)
    return {"pk": published_set_make(period=last_month, actor=None).pk}


PUBLISHED_SET: Kwargs = _published_set
INDICATOR: Kwargs = lambda objects: {"code": indicator_codes()[0]}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "api:openapi": (public(), NO_ARGS),
    "api:indicators": (row(API), NO_ARGS),
    "api:figures": (row(API), INDICATOR),
    "api:deliveries": (row(API), NO_ARGS),
    "api:published_sets": (row(API), NO_ARGS),
    "api:published_set_figures": (row(API), PUBLISHED_SET),
    "api_clients:list": (row(MANAGE), NO_ARGS),
    "api_clients:create": (row(MANAGE), NO_ARGS),
    "api_clients:revoke": (row(MANAGE), API_CLIENT_PK),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """An API client with every scope, and an HTTP client that sends its token."""
    administrator = objects["make_user"](Role.ADMINISTRATOR)
    client, token = api_client_make(actor=administrator)
    objects["api_client"] = client
    objects["api_client_http"] = token_client(token)
