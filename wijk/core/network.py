"""The client's address, as far as we can trust it.

X-Forwarded-For is only believed for the number of proxies that WIJK_TRUSTED_PROXY_COUNT says
stand in front of wijk, counted from the right; otherwise REMOTE_ADDR. A client that sends its
own X-Forwarded-For therefore cannot choose the address that lockout is keyed on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.WIJK_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [p.strip() for p in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [p for p in forwarded if p]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
