"""The parsing of request parameters (wijk.core.params): only ASCII digits, only numbers that
fit the column they are compared with; everything else is absent."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import resolve
from django.urls.exceptions import Resolver404

from wijk.core.params import (
    BIGINT_MAX,
    INTEGER_MAX,
    IdField,
    parse_int,
    query_choices,
    query_id,
    query_page,
    query_year,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("007", 7),
        (str(BIGINT_MAX), BIGINT_MAX),
        (str(BIGINT_MAX + 1), None),
        ("9" * 25, None),
        ("0" * 30 + "5", 5),
        ("9" * 5000, None),  # longer than int() reads: no ValueError
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1_000", None),  # int() reads it
        ("1.5", None),
        ("²", None),  # str.isdigit() says yes, int() fails
        ("٣", None),  # int() reads it as 3
        ("\uff11", None),  # fullwidth digit one
        ("", None),
        ("\x00", None),
        (None, None),
    ],
)
def test_an_id_is_ascii_digits_within_bigint(value: str | None, expected: int | None) -> None:
    assert parse_int(value) == expected


def test_the_range_is_the_callers() -> None:
    assert parse_int("0", minimum=0) == 0
    assert parse_int(str(INTEGER_MAX), maximum=INTEGER_MAX) == INTEGER_MAX
    assert parse_int(str(INTEGER_MAX + 1), maximum=INTEGER_MAX) is None


def test_query_helpers_turn_bad_values_into_absent() -> None:
    request = RequestFactory().get(
        "/", {"inwoner": "²", "pagina": "²", "jaar": "0000", "team": "9" * 25}
    )
    assert query_id(request, "inwoner") is None
    assert query_id(request, "team") is None
    assert query_page(request) == 1
    assert query_year(request) is None
    assert query_id(request, "missing") is None


def test_query_helpers_read_good_values() -> None:
    request = RequestFactory().get("/", {"inwoner": "12", "pagina": "3", "jaar": "2025"})
    assert query_id(request, "inwoner") == 12
    assert query_page(request) == 3
    assert query_year(request) == 2025


def test_choices_keep_the_known_values_once_in_their_own_order() -> None:
    request = RequestFactory().get(
        "/", {"soort": ["zrm", "request", "\x00", "9" * 5000, "zrm", "REQUEST", ""]}
    )
    assert query_choices(request, "soort", ("request", "contact", "zrm")) == ["request", "zrm"]
    assert query_choices(request, "missing", ("request",)) == []


def test_posted_values_are_read_with_posted() -> None:
    request = RequestFactory().post("/?resident=1", {"resident": "2"})
    assert query_id(request, "resident") == 1
    assert query_id(request, "resident", posted=True) == 2


@pytest.mark.parametrize("value", ["9" * 25, "²", "٣", "0", "-1", "\x00"])
def test_an_id_field_refuses_what_is_not_an_id(value: str) -> None:
    field = IdField()
    with pytest.raises(ValidationError):
        field.clean(value)


def test_an_id_field_reads_an_id() -> None:
    assert IdField().clean("42") == 42
    assert IdField(required=False).clean("") is None


@pytest.mark.parametrize("path", ["/inwoners/" + "9" * 25, f"/inwoners/{BIGINT_MAX + 1}"])
def test_an_id_in_the_path_that_no_column_holds_matches_no_page(path: str) -> None:
    with pytest.raises(Resolver404):
        resolve(path)


def test_an_id_in_the_path_is_an_int() -> None:
    assert resolve(f"/inwoners/{BIGINT_MAX}").kwargs == {"pk": BIGINT_MAX}
