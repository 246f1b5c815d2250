"""What an API client may read: each view names the scope it needs (`required_scope`)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from wijk.api.models import ApiClient, ApiScope


class HasScope(BasePermission):
    """An active API client (else 401) with the view's scope (else 403)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        scope: ApiScope | None = getattr(view, "required_scope", None)
        return scope is not None and client.may_read(scope)
