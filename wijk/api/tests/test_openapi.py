"""The OpenAPI document at /api/v1/openapi.json: served to anyone as JSON, valid OpenAPI 3,
made without a warning (drf-spectacular's own check), every operation documenting its
problem responses and the API-Version header, and no endpoint but the aggregates'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from wijk.api.schema import ERROR_STATUSES

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/indicatoren",
    "/api/v1/indicatoren/{code}/cijfers",
    "/api/v1/gepubliceerd",
    "/api/v1/gepubliceerd/{id}/cijfers",
    "/api/v1/leveringen",
}


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["API-Version"] == "1.0.0"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_the_document_is_public_valid_openapi_3(client) -> None:
    document = _document(client)
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1.0.0"
    validate_schema(document)


def test_the_document_is_made_without_a_warning(tmp_path: Path) -> None:
    """`spectacular --validate --fail-on-warn` (the linter drf-spectacular brings): a view
    whose schema it cannot work out, or a document that is not valid, fails."""
    out = tmp_path / "openapi.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    assert set(json.loads(out.read_text())["paths"]) == EXPECTED_PATHS


def test_every_operation_is_a_get_with_problems_and_the_version_header(client) -> None:
    document = _document(client)
    assert set(document["paths"]) == EXPECTED_PATHS
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path  # read-only
        operation = item["get"]
        assert operation["security"] == [{"apiToken": []}], path
        assert "200" in operation["responses"], path
        for status in ERROR_STATUSES:
            problem = operation["responses"][status]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, path
        for response in operation["responses"].values():
            assert response["headers"]["API-Version"] == {
                "$ref": "#/components/headers/API-Version"
            }
        assert path == path.lower() and not path.endswith("/"), path
