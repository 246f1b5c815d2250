"""A job whose worker dies in the middle of the work, as it happens in production: a real
`wijk worker` process is killed with SIGKILL while it runs a job. The job is not left "bezig"
for ever: the next look of any worker (wijk.core.background.jobs_recover) counts the lost
attempt and enqueues the job again, or records it as failed after its last attempt. A job
whose worker is alive is never taken for lost, however long it runs."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wijk.accounts.models import Role
from wijk.core.background import LOST_AFTER, job_start, jobs_recover
from wijk.core.models import BackgroundJob, JobStatus
from wijk.core.tests import background_tasks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def asker(make_user: Any) -> Any:
    return make_user(Role.MANAGEMENT)


def _environment() -> dict[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database")
    database = connection.settings_dict
    environment = dict(os.environ)
    environment["DATABASE_URL"] = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    return environment


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real `wijk worker` (without the schedule), in a process of its own; what it says is
    in worker.log beside the test's files (shown when it does not start the job)."""
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("wijk")),
            "worker",
            "--no-schedule",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        env=_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=60)
    log.close()


def _running(job: BackgroundJob, log: Path) -> None:
    """Wait (at most three minutes: a loaded machine starts a process slowly) until the
    worker reports the job's first step."""
    for _ in range(1800):
        job.refresh_from_db()
        if job.status == JobStatus.RUNNING and job.done == 1:
            return
        time.sleep(0.1)
    said = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    pytest.fail(f"the worker did not start the job: {job.status}\n{said}")


def _killed_while_running(
    asker: Any, worker: subprocess.Popen[bytes], tmp_path: Path
) -> BackgroundJob:
    job = job_start(
        user=asker,
        kind="wait",
        label="Wachten op een bestand",
        task=background_tasks.waits_for_a_file,
        arguments={"path": str(tmp_path / "ready")},
    )
    _running(job, tmp_path / "worker.log")
    # Alive, however late the clock says it is: its worker holds the job's lock.
    assert jobs_recover(now=timezone.now() + datetime.timedelta(hours=5)) == []
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=60)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # killed: it could not say otherwise
    return job


def _run_worker() -> None:
    call_command(
        "worker", "--batch", "--no-schedule", "--no-startup-delay", "--interval", "0", verbosity=0
    )


def test_a_job_whose_worker_was_killed_gets_its_next_attempt(
    asker, worker, tmp_path, client_for, settings
) -> None:
    settings.WIJK_JOB_ATTEMPTS = 3
    job = _killed_while_running(asker, worker, tmp_path)
    lost_task = job.task_id

    # Not at once: the lost job waits a moment after its last sign of life.
    assert jobs_recover(now=timezone.now()) == []
    (recovered,) = jobs_recover(now=timezone.now() + LOST_AFTER + datetime.timedelta(seconds=1))
    assert recovered.pk == job.pk
    assert recovered.status == JobStatus.QUEUED
    assert recovered.attempts == 1
    assert recovered.error == "de verwerker stopte midden in het werk"
    assert DBTaskResult.objects.get(pk=lost_task).status == TaskResultStatus.FAILED
    assert recovered.task_id != lost_task
    assert DBTaskResult.objects.get(pk=recovered.task_id).status == TaskResultStatus.READY
    # Found once: the next look finds it waiting its turn.
    assert jobs_recover(now=timezone.now() + datetime.timedelta(hours=1)) == []

    (tmp_path / "ready").touch()
    _run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    assert job.result == "het bestand is er"
    page = client_for(asker).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    assert "klaar" in page.text and "het bestand is er" in page.text


def test_a_job_lost_at_its_last_attempt_is_recorded_as_failed(
    asker, worker, tmp_path, client_for, settings
) -> None:
    settings.WIJK_JOB_ATTEMPTS = 1
    job = _killed_while_running(asker, worker, tmp_path)

    (recovered,) = jobs_recover(now=timezone.now() + LOST_AFTER + datetime.timedelta(seconds=1))

    assert recovered.status == JobStatus.FAILED
    assert recovered.finished_at is not None
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    page = client_for(asker).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    assert "ook niet na 1 poging" in page.text
    assert "de verwerker stopte midden in het werk" in page.text
    assert "hx-trigger" not in page.text


def test_a_job_whose_task_never_reached_the_queue_is_not_left_waiting(asker) -> None:
    """The process died between the job's commit and the enqueueing of its task: no worker
    will ever run it, and nothing tells which task it was."""
    job = BackgroundJob.objects.create(
        user=asker, kind="feed", label="Levering", created_at=timezone.now() - LOST_AFTER * 2
    )
    other = BackgroundJob.objects.create(user=asker, kind="feed", label="Net gevraagd")

    (recovered,) = jobs_recover(now=timezone.now())

    assert recovered.pk == job.pk and recovered.status == JobStatus.FAILED
    other.refresh_from_db()
    assert other.status == JobStatus.QUEUED  # just asked for: its task may still come
