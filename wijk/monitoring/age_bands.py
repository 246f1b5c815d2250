"""The age bands wijk reports in, held once: the record-level feed writes a resident's band
instead of their birth date (docs/adr/0050), and a breakdown by age band counts in the same
bands.

The bands follow the law's lines: under 18 (Jeugdwet), 18 to 26 (young adults, for whom
youth support may run on), 27 to 64, 65 to 79 and 80 or older (Wmo, the age groups the CBS
uses for older residents). Wide enough that a band with a wijk and a date does not single
anyone out on its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AgeBand:
    code: str
    label: str  # Dutch
    first_age: int  # the youngest age in the band


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0-17", "0 tot en met 17 jaar", 0),
    AgeBand("18-26", "18 tot en met 26 jaar", 18),
    AgeBand("27-64", "27 tot en met 64 jaar", 27),
    AgeBand("65-79", "65 tot en met 79 jaar", 65),
    AgeBand("80+", "80 jaar en ouder", 80),
)


def age_on(*, born: datetime.date, on: datetime.date) -> int:
    """Age in whole years on day `on` (someone born on 29 February turns a year older on
    1 March in a year without one)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(*, born: datetime.date, on: datetime.date) -> str:
    """The code of the age band of someone born on `born`, on day `on` (the youngest band for
    a day before the birth date: a registration error, not a reason to fail)."""
    age = age_on(born=born, on=on)
    code = AGE_BANDS[0].code
    for band in AGE_BANDS:
        if age >= band.first_age:
            code = band.code
    return code
