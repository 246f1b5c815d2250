"""A resident's browser without JavaScript, in plain urllib: its own cookies, the form's hidden
fields read from the page, redirects reported rather than followed."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from wijk.portal.tests.conftest import FORM_URL
from wijk.portal.views import RECEIPT_COOKIE

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test reads the redirect itself


@dataclass
class Answer:
    status: int
    location: str
    receipt: str  # the signed receipt cookie set with a redirect to the confirmation
    body: str

    @property
    def reference(self) -> str:
        return self.receipt.split("|")[0]


class Browser:
    """A resident's browser without JavaScript: its own cookies, no redirects followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def open_form(self) -> dict[str, str]:
        with self.opener.open(self.base_url + FORM_URL, timeout=30) as response:
            html = response.read().decode()
        csrf, key = _CSRF.search(html), _KEY.search(html)
        assert csrf and key
        return {"csrfmiddlewaretoken": csrf.group(1), "submission_key": key.group(1)}

    def send(self, fields: dict[str, str]) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(  # noqa: S310  (the test's own http server)
            self.base_url + FORM_URL, data=body, method="POST"
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, "", "", response.read().decode())
        except urllib.error.HTTPError as answer:
            cookie = answer.headers.get("Set-Cookie", "")
            receipt = re.search(rf"{RECEIPT_COOKIE}=\"?([^;\"]+)", cookie)
            location = answer.headers.get("Location", "")
            body = answer.read().decode()
            return Answer(answer.code, location, receipt.group(1) if receipt else "", body)
