"""Request-wide middleware of the core: the access log's request context and no-store."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from wijk.core.audit import request_context_end, request_context_route, request_context_start
from wijk.core.network import client_ip


class AccessLogContextMiddleware:
    """Gives the access log its access point (client address and route, never the path with
    its parameters) and writes refused accesses after the view's transactions have ended."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_context_start(access_point=f"web {client_ip(request)}")
        try:
            return self.get_response(request)
        finally:
            request_context_end(token)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> None:
        if request.resolver_match is not None:
            request_context_route(request.resolver_match.view_name)


class LanguageMiddleware:
    """Dutch unless the user chose otherwise with the language switch (a cookie). Unlike
    Django's LocaleMiddleware it ignores the browser's Accept-Language: wijk is a Dutch service
    and a browser set to English should not surprise a Dutch-speaking user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class NoStoreMiddleware:
    """Pages of signed-in staff may carry personal data: browsers and proxies must not keep
    them. Static files and the public pages keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
