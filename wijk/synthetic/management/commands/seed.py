"""wijk seed --scale S --years Y --seed N [--if-empty]: load the synthetic city and its
history of requests, trajectories, ZRM scores, short contacts and activities.

wijk seed --scale 1 --years 3 --seed 1    Haarlem: ~165,000 residents, ~80,000 households,
                                          ~22,000 requests and ~10,000 trajectories a year
wijk seed --scale 0.05 --if-empty         the demo; does nothing when residents exist
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from wijk.synthetic.services import SeedReport, city_seed, residents_exist


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number above 0, at most 100")
    return value


def _years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of years, at least 1")
    return value


class Command(BaseCommand):
    help = (
        "Load the synthetic city: residents in households at addresses in Haarlem's buurten, "
        "the demo's organisations, teams and their staff, and the years of work before the "
        "as-of date: requests, trajectories, ZRM scores, short contacts and activities. The "
        "same seed, scale, years and as-of date give the same rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="Size relative to Haarlem: 1 is about 165,000 residents (default 1).",
        )
        parser.add_argument(
            "--years",
            type=_years,
            default=3,
            help="Years of history, ending at the as-of date (default 3).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The date the history ends and ages are counted on (default today).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when residents already exist."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (none without a TTY)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if residents_exist():
            if options["if_empty"]:
                self.stdout.write("Residents already exist: nothing seeded (--if-empty).")
                return
            self.stdout.write("Residents already exist: adding a second city beside them.")
        as_of: datetime.date = options["as_of"] or timezone.localdate()
        try:
            report = city_seed(
                seed=options["seed"],
                scale=options["scale"],
                years=options["years"],
                as_of=as_of,
                progress=None if options["no_progress"] else _tqdm,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary(report, seed=options["seed"], scale=options["scale"]))


@contextmanager
def _tqdm(label: str, total: int | None) -> Iterator[Callable[[int], object]]:
    """A tqdm bar on stderr; tqdm leaves it out when stderr is not a terminal."""
    disable = None if sys.stderr.isatty() else True
    with tqdm(total=total, desc=label, unit="", unit_scale=True, disable=disable) as bar:
        yield bar.update


def summary(report: SeedReport, *, seed: int, scale: float) -> str:
    lines = [f"Seeded the synthetic city (seed {seed}, scale {scale:g}):"]
    for table, count in report.rows.items():
        lines.append(f"  {table.replace('_', ' '):<26} {count:>11,}")
    lines.append(f"  {'total':<26} {report.total_rows:>11,} rows")
    lines.append(
        f"  {report.seconds:.2f} s, generating and writing: "
        f"{report.rows_per_second:,.0f} rows per second"
    )
    teams = report.teams
    lines.append(
        f"  organisations created: {teams.organisations_created}, "
        f"teams created: {teams.teams_created}, staff created: {report.staff_created}"
    )
    if teams.wijken_uncovered:
        lines.append(
            f"  {teams.wijken_uncovered} wijken have no stadsdeel and so no team: group them "
            "with `wijk load_areas` data or in the admin."
        )
    return "\n".join(lines)
