"""At most WIJK_API_RATE requests per API client (429 with Retry-After beyond it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from wijk.api.models import ApiClient


class ApiClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self) -> str:
        return str(settings.WIJK_API_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = request.auth
        if not isinstance(client, ApiClient):
            return None  # not a client: refused before this, or the public OpenAPI document
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
