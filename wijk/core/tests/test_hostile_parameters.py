"""Hostile values in every parameter of every page give an answer, never a server error.

Every URL pattern of the authorization matrix is requested by each role that may open it, with
hostile values in each path parameter and in every query and form parameter the views read
(the names below, checked against the views' code, plus the names of the page's own form
fields), by GET and by POST. "Hostile": a number too long for any column, digits Python
accepts and PostgreSQL does not ("²", "٣"), year 0, a NUL character, a number longer than
`int()` reads. The answer may be 200, a redirect, 400, 404 or 405; a 5xx fails the test.
Runs on PostgreSQL (as the whole suite), whose columns overflow where SQLite's do not."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from uuid import UUID

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

import wijk
from wijk.core.tests.matrix_kit import ALLOW, API_CLIENT, ROLES
from wijk.core.tests.test_authorization_matrix import (
    MATRIX,
    objects,  # noqa: F401 (the matrix's fixture)
)

# The names of the parameters the views read themselves (forms' fields are read from the
# pages). `test_the_list_names_every_parameter_the_views_read` keeps it complete.
NAMES = (
    # query string
    "controle",
    "formaat",
    "hulpvraag",
    "huishouden",
    "inwoner",
    "jaar",
    "naar",
    "pagina",
    "soort",
    "stap",
    "team",
    "traject",
    "van",
    "verlopen",
    "wijze",
    # posted forms
    "action",
    "actie",
    "beeindigen",
    "confirm_new",
    "household_of",
    "method",
    "next",
    "participation",
    "resident",
    "weergave",
)
VALUES = ("9" * 25, "²", "0000", "\x00", "9" * 5000)
# What could reach a view through a path parameter: digits beyond a bigint for `<id:...>` (a
# non-digit matches no such pattern; test_params checks the converter's exact bound), anything
# for `<str:...>` and `<slug:...>`.
ID_PATH_VALUES = ("9" * 25,)
PATH_VALUES = (*ID_PATH_VALUES, "x" * 300, "²")

VIEW_MODULES = sorted(
    path
    for path in Path(wijk.__file__).parent.rglob("*.py")
    if "tests" not in path.parts and (path.stem.endswith("views") or "views" in path.parts)
)
_READS = [
    re.compile(r"query_\w+\(\s*request,\s*\"([^\"]+)\""),
    re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist)?[\(\[]\s*\"([^\"]+)\""),
    re.compile(r"\"([^\"]+)\" (?:not )?in request\.(?:GET|POST)"),
]


def _names_read(source: str) -> set[str]:
    return {name for pattern in _READS for name in pattern.findall(source)}


def _walk(patterns: list[Any]) -> list[URLPattern]:
    found: list[URLPattern] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_walk(pattern.url_patterns))
        elif isinstance(pattern, URLPattern):
            found.append(pattern)
    return found


def test_the_list_names_every_parameter_the_views_read() -> None:
    for module in VIEW_MODULES:
        missing = _names_read(module.read_text()) - set(NAMES)
        assert not missing, f"Add {sorted(missing)} (read in {module}) to NAMES"


def test_no_view_parses_a_number_itself() -> None:
    """`str.isdigit()` and `int()` accept "²" and "٣"; numbers go through wijk.core.params."""
    for module in VIEW_MODULES:
        source = module.read_text()
        assert not re.search(r"\.isdigit\(|\.isdecimal\(|\bint\(\s*request\b", source), (
            f"{module}: parse numbers with wijk.core.params"
        )


def test_no_url_pattern_takes_a_plain_int() -> None:
    """`<int:pk>` lets a 25-digit id through to the database; `<id:pk>` stops it."""
    plain = [
        str(pattern.pattern)
        for pattern in _walk(get_resolver().url_patterns)
        for converter in getattr(pattern.pattern, "converters", {}).values()
        if isinstance(converter, IntConverter)
    ]
    assert not plain, f"Use <id:...> instead of <int:...> in {plain}"


class _FieldNames(HTMLParser):
    """The names of a page's form fields (inputs, selects, text areas, buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = dict(attrs).get("name")
        if tag in {"input", "select", "textarea", "button"} and name:
            self.names.add(name)


