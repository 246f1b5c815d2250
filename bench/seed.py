"""The seed benchmark: how fast `wijk seed` fills an empty database, city and work, against
PostgreSQL loading the same rows from CSV files itself (server-side COPY into copies of the
tables, with the same bulk-load strategy: plain indexes built after loading). The goal: the
seed at least half as fast.

The CSV files hold the rows the seed writes, generated again from the same seed with the same
staff and ids. The two sides run in turns, --seed-repeat times each; every seed run is
compared with the COPY run right after it, under much the same load from whatever else the
machine is doing, and the goal is judged on the median of those ratios. Best and median
rates are reported beside it, and CPU seconds (this process, and the database server process
doing the work), which hardly depend on other work: the seed spends CPU in both processes,
COPY only in the server. The seed also adds the foreign keys back (checking every row) and
runs ANALYZE; the COPY side does neither, so the comparison is if anything unfair to the seed.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import statistics
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bench.harness import empty, machine, machine_line, now_iso, seeded_tables, write_results

GOAL = "seed at least half as fast as server-side COPY: median of the paired run ratios >= 0.5"


def run(
    connection: Any, *, scale: float, years: int, seed: int, repeat: int, results: Path
) -> dict[str, Any]:
    """Needs a database without residents (the page benchmarks seed after this one)."""
    from django.utils import timezone

    tables = seeded_tables()
    as_of = timezone.localdate()
    seed_args: dict[str, Any] = {"scale": scale, "years": years, "seed": seed}
    seed_runs: list[dict[str, Any]] = []
    copy_runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="wijk-bench-") as directory:
        Path(directory).chmod(0o755)  # the PostgreSQL server's user reads the files
        started = time.perf_counter()
        files = write_csv_files(Path(directory), scale=scale, years=years, seed=seed, as_of=as_of)
        print(f"CSV files written in {time.perf_counter() - started:.1f} s")
        create_copy_tables(connection, tables)
        for number in range(1, repeat + 1):
            if number > 1:
                empty(connection, tables)
            seed_runs.append(measure_seed(connection, tables, seed_args | {"as_of": as_of}))
            report("seed", number, seed_runs[-1])
            empty(connection, [f"{table}_copy" for table in tables])
            copy_runs.append(measure_copy(connection, files))
            report("server COPY", number, copy_runs[-1])
        drop_copy_tables(connection, tables)
    empty(connection, tables)  # the page benchmarks seed their own city

    seed_rates = [each["rows_per_second"] for each in seed_runs]
    copy_rates = [each["rows_per_second"] for each in copy_runs]
    ratios = [mine / theirs for mine, theirs in zip(seed_rates, copy_rates, strict=True)]
    ratio = statistics.median(ratios)
    result: dict[str, Any] = {
        "benchmark": "seed",
        "date": now_iso(),
        "scale": scale,
        "years": years,
        "seed": seed,
        "repeat": repeat,
        "tables": len(tables),
        "machine": machine(connection),
        "rows": seed_runs[0]["rows"],
        "seed_rows_per_second": round(statistics.median(seed_rates)),
        "copy_rows_per_second": round(statistics.median(copy_rates)),
        "ratio": round(ratio, 3),
        "goal": GOAL,
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
    write_results(results, "seed", result, text)
    return result


def measure_seed(
    connection: Any, tables: Sequence[str], arguments: dict[str, Any]
) -> dict[str, Any]:
    """Run `wijk seed` as an operator would (no progress bar) and time it."""
    from django.core.management import call_command

    server_cpu, python_cpu = backend_cpu_seconds(connection), time.process_time()
    started = time.perf_counter()
    call_command("seed", **arguments, no_progress=True, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    python_cpu = time.process_time() - python_cpu
    server_cpu = backend_cpu_seconds(connection) - server_cpu
    rows = count_rows(connection, tables)
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "cpu_seconds_python": round(python_cpu, 2),
        "cpu_seconds_server": round(server_cpu, 2),
    }


def measure_copy(connection: Any, files: dict[str, tuple[Path, list[str]]]) -> dict[str, Any]:
    """Let the server load the files into the empty copies, in one transaction."""
    server_cpu = backend_cpu_seconds(connection)
    seconds = server_copy(connection, files)
    server_cpu = backend_cpu_seconds(connection) - server_cpu
    rows = count_rows(connection, [f"{table}_copy" for table in files])
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "cpu_seconds_server": round(server_cpu, 2),
    }


def report(side: str, number: int, figures: dict[str, Any]) -> None:
    print(
        f"{side:<11} run {number}: {figures['rows']:>10,} rows in {figures['seconds']:7.2f} s"
        f" = {figures['rows_per_second']:>9,} rows/s"
    )


def _csv_value(value: object) -> object:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def write_csv_files(
    directory: Path, *, scale: float, years: int, seed: int, as_of: datetime.date
) -> dict[str, tuple[Path, list[str]]]:
    """The rows the seed writes, generated again from the same seed, as one CSV per table
    (ids from 1, as in an emptied database; NULL as an unquoted empty field, empty strings
    quoted). Returns per table the file and its columns. The organisations, teams and staff
    are created here first, as the seed would (it finds them again)."""
    from wijk.synthetic import services
    from wijk.synthetic.generate import city_households
    from wijk.synthetic.work import CityIndex, work_generate

    services.demo_organisations_ensure()
    areas = services.city_areas()
    city = CityIndex()
    households = list(
        city.collect(city_households(seed=seed, scale=scale, years=years, as_of=as_of, areas=areas))
    )
    first_ids = dict.fromkeys(services.TABLES, 1)
    setting, _ = services.work_setting(
        city=city, areas=areas, scale=scale, years=years, as_of=as_of, first_ids=first_ids
    )
    city_rows = services.city_rows(
        households, first_ids=first_ids, households_before=0, residents_before=0
    )
    writers: dict[str, Any] = {}
    handles = []
    files: dict[str, tuple[Path, list[str]]] = {}
    try:
        for key, (model, fields) in services.TABLES.items():
            table = model._meta.db_table
            path = directory / f"{table}.csv"
            handle = path.open("w", encoding="utf-8", newline="")
            handles.append(handle)
            columns, defaults = services.copy_columns(model, fields)
            writers[key] = (csv.writer(handle, quoting=csv.QUOTE_NOTNULL), defaults)
            files[table] = (path, columns)

        def write(key: str, rows: Iterable[Sequence[object]]) -> None:
            writer, defaults = writers[key]
            writer.writerows([_csv_value(value) for value in (*row, *defaults)] for row in rows)

        for key, table_rows in city_rows.items():
            write(key, table_rows)
        for chunk in work_generate(
            seed=seed, scale=scale, years=years, as_of=as_of, city=city, setting=setting
        ):
            for key, work_rows in chunk.rows.items():
                write(key, work_rows)
    finally:
        for handle in handles:
            handle.close()
    for path, _ in files.values():
        path.chmod(0o644)
    return files


def create_copy_tables(connection: Any, tables: Sequence[str]) -> None:
    """Empty copies of the tables with every index and constraint but the foreign keys
    (LIKE does not copy those)."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}_copy")
            cursor.execute(f"CREATE TABLE {table}_copy (LIKE {table} INCLUDING ALL)")


