"""Background jobs: long work run by `wijk worker`, with its progress shown to whoever asked.

A job is a BackgroundJob row (its page is /achtergrond/<uuid>) and a task of Django's tasks
framework on the database queue (django-tasks-db, docs/adr/0046). The three moves:

- `job_start` records the job and enqueues its task once the transaction commits; the task
  gets the job's id as `job_id`, besides the arguments given.
- The task hands its work to `job_run`, which marks the job running, gives the work a
  `progress(done, total)` callback (`job_progress`), and records the outcome: the work's
  short result text, or, when it raised, the kind of error. A failed attempt is tried again
  after WIJK_JOB_RETRY_SECONDS, up to WIJK_JOB_ATTEMPTS attempts in all; the last failure is
  recorded and stays.
- `job_get_for_user` reads a job for its page: the person who asked, nobody else.

Results and errors are short texts without personal data: a file name, a count, the class of
an exception (a DomainError's message, which never names a person), never an exception's own
text, which may quote a value. Log events carry ids and counts only.

A task written for it:

    @task(takes_context=True)
    def report_make(context: TaskContext[Any, Any], *, job_id: str, year: int) -> str:
        return job_run(context, job_id=job_id, work=lambda progress: make(year, progress))
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import ROW_COUNT
from django.tasks import Task, TaskContext
from django.utils import timezone

from wijk.core.errors import DomainError, NotFoundError
from wijk.core.models import BackgroundJob, JobStatus

if TYPE_CHECKING:
    from wijk.accounts.models import User

log = structlog.get_logger(__name__)

type Progress = Callable[[int, int], None]
type JobArgument = str | int | bool | None

# The progress a job reports is written at most this often (seconds), and always at the end.
PROGRESS_INTERVAL = 1.0


def job_start(
    *,
    user: User | None,
    kind: str,
    label: str,
    task: Task[Any, Any],
    arguments: Mapping[str, JobArgument] | None = None,
) -> BackgroundJob:
    """Record a job for `user` (None: a scheduled run) and enqueue `task` with `job_id` and
    `arguments` when the surrounding transaction commits, so the worker never sees a job that
    was rolled back. `label` is the Dutch sentence its page shows ("Levering aan de
    gemeente"); `kind` a short code for the work ("feed")."""
    with transaction.atomic():
        job = BackgroundJob.objects.create(user=user, kind=kind, label=str(label))
        kwargs = {**(arguments or {}), "job_id": str(job.pk)}
        transaction.on_commit(lambda: _enqueue(job.pk, task, kwargs))
    log.info("background_job_queued", job_id=str(job.pk), kind=kind)
    return job


def _enqueue(job_id: uuid.UUID, task: Task[Any, Any], kwargs: Mapping[str, Any]) -> None:
    result = task.enqueue(**kwargs)
    BackgroundJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def job_progress(job_id: str, done: int, total: int) -> None:
    """Record how far job `job_id` got: `done` of `total` steps (total 0: not known yet).

    Written at once, so the job's page sees it while the work goes on, also when the work
    reports from inside a long transaction of its own (a delivery reads from one snapshot,
    READ ONLY): on PostgreSQL the row is then updated through a short connection of its own.
    A job that connection cannot see (made in the same transaction) is updated in place."""
    total = max(total, 0)
    done = max(0, min(done, total) if total else done)
    values = {"done": done, "total": total}
    if connection.in_atomic_block and connection.vendor == "postgresql":
        try:
            if _update_on_own_connection(job_id, values):
                return
        except DatabaseError as error:
            log.warning("background_job_progress_lost", job_id=job_id, error=type(error).__name__)
            return
    BackgroundJob.objects.filter(pk=job_id).update(**values)


def _update_on_own_connection(job_id: str, values: Mapping[str, int]) -> int:
    """Update job `job_id` through a new connection (autocommit); the number of rows."""
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cursor:  # never wait long for a row the work itself holds
            cursor.execute("SET lock_timeout = '5s'")
        query = UpdateQuery(BackgroundJob)
        query.add_update_values(dict(values))
        query.add_q(Q(pk=job_id))
        return int(query.get_compiler(connection=own).execute_sql(ROW_COUNT))
    finally:
        own.close()


def _throttled_progress(job_id: str) -> Progress:
    """`job_progress` for `job_id`, written at most every PROGRESS_INTERVAL seconds, except
    the first report and the last step, which are always written."""
    last_written: float | None = None

    def progress(done: int, total: int) -> None:
        nonlocal last_written
        now = time.monotonic()
        finished = total > 0 and done >= total
        if last_written is None or finished or now - last_written >= PROGRESS_INTERVAL:
            job_progress(job_id, done, total)
            last_written = now

    return progress


def job_run(context: TaskContext[Any, Any], *, job_id: str, work: Callable[[Progress], str]) -> str:
    """Run `work` as job `job_id`: mark it running (one more attempt), report its progress,
    and record its result (a short text, no personal data) or its failure. A failure that
    leaves attempts over enqueues the same task again, WIJK_JOB_RETRY_SECONDS later, and
    raises, so the queue records the failed attempt too. A job that is already finished (its
    task enqueued twice) is left alone."""
    job = _job_claim(job_id)
    if job is None:
        log.info("background_job_skipped", job_id=job_id)
        return ""
    log.info("background_job_started", job_id=job_id, kind=job.kind, attempt=job.attempts)
    try:
        result = work(_throttled_progress(job_id))
    except Exception as error:
        _job_attempt_failed(context, job=job, error=error)
        raise
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, result=str(result)[:500], error="", finished_at=now
    )
    log.info("background_job_succeeded", job_id=job_id, kind=job.kind, attempt=job.attempts)
    return str(result)


def _job_claim(job_id: str) -> BackgroundJob | None:
    with transaction.atomic():
        job = (
            BackgroundJob.objects.select_for_update()
            .filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .first()
        )
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "attempts", "started_at"])
    return job


def error_text(error: BaseException) -> str:
    """What a job records of an error: a DomainError's own message (written never to name
    a person), else only the class of the exception."""
    if isinstance(error, DomainError):
        return str(error.message)[:500]
    return type(error).__name__


def _job_attempt_failed(
    context: TaskContext[Any, Any], *, job: BackgroundJob, error: Exception
) -> None:
    text = error_text(error)
    if job.attempts < settings.WIJK_JOB_ATTEMPTS:
        run_after = timezone.now() + datetime.timedelta(seconds=settings.WIJK_JOB_RETRY_SECONDS)
        with transaction.atomic():
            BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error=text)
            task_result = context.task_result
            retry = task_result.task.using(run_after=run_after)
            transaction.on_commit(lambda: _enqueue(job.pk, retry, task_result.kwargs))
        log.warning(
            "background_job_retried",
            job_id=str(job.pk),
            kind=job.kind,
            attempt=job.attempts,
            error=type(error).__name__,
        )
        return
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=text, finished_at=timezone.now()
    )
    log.error(
        "background_job_failed",
        job_id=str(job.pk),
        kind=job.kind,
        attempt=job.attempts,
        error=type(error).__name__,
    )


def job_get_for_user(*, user: User, pk: object) -> BackgroundJob:
    """Job `pk` for its page: only the person who asked for it sees it. A job of someone
    else, a scheduled run, or an id that is no job at all raise the same NotFoundError."""
    try:
        return BackgroundJob.objects.get(Q(pk=pk) & Q(user=user))
    except (BackgroundJob.DoesNotExist, ValidationError):
        raise NotFoundError from None
