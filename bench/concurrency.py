"""The concurrency benchmark (issue 4): the median latency of the worklist with 16 users at
work at once against one user alone, on a real WSGI server on loopback (goal: at most 2x),
and a sweep over 1, 16, 32 and 64 users at work that finds the largest number of users at
which the median stays within 2x of one user's (issue 11).

A user at work asks for a page, reads it, and asks again: between two requests each
simulated user pauses for a think time drawn uniformly from THINK_SECONDS (a brisk click a
second; docs/adr/0012). Both the one user and the 16 users pause alike, so the ratio shows
what 16 people working at the same time cost each other: queueing for a lock, a worker or
the database, not the machine's cores being oversubscribed by design. The benchmark also
measures 16 users asking without any pause (a closed loop, always 16 requests in flight) and
prints its throughput and latency beside, for the saturation of this machine; the goal is
not applied to that line.

The sweep runs the same users at work at each number of users of SWEEP (one user's run and the
16 users' run are the ones above, measured once), from few to many, with the busiest
professionals first; it prints each level's median and its ratio to one user's, and the
largest level up to which every ratio is at most 2. A level larger than the number of
professionals with work in the city is left out, and said so. Every level, like every phase,
stops asking after DEADLINE_SECONDS.

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
from collections.abc import Sequence
from dataclasses import dataclass
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
SWEEP = (1, 16, 32, 64)  # users at work at once
WITHIN = 2.0  # the sweep's limit: a median at most this many times one user's
THINK_SECONDS = (0.5, 1.5)
PATH = "/hulpvragen/"  # requests:worklist
DEADLINE_SECONDS = 600  # no phase runs longer, whatever the server does
# The server keeps an idle connection longer than a user pauses, as a browser's is kept.
KEEP_ALIVE_SECONDS = 5


def run(
    connection: Any,
    *,
    users: int,
    requests_per_user: int,
    workers: int,
    threads: int,
    results: Path,
    city: dict[str, Any],
    sweep: Sequence[int] = SWEEP,
) -> dict[str, Any]:
    from django.urls import reverse

    if reverse("requests:worklist") != PATH:
        raise RuntimeError(f"the worklist moved from {PATH}")
    if users < 2:
        raise ValueError(f"the goal compares users at once with one user: --users {users} < 2")
    levels = sorted({1, users, *sweep})
    staff = _professionals(max(levels), at_least=users)
    cookies = [session_cookie(user) for user in staff]
    at_work: dict[int, _Phase] = {}
    with _server(workers=workers, threads=threads) as server:
        port = server.port
        processes = _Processes(server.process.pid, _postmaster(connection))
        for cookie in cookies:  # warm up every worker thread and session
            _timed_requests(port, cookie, 3)
        for level in levels:
            if level <= len(cookies):
                at_work[level] = _at_work(port, cookies[:level], requests_per_user, processes)
        print(f"Concurrency: {users} users without pauses, {requests_per_user} requests each ...")
        before = processes.cpu()
        with _Sampler() as saturated_waits:
            saturated, saturated_wall = _together(
                port, cookies[:users], requests_per_user, think=False
            )
        cpu_saturated = _cpu_use(before, processes.cpu(), saturated_wall, len(saturated))
    alone, together = at_work[1], at_work[users]
    one, many, flat_out = stats(alone.timings), stats(together.timings), stats(saturated)
    ratio = many["median_ms"] / one["median_ms"]
    swept = [
        at_work[level].figures(level, one["median_ms"]) for level in levels if level in at_work
    ]
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
            "one_user": alone.per_second,
            "concurrent": together.per_second,
            "without_pauses": round(len(saturated) / saturated_wall, 1),
        },
        "cpu": {
            "one_user": alone.cpu,
            "concurrent": together.cpu,
            "without_pauses": cpu_saturated,
        },
        "database_sessions": together.sessions,
        "database_sessions_without_pauses": saturated_waits.figures(),
        "ratio": round(ratio, 2),
        "goal": GOAL,
        "goal_met": ratio <= 2,
        "sweep": swept,
        "sweep_left_out": [level for level in levels if level not in at_work],
        "professionals_with_work": len(staff),
        "largest_users_within_2x": largest_within(swept),
    }
    text = summary(result)
    print(text, end="")
    write_results(results, "concurrency", result, text)
    return result


@dataclass
class _Phase:
    """One run of users at work: every latency, the wall time, CPU use and (for more than
    one user) the database sessions sampled meanwhile."""

    timings: list[float]
    wall: float
    cpu: dict[str, float]
    sessions: dict[str, float] | None
    reconnects: int  # connections the server had closed while the user paused

    @property
    def per_second(self) -> float:
        return round(len(self.timings) / self.wall, 1)

    def figures(self, users: int, one_user_median_ms: float) -> dict[str, Any]:
        figures = stats(self.timings)
        return {
            "users": users,
            **figures,
            "per_second": self.per_second,
            "ratio": round(figures["median_ms"] / one_user_median_ms, 2),
            "cores_busy": self.cpu["cores_busy"],
            "waiting_for_lock_mean": (self.sessions or {}).get("waiting_for_lock_mean", 0.0),
            "reconnects": self.reconnects,
        }


def _at_work(
    port: int, cookies: list[tuple[str, str]], requests_per_user: int, processes: _Processes
) -> _Phase:
    """`len(cookies)` users at work at once, each pausing before every request. One user
    alone draws its pauses from seed 0 (as issue 4's benchmark always did)."""
    users = len(cookies)
    noun = "user" if users == 1 else "users"
    each = "" if users == 1 else " each"
    print(f"Concurrency: {users} {noun} at work, {requests_per_user} requests{each} ...")
    before = processes.cpu()
    RECONNECTS.take()
    if users == 1:
        started = time.perf_counter()
        timings = _timed_requests(port, cookies[0], requests_per_user, think=random.Random(0))
        wall = time.perf_counter() - started
        sessions = None
    else:
        with _Sampler() as waits:
            timings, wall = _together(port, cookies, requests_per_user, think=True)
        sessions = waits.figures()
    cpu = _cpu_use(before, processes.cpu(), wall, len(timings))
    return _Phase(
        timings=timings, wall=wall, cpu=cpu, sessions=sessions, reconnects=RECONNECTS.take()
    )


def largest_within(swept: Sequence[dict[str, Any]], limit: float = WITHIN) -> int:
    """The largest number of users up to which every measured median is at most `limit`
    times one user's (1 when already the next level is above it)."""
    largest = 1
    for level in sorted(swept, key=lambda figures: int(figures["users"])):
        if level["ratio"] > limit:
            break
        largest = int(level["users"])
    return largest


def _professionals(count: int, *, at_least: int) -> list[User]:
    """The professionals with the longest worklists, up to `count` of them; at least
    `at_least` (the users of the goal) must have work."""
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
    if len(ids) < at_least:
        raise RuntimeError(f"Fewer than {at_least} professionals with work: seed a larger city.")
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
                "--keep-alive", str(KEEP_ALIVE_SECONDS),
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
        if exc and exc[0] is not None:  # a failure: what the server said may explain it
            print(Path(self.log.name).read_text()[-2000:], file=sys.stderr)
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
            try:
                response = _get(connection, headers)
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                # The server closed the idle connection (a keep-alive ran out while the user
                # read): as a browser does, open a new one and ask again; both count.
                connection.close()
                RECONNECTS.add()
                response = _get(connection, headers)
            timings.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"the worklist answered {response.status}")
    finally:
        connection.close()
    return timings


