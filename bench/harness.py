"""What the benchmarks share: Django set-up, the machine they ran on, the synthetic city at a
given scale, bench users with a verified (TOTP) session, timing statistics, and writing
results to bench/results/<name>.{json,txt}."""

from __future__ import annotations

import datetime
import io
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client

    from wijk.accounts.models import User

RESULTS = Path(__file__).resolve().parent / "results"
SETTINGS = "bench.settings"


def django_setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def machine(connection: Any) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": server_version,
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"machine: {info['cores']} cores, {info['platform']}, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}, load {info['load_average'][0]}"
    )


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def write_results(directory: Path, name: str, result: dict[str, Any], text: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (directory / f"{name}.txt").write_text(text)


def stats(seconds: Sequence[float]) -> dict[str, float]:
    """Median, 95th percentile and mean of timings, in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


# -- the city ----------------------------------------------------------------------------------


def seeded_tables() -> list[str]:
    """Every table `wijk seed` fills (households, residents, the work)."""
    from wijk.synthetic.services import TABLES

    return [model._meta.db_table for model, _ in TABLES.values()]


def empty(connection: Any, tables: Iterable[str]) -> None:
    """Empty the tables and restart their ids; CASCADE reaches tables of other apps that
    refer to them (the access log does not: it names records, it has no foreign keys)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def residents_count(connection: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM residents_resident")
        return int(cursor.fetchone()[0])


def _vacuum_analyze(connection: Any) -> None:
    """What a bulk load is followed by: the planner's statistics now, and the visibility map
    that lets PostgreSQL answer counts from an index alone, not when autovacuum gets to the
    new tables (and not while the pages are being measured)."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(seeded_tables())}")


def city_ensure(
    connection: Any, *, scale: float, years: int, seed: int, reuse: bool
) -> dict[str, Any]:
    """The city the pages are measured on: seeded afresh (the seeded tables emptied first),
    or, with `reuse`, whatever the database holds when it holds residents."""
    from django.core.management import call_command

    from wijk.synthetic.generate import resident_target

    existing = residents_count(connection)
    if reuse and existing:
        _vacuum_analyze(connection)
        return {"seeded": False, "residents": existing}
    if existing:
        empty(connection, seeded_tables())
    started = time.perf_counter()
    out = io.StringIO()
    call_command("seed", scale=scale, years=years, seed=seed, no_progress=True, stdout=out)
    seconds = time.perf_counter() - started
    _vacuum_analyze(connection)
    with connection.cursor() as cursor:
        counts = " + ".join(
            f"(SELECT count(*) FROM {table})"  # noqa: S608  (our own table names)
            for table in seeded_tables()
        )
        cursor.execute(f"SELECT {counts}")
        rows = int(cursor.fetchone()[0])
    return {
        "seeded": True,
        "residents": residents_count(connection),
        "residents_expected": resident_target(scale),
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
    }


# -- users and sessions ------------------------------------------------------------------------


def totp_ensure(user: User) -> None:
    """A confirmed authenticator for a seeded staff member, so that a session can pass the
    TOTP step (the seed gives them none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)


def verified_client(user: User) -> Client:
    """A test client signed in as `user` with the TOTP step done, as after the real login
    (the idea of wijk/conftest.py's verified_client)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wijk.accounts.middleware import SESSION_SEEN, SESSION_STARTED

    totp_ensure(user)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    moment = int(time.time())
    session[SESSION_STARTED] = moment
    session[SESSION_SEEN] = moment
    session.save()
    return client


def session_cookie(user: User) -> tuple[str, str]:
    """(cookie name, value) of a verified session for `user`, stored in the database, for an
    HTTP client outside this process."""
    from django.conf import settings

    client = verified_client(user)
    name = settings.SESSION_COOKIE_NAME
    return name, client.cookies[name].value
