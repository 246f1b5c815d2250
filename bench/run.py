"""wijk's benchmarks (issue 4); each prints its figures and writes bench/results/<name>.json
and .txt:

- seed: `wijk seed` (city and work) against PostgreSQL's own COPY of the same rows
  (goal: at least half as fast), at --seed-scale / --seed-years, --seed-repeat runs a side;
- pages: the worklist, the waiting list and resident search against a trivial one-query page
  (goal: at most 2x), with their query counts, and the worklist through the access gate
  against the same list without it (goal: at most 1.2x), on a city of --scale / --years;
- concurrency: the worklist's median latency with --users users at work at once (each pausing
  0.5-1.5 s between requests) against one, on a gunicorn server on loopback (goal: at most
  2x), and the same users without pauses (saturation, no goal), on the same city; then the
  sweep over --sweep users at work (1, 16, 32, 64) and the largest number of users at which
  the median stays within 2x of one user's;
- reporting: one year of indicators against DuckDB over the same rows (goal: at most 2x), and
  the dashboard against the trivial page (goal: at most 2x), on the same city;
- feed: the full CSV delivery (`wijk export`, with the record-level part when there is one)
  against PostgreSQL's COPY (same queries) TO STDOUT (goal: at most 1.3x, peak memory under
  300 MB), --feed-repeat paired runs, on the same city.

    make bench                    # scripts/with-postgres python -m bench.run: everything
    scripts/with-postgres .venv/bin/python -m bench.run --scale 0.5 --years 2 \\
        --seed-scale 0.2 --seed-repeat 1 --repetitions 30      # a quick look

Needs PostgreSQL on this machine (the COPY side reads CSV files as the server), which
`scripts/with-postgres` provides, and a database without residents (or --reuse, to measure
the pages on the city a database already holds, skipping the seed benchmark).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.harness import RESULTS, city_ensure, django_setup, residents_count

BENCHMARKS = ("seed", "pages", "concurrency", "reporting", "feed")


def _benchmarks(text: str) -> list[str]:
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(BENCHMARKS)}")
    return chosen


def _levels(text: str) -> list[int]:
    try:
        levels = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError("numbers of users, e.g. 1,16,32,64") from None
    if not levels or levels[0] < 1:
        raise argparse.ArgumentTypeError("numbers of users of at least 1, e.g. 1,16,32,64")
    return levels


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=10.0, help="city of the page benchmarks (10)"
    )
    parser.add_argument("--years", type=int, default=8, help="years of history (8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repetitions", type=int, default=200, help="requests per page and side (200)"
    )
    parser.add_argument("--users", type=int, default=16, help="concurrent users (16)")
    parser.add_argument(
        "--sweep",
        type=_levels,
        default=[1, 16, 32, 64],
        help="users at work of the concurrency sweep (1,16,32,64)",
    )
    parser.add_argument(
        "--requests-per-user", type=int, default=40, help="worklists each user asks for (40)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (8)")
    parser.add_argument("--seed-scale", type=float, default=1.0, help="seed benchmark city (1)")
    parser.add_argument("--seed-years", type=int, default=3, help="seed benchmark history (3)")
    parser.add_argument("--seed-repeat", type=int, default=5, help="seed benchmark runs (5)")
    parser.add_argument("--feed-repeat", type=int, default=3, help="delivery benchmark runs (3)")
    parser.add_argument(
        "--only", type=_benchmarks, default=list(BENCHMARKS), help="e.g. pages,concurrency"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the pages on the city already there"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    options = parser.parse_args(argv)

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The benchmarks need PostgreSQL: run them as `make bench`.", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    if "seed" in options.only:
        if residents_count(connection):
            print(
                "The database holds residents: the seed benchmark needs an empty one "
                "(or leave it out: --only pages,concurrency --reuse).",
                file=sys.stderr,
            )
            return 2
        from bench import seed

        seed.run(
            connection,
            scale=options.seed_scale,
            years=options.seed_years,
            seed=options.seed,
            repeat=options.seed_repeat,
            results=options.results,
        )
    if {"pages", "concurrency", "reporting", "feed"} & set(options.only):
        print(f"\nThe city for the pages: scale {options.scale:g}, {options.years} years ...")
        city = city_ensure(
            connection,
            scale=options.scale,
            years=options.years,
            seed=options.seed,
            reuse=options.reuse,
        )
        if city["seeded"]:
            city |= {"scale": options.scale, "years": options.years}
        else:
            # A city already there: its scale and years as the run was told (--scale, --years).
            city |= {"scale_given": options.scale, "years_given": options.years}
        print(f"  {city}")
        if "pages" in options.only:
            from bench import pages

            print()
            pages.run(
                connection, repetitions=options.repetitions, city=city, results=options.results
            )
        if "reporting" in options.only:
            from bench import reporting

            print()
            reporting.run(
                connection, repetitions=options.repetitions, city=city, results=options.results
            )
        if "feed" in options.only:
            from bench import feed

            print()
            feed.run(connection, repeat=options.feed_repeat, city=city, results=options.results)
        if "concurrency" in options.only:
            from bench import concurrency

            print()
            concurrency.run(
                connection,
                users=options.users,
                sweep=options.sweep,
                requests_per_user=options.requests_per_user,
                workers=options.workers,
                threads=options.threads,
                results=options.results,
                city=city,
            )
    print(f"\nBenchmarks done in {(time.perf_counter() - started) / 60:.1f} minutes.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
