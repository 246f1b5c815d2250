"""The moment a request was received, typed as local time: the two hours a year that summer
time makes ambiguous or skips are read as ADR 0015 says, not refused; other input is read as
Django reads it, and wrong input still gets Django's message."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from wijk.requests.forms import RegisterForm
from wijk.requests.services import request_deadlines

UTC = datetime.UTC


def _clean(text: str) -> datetime.datetime:
    with timezone.override("Europe/Amsterdam"):
        moment: datetime.datetime = RegisterForm().fields["received_at"].clean(text)
    return moment


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # 26 October 2025: 02:00-03:00 happens twice; the first time (summer time) is meant.
        ("2025-10-26T02:30", datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
        # 30 March 2025: 02:00-03:00 does not exist; read with the winter offset.
        ("2025-03-30T02:30", datetime.datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
        # Ordinary moments, winter and summer, and one with its own offset.
        ("2025-01-15T09:05", datetime.datetime(2025, 1, 15, 8, 5, tzinfo=UTC)),
        ("2025-07-01T23:59", datetime.datetime(2025, 7, 1, 21, 59, tzinfo=UTC)),
        ("2025-07-01T10:00+00:00", datetime.datetime(2025, 7, 1, 10, 0, tzinfo=UTC)),
    ],
)
def test_a_local_moment_is_read_as_meant(typed: str, meant: datetime.datetime) -> None:
    assert _clean(typed) == meant


@pytest.mark.parametrize("typed", ["2025-10-26T02:30", "2025-03-30T02:30"])
def test_the_deadlines_of_a_moment_in_the_summer_time_hour_count_from_that_day(
    typed: str,
) -> None:
    received = _clean(typed)
    assert timezone.localtime(received).date() == datetime.date.fromisoformat(typed[:10])
    assert request_deadlines(received).support == datetime.date.fromisoformat(
        typed[:10]
    ) + datetime.timedelta(days=28)


@pytest.mark.parametrize("typed", ["gisteren", "2025-13-01T10:00", "2025-10-26T25:00"])
def test_wrong_input_gets_djangos_dutch_message(typed: str) -> None:
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        _clean(typed)
    assert refused.value.messages == ["Voer een geldige datum/tijd in."]
