"""Every error of the API as an RFC 9457 problem document (`application/problem+json`):
`type` (the section of the RFC that defines the status), `title` (the same for every problem
of that type), `status`, `detail` (this occurrence, in words), `instance` (a URN naming this
occurrence, also in the log line, so that a report can be matched with it) and, for invalid
parameters, `invalid_params` (each parameter's name, a code and the reason).

Three roads lead here: DRF's exception handler (`exception_handler`, set in REST_FRAMEWORK),
the project's 404 handler for every other address under /api/ (`page_not_found`), and
`ApiMiddleware.process_exception` for an error outside a DRF view. No road answers with the
HTML error pages, and no problem carries personal data: the detail is our own text or DRF's,
never a parameter's value."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions

from wijk.core.errors import DomainError

log = structlog.get_logger(__name__)

API_PREFIX = "/api/"
PROBLEM_CONTENT_TYPE = "application/problem+json"
_RFC9110 = "https://www.rfc-editor.org/rfc/rfc9110#name-"


@dataclass(frozen=True)
class ProblemType:
    status: int
    uri: str
    title: Promise


PROBLEM_TYPES: dict[int, ProblemType] = {
    problem.status: problem
    for problem in (
        ProblemType(400, f"{_RFC9110}400-bad-request", _("De vraag is niet goed gesteld.")),
        ProblemType(401, f"{_RFC9110}401-unauthorized", _("Geen geldige toegangssleutel.")),
        ProblemType(403, f"{_RFC9110}403-forbidden", _("Geen toegang.")),
        ProblemType(404, f"{_RFC9110}404-not-found", _("Niet gevonden.")),
        ProblemType(405, f"{_RFC9110}405-method-not-allowed", _("Deze methode kan hier niet.")),
        ProblemType(406, f"{_RFC9110}406-not-acceptable", _("Dit formaat is er niet.")),
        ProblemType(
            415, f"{_RFC9110}415-unsupported-media-type", _("Dit formaat wordt niet gelezen.")
        ),
        ProblemType(429, "https://www.rfc-editor.org/rfc/rfc6585#section-4", _("Te veel vragen.")),
        ProblemType(500, f"{_RFC9110}500-internal-server-error", _("Er ging iets mis bij ons.")),
    )
}
_DETAILS: dict[int, Promise] = {
    400: _("Een of meer parameters zijn ongeldig."),
    401: _("Stuur de toegangssleutel van uw API-koppeling mee: Authorization: Bearer <sleutel>."),
    403: _("Deze API-koppeling mag dit niet lezen."),
    404: _("Op dit adres is niets te vinden."),
    405: _("Deze API kan alleen lezen: gebruik GET."),
    406: _("Deze API antwoordt alleen in JSON (application/json)."),
    429: _("Deze API-koppeling stelde te veel vragen. Probeer het later opnieuw."),
    500: _(
        "Er ging iets mis bij ons. Probeer het later opnieuw; blijft het misgaan, noem dan "
        "de instance van dit antwoord."
    ),
}


def problem_response(
    *,
    status: int,
    detail: str | Promise | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The problem document for `status`, with its own type and title."""
    kind = PROBLEM_TYPES.get(status) or ProblemType(
        status, "about:blank", _(HTTPStatus(status).phrase)
    )
    instance = f"urn:uuid:{uuid.uuid4()}"
    body: dict[str, Any] = {
        "type": kind.uri,
        "title": str(kind.title),
        "status": status,
        "detail": str(detail if detail is not None else _DETAILS.get(status, kind.title)),
        "instance": instance,
    }
    if invalid_params is not None:
        body["invalid_params"] = invalid_params
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )
    log.info("api_problem_answered", status=status, instance=instance)
    return response


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's validation detail ({"van": [ErrorDetail(...)], ...}) as a flat list."""
    found: list[dict[str, str]] = []
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.extend(_invalid_params(value, "" if name == "non_field_errors" else name))
    elif isinstance(detail, list):
        for item in detail:
            found.extend(_invalid_params(item, prefix))
    else:
        code = getattr(detail, "code", "invalid") or "invalid"
        found.append({"name": prefix or "", "code": str(code), "reason": str(detail)})
    return found


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> HttpResponse:
    """REST framework's EXCEPTION_HANDLER: every exception of an API view as a problem."""
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(status=400, invalid_params=_invalid_params(exc.detail))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem_response(status=404)
    if isinstance(exc, DomainError):
        return problem_response(status=exc.status, detail=exc.message)
    if isinstance(exc, PermissionDenied):
        return problem_response(status=403)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        auth_header = getattr(exc, "auth_header", None)
        headers = {"WWW-Authenticate": auth_header} if auth_header else None
        return problem_response(status=401, headers=headers)
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None) or 60
        return problem_response(status=429, headers={"Retry-After": str(max(1, round(wait)))})
    if isinstance(exc, exceptions.APIException):
        status = exc.status_code
        detail = None if status in _DETAILS else str(exc.detail)
        return problem_response(status=status, detail=detail)
    log.exception("api_request_failed", error=type(exc).__name__)
    return problem_response(status=500)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 404 handler (`handler404` in wijk/urls.py): under /api/ a problem
    document, whatever the method; everywhere else Django's own, with our 404.html."""
    if request.path_info.startswith(API_PREFIX):
        return problem_response(status=404)
    return defaults.page_not_found(request, exception)
