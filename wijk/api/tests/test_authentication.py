"""Who gets in: an API client's token, in the Authorization header, while it is active; with
the scope the endpoint needs. Nobody else: no token, a wrong or revoked one, a staff
member's session; and the token signs in to no page."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.api.models import ApiClient, ApiScope
from wijk.api.services import api_client_revoke
from wijk.api.tests.factories import token_client

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicatoren"


def _assert_401(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="wijk-api"'
    assert response.json()["status"] == 401


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "Token"])
def test_a_valid_token_reads_the_indicators(api_token, scheme) -> None:
    response = token_client(api_token, scheme=scheme).get(INDICATORS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] > 0


def test_without_a_token_the_answer_is_401(client) -> None:
    _assert_401(client.get(INDICATORS))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wijk_not-a-token-we-made",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "a" * 500,
        "Bearer wijk_é",
        "Bearer\x00x",
    ],
)
def test_a_wrong_token_gets_the_same_401(client, api_token, header) -> None:
    _assert_401(client.get(INDICATORS, HTTP_AUTHORIZATION=header))


def test_a_revoked_token_gets_the_same_401_at_once(make_api_client, make_user) -> None:
    api_client, token = make_api_client()
    http = token_client(token)
    assert http.get(INDICATORS).status_code == 200
    api_client_revoke(actor=make_user(Role.ADMINISTRATOR), client=api_client)
    _assert_401(http.get(INDICATORS))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MUNICIPALITY, Role.MANAGEMENT])
def test_a_staff_session_reads_no_figures(role, make_user, client_for) -> None:
    _assert_401(client_for(make_user(role)).get(INDICATORS))


def test_a_client_without_the_scope_gets_403(make_api_client) -> None:
    _client, token = make_api_client(scopes=[ApiScope.DELIVERIES])
    response = token_client(token).get(INDICATORS)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert token_client(token).get("/api/v1/leveringen").status_code == 200


def test_the_token_is_stored_only_as_its_hash(make_api_client) -> None:
    api_client, token = make_api_client()
    assert token.startswith("wijk_") and len(token) >= 5 + 43  # 32 random bytes, base64
    stored = ApiClient.objects.get(pk=api_client.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiClient.objects.filter(pk=api_client.pk).values().get())


def test_use_is_noted_as_last_used(make_api_client) -> None:
    api_client, token = make_api_client()
    assert api_client.last_used_at is None
    token_client(token).get(INDICATORS)
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_the_token_opens_no_page(api) -> None:
    """A token is no login: the pages send it to the login page, as any visitor."""
    for name in ("core:home", "monitoring:flows", "api_clients:list"):
        response = api.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
