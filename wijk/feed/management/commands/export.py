"""wijk export: write one dated delivery for the municipality.

    $ wijk export --out /srv/levering
    $ wijk export --out /srv/levering --since 2026-12-01 --format csv,parquet

Writes `<out>/<YYYY-MM-DD>` atomically (docs/adr/0049): the aggregated indicators with their
definitions, the wijken and the published sets, the data dictionary (datapackage.json,
woordenboek.html) and a manifest with row counts and SHA-256 checksums. `--records` adds
the pseudonymised record-level part (docs/adr/0050): refused without a recorded legal basis
(WIJK_FEED_RECORDS_LEGAL_BASIS) and a pseudonym key (WIJK_PSEUDONYM_KEY), PostgreSQL only.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wijk.feed.services import FORMATS, FeedError, run_delivery


class Command(BaseCommand):
    help = (
        "Write one dated delivery for the municipality into DIR/<YYYY-MM-DD>: aggregated "
        "indicators, their definitions, a data dictionary and a manifest with checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            metavar="DIR",
            help="directory the dated delivery is written into (default: WIJK_FEED_DIR)",
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="only what may have changed on or after DATE (YYYY-MM-DD); default: everything",
        )
        parser.add_argument(
            "--format",
            metavar="FORMATS",
            default=",".join(FORMATS),
            help=f"comma-separated, from {', '.join(FORMATS)} (default: all; CSV is always "
            "included, the data package describes it)",
        )
        parser.add_argument(
            "--day",
            metavar="DATE",
            help="the delivery day (YYYY-MM-DD); default: today",
        )
        parser.add_argument(
            "--records",
            action="store_true",
            help="add the pseudonymised record-level part (needs WIJK_FEED_RECORDS_LEGAL_BASIS "
            "and WIJK_PSEUDONYM_KEY)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        day = _date(options["day"], "--day") if options["day"] else today
        if day > today:
            raise CommandError(f"--day {day.isoformat()} is in the future.")
        since = _date(options["since"], "--since") if options["since"] else None
        out = Path(options["out"]) if options["out"] else settings.FEED_DIR
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is not a directory.")
        formats = [name for name in options["format"].split(",") if name.strip()]
        if not formats:
            raise CommandError(f"--format needs at least one of {', '.join(FORMATS)}.")
        try:
            delivery = run_delivery(
                out_dir=out,
                day=day,
                since=since,
                formats=formats,
                records=options["records"],
            )
        except FeedError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                f"The delivery could not be written into {out}: {error.strerror}."
            ) from None
        rows = sum(delivery.row_counts.values())
        self.stdout.write(
            f"Delivery {day.isoformat()} written to {out / day.isoformat()}: "
            f"{rows} rows, manifest sha256 {delivery.manifest_sha256}."
        )


def _date(raw: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"{option} {raw!r} is not a date: write YYYY-MM-DD.") from None
