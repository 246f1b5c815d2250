"""The concurrency benchmark (issue 4): the median latency of the worklist with 16 users at
work at once against one user alone, on a real WSGI server on loopback (goal: at most 2x).

A user at work asks for a page, reads it, and asks again: between two requests each
simulated user pauses for a think time drawn uniformly from THINK_SECONDS (a brisk click a
second; docs/adr/0012). Both the one user and the 16 users pause alike, so the ratio shows
what 16 people working at the same time cost each other: queueing for a lock, a worker or
the database, not the machine's cores being oversubscribed by design. The benchmark also
measures 16 users asking without any pause (a closed loop, always 16 requests in flight) and
prints its throughput and latency beside, for the saturation of this machine; the goal is
not applied to that line.

gunicorn serves wijk.wsgi (bench settings, persistent database connections) on a free port
of 127.0.0.1 with a few worker processes of several threads; each simulated user has their
own verified session (created directly in the database, as after the login and TOTP step)
and their own keep-alive connection, and asks for their worklist a bounded number of times.
Latency is measured by the client, so it includes the HTTP round trip on loopback and any
time waiting for a free worker thread. The server is stopped at the end, also on failure.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.harness import (
    SETTINGS,
    machine,
    machine_line,
    now_iso,
    session_cookie,
    stats,
    write_results,
)

if TYPE_CHECKING:
    from wijk.accounts.models import User

GOAL = "median latency of 16 users at work at once at most 2x that of one user at work"
THINK_SECONDS = (0.5, 1.5)
PATH = "/hulpvragen/"  # requests:worklist
DEADLINE_SECONDS = 600  # no phase runs longer, whatever the server does


def run(
    connection: Any,
    *,
    users: int,
    requests_per_user: int,
    workers: int,
    threads: int,
    results: Path,
    city: dict[str, Any],
) -> dict[str, Any]:
    from django.urls import reverse

    if reverse("requests:worklist") != PATH:
        raise RuntimeError(f"the worklist moved from {PATH}")
    staff = _professionals(users)
    cookies = [session_cookie(user) for user in staff]
    with _server(workers=workers, threads=threads) as server:
        port = server.port
        processes = _Processes(server.process.pid, _postmaster(connection))
        for cookie in cookies:  # warm up every worker thread and session
            _timed_requests(port, cookie, 3)
        print(f"Concurrency: 1 user at work, {requests_per_user} requests ...")
        before = processes.cpu()
        started = time.perf_counter()
        alone = _timed_requests(port, cookies[0], requests_per_user, think=random.Random(0))
        wall_alone = time.perf_counter() - started
        cpu_alone = _cpu_use(before, processes.cpu(), wall_alone, len(alone))
        print(f"Concurrency: {users} users at work, {requests_per_user} requests each ...")
        before = processes.cpu()
        with _Sampler() as waits:
            together, wall = _together(port, cookies, requests_per_user, think=True)
        cpu_together = _cpu_use(before, processes.cpu(), wall, len(together))
        print(f"Concurrency: {users} users without pauses, {requests_per_user} requests each ...")
        before = processes.cpu()
        with _Sampler() as saturated_waits:
            saturated, saturated_wall = _together(port, cookies, requests_per_user, think=False)
        cpu_saturated = _cpu_use(before, processes.cpu(), saturated_wall, len(saturated))
    one, many, flat_out = stats(alone), stats(together), stats(saturated)
    ratio = many["median_ms"] / one["median_ms"]
    result: dict[str, Any] = {
        "benchmark": "concurrency",
        "date": now_iso(),
        "machine": machine(connection),
        "city": city,
        "server": f"gunicorn, {workers} workers x {threads} threads (gthread), 127.0.0.1",
        "page": PATH,
        "users": users,
        "think_seconds": list(THINK_SECONDS),
        "one_user": one,
        "concurrent": many,
        "without_pauses": flat_out,
        "throughput_per_second": {
            "one_user": round(len(alone) / wall_alone, 1),
            "concurrent": round(len(together) / wall, 1),
            "without_pauses": round(len(saturated) / saturated_wall, 1),
        },
        "cpu": {
            "one_user": cpu_alone,
            "concurrent": cpu_together,
            "without_pauses": cpu_saturated,
        },
        "database_sessions": waits.figures(),
        "database_sessions_without_pauses": saturated_waits.figures(),
        "ratio": round(ratio, 2),
        "goal": GOAL,
        "goal_met": ratio <= 2,
    }
    text = summary(result)
    print(text, end="")
    write_results(results, "concurrency", result, text)
    return result


def _professionals(count: int) -> list[User]:
    """The professionals with the longest worklists, as many as there are users."""
    from django.db.models import Count

    from wijk.accounts.models import Role, User
    from wijk.requests.models import HelpRequest

    busiest = (
        HelpRequest.objects.exclude(status="closed")
        .filter(assigned_to__role=Role.PROFESSIONAL)
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .order_by("-n", "assigned_to")[:count]
    )
    ids = [entry["assigned_to"] for entry in busiest]
    by_pk = User.objects.in_bulk(ids)
    if len(ids) < count:
        raise RuntimeError(f"Fewer than {count} professionals with work: seed a larger city.")
    return [by_pk[pk] for pk in ids]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Processes:
    """CPU seconds used so far by the WSGI server (master and workers), the database server
    (the postmaster's processes: every backend) and this process (the simulated users), read
    from /proc: everything runs on this machine."""

    def __init__(self, server: int, postmaster: int | None) -> None:
        self.server, self.postmaster = server, postmaster

    def cpu(self) -> dict[str, float]:
        server = [self.server, *_children(self.server)]
        database = [self.postmaster, *_children(self.postmaster)] if self.postmaster else []
        return {
            "wsgi_server": sum(_cpu_seconds(pid) for pid in server),
            "database": sum(_cpu_seconds(pid) for pid in database),
            "client": time.process_time(),
        }


class _Sampler:
    """Every 20 ms, from its own database connection: how many of the server's database
    sessions are running a statement, and how many of those wait for a lock (in practice the
    access log's head row: docs/adr/0006, one writer at a time extends the hash chain)."""

    INTERVAL = 0.02

    def __enter__(self) -> _Sampler:
        self.samples: list[tuple[int, int]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.stop.wait(self.INTERVAL):
                    cursor.execute(
                        "SELECT count(*) FILTER (WHERE state = 'active'),"
                        " count(*) FILTER (WHERE wait_event_type = 'Lock')"
                        " FROM pg_stat_activity WHERE backend_type = 'client backend'"
                        " AND pid <> pg_backend_pid()"
                    )
                    active, waiting = cursor.fetchone()
                    self.samples.append((int(active), int(waiting)))
        finally:
            connection.close()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)

    def figures(self) -> dict[str, float]:
        count = len(self.samples) or 1
        return {
            "samples": len(self.samples),
            "running_statement_mean": round(sum(a for a, _ in self.samples) / count, 2),
            "waiting_for_lock_mean": round(sum(w for _, w in self.samples) / count, 2),
            "share_of_samples_with_a_waiter": round(
                sum(1 for _, w in self.samples if w) / count, 3
            ),
        }


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def _postmaster(connection: Any) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    try:
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def _cpu_use(
    before: dict[str, float], after: dict[str, float], wall: float, requests: int
) -> dict[str, float]:
    """CPU milliseconds per request by process group, and the cores busy on average."""
    used = {key: after[key] - before[key] for key in after}
    figures = {
        f"{key}_ms_per_request": round(1000 * value / requests, 2) for key, value in used.items()
    }
    figures["cores_busy"] = round(sum(used.values()) / wall, 2)
    return figures


class _server:
    """gunicorn in a child process, stopped (by its pid) on leaving."""

    def __init__(self, *, workers: int, threads: int) -> None:
        self.workers, self.threads = workers, threads

    def __enter__(self) -> _server:
        self.port = _free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="wijk-gunicorn-", suffix=".log")
        environment = os.environ | {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "WIJK_LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "wijk.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--threads", str(self.threads), "--worker-class", "gthread",
                "--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        started = time.monotonic()
        while time.monotonic() - started < 60:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start:\n{Path(self.log.name).read_text()[-2000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _timed_requests(
    port: int, cookie: tuple[str, str], count: int, think: random.Random | None = None
) -> list[float]:
    """`count` GETs of the worklist over one keep-alive connection; seconds each. With
    `think`, a pause drawn from THINK_SECONDS before each request (a user reading)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": f"{cookie[0]}={cookie[1]}"}
    timings = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        for _ in range(count):
            if time.monotonic() > deadline:
                break
            if think is not None:
                time.sleep(think.uniform(*THINK_SECONDS))
            started = time.perf_counter()
            connection.request("GET", PATH, headers=headers)
            response = connection.getresponse()
            response.read()
            timings.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"the worklist answered {response.status}")
    finally:
        connection.close()
    return timings


def _together(
    port: int, cookies: list[tuple[str, str]], count: int, *, think: bool
) -> tuple[list[float], float]:
    """Every user at once, each on their own connection (with think times: each user their
    own seeded draw); all timings, and the wall time."""
    barrier = threading.Barrier(len(cookies) + 1)
    timings: list[list[float]] = [[] for _ in cookies]
    errors: list[BaseException] = []

    def user(number: int) -> None:
        try:
            barrier.wait()
            pauses = random.Random(number + 1) if think else None
            timings[number] = _timed_requests(port, cookies[number], count, pauses)
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(len(cookies))]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join(DEADLINE_SECONDS + 60)
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    return [seconds for each in timings for seconds in each], wall


def summary(result: dict[str, Any]) -> str:
    one, many, flat_out = result["one_user"], result["concurrent"], result["without_pauses"]
    throughput = result["throughput_per_second"]
    users = result["users"]
    low, high = result["think_seconds"]
    lines = [
        f"Concurrency benchmark, {result['date']}",
        f"city: {result['city'].get('residents', 0):,} residents; {result['server']}",
        machine_line(result["machine"]),
        f"GET {result['page']} (the worklist), each user with their own session; users at "
        f"work pause {low:g}-{high:g} s (uniform) before each request",
        "",
        f"{'':<28}{'median ms':>10}{'p95 ms':>9}{'requests':>10}{'per second':>12}",
        *(
            f"{label:<28}{figures['median_ms']:>10.1f}{figures['p95_ms']:>9.1f}"
            f"{figures['n']:>10}{throughput[key]:>12}"
            for label, figures, key in (
                ("1 user at work", one, "one_user"),
                (f"{users} users at work", many, "concurrent"),
                (f"{users} users, no pauses", flat_out, "without_pauses"),
            )
        ),
        "",
        "CPU per request (ms): wsgi server + database + clients; cores busy on average:",
        *(
            f"  {label:<26}{cpu['wsgi_server_ms_per_request']:>7.1f} +"
            f"{cpu['database_ms_per_request']:>6.1f} +{cpu['client_ms_per_request']:>6.1f}"
            f"   {cpu['cores_busy']:.2f} of {result['machine']['cores']}"
            for label, cpu in (
                ("1 user at work", result["cpu"]["one_user"]),
                (f"{users} users at work", result["cpu"]["concurrent"]),
                (f"{users} users, no pauses", result["cpu"]["without_pauses"]),
            )
        ),
        "",
        "database sessions of the server (sampled every 20 ms): running a statement, and of",
        "those waiting for a lock (the access log's head row, docs/adr/0006), on average:",
        *(
            f"  {label:<26}{sessions['running_statement_mean']:>6} running,"
            f"{sessions['waiting_for_lock_mean']:>6} waiting; a waiter in"
            f" {sessions['share_of_samples_with_a_waiter']:.0%} of samples"
            for label, sessions in (
                (f"{users} users at work", result["database_sessions"]),
                (f"{users} users, no pauses", result["database_sessions_without_pauses"]),
            )
        ),
        "",
        f"ratio of the medians, {users} users at work / 1 user at work: {result['ratio']:.2f}",
        f"goal: {result['goal']}: {'met' if result['goal_met'] else 'NOT met'}",
        f"without pauses: {flat_out['median_ms'] / one['median_ms']:.2f}x the median of one "
        f"user, {throughput['without_pauses']} requests per second (the saturation of "
        f"{result['machine']['cores']} cores shared by server, database and clients; no goal)",
    ]
    if not result["goal_met"]:
        lines += _diagnosis(result)
    return "\n".join(lines) + "\n"


def _diagnosis(result: dict[str, Any]) -> list[str]:
    """What held the median up, as far as the figures tell."""
    sessions, cores = result["database_sessions"], result["machine"]["cores"]
    busy = result["cpu"]["concurrent"]["cores_busy"]
    notes = []
    running, waiting = sessions["running_statement_mean"], sessions["waiting_for_lock_mean"]
    if running and waiting / running > 0.5:
        notes.append(
            f"note: {waiting} of the {running} database sessions running a statement wait for "
            "a lock, most likely the access log's head row (docs/adr/0006: one writer at a "
            "time extends the hash chain)."
        )
    notes.append(
        f"note: {busy} of {cores} cores were busy on average with {result['users']} users "
        "at work; when they are all busy, requests queue for CPU."
    )
    return notes