def _get(connection: http.client.HTTPConnection, headers: dict[str, str]) -> Any:
    connection.request("GET", PATH, headers=headers)
    response = connection.getresponse()
    response.read()
    return response


class _Counter:
    """A count that many user threads add to."""

    def __init__(self) -> None:
        self.lock, self.value = threading.Lock(), 0

    def add(self) -> None:
        with self.lock:
            self.value += 1

    def take(self) -> int:
        """The count so far, and start again from zero."""
        with self.lock:
            value, self.value = self.value, 0
        return value


RECONNECTS = _Counter()


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
        *_sweep_lines(result),
    ]
    if not result["goal_met"]:
        lines += _diagnosis(result)
    return "\n".join(lines) + "\n"


def _sweep_lines(result: dict[str, Any]) -> list[str]:
    """The sweep's table and its answer: up to how many users the median stays within 2x."""
    swept = result.get("sweep", [])
    if not swept:
        return []
    measured = ", ".join(str(level["users"]) for level in swept)
    lines = [
        "",
        f"users at work, one to many (the sweep; each pauses {result['think_seconds'][0]:g}-"
        f"{result['think_seconds'][1]:g} s before each request):",
        f"{'users at work':<16}{'median ms':>10}{'p95 ms':>9}{'requests':>10}"
        f"{'per second':>12}{'x one user':>12}{'cores busy':>12}",
        *(
            f"{level['users']:<16}{level['median_ms']:>10.1f}{level['p95_ms']:>9.1f}"
            f"{level['n']:>10}{level['per_second']:>12}{level['ratio']:>12.2f}"
            f"{level['cores_busy']:>12.2f}"
            for level in swept
        ),
        f"largest number of users at work with the median within {WITHIN:g}x of one user's: "
        f"{result['largest_users_within_2x']} (measured: {measured})",
    ]
    if any(level.get("reconnects") for level in swept):
        reconnects = ", ".join(f"{level['users']}: {level['reconnects']}" for level in swept)
        lines.append(
            f"new connections after the server closed an idle one (users: times): {reconnects}"
        )
    if result.get("sweep_left_out"):
        left_out = ", ".join(str(level) for level in result["sweep_left_out"])
        lines.append(
            f"left out: {left_out} users (only {result['professionals_with_work']} "
            "professionals with work in this city)"
        )
    return lines


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
