"""The seed benchmark: how fast `wijk seed` fills an empty database, against PostgreSQL
loading the same rows from CSV files itself (server-side COPY, the upper bound for getting
rows into these tables with these indexes). The goal: the seed at least half as fast.

    make bench                                   # scripts/with-postgres python -m bench.run
    scripts/with-postgres .venv/bin/python -m bench.run --scale 0.1 --repeat 1

Needs an empty PostgreSQL database on this machine (its server reads the CSV files), which
`scripts/with-postgres` provides. The two sides run in turns, --repeat times each; every seed
run is compared with the COPY run right after it, under much the same load from whatever
else the machine is doing, and the goal is judged on the median of those ratios. Best and
median rates are reported beside it, and CPU seconds (this process, and the database server
process doing the work), which hardly depend on other work: the seed spends CPU in both
processes, COPY only in the server.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
TABLES = (
    "residents_address",
    "residents_household",
    "residents_resident",
    "residents_householdmembership",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="city size (default 1)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    options = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "wijk.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: run it as `make bench`.", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM residents_resident)")
        if cursor.fetchone()[0]:
            print(
                "The database holds residents: the benchmark needs an empty one.", file=sys.stderr
            )
            return 2
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    as_of = timezone.localdate()
    seed_args = {"scale": options.scale, "years": options.years, "seed": options.seed}
    seed_runs: list[dict[str, Any]] = []
    copy_runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="wijk-bench-") as directory:
        Path(directory).chmod(0o755)  # the PostgreSQL server's user reads the files
        started = time.perf_counter()
        files = write_csv_files(Path(directory), **seed_args, as_of=as_of)
        print(f"CSV files written in {time.perf_counter() - started:.1f} s")
        create_copy_tables(connection)
        for run in range(1, options.repeat + 1):
            if run > 1:
                empty(connection, TABLES)
            seed_runs.append(measure_seed(connection, seed_args | {"as_of": as_of}))
            report("seed", run, seed_runs[-1])
            empty(connection, [f"{table}_copy" for table in TABLES])
            copy_runs.append(measure_copy(connection, files))
            report("server COPY", run, copy_runs[-1])
        drop_copy_tables(connection)

    seed_rates = [run["rows_per_second"] for run in seed_runs]
    copy_rates = [run["rows_per_second"] for run in copy_runs]
    ratios = [seed / copy for seed, copy in zip(seed_rates, copy_rates, strict=True)]
    ratio = statistics.median(ratios)
    result: dict[str, Any] = {
        "benchmark": "seed",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": options.scale,
        "years": options.years,
        "seed": options.seed,
        "repeat": options.repeat,
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": server_version,
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "rows": seed_runs[0]["rows"],
        "seed_rows_per_second": round(statistics.median(seed_rates)),
        "copy_rows_per_second": round(statistics.median(copy_rates)),
        "ratio": round(ratio, 3),
        "goal": "seed at least half as fast as server-side COPY: median of the paired run "
        "ratios >= 0.5",
        "goal_met": ratio >= 0.5,
        "best": {
            "seed_rows_per_second": max(seed_rates),
            "copy_rows_per_second": max(copy_rates),
            "ratio": round(max(seed_rates) / max(copy_rates), 3),
        },
        "ratios": [round(each, 3) for each in ratios],
        "cpu_seconds_median": {
            "seed_python": median_of(seed_runs, "cpu_seconds_python"),
            "seed_server": median_of(seed_runs, "cpu_seconds_server"),
            "copy_server": median_of(copy_runs, "cpu_seconds_server"),
        },
        "runs": {"seed": seed_runs, "copy": copy_runs},
    }
    text = summary(result)
    print(text, end="")
    options.results.mkdir(parents=True, exist_ok=True)
    (options.results / "seed.json").write_text(json.dumps(result, indent=2) + "\n")
    (options.results / "seed.txt").write_text(text)
    return 0


def measure_seed(connection: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    """Run `wijk seed` as an operator would (no progress bar) and time it."""
    from django.core.management import call_command

    server_cpu, python_cpu = backend_cpu_seconds(connection), time.process_time()
    started = time.perf_counter()
    call_command("seed", **arguments, no_progress=True, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    python_cpu = time.process_time() - python_cpu
    server_cpu = backend_cpu_seconds(connection) - server_cpu
    rows = count_rows(connection, TABLES)
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "cpu_seconds_python": round(python_cpu, 2),
        "cpu_seconds_server": round(server_cpu, 2),
    }


def measure_copy(connection: Any, files: dict[str, Path]) -> dict[str, Any]:
    """Let the server load the four files into the empty copies, in one transaction."""
    server_cpu = backend_cpu_seconds(connection)
    seconds = server_copy(connection, files)
    server_cpu = backend_cpu_seconds(connection) - server_cpu
    rows = count_rows(connection, [f"{table}_copy" for table in TABLES])
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "cpu_seconds_server": round(server_cpu, 2),
    }


def report(side: str, run: int, figures: dict[str, Any]) -> None:
    print(
        f"{side:<11} run {run}: {figures['rows']:>9,} rows in {figures['seconds']:6.2f} s"
        f" = {figures['rows_per_second']:>9,} rows/s"
    )


def write_csv_files(
    directory: Path, *, scale: float, years: int, seed: int, as_of: datetime.date
) -> dict[str, Path]:
    """The rows the seed writes, generated again from the same seed, as one CSV per table
    (ids from 1; NULL as an unquoted empty field, empty strings quoted)."""
    from wijk.synthetic.generate import city_generate
    from wijk.synthetic.services import CITY, city_areas

    city = city_generate(seed=seed, scale=scale, years=years, as_of=as_of, areas=city_areas())
    households, residents = city.households, city.residents
    rows: dict[str, Iterable[Sequence[object]]] = {
        "residents_address": (
            (index, row.street, row.house_number, row.house_letter, row.house_number_addition,
             row.postcode, CITY, row.buurt_id)
            for index, row in enumerate(households, 1)
        ),
        "residents_household": (
            (index, index, row.created_at.isoformat()) for index, row in enumerate(households, 1)
        ),
        "residents_resident": (
            (index, row.given_names, row.name_prefix, row.family_name,
             row.date_of_birth.isoformat(), row.bsn, row.phone, row.email, row.household + 1,
             row.created_at.isoformat())
            for index, row in enumerate(residents, 1)
        ),
        "residents_householdmembership": (
            (index, row.household + 1, index, row.relation)
            for index, row in enumerate(residents, 1)
        ),
    }  # fmt: skip
    files = {}
    for table, table_rows in rows.items():
        path = directory / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, quoting=csv.QUOTE_NOTNULL).writerows(table_rows)
        path.chmod(0o644)
        files[table] = path
    return files


COLUMNS = {
    "residents_address": "id, street, house_number, house_letter, house_number_addition, "
    "postcode, city, buurt_id",
    "residents_household": "id, address_id, created_at",
    "residents_resident": "id, given_names, name_prefix, family_name, date_of_birth, bsn, "
    "phone, email, address_id, created_at",
    "residents_householdmembership": "id, household_id, resident_id, relation",
}


def create_copy_tables(connection: Any) -> None:
    """Empty copies of the tables with every index and constraint but the foreign keys
    (LIKE does not copy those)."""
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}_copy")
            cursor.execute(f"CREATE TABLE {table}_copy (LIKE {table} INCLUDING ALL)")


def drop_copy_tables(connection: Any) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}_copy")


def server_copy(connection: Any, files: dict[str, Path]) -> float:
    """Seconds for the server to load the four files in one transaction, commit included."""
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, path in files.items():
            cursor.execute(
                f"COPY {table}_copy ({COLUMNS[table]}) FROM %s WITH (FORMAT csv)", [str(path)]
            )
    return time.perf_counter() - started


def empty(connection: Any, tables: Iterable[str]) -> None:
    """Empty the tables and restart their ids; CASCADE reaches the (empty) tables of other
    apps that refer to residents."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def backend_cpu_seconds(connection: Any) -> float:
    """CPU seconds used so far by the database server process serving this connection, from
    /proc (the server runs on this machine); NaN where that cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [run[key] for run in runs if key in run and not math.isnan(run[key])]
    return round(statistics.median(values), 2) if values else None


def count_rows(connection: Any, tables: Iterable[str]) -> int:
    with connection.cursor() as cursor:
        # our own table names, no input
        counts = " + ".join(f"(SELECT count(*) FROM {table})" for table in tables)  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        return int(cursor.fetchone()[0])


def summary(result: dict[str, Any]) -> str:
    machine, best, cpu = result["machine"], result["best"], result["cpu_seconds_median"]
    rows = [
        ("", "median rows/s", "best rows/s", "CPU s, median"),
        (
            "wijk seed",
            f"{result['seed_rows_per_second']:,}",
            f"{best['seed_rows_per_second']:,}",
            f"{cpu['seed_python']} here + {cpu['seed_server']} server",
        ),
        (
            "server-side COPY",
            f"{result['copy_rows_per_second']:,}",
            f"{best['copy_rows_per_second']:,}",
            f"{cpu['copy_server']} server",
        ),
        ("ratio seed / COPY", f"{result['ratio']:.2f}", f"{best['ratio']:.2f}", ""),
    ]
    lines = [
        f"Seed benchmark, {result['date']}",
        f"scale {result['scale']:g}: {result['rows']:,} rows in 4 tables, {result['repeat']} "
        "runs of each side",
        f"machine: {machine['cores']} cores, {machine['platform']}, "
        f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, "
        f"load {machine['load_average'][0]}",
        "",
        *(f"{a:<18}{b:>15}{c:>13}   {d}".rstrip() for a, b, c, d in rows),
        "",
        f"ratio per run: {', '.join(f'{each:.2f}' for each in result['ratios'])}",
        f"goal: {result['goal']}: {'met' if result['goal_met'] else 'NOT met'}",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
