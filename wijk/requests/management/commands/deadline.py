"""wijk deadline MOMENT: the first-contact, support and investigation deadlines of a request
received then.

    $ wijk deadline 2025-04-16T10:30
    first_contact: 2025-04-25
    support: 2025-05-14
    investigation: 2025-05-28

A moment without an offset is Europe/Amsterdam local time; an offset (+02:00, Z) is honoured.
A malformed moment exits with status 2 and a message on stderr. Needs no database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wijk.requests.deadlines import request_deadlines

EXPECTED_FORMAT = "YYYY-MM-DDTHH:MM, optionally with an offset (+02:00 or Z)"


class Command(BaseCommand):
    help = (
        "Print the first-contact deadline (working day 5 after the day of receipt), the "
        "support deadline (four weeks after it) and the investigation deadline (six weeks "
        "after it) of a request received at MOMENT."
    )
    requires_system_checks: list[str] = []  # pure date arithmetic: no checks, no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "moment",
            help=f"when the request was received: {EXPECTED_FORMAT}, e.g. 2025-04-16T10:30",
        )
        parser.add_argument(
            "--liberation-day-lustrum-only",
            action="store_true",
            help="count 5 May as a holiday only in years divisible by 5 "
            "(default: the setting WIJK_LIBERATION_DAY_EVERY_YEAR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        received_at = parse_moment(options["moment"])
        every_year = False if options["liberation_day_lustrum_only"] else None
        try:
            deadlines = request_deadlines(received_at, liberation_day_every_year=every_year)
        except OverflowError:
            raise CommandError(
                f"{options['moment']!r} is too close to the end of the calendar.", returncode=2
            ) from None
        self.stdout.write(f"first_contact: {deadlines.first_contact.isoformat()}")
        self.stdout.write(f"support: {deadlines.support.isoformat()}")
        self.stdout.write(f"investigation: {deadlines.investigation.isoformat()}")


def parse_moment(raw: str) -> datetime:
    """An aware datetime from ISO 8601 text; without an offset it is TIME_ZONE local time."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            f"Not a moment: {raw!r}. Expected {EXPECTED_FORMAT}, e.g. 2025-04-16T10:30.",
            returncode=2,
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment
