"""Tasks of the background-job tests, run by the real worker (`wijk worker --batch`) on the
real database queue: one that counts and reports its progress, one that fails the first time,
one that always fails (with a message that must not reach the page), one that reports from
inside a read-only snapshot (as a delivery does), one the daily schedule runs, and one that
waits for a file (its worker is killed meanwhile)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.tasks import TaskContext, task

from wijk.core.background import Progress, job_run
from wijk.core.models import BackgroundJob


@task(takes_context=True)
def count_to(context: TaskContext[Any, Any], *, job_id: str, steps: int) -> str:
    def work(progress: Progress) -> str:
        for step in range(steps + 1):
            progress(step, steps)
        return f"{steps} stappen geteld"

    return job_run(context, job_id=job_id, work=work)


@task(takes_context=True)
def fails_once(context: TaskContext[Any, Any], *, job_id: str) -> str:
    def work(progress: Progress) -> str:
        if BackgroundJob.objects.get(pk=job_id).attempts == 1:
            raise ConnectionError("the first attempt meets a network error")
        return "gelukt bij de tweede poging"

    return job_run(context, job_id=job_id, work=work)


@task(takes_context=True)
def always_fails(context: TaskContext[Any, Any], *, job_id: str) -> str:
    def work(progress: Progress) -> str:
        progress(1, 4)
        raise OSError("/data/Jan Jansen, Kerkstraat 1")

    return job_run(context, job_id=job_id, work=work)


@task(takes_context=True)
def daily_note(context: TaskContext[Any, Any], *, job_id: str, day: str) -> str:
    return job_run(context, job_id=job_id, work=lambda progress: f"dag {day}")


@task(takes_context=True)
def reports_from_a_snapshot(context: TaskContext[Any, Any], *, job_id: str) -> str:
    def work(progress: Progress) -> str:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            progress(2, 4)
            return "gelezen"

    return job_run(context, job_id=job_id, work=work)


@task(takes_context=True)
def waits_for_a_file(context: TaskContext[Any, Any], *, job_id: str, path: str) -> str:
    """Reports one step, then waits (at most two minutes) until `path` exists: the test kills
    its worker in the meantime, or lets it finish."""

    def work(progress: Progress) -> str:
        progress(1, 2)
        waited = 0.0
        while not Path(path).exists() and waited < 120:
            time.sleep(0.1)
            waited += 0.1
        progress(2, 2)
        return "het bestand is er"

    return job_run(context, job_id=job_id, work=work)
