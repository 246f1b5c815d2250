"""Test helpers for forms as a browser sends them: the hidden submission key a page gave its
form (wijk.core.submissions), to send the same form twice."""

from __future__ import annotations

import re

from django.http import HttpResponse

_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def submission_key(page: HttpResponse) -> str:
    """The submission key of the (one) form on `page`."""
    keys = _KEY.findall(page.content.decode())
    assert len(keys) == 1, f"expected one submission key on the page, found {len(keys)}"
    return keys[0]
