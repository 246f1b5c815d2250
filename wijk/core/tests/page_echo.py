"""Comparing two whole pages (a refused record must look exactly like a missing one): the
page without what echoes the request itself or the moment it was made."""

from __future__ import annotations

import re

_ECHOES = (
    # The CSRF token, masked anew on every page.
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    # The path the language switch returns to.
    re.compile(r'name="next" value="[^"]+"'),
    # The seconds the session has left (docs/adr/0025): one less when a second passes.
    re.compile(r'data-remaining="\d+"'),
)


def without_request_echo(content: bytes) -> str:
    page = content.decode()
    for echo in _ECHOES:
        page = echo.sub("", page)
    return page