def _field_names(html: bytes) -> list[str]:
    parser = _FieldNames()
    parser.feed(html.decode())
    return sorted(parser.names - {"csrfmiddlewaretoken", *NAMES})


def _roles(expected: dict[str, str]) -> list[str]:
    allowed = [role for role in ROLES if expected[role] == ALLOW]
    # A public page: the visitor, and one signed-in role.
    return allowed or ["anonymous", "professional"]


def _converter_names(url: str) -> dict[str, str]:
    """The converter of each path parameter of the pattern `url` matches ("id", "str", …)."""
    route = resolve(url).route
    return {key: kind or "str" for kind, key in re.findall(r"<(?:(\w+):)?(\w+)>", route)}


def _url_with(name: str, kwargs: dict[str, Any], key: str, value: str) -> str:
    """The URL of `name` with path parameter `key` replaced by `value`, whatever the pattern
    would accept (so the resolver gets to refuse it)."""
    marker = (
        "98765432-1000-4000-8000-000000000000" if isinstance(kwargs[key], UUID) else "987654321"
    )
    url = reverse(name, kwargs={**kwargs, key: marker})
    return url.replace(marker, quote(value, safe=""))


def _rotations(names: list[str]) -> list[dict[str, str]]:
    """Every name gets every hostile value once, in len(VALUES) requests: request k gives
    name i the value (i + k) mod len(VALUES). A value that stops a view early cannot hide
    another name's value every time, as it would if all names got the same value."""
    return [
        {name: VALUES[(index + turn) % len(VALUES)] for index, name in enumerate(names)}
        for turn in range(len(VALUES))
    ]


class _Probe:
    """Sends the requests as one role and keeps the answers that are server errors."""

    def __init__(self, http: Client, role: str) -> None:
        self.http, self.role = http, role
        self.takes_post = True
        self.failures: list[str] = []

    def get(self, url: str) -> None:
        """A path parameter: the resolver and the view decide, whatever the method."""
        self._answer("GET", url, {}, self.http.get(url))

    def check(self, url: str, params: dict[str, str]) -> None:
        target = f"{url}?{urlencode(params)}"
        self._answer("GET", url, params, self.http.get(target))
        if self.takes_post:
            response = self.http.post(target, params)
            self.takes_post = response.status_code != HTTPStatus.METHOD_NOT_ALLOWED
            self._answer("POST", url, params, response)

    def _answer(self, method: str, url: str, params: dict[str, str], response: Any) -> None:
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            shown = {name: value[:12] for name, value in params.items()}
            self.failures.append(
                f"{method} {url[:70]} {shown} as {self.role}: {response.status_code}"
            )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_hostile_values_give_no_server_error(name, objects, make_user, client_for) -> None:  # noqa: F811
    """The first role that may open the page gets every value in every parameter; the other
    roles get one round (their access check differs, the parsing does not)."""
    expected, kwargs = MATRIX[name]
    real = kwargs(objects)
    url = reverse(name, kwargs=real)
    converters = _converter_names(url)
    failures: list[str] = []
    names: list[str] = []
    for index, role in enumerate(_roles(expected)):
        if role == API_CLIENT:
            http = objects["api_client_http"]
        else:
            user = None if role == "anonymous" else make_user(role, teams=[objects["team"]])
            http = Client() if user is None else client_for(user)
        http.raise_request_exception = False
        probe = _Probe(http, role)
        names = names or [*NAMES, *_field_names(http.get(url).content)]
        rounds = _rotations(names)
        for params in rounds if index == 0 else rounds[:1]:
            probe.check(url, params)
        if index == 0:
            for key in real:
                for value in ID_PATH_VALUES if converters[key] == "id" else PATH_VALUES:
                    probe.get(_url_with(name, real, key, value))
        failures.extend(probe.failures)
    assert not failures, "\n".join(failures)
