"""wijk publish UNIT START [--reason TEXT]: freeze a period's figures as delivered to the
municipality, or correct them (docs/adr/0044).

    $ wijk publish maand 2026-10
    maand 2026-10-01: set 1, 4,312 rows, sha256 3f1c...
    $ wijk publish maand 2026-10 --reason "Twee trajecten te laat geregistreerd"
    maand 2026-10-01: set 2 (correction), 4,312 rows, sha256 9ab0...

UNIT is maand, kwartaal or jaar; START any day in the period. The daily feed publishes each
period it delivers once it has ended; this command is for a correction, which needs a reason,
and for a period asked for apart. Same figures as the newest set: nothing is written.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.services import PublishRefused, published_set_make


class Command(BaseCommand):
    help = "Freeze (publish) the municipality's figures of a period, or correct them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", help="maand, kwartaal or jaar")
        parser.add_argument("start", help="a day in the period, YYYY-MM-DD")
        parser.add_argument("--reason", default="", help="why the figures are corrected")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = options["unit"]
        if unit not in PeriodUnit.ALL:
            raise CommandError(f"{unit!r} is no period: give maand, kwartaal or jaar.")
        try:
            day = datetime.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(f"{options['start']!r} is no date: give YYYY-MM-DD.") from None
        period = period_of(unit, day)
        try:
            made = published_set_make(period=period, actor=None, reason=options["reason"])
        except PublishRefused as refused:
            raise CommandError(str(refused)) from None
        kind = " (correction)" if made.number > 1 else ""
        self.stdout.write(
            f"{period.unit} {period.start.isoformat()}: set {made.number}{kind}, "
            f"{made.row_count:,} rows, sha256 {made.checksum}"
        )
