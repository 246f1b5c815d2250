"""The API's answers, whatever made them: every one carries the `API-Version` header (Logius
API Design Rules, API-57) and is logged with the API client's id (ids only, never a value of
a parameter), and an error outside a DRF view is a problem document too."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from wijk.api.authentication import ApiPrincipal
from wijk.api.problems import API_PREFIX, problem_response

log = structlog.get_logger(__name__)


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            response["API-Version"] = str(settings.SPECTACULAR_SETTINGS["VERSION"])
            principal = getattr(request, "user", None)
            match = request.resolver_match
            if match is not None and match.view_name == "api:openapi":
                # The description is public and may be read from any site (API-51).
                response["Access-Control-Allow-Origin"] = "*"
            log.info(
                "api_request_answered",
                api_client_id=principal.pk if isinstance(principal, ApiPrincipal) else None,
                route=match.view_name if match is not None else "",
                status=response.status_code,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path_info.startswith(API_PREFIX):
            return None
        log.exception("api_request_failed", error=type(exception).__name__)
        return problem_response(status=500)
