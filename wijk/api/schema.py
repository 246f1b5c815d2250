"""The OpenAPI document's shared parts, added to every operation by a drf-spectacular
post-processing hook: the problem document (RFC 9457) for every error an operation can
answer, and the `API-Version` header on every response (ApiMiddleware sets it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from wijk.api.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPES

_PROBLEM = {
    "type": "object",
    "description": "Een fout, als probleemdocument (RFC 9457).",
    "properties": {
        "type": {"type": "string", "description": "Wat voor fout (een URI)."},
        "title": {"type": "string", "description": "De fout in een paar woorden."},
        "status": {"type": "integer", "description": "De HTTP-status."},
        "detail": {"type": "string", "description": "Wat er mis was, voor een mens."},
        "instance": {
            "type": "string",
            "description": "Deze ene fout (een urn:uuid); noem hem als u een fout meldt.",
        },
        "invalid_params": {
            "type": "array",
            "description": "Bij status 400: elke parameter die niet klopt.",
            "items": {"$ref": "#/components/schemas/InvalidParam"},
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}
_INVALID_PARAM = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "De naam van de parameter."},
        "code": {"type": "string", "description": "Wat er mis is, als code."},
        "reason": {"type": "string", "description": "Wat er mis is, voor een mens."},
    },
    "required": ["name", "code", "reason"],
}
_VERSION_HEADER = {
    "description": "De versie van de API die antwoordde (semantic versioning).",
    "required": True,
    "schema": {"type": "string", "example": settings.SPECTACULAR_SETTINGS["VERSION"]},
}
_HEADER_REF = {"$ref": "#/components/headers/API-Version"}
_EXTRA_HEADERS: dict[str, dict[str, Any]] = {
    "401": {
        "WWW-Authenticate": {
            "description": "Hoe de API-koppeling zich meldt: Bearer.",
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Over hoeveel seconden een nieuwe vraag weer kan.",
            "schema": {"type": "integer"},
        }
    },
}
# The errors every operation can answer (404 too: an unknown code, or a page past the end).
ERROR_STATUSES = ("400", "401", "403", "404", "406", "429", "500")


def _problem_response(status: str) -> dict[str, Any]:
    kind = PROBLEM_TYPES[int(status)]
    return {
        "description": str(kind.title),
        "headers": {"API-Version": _HEADER_REF, **_EXTRA_HEADERS.get(status, {})},
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def problems_and_version_header(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(
        {"Problem": _PROBLEM, "InvalidParam": _INVALID_PARAM}
    )
    components.setdefault("headers", {})["API-Version"] = _VERSION_HEADER
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status in ERROR_STATUSES:
                responses[status] = _problem_response(status)
            for response in responses.values():
                response.setdefault("headers", {})["API-Version"] = _HEADER_REF
    return result
