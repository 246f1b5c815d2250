"""Who is asking: an API client, by its token (`Authorization: Bearer <token>`, or `Token`).

The token's SHA-256 is looked up (wijk.api.selectors); a token that is missing, malformed,
unknown or revoked gets 401 with the same problem document, so an answer never tells a
revoked token from one that never existed. A staff member's session does not count here: the
API has this one way in, and a token opens no page of wijk (no session is ever made from it).

DRF puts the principal on the request as `request.user`; it is an `ApiPrincipal`, not an
account, so `wijk.accounts.roles.gate_for` gives it no access to any page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import structlog
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from wijk.api.models import ApiClient
from wijk.api.selectors import api_client_for_token_hash
from wijk.api.services import api_client_used, token_hash

log = structlog.get_logger(__name__)

# "Bearer" (RFC 6750) or "Token", a space, and the token: URL-safe characters only, so that
# nothing odd reaches the hash or a log line. Longer than any token we make is refused unread.
_AUTHORIZATION = re.compile(r"(?i:bearer|token) ([A-Za-z0-9_\-]{1,200})")
REALM = "wijk-api"


@dataclass(frozen=True)
class ApiPrincipal:
    """The API client a request came with, as DRF's `request.user`."""

    client: ApiClient
    is_authenticated: bool = True
    is_active: bool = True

    @property
    def pk(self) -> int:
        return self.client.pk


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiPrincipal, ApiClient] | None:
        header = request.META.get("HTTP_AUTHORIZATION")
        if header is None:
            return None  # then the permission check answers 401
        match = _AUTHORIZATION.fullmatch(header.strip())
        client = api_client_for_token_hash(digest=token_hash(match.group(1))) if match else None
        if client is None or not client.active:
            log.info(
                "api_token_refused",
                api_client_id=client.pk if client is not None else None,
            )
            raise exceptions.AuthenticationFailed
        api_client_used(client=client)
        return ApiPrincipal(client=client), client

    def authenticate_header(self, request: Request) -> str:
        return f'Bearer realm="{REALM}"'


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token in the OpenAPI document: HTTP bearer."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "De toegangssleutel van een API-koppeling, gemaakt door een beheerder.",
        }
