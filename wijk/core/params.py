"""Request parameters as values: the one place where an id, a page or a year from the URL path,
the query string or a posted form becomes a number.

A parameter is typed by whoever sends the request, so anything may arrive. Python's own
parsing is too generous for that: `str.isdigit()` is true for "²" (which `int()` refuses) and
`int()` accepts "٣" and "1_000", and a number of 25 digits is fine for Python but not for a
PostgreSQL column. Here only ASCII digits count, and a number must lie in the range the caller
names, by default that of a primary key (bigint). Anything else is *absent* (`None`): the view
then shows its page without the value, or its not-found page, never a server error.

Ids in the URL path go through `IdConverter`, registered as `<id:...>` for every urls.py; an
id in a form is an `IdField`, and a form's other whole numbers that end up in an integer column
carry `max_value=INTEGER_MAX`."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict

# PostgreSQL's bigint (every primary key here: BigAutoField) and integer columns.
BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
# A calendar year the pages can compute with: four digits, with room for the year after (the
# end of a year's range) and the year before (a year's first hour in UTC) inside datetime's.
YEAR_MIN = 1000
YEAR_MAX = datetime.MAXYEAR - 1

_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_int(value: str | None, *, minimum: int = 1, maximum: int = BIGINT_MAX) -> int | None:
    """`value` as a whole number in [minimum, maximum], or None. Only ASCII digits, no sign,
    no spaces; leading zeros are allowed ("007" is 7)."""
    if value is None or not _ASCII_DIGITS.fullmatch(value):
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):  # also keeps int() below its 4300-digit limit
        return None
    number = int(digits)
    return number if minimum <= number <= maximum else None


def _data(request: HttpRequest, *, posted: bool) -> QueryDict:
    return request.POST if posted else request.GET


def query_int(
    request: HttpRequest,
    name: str,
    *,
    minimum: int = 1,
    maximum: int = BIGINT_MAX,
    posted: bool = False,
) -> int | None:
    """A number from the query string (or, with `posted`, the posted form), or None when it is
    missing or not a number in [minimum, maximum]. The defaults fit an id."""
    return parse_int(_data(request, posted=posted).get(name), minimum=minimum, maximum=maximum)


def query_id(request: HttpRequest, name: str, *, posted: bool = False) -> int | None:
    """A record's id (a bigint primary key) from the query string or the posted form."""
    return query_int(request, name, posted=posted)


def query_page(request: HttpRequest, name: str = "pagina") -> int:
    """A 1-based page number; 1 when missing or not a page number. A page past the last one
    is the list's business (it shows the last one)."""
    return query_int(request, name, maximum=INTEGER_MAX) or 1


def query_year(request: HttpRequest, name: str = "jaar") -> int | None:
    """A calendar year that dates can be built from (not year 0, not five digits), or None."""
    return query_int(request, name, minimum=YEAR_MIN, maximum=YEAR_MAX)


def query_choices(request: HttpRequest, name: str, choices: Iterable[str]) -> list[str]:
    """The values of the repeated query parameter `name` (checkboxes: `?soort=a&soort=b`)
    that are among `choices`, once each, in the order of `choices`; anything else is ignored,
    so a page given only unknown values shows what it shows without the parameter."""
    given = set(request.GET.getlist(name))
    return [choice for choice in choices if choice in given]


class IdField(forms.IntegerField):
    """A record's id in a form (a hidden field, a radio button's value): ASCII digits that fit
    a bigint, else the field's "invalid" error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and parse_int(str(value).strip(), minimum=0) is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdConverter:
    """`<id:pk>`: a record id in a URL path. ASCII digits only, and it must fit a bigint:
    a longer id is no match (404) instead of an overflow in the database (500)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            raise ValueError(value)  # the resolver treats this as "no match"
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)
