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
- `job_file_write` keeps a file the work made for its asker (a download of every figure);
  the job's page offers it to the asker only, for WIJK_JOB_FILES_DAYS days
  (`job_files_prune`, which every worker calls as it looks for lost jobs).

Work that dies with its worker (SIGKILL, a reboot, a lost machine) is found again: while
`job_run` works on a job, a connection of its own holds a PostgreSQL advisory lock named
after the job, which the server lets go when the process dies. `jobs_recover`, which every
`wijk worker` calls at start and every half minute, takes a job that is still queued or
running, whose lock is free and whose task is not waiting its turn in the queue, for lost:
the lost attempt counts, its task is marked failed, and the job is enqueued again (or
recorded as failed after its last attempt), so a day's delivery is never silently skipped.

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
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import structlog
from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import ROW_COUNT
from django.tasks import Task, TaskContext, TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from wijk.core.errors import DomainError, NotFoundError
from wijk.core.models import BackgroundJob, JobStatus

if TYPE_CHECKING:
    from wijk.accounts.models import User

log = structlog.get_logger(__name__)

type Progress = Callable[[int, int], None]
type JobArgument = str | int | bool | None

# The progress a job reports is written at most this often (seconds), and always at the end.
PROGRESS_INTERVAL = 1.0

# The first key of the advisory locks that say a job's work is alive ("wijk"); the second
# is taken from the job's id (pg_advisory_lock(int, int)).
JOB_LOCK_SPACE = 0x77696A6B

# A job whose work is not alive is taken for lost only this long after its last sign of life,
# so that the moment between a job's commit and the enqueueing of its task is never mistaken
# for a loss.
LOST_AFTER = datetime.timedelta(minutes=2)


class WorkLost(DomainError):
    """What a job records of an attempt whose worker stopped in the middle of the work."""

    code = "work_lost"
    message = _("de verwerker stopte midden in het werk")


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
    raises, so the queue records the failed attempt too. A job that is already finished, or
    whose work runs elsewhere right now (its task enqueued twice), is left alone.

    The job's lock is taken before the job is marked running and let go after its outcome
    is recorded, so a job marked running whose lock is free has lost its worker."""
    with _job_alive(job_id) as alive:
        job = _job_claim(job_id) if alive else None
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


def _job_lock_key(job_id: object) -> tuple[int, int]:
    return JOB_LOCK_SPACE, int.from_bytes(uuid.UUID(str(job_id)).bytes[:4], signed=True)


@contextmanager
def _job_alive(job_id: str) -> Iterator[bool]:
    """Hold job `job_id`'s advisory lock on a connection of its own while the block runs;
    whether it was free (False: the job's work is alive in another worker). Elsewhere than
    on PostgreSQL there is no lock and nothing to find lost (the demo's one worker)."""
    if connection.vendor != "postgresql":
        yield True
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _job_lock_key(job_id))
            (taken,) = cursor.fetchone()
        yield bool(taken)
    finally:
        own.close()  # lets the lock go, as the server does when the process dies


def jobs_recover(*, now: datetime.datetime) -> list[BackgroundJob]:
    """Find the jobs whose work was lost with its worker and give them their next attempt
    (or record them as failed after their last); the jobs recovered. Several workers may call
    it at once: each job is looked at under its row lock, skipped when another has it."""
    if connection.vendor != "postgresql":
        return []
    open_jobs = BackgroundJob.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING], created_at__lt=now - LOST_AFTER
    ).values_list("pk", flat=True)
    recovered = []
    for pk in list(open_jobs):
        job = _job_recover(pk, now=now)
        if job is not None:
            recovered.append(job)
    return recovered


def _job_recover(pk: uuid.UUID, *, now: datetime.datetime) -> BackgroundJob | None:
    with transaction.atomic():
        job = (
            BackgroundJob.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .first()
        )
        if job is None:
            return None
        with connection.cursor() as cursor:  # held until this transaction ends
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", _job_lock_key(pk))
            (free,) = cursor.fetchone()
        if not free:
            return None  # its work is alive
        queued = (
            DBTaskResult.objects.select_for_update().filter(pk=job.task_id).first()
            if job.task_id
            else None
        )
        if queued is not None and queued.status == TaskResultStatus.READY:
            return None  # waiting its turn
        signs = [job.created_at, job.started_at]
        if queued is not None:
            signs += [queued.enqueued_at, queued.started_at, queued.finished_at]
        if now - max(sign for sign in signs if sign is not None) < LOST_AFTER:
            return None
        if queued is not None and queued.status == TaskResultStatus.RUNNING:
            queued.status = TaskResultStatus.FAILED
            queued.finished_at = now
            queued.exception_class_path = f"{WorkLost.__module__}.{WorkLost.__qualname__}"
            queued.traceback = ""
            queued.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
        # A job lost while running lost an attempt (its claim counted it); a queued one whose
        # task is gone lost none, and is enqueued again whatever its count.
        retry = job.status == JobStatus.QUEUED or job.attempts < settings.WIJK_JOB_ATTEMPTS
        text = error_text(WorkLost())
        task = _task_of(queued) if retry else None
        if queued is not None and task is not None:
            kwargs = dict(queued.args_kwargs.get("kwargs", {}))
            BackgroundJob.objects.filter(pk=pk).update(status=JobStatus.QUEUED, error=text)
            transaction.on_commit(lambda: _enqueue(pk, task, kwargs))
            outcome = "retried"
        else:
            BackgroundJob.objects.filter(pk=pk).update(
                status=JobStatus.FAILED, error=text, finished_at=now
            )
            outcome = "failed"
    log.warning("background_job_lost", job_id=str(pk), kind=job.kind, outcome=outcome)
    job.refresh_from_db()
    return job


