"""API clients for the tests, made as an administrator makes them (the service behind the
page), and HTTP clients that send their token."""

from __future__ import annotations

from django.test import Client

from wijk.accounts.models import User
from wijk.api.models import ApiClient, ApiScope
from wijk.api.services import api_client_create


def api_client_make(
    *, actor: User, scopes: list[str] | None = None, name: str = "Dashboard gemeente"
) -> tuple[ApiClient, str]:
    made = api_client_create(
        actor=actor,
        name=name,
        organisation="Gemeente Haarlem",
        scopes=ApiScope.values if scopes is None else scopes,
    )
    return made.client, made.token


def token_client(token: str, *, scheme: str = "Bearer") -> Client:
    return Client(HTTP_AUTHORIZATION=f"{scheme} {token}")
