"""Every error of the API is a problem document (RFC 9457, application/problem+json) with
type, title, status, detail and instance; every answer carries the API-Version header."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import path
from rest_framework.views import APIView

from wijk.api.models import ApiScope
from wijk.api.tests.factories import token_client
from wijk.core.tests.test_hostile_parameters import VALUES as HOSTILE_VALUES
from wijk.urls import urlpatterns as wijk_urlpatterns

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/indicatoren/bereik/cijfers"


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    assert body["type"].startswith("https://www.rfc-editor.org/")
    assert body["instance"].startswith("urn:uuid:")
    return body


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("van=2026-02-30", "van"),
        ("van=morgen", "van"),
        ("tot=0000-01-01", "tot"),
        ("periode=week", "periode"),
        ("niveau=buurt", "niveau"),
        ("van=2025-06-01&tot=2025-05-01", "tot"),
        ("periode=maand&van=2020-01-01&tot=2025-01-01", "tot"),
        ("van=1999-12-31", "van"),
        ("tot=2100-01-01", "tot"),
        ("van=2099-01-01&tot=2099-02-01", "van"),
        ("van=%00", "van"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=" + "9" * 30, "limit"),
        ("offset=-1", "offset"),
        ("offset=²", "offset"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(api, query, name) -> None:
    body = _problem(api.get(f"{FIGURES}?{query}"), 400)
    assert [param["name"] for param in body["invalid_params"]] == [name]
    assert all(param["reason"] for param in body["invalid_params"])


def test_401_403_404_405_406(client, api, make_api_client) -> None:
    _problem(client.get(FIGURES), 401)
    _client, token = make_api_client(scopes=[ApiScope.PUBLISHED])
    _problem(token_client(token).get(FIGURES), 403)
    _problem(api.get("/api/v1/indicatoren/bestaat-niet/cijfers"), 404)
    _problem(api.get("/api/v1/bestaat-niet"), 404)
    _problem(api.get("/api/v2/indicatoren"), 404)
    _problem(api.post("/api/v1/bestaat-niet"), 404)
    _problem(client.get("/api/v1/indicatoren/"), 404)  # no trailing slash (and no redirect)
    body = _problem(api.post("/api/v1/indicatoren", {}), 405)
    assert body["title"]
    assert "GET" in api.delete("/api/v1/indicatoren")["Allow"]
    _problem(api.get("/api/v1/indicatoren", HTTP_ACCEPT="text/html"), 406)


def test_too_many_requests_is_a_429_with_retry_after(api, settings) -> None:
    settings.WIJK_API_RATE = "2/hour"
    cache.clear()
    try:
        assert api.get("/api/v1/indicatoren").status_code == 200
        assert api.get("/api/v1/indicatoren").status_code == 200
        response = api.get("/api/v1/indicatoren")
        _problem(response, 429)
        assert int(response["Retry-After"]) > 0
    finally:
        cache.clear()


class _Failing(APIView):
    required_scope = ApiScope.INDICATORS

    def get(self, request, *args, **kwargs):
        raise RuntimeError("a bug")


def _plain_failing(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("api/v1/fout", _Failing.as_view()),
    path("api/v1/fout-buiten-drf", _plain_failing),
    *wijk_urlpatterns,
]


@pytest.mark.urls("wijk.api.tests.test_problems")
def test_a_server_error_is_a_500_problem_without_the_cause(api) -> None:
    for url in ("/api/v1/fout", "/api/v1/fout-buiten-drf"):
        body = _problem(api.get(url), 500)
        assert "bug" not in body["detail"]


def test_every_answer_has_the_api_version_header(api, client) -> None:
    for response in (
        api.get("/api/v1/indicatoren"),
        api.get("/api/v1/openapi.json"),
        client.get("/api/v1/indicatoren"),
        api.get("/api/v1/nergens"),
    ):
        assert response["API-Version"] == "1.0.0"
    assert "API-Version" not in client.get("/healthz").headers


@pytest.mark.parametrize("name", ["periode", "van", "tot", "niveau", "limit", "offset"])
def test_hostile_values_in_each_parameter_are_a_400(api, name) -> None:
    """The values of wijk/core/tests/test_hostile_parameters.py, one parameter at a time (that
    test sends all its names at once, which this API refuses as unknown before it reads one)."""
    for value in HOSTILE_VALUES:
        if (name, value) == ("offset", "0000"):
            continue  # leading zeros are allowed: offset 0, the first page
        response = api.get(FIGURES, {name: value})
        body = _problem(response, 400)
        assert [param["name"] for param in body["invalid_params"]] == [name]