def drop_copy_tables(connection: Any, tables: Sequence[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}_copy")


def server_copy(connection: Any, files: dict[str, tuple[Path, list[str]]]) -> float:
    """Seconds for the server to load the files in one transaction, commit included: the
    plain indexes dropped first and built afterwards, as the seed does."""
    from django.db import transaction

    from wijk.synthetic.services import index_definitions

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = index_definitions(cursor, [f"{table}_copy" for table in files])
        for _, name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, (path, columns) in files.items():
            cursor.execute(
                f"COPY {table}_copy ({', '.join(columns)}) FROM %s WITH (FORMAT csv)",
                [str(path)],
            )
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, _, definition in indexes:
            cursor.execute(definition)
    return time.perf_counter() - started


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
    values = [each[key] for each in runs if key in each and not math.isnan(each[key])]
    return round(statistics.median(values), 2) if values else None


def count_rows(connection: Any, tables: Iterable[str]) -> int:
    with connection.cursor() as cursor:
        # our own table names, no input
        counts = " + ".join(f"(SELECT count(*) FROM {table})" for table in tables)  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        return int(cursor.fetchone()[0])


def summary(result: dict[str, Any]) -> str:
    best, cpu = result["best"], result["cpu_seconds_median"]
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
        f"scale {result['scale']:g}, {result['years']} years: {result['rows']:,} rows in "
        f"{result['tables']} tables, {result['repeat']} runs of each side",
        machine_line(result["machine"]),
        "",
        *(f"{a:<18}{b:>15}{c:>13}   {d}".rstrip() for a, b, c, d in rows),
        "",
        f"ratio per run: {', '.join(f'{each:.2f}' for each in result['ratios'])}",
        f"goal: {result['goal']}: {'met' if result['goal_met'] else 'NOT met'}",
    ]
    return "\n".join(lines) + "\n"