def _task_of(queued: DBTaskResult[Any, Any] | None) -> Task[Any, Any] | None:
    """The task a queue entry runs; None when there is none or its code is gone."""
    if queued is None:
        return None
    try:
        return queued.task
    except (ImportError, SuspiciousOperation):
        return None


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


def job_asker(job_id: str) -> User | None:
    """Who asked for job `job_id` (None: a scheduled run), as the work checks what they may
    see when it runs, not only when they asked."""
    job = BackgroundJob.objects.select_related("user").get(pk=job_id)
    return job.user


# What a job's file may be called: a plain name, no directory, no hidden file.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")


def job_file_path(job: BackgroundJob, *, user: User) -> Path | None:
    """Where job `job`'s file is, for `user`: None when it made none, the file is gone, or
    `user` no longer has the role the file was made for (a manager's exact figures are not
    for the account after its role was changed)."""
    if not job.file_name or not FILE_NAME.fullmatch(job.file_name):
        return None
    if not job.file_role or job.file_role != user.role or not user.is_active:
        return None
    path = Path(settings.WIJK_JOB_FILES_DIR) / str(job.pk) / job.file_name
    return path if path.is_file() else None


def job_file_write(*, job_id: str, name: str, role: str, write: Callable[[BinaryIO], None]) -> None:
    """Keep what `write` writes as job `job_id`'s file `name`, for its asker, who has `role`
    now (the file is served only while they still have it: `job_file_path`). Written whole
    to a temporary file readable by this account only and renamed into place, so the page
    never offers half a file and no other account on the machine reads it."""
    if not FILE_NAME.fullmatch(name) or not role:
        raise ValueError(f"not a plain file name or no role: {name!r}, {role!r}")
    directory = Path(settings.WIJK_JOB_FILES_DIR) / str(uuid.UUID(job_id))
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = directory / f".{name}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        write(out)
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(directory / name)
    BackgroundJob.objects.filter(pk=job_id).update(file_name=name, file_role=role)


def job_files_prune(*, now: datetime.datetime) -> int:
    """Remove the files of jobs that finished more than WIJK_JOB_FILES_DAYS days before
    `now` (and of jobs that are no more); the number of directories removed."""
    root = Path(settings.WIJK_JOB_FILES_DIR)
    if not root.is_dir():
        return 0
    before = now - datetime.timedelta(days=settings.WIJK_JOB_FILES_DAYS)
    directories = {}
    for path in root.iterdir():
        try:
            directories[uuid.UUID(path.name)] = path
        except ValueError:
            continue  # not a job's: left alone
    open_or_recent = set(
        BackgroundJob.objects.filter(pk__in=list(directories))
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=before))
        .values_list("pk", flat=True)
    )
    removed = 0
    for pk, path in sorted(directories.items()):
        if pk in open_or_recent or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)
        BackgroundJob.objects.filter(pk=pk).update(file_name="", file_role="")
        removed += 1
    if removed:
        log.info("background_job_files_removed", directories=removed)
    return removed


def job_open_for_user(*, user: User, kind: str) -> BackgroundJob | None:
    """`user`'s job of `kind` that is still queued or running, if any: asking again while it
    runs leads to that job instead of a second one (one person cannot fill the queue)."""
    return (
        BackgroundJob.objects.filter(
            user=user, kind=kind, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
        .order_by("-created_at")
        .first()
    )


def job_get_for_user(*, user: User, pk: object) -> BackgroundJob:
    """Job `pk` for its page: only the person who asked for it sees it. A job of someone
    else, a scheduled run, or an id that is no job at all raise the same NotFoundError."""
    try:
        return BackgroundJob.objects.get(Q(pk=pk) & Q(user=user))
    except (BackgroundJob.DoesNotExist, ValidationError):
        raise NotFoundError from None
