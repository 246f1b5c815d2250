"""The reporting benchmarks (issue 14), on the same city as the pages:

- indicators: one year of figures (the twelve months before this one) for every wijk and
  breakdown, of the indicators that count residents, contacts and the waiting list
  (`wijk.monitoring.indicators.indicator_rows`, exact, as the consortium's dashboard asks
  them), against DuckDB computing the same aggregation over the same rows in-process (the
  rows copied into DuckDB first, not timed). Goal: at most 2x DuckDB's time. The two sides'
  counts are compared, so that both compute the same thing. The rows DuckDB gets have the
  resident's wijk joined to them already (the goal is judged on this, the stricter side);
  beside it DuckDB is also timed with that join included (trajectories, residents, addresses,
  buurten and wijken copied as they are), as PostgreSQL does it for wijk.
- dashboard: the dashboard page (a year of months, one indicator) as management and as the
  municipality, against the trivial one-query page, as the page benchmark measures pages.

Printed, and written to bench/results/reporting.json and .txt.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from bench.harness import machine, machine_line, now_iso, stats, verified_client, write_results
from bench.pages import Page

INDICATOR_GOAL = "one year of indicators at most 2x DuckDB's time over the same rows (medians)"
PAGE_GOAL = "dashboard at most 2x the trivial page (medians)"
CODES = ("bereik", "instroom", "uitstroom", "korte_contacten", "wachtlijst")


def _year(today: datetime.date) -> list[Any]:
    from wijk.monitoring.selectors import Period, PeriodUnit

    months = []
    month = datetime.date(today.year - 1, today.month, 1)
    for _ in range(12):
        months.append(Period(start=month, unit=PeriodUnit.MONTH))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


_ROWS = {
    "trajectories": """
        SELECT t.resident_id, t.inflow_date, t.outflow_date, t.part, t.youth_support,
               COALESCE(w.code, '') AS wijk
        FROM trajectories_trajectory t
        JOIN residents_resident r ON r.id = t.resident_id
        LEFT JOIN residents_address a ON a.id = r.address_id
        LEFT JOIN areas_buurt b ON b.id = a.buurt_id
        LEFT JOIN areas_wijk w ON w.id = b.wijk_id
        WHERE t.inflow_date < %(end)s AND (t.outflow_date IS NULL OR t.outflow_date >= %(start)s)
    """,
    "contacts": """
        SELECT c.contact_date, COALESCE(w.code, '') AS wijk
        FROM contacts_shortcontact c LEFT JOIN areas_wijk w ON w.id = c.wijk_id
        WHERE c.contact_date >= %(start)s AND c.contact_date < %(end)s
    """,
    "requests": """
        SELECT (h.received_at AT TIME ZONE 'Europe/Amsterdam') AS received,
               (h.outcome_at AT TIME ZONE 'Europe/Amsterdam') AS closed,
               COALESCE(w.code, '') AS wijk
        FROM requests_helprequest h
        LEFT JOIN areas_buurt b ON b.id = h.buurt_id
        LEFT JOIN areas_wijk w ON w.id = b.wijk_id
        WHERE h.received_at < %(end)s AND (h.outcome_at IS NULL OR h.outcome_at >= %(start)s)
    """,
}

# The base tables of the join from a trajectory to its resident's wijk, for DuckDB with the
# join included.
_BASE_ROWS = {
    "trajectories_raw": """
        SELECT t.resident_id, t.inflow_date, t.outflow_date, t.part, t.youth_support
        FROM trajectories_trajectory t
        WHERE t.inflow_date < %(end)s AND (t.outflow_date IS NULL OR t.outflow_date >= %(start)s)
    """,
    "residents_raw": "SELECT id, address_id FROM residents_resident",
    "addresses_raw": "SELECT id, buurt_id FROM residents_address",
    "buurten_raw": "SELECT id, wijk_id FROM areas_buurt",
    "wijken_raw": "SELECT id, code FROM areas_wijk",
}
_JOINED = """(
    SELECT t.*, COALESCE(w.code, '') AS wijk
    FROM trajectories_raw t JOIN residents_raw r ON r.id = t.resident_id
    LEFT JOIN addresses_raw a ON a.id = r.address_id
    LEFT JOIN buurten_raw b ON b.id = a.buurt_id
    LEFT JOIN wijken_raw w ON w.id = b.wijk_id
) AS trajectories"""

_DUCK = {
    "bereik": """
        SELECT m, wijk, COUNT(DISTINCT resident_id) AS total,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'sociale_basis') AS sb,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'sociaal_wijkteam') AS swt,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'aanvullende_ondersteuning') AS ao
        FROM trajectories JOIN months
          ON inflow_date < m + INTERVAL 1 MONTH AND (outflow_date IS NULL OR outflow_date >= m)
        GROUP BY m, wijk
    """,
    "instroom": """
        SELECT date_trunc('month', inflow_date) AS m, wijk, COUNT(DISTINCT resident_id) AS total,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'sociale_basis') AS sb,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'sociaal_wijkteam') AS swt,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'aanvullende_ondersteuning') AS ao
        FROM trajectories WHERE inflow_date >= $start AND inflow_date < $end GROUP BY 1, 2
    """,
    "uitstroom": """
        SELECT date_trunc('month', outflow_date) AS m, wijk, COUNT(DISTINCT resident_id) AS total,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'sociale_basis') AS sb,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'sociaal_wijkteam') AS swt,
               COUNT(DISTINCT resident_id) FILTER (WHERE part = 'aanvullende_ondersteuning') AS ao
        FROM trajectories WHERE outflow_date >= $start AND outflow_date < $end GROUP BY 1, 2
    """,
    "korte_contacten": """
        SELECT date_trunc('month', contact_date) AS m, wijk, COUNT(*) AS total
        FROM contacts GROUP BY 1, 2
    """,
    "wachtlijst": """
        SELECT m, wijk, COUNT(*) AS total FROM requests JOIN months
          ON received < m + INTERVAL 1 MONTH AND (closed IS NULL OR closed >= m + INTERVAL 1 MONTH)
        GROUP BY m, wijk
    """,
}


def _duckdb_side(
    connection: Any, start: datetime.date, end: datetime.date
) -> tuple[Any, dict[str, int]]:
    """A DuckDB database in memory holding the rows the indicators count (copied, not
    timed), and its row counts."""
    import duckdb
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs

    duck = duckdb.connect()
    counts = {}
    with connection.cursor() as cursor:
        for name, sql in (_ROWS | _BASE_ROWS).items():
            cursor.execute(sql, {"start": start, "end": end})
            columns = [column.name for column in cursor.description]
            rows = cursor.fetchall()
            table = pa.table({c: [row[i] for row in rows] for i, c in enumerate(columns)})
            duck.register(f"{name}_arrow", table)
            duck.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")  # noqa: S608
            counts[name] = len(rows)
    duck.execute(
        "CREATE TABLE months AS SELECT CAST(m AS DATE) AS m FROM "
        "generate_series(CAST($start AS DATE), CAST($last AS DATE), INTERVAL 1 MONTH) t(m)",
        {
            "start": start,
            "last": datetime.date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, 1),
        },
    )
    return duck, counts


def _duckdb_run(
    duck: Any, start: datetime.date, end: datetime.date, *, joins: bool = False
) -> dict[str, list[tuple[Any, ...]]]:
    """The aggregation in DuckDB; `joins`: over the base tables, the wijk joined in the query."""
    found = {}
    for code, sql in _DUCK.items():
        if joins:
            sql = sql.replace("FROM trajectories", f"FROM {_JOINED}")
        parameters = {"start": start, "end": end} if "$start" in sql else {}
        found[code] = duck.execute(sql, parameters).fetchall()
    return found


def run(
    connection: Any, *, repetitions: int, city: dict[str, Any], results: Path
) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from wijk.monitoring.indicators import AREA_CITY, indicator_rows

    today = timezone.localdate()
    periods = _year(today)
    start, end = periods[0].start, periods[-1].end
    rounds = max(3, repetitions // 40)

    print(f"Indicators: twelve months from {start} for every wijk, {rounds} runs a side ...")
    duck, copied = _duckdb_side(connection, start, end)
    ours_s: list[float] = []
    duck_s: list[float] = []
    duck_joins_s: list[float] = []
    rows: list[Any] = []
    found: dict[str, list[tuple[Any, ...]]] = {}
    for _ in range(rounds):
        began = time.perf_counter()
        rows = list(indicator_rows(periods=periods, codes=CODES, exact=True, today=today))
        ours_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        found = _duckdb_run(duck, start, end)
        duck_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        joined = _duckdb_run(duck, start, end, joins=True)
        duck_joins_s.append(time.perf_counter() - began)
    # Both sides count the same: the city's reach per month.
    ours_reach = {
        row.period_start: row.value
        for row in rows
        if row.indicator == "bereik" and row.area_level == AREA_CITY and row.breakdown == ""
    }
    duck_reach: dict[datetime.date, int] = {}
    for month, _wijk, total, *_parts in found["bereik"]:
        key = month if isinstance(month, datetime.date) else month.date()
        duck_reach[key] = duck_reach.get(key, 0) + total
    same = all(ours_reach.get(month) == count for month, count in duck_reach.items())
    same = same and sorted(joined["bereik"]) == sorted(found["bereik"])
    ours, theirs, theirs_joins = stats(ours_s), stats(duck_s), stats(duck_joins_s)
    ratio = round(ours["median_ms"] / theirs["median_ms"], 2)
    indicators: dict[str, Any] = {
        "rows": len(rows),
        "rows_copied_to_duckdb": copied,
        "wijk": ours,
        "duckdb": theirs,
        "ratio": ratio,
        "duckdb_joins_included": theirs_joins,
        "ratio_joins_included": round(ours["median_ms"] / theirs_joins["median_ms"], 2),
        "same_reach": same,
    }

    print(f"Dashboard: {repetitions} requests a side, in turns ...")
    user_model = get_user_model()
    # The seed makes the teams' staff; the two readers of the dashboard are made here.
    management, _made = user_model.objects.get_or_create(
        username="bench-management", defaults={"role": "management"}
    )
    municipality, _made = user_model.objects.get_or_create(
        username="bench-municipality", defaults={"role": "municipality"}
    )
    pages = {}
    if management and municipality:
        sides = [
            (
                "trivial page (one query)",
                Page("trivial", "bench_trivial"),
                verified_client(management),
            ),
            (
                "dashboard, management",
                Page("dashboard", "monitoring:dashboard"),
                verified_client(management),
            ),
            (
                "dashboard, municipality",
                Page("dashboard", "monitoring:dashboard"),
                verified_client(municipality),
            ),
        ]
        for _name, page, client in sides:
            for _ in range(3):
                page.request(client)
        for _ in range(repetitions):
            for _name, page, client in sides:
                page.measure(client)
        trivial = stats(sides[0][1].timings)
        for name, page, _client in sides:
            entry = stats(page.timings)
            entry["ratio_to_trivial"] = round(entry["median_ms"] / trivial["median_ms"], 2)
            pages[name] = entry
    result = {
        "benchmark": "reporting",
        "date": now_iso(),
        "machine": machine(connection),
        "city": city,
        "indicators": indicators,
        "indicator_goal": INDICATOR_GOAL,
        "indicator_goal_met": ratio <= 2,
        "pages": pages,
        "page_goal": PAGE_GOAL,
        "page_goal_met": bool(pages)
        and all(e["ratio_to_trivial"] <= 2 for n, e in pages.items() if n.startswith("dashboard")),
    }
    text = summary(result)
    print(text, end="")
    write_results(results, "reporting", result, text)
    return result


def summary(result: dict[str, Any]) -> str:
    figures = result["indicators"]
    lines = [
        f"Reporting benchmark, {result['date']}",
        f"city: {result['city']}",
        machine_line(result["machine"]),
        "",
        f"one year of indicators ({', '.join(CODES)}), every wijk and breakdown: "
        f"{figures['rows']:,} rows",
        f"  wijk (indicator_rows, exact)  median {figures['wijk']['median_ms']:.0f} ms",
        f"  DuckDB in-process            median {figures['duckdb']['median_ms']:.0f} ms "
        f"over {figures['rows_copied_to_duckdb']}",
        f"  ratio {figures['ratio']:.2f}; the same reach on both sides: {figures['same_reach']}",
        *(
            [
                f"  DuckDB, the resident's wijk joined in the query  median "
                f"{figures['duckdb_joins_included']['median_ms']:.0f} ms: ratio "
                f"{figures['ratio_joins_included']:.2f} (not judged)",
            ]
            if "duckdb_joins_included" in figures
            else []
        ),
        f"goal: {result['indicator_goal']}: {'met' if result['indicator_goal_met'] else 'NOT met'}",
        "",
    ]
    if result["pages"]:
        lines.append(f"{'':30} median ms   p95 ms x trivial")
        for name, entry in result["pages"].items():
            lines.append(
                f"{name:30} {entry['median_ms']:9.1f} {entry['p95_ms']:8.1f} "
                f"{entry['ratio_to_trivial']:8.2f}"
            )
        lines.append(
            f"goal: {result['page_goal']}: {'met' if result['page_goal_met'] else 'NOT met'}"
        )
    else:
        lines.append("dashboard: not measured")
    return "\n".join(lines) + "\n"
