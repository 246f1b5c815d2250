"""The age bands (wijk.monitoring.age_bands): a birthday moves a resident into the next band
on the day itself, not a day earlier or later."""

from __future__ import annotations

import datetime
import itertools

import pytest

from wijk.monitoring.age_bands import AGE_BANDS, age_band, age_on


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (datetime.date(2008, 12, 8), datetime.date(2026, 12, 7), "0-17"),
        (datetime.date(2008, 12, 7), datetime.date(2026, 12, 7), "18-26"),
        (datetime.date(1999, 12, 8), datetime.date(2026, 12, 7), "18-26"),
        (datetime.date(1999, 12, 7), datetime.date(2026, 12, 7), "27-64"),
        (datetime.date(1961, 12, 7), datetime.date(2026, 12, 7), "65-79"),
        (datetime.date(1946, 12, 7), datetime.date(2026, 12, 7), "80+"),
        (datetime.date(2027, 1, 1), datetime.date(2026, 12, 7), "0-17"),  # a registration error
    ],
)
def test_the_band_changes_on_the_birthday(
    born: datetime.date, on: datetime.date, band: str
) -> None:
    assert age_band(born=born, on=on) == band


def test_born_on_29_february_turns_older_on_1_march_in_other_years() -> None:
    born = datetime.date(2008, 2, 29)
    assert age_on(born=born, on=datetime.date(2026, 2, 28)) == 17
    assert age_on(born=born, on=datetime.date(2026, 3, 1)) == 18


def test_the_bands_follow_each_other_without_a_gap() -> None:
    firsts = [band.first_age for band in AGE_BANDS]
    assert firsts[0] == 0 and firsts == sorted(firsts)
    for band, following in itertools.pairwise(AGE_BANDS):
        assert band.code.split("-")[1] == str(following.first_age - 1)
