"""The three deadlines of a request for support, in working days and weeks.

Contract 002, §4.3: the partnership contacts the resident "uiterlijk binnen vijf werkdagen na
ontvangst van een eerste vraag om ondersteuning", and support is "altijd beschikbaar binnen een
termijn van vier weken". So:

- The *day of receipt* is the date of the moment of receipt in Europe/Amsterdam (`TIME_ZONE`),
  whatever day of the week that is. A request that arrives on Saturday was received on Saturday.
- **First contact**: the first working day after the day of receipt is day 1; the deadline is
  the end of working day 5, so its date is working day 5.
- **Support**: the day four weeks (28 calendar days) after the day of receipt.
- **Investigation**: Wmo 2015 art. 2.3.2 lid 1: after a request (melding) the investigation
  is done "zo spoedig mogelijk, doch uiterlijk binnen zes weken". So the day six weeks (42
  calendar days) after the day of receipt. Calendar days, like support: a holiday never
  moves it.

Working days are Monday to Friday except the holidays of the Algemene termijnenwet, art. 3, as
`wijk.core.calendar` computes them (5 May every year or in lustrum years only is the setting
`WIJK_LIBERATION_DAY_EVERY_YEAR`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from wijk.core.calendar import add_working_days

FIRST_CONTACT_WORKING_DAYS = 5
SUPPORT_CALENDAR_DAYS = 28
INVESTIGATION_CALENDAR_DAYS = 42


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates by which a request must have had first contact, support available and (when
    it needs one) its investigation finished."""

    first_contact: date
    support: date
    investigation: date


def request_deadlines(
    received_at: datetime, *, liberation_day_every_year: bool | None = None
) -> Deadlines:
    """The deadlines of a request received at the aware moment `received_at`.

    `liberation_day_every_year=None` reads `settings.WIJK_LIBERATION_DAY_EVERY_YEAR`.
    """
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError(f"received_at must be an aware datetime, not naive {received_at!r}")
    received_on = timezone.localdate(received_at, timezone.get_default_timezone())
    return Deadlines(
        first_contact=add_working_days(
            received_on,
            FIRST_CONTACT_WORKING_DAYS,
            liberation_day_every_year=liberation_day_every_year,
        ),
        support=received_on + timedelta(days=SUPPORT_CALENDAR_DAYS),
        investigation=received_on + timedelta(days=INVESTIGATION_CALENDAR_DAYS),
    )
