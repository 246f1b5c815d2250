"""The delivery benchmark (issue 14): the full CSV delivery (`wijk export --format csv`, with
the pseudonymised record-level part when this wijk can make it, else the aggregates) against
PostgreSQL's own `COPY (query) TO STDOUT` of the same queries, on the city in the database.

- The queries: every SELECT the delivery's tables run while their rows are read, captured once
  in this process (an execute wrapper around reading every table of `delivery_content`). A
  record-level table is one query whose rows are the delivered rows; an aggregated table is the
  queries its figures are computed from (published sets, counts of the open periods), so for
  those COPY ships the database's answers and wijk adds the work of turning them into rows.
- The COPY side: one `psql` process that runs `\\copy (query) TO 'file' WITH (FORMAT csv,
  HEADER)` (COPY ... TO STDOUT, written by psql) for every captured query, then the files
  fsynced, as the delivery fsyncs its own.
- The wijk side: `wijk export` as a child process, as the operator runs it (process start,
  Django set-up and system checks included; Python's bytecode cached, as when installed). Its
  peak memory is the child's own maximum resident set size (`os.wait4`, per child).
- One untimed delivery first: it publishes the ended periods that have no published set (the
  first delivery after install does that once) and fills the bytecode cache.
- The sides run in turns, --feed-repeat times; each wijk run is compared with the COPY run right
  after it, under much the same load, and the goal is judged on the median of those ratios and
  on the largest peak memory.

Printed, and written to bench/results/feed.json and .txt.
"""

from __future__ import annotations

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.harness import SETTINGS, machine, machine_line, now_iso, write_results

GOAL_RATIO = 1.3
GOAL_MEMORY_MB = 300
GOAL = (
    f"the full CSV delivery at most {GOAL_RATIO}x the time of COPY (same queries) TO STDOUT "
    f"(median of the paired run ratios), peak memory under {GOAL_MEMORY_MB} MB"
)
# Where the delivery child keeps its compiled bytecode (this machine's shells set
# PYTHONDONTWRITEBYTECODE; an installed wijk has its bytecode compiled).
PYCACHE = Path(tempfile.gettempdir()) / "wijk-bench-pycache"


def child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    # bench.settings gives the record-level part a legal basis and a key on synthetic data.
    environment["DJANGO_SETTINGS_MODULE"] = SETTINGS
    return environment


def records_available(day: datetime.date) -> bool:
    """Whether this wijk's delivery has a record-level part (tables of records)."""
    from wijk.feed.content import delivery_content

    try:
        content = delivery_content(day=day, since=None, records=True)
    except Exception as error:
        print(f"  no record-level part: {type(error).__name__}: {error}")
        return False
    return any(table.records for table in content.tables)


def _export(out: Path, *, day: datetime.date, records: bool) -> tuple[float, int, int, list[str]]:
    """Run `wijk export --format csv` as a child; return its seconds, its peak RSS in bytes,
    its exit status and the tail of its stderr."""
    command = [
        str(Path(sys.executable).parent / "wijk"),
        "export",
        "--format",
        "csv",
        "--out",
        str(out),
        "--day",
        day.isoformat(),
    ]
    if records:
        command.append("--records")
    stderr = out.parent / f"{out.name}.stderr"
    with stderr.open("w") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=child_environment(), stdout=subprocess.DEVNULL, stderr=errors
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    tail = stderr.read_text().strip().splitlines()[-3:]
    # Linux gives ru_maxrss in kilobytes.
    return seconds, usage.ru_maxrss * 1024, process.returncode, tail


@contextmanager
def _captured(connection: Any) -> Iterator[list[tuple[str, Any]]]:
    found: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield found


