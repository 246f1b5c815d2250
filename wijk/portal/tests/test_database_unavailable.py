"""The database stops while residents use the form: tested for real, on a throwaway PostgreSQL
cluster that this test creates itself with initdb on a free port (never the shared one), and a
real `wijk runserver` process in front of it.

A form sent while PostgreSQL is down gets the Dutch 503 page, not a traceback; after a
restart the database holds the earlier request exactly once and nothing of the failed one;
the same form sent again then goes through."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from wijk.portal.tests.browserless import Browser

STARTUP_SECONDS = 30


def _pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    candidates = [d for d in candidates if (d / "initdb").exists()]
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb) not found: install the postgresql package."
        )
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, owned by the `postgres` system user when
    we are root (initdb refuses root), as scripts/with-postgres makes one."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="wijk-portal-pg."))
        self.dir.chmod(0o755)
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres")
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.root else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            *("-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            "--locale=C.UTF-8",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            *("-D", str(self.dir / "data"), "-l", str(self.dir / "server.log")),
            *("-w", "-t", "30", "-o", options, "start"),
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def count(self, sql: str) -> int:
        with psycopg.connect(self.url, autocommit=True) as connection:
            row = connection.execute(sql).fetchone()
        assert row is not None
        return int(row[0])

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture
def postgres() -> Iterator[ThrowawayPostgres]:
    cluster = ThrowawayPostgres()
    try:
        cluster.create()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def _wijk(*args: str) -> list[str]:
    return [sys.executable, "-m", "wijk.cli", *args]


@pytest.fixture
def server(postgres: ThrowawayPostgres) -> Iterator[str]:
    """`wijk runserver` on the throwaway cluster, migrated and seeded with the demo's teams
    (the intake team among them)."""
    env = {**os.environ, "DATABASE_URL": postgres.url, "PYTHONDONTWRITEBYTECODE": "1"}
    for command in (("migrate", "--no-input"), ("seed", "--scale", "0.001", "--no-progress")):
        subprocess.run(_wijk(*command), env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = (postgres.dir / "runserver.log").open("w")
    process = subprocess.Popen(
        _wijk("runserver", f"127.0.0.1:{port}", "--noreload"),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2):  # noqa: S310
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("wijk runserver did not start:\n" + log.name)
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def answers(question: str) -> dict[str, str]:
    return {
        "question": question,
        "for_whom": "self",
        "name": "Inwoner",
        "phone": "0612345678",
        "postcode": "",
        "website": "",
    }


FROM_THE_FORM = "FROM requests_helprequest WHERE submission_key IS NOT NULL"
COUNTS = {
    "requests": f"SELECT count(*) {FROM_THE_FORM}",
    "history": "SELECT count(*) FROM requests_requeststatuschange WHERE help_request_id IN "
    f"(SELECT id {FROM_THE_FORM})",
    "throttle": "SELECT count(*) FROM portal_submissionthrottle",
    "access log": "SELECT count(*) FROM core_accesslogentry",
}


def counts(postgres: ThrowawayPostgres) -> dict[str, int]:
    return {name: postgres.count(sql) for name, sql in COUNTS.items()}


def test_a_stopped_database_gives_a_clear_503_and_leaves_nothing_half_stored(
    postgres: ThrowawayPostgres, server: str
) -> None:
    before = counts(postgres)  # the seeded city has requests of its own, from other channels
    assert before["requests"] == 0
    browser = Browser(server)
    first_form = browser.open_form() | answers("Eerste vraag, de database draait.")
    first = browser.send(first_form)
    assert first.status == 302, first.body
    assert first.reference

    postgres.stop()
    form = browser.open_form() | answers("Tweede vraag, de database is weg.")  # no DB needed
    failed = browser.send(form)
    assert failed.status == 503, failed.body
    assert "Het lukt nu even niet om uw aanvraag te versturen." in failed.body
    assert "Tweede vraag, de database is weg." in failed.body  # kept to send again
    assert "Traceback" not in failed.body and "Server Error" not in failed.body

    postgres.start()
    assert postgres.rows(f"SELECT reference, submission_key::text {FROM_THE_FORM}") == [
        (first.reference, first_form["submission_key"])
    ]
    after = counts(postgres)
    assert {name: after[name] - before[name] for name in COUNTS} == {
        "requests": 1,
        "history": 1,
        "throttle": 1,
        "access log": 1,
    }

    again = browser.send(form)  # "probeer het later opnieuw": the same form, now stored
    assert again.status == 302, again.body
    assert postgres.count(COUNTS["requests"]) == 2