def delivery_queries(
    connection: Any, *, day: datetime.date, records: bool
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Per table of the full delivery, the SELECTs its rows are read with (parameters bound),
    and its number of rows."""
    from wijk.feed.content import delivery_content

    content = delivery_content(day=day, since=None, records=records)
    queries: dict[str, list[str]] = {}
    rows: dict[str, int] = {}
    for table in content.tables:
        with _captured(connection) as found:
            rows[table.name] = sum(1 for _row in table.rows())
        queries[table.name] = [
            " ".join(connection.ops.compose_sql(sql, params).split()) for sql, params in found
        ]
    return queries, rows


def _psql_command(connection: Any) -> list[str]:
    settings = connection.settings_dict
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", settings["NAME"]]
    if settings.get("HOST"):
        command += ["-h", settings["HOST"]]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        command += ["-U", settings["USER"]]
    return command


def copy_side(connection: Any, out: Path, queries: dict[str, list[str]]) -> tuple[float, int]:
    """COPY every query TO STDOUT into a CSV file (one psql process), files fsynced; the
    seconds and the bytes written."""
    out.mkdir(parents=True)
    script = out.parent / f"{out.name}.sql"
    lines = []
    files = []
    for table, table_queries in queries.items():
        for number, query in enumerate(table_queries):
            path = out / f"{table}-{number}.csv"
            files.append(path)
            lines.append(f"\\copy ({query}) TO '{path}' WITH (FORMAT csv, HEADER)")
    script.write_text("\n".join(lines) + "\n")
    environment = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    started = time.perf_counter()
    subprocess.run(
        [*_psql_command(connection), "-f", str(script)],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    size = 0
    for path in files:
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
        size += path.stat().st_size
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return time.perf_counter() - started, size


def _delivery_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*.csv"))


def _last_delivery_seconds(out: Path) -> float | None:
    from wijk.feed.models import Delivery

    delivery = Delivery.objects.filter(directory=str(out.resolve())).order_by("-pk").first()
    if delivery is None or delivery.finished_at is None:
        return None
    return (delivery.finished_at - delivery.started_at).total_seconds()


def run(connection: Any, *, repeat: int, city: dict[str, Any], results: Path) -> dict[str, Any]:
    from django.utils import timezone

    day = timezone.localdate()
    records = records_available(day)
    part = "record-level part and aggregates" if records else "aggregates (no record-level part)"
    print(f"Delivery: the full CSV delivery of {day}, {part}, {repeat} runs a side ...")
    work = Path(tempfile.mkdtemp(prefix="wijk-bench-feed-"))
    try:
        seconds, rss, status, tail = _export(work / "first", day=day, records=records)
        if status != 0 and records:
            print(f"  wijk export --records failed, the aggregates then: {tail}")
            records = False
            seconds, rss, status, tail = _export(work / "first", day=day, records=records)
        if status != 0:
            raise RuntimeError(f"wijk export failed: {tail}")
        first = {
            "seconds": round(seconds, 2),
            "delivery_seconds": _last_delivery_seconds(work / "first"),
            "peak_rss_mb": round(rss / 2**20, 1),
        }
        print(f"  first delivery (publishes the ended periods): {first}")
        shutil.rmtree(work / "first")
        started = time.perf_counter()
        queries, rows = delivery_queries(connection, day=day, records=records)
        print(
            f"  {sum(len(each) for each in queries.values())} queries captured in "
            f"{time.perf_counter() - started:.1f} s; rows per table: {rows}"
        )
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        for number in range(1, repeat + 1):
            out = work / f"wijk-{number}"
            seconds, rss, status, tail = _export(out, day=day, records=records)
            if status != 0:
                raise RuntimeError(f"wijk export failed: {tail}")
            ours.append(
                {
                    "seconds": round(seconds, 3),
                    "delivery_seconds": _last_delivery_seconds(out),
                    "peak_rss_mb": round(rss / 2**20, 1),
                    "bytes": _delivery_bytes(out),
                }
            )
            shutil.rmtree(out)
            copy_seconds, size = copy_side(connection, work / f"copy-{number}", queries)
            theirs.append({"seconds": round(copy_seconds, 3), "bytes": size})
            shutil.rmtree(work / f"copy-{number}")
            print(
                f"  run {number}: wijk export {ours[-1]['seconds']:.2f} s "
                f"(delivery {ours[-1]['delivery_seconds']} s, peak {ours[-1]['peak_rss_mb']} MB)"
                f", COPY {theirs[-1]['seconds']:.2f} s"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(ours, theirs, strict=True)]
    ratio = round(statistics.median(ratios), 2)
    peak = max(each["peak_rss_mb"] for each in ours)
    result: dict[str, Any] = {
        "benchmark": "feed",
        "date": now_iso(),
        "machine": machine(connection),
        "city": city,
        "day": day.isoformat(),
        "records": records,
        "rows": rows,
        "queries": sum(len(each) for each in queries.values()),
        "first_delivery": first,
        "wijk_runs": ours,
        "copy_runs": theirs,
        "ratios": [round(each, 2) for each in ratios],
        "ratio": ratio,
        "peak_rss_mb": peak,
        "goal": GOAL,
        "goal_met": ratio <= GOAL_RATIO and peak < GOAL_MEMORY_MB,
    }
    text = summary(result)
    print(text, end="")
    write_results(results, "feed", result, text)
    return result


def summary(result: dict[str, Any]) -> str:
    ours, theirs, first = result["wijk_runs"], result["copy_runs"], result["first_delivery"]

    def median(runs: list[dict[str, Any]], key: str) -> float:
        values = [each[key] for each in runs if each[key] is not None]
        return statistics.median(values) if values else float("nan")

    part = "with the record-level part" if result["records"] else "aggregates only"
    lines = [
        f"Delivery benchmark, {result['date']}",
        f"city: {result['city']}",
        machine_line(result["machine"]),
        "",
        f"the full CSV delivery of {result['day']} ({part}): {sum(result['rows'].values()):,} "
        f"rows in {len(result['rows'])} tables; {result['queries']} queries",
        f"  rows per table: {result['rows']}",
        f"  first delivery (publishing the ended periods, untimed side): "
        f"{first['seconds']:.1f} s, peak {first['peak_rss_mb']} MB",
        "",
        f"{'':34}{'median s':>10}{'bytes':>14}",
        f"{'wijk export --format csv':34}{median(ours, 'seconds'):10.2f}"
        f"{int(median(ours, 'bytes')):>14,}",
        f"{'  of which the delivery itself':34}{median(ours, 'delivery_seconds'):10.2f}",
        f"{'COPY (same queries) TO STDOUT':34}{median(theirs, 'seconds'):10.2f}"
        f"{int(median(theirs, 'bytes')):>14,}",
        "",
        f"ratio per run: {', '.join(f'{each:.2f}' for each in result['ratios'])}",
        f"ratio (median) {result['ratio']:.2f} (goal at most {GOAL_RATIO}); "
        f"peak memory {result['peak_rss_mb']:.0f} MB (goal under {GOAL_MEMORY_MB} MB)",
        f"goal: {result['goal']}: {'met' if result['goal_met'] else 'NOT met'}",
    ]
    return "\n".join(lines) + "\n"
