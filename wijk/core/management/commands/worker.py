"""wijk worker: runs the background tasks from the database queue (django-tasks-db's worker)
and keeps the daily schedule (wijk.core.schedule), in one process; at start and every half
minute it also gives the jobs whose worker died their next attempt and removes the jobs'
files that are past their days (wijk.core.background).

At start it enqueues what the schedule has due (a day missed while no worker ran is caught
up once), then looks at the clock every half minute in a thread beside the worker's loop.
Any number of workers may run: the queue hands each task to one of them, and the schedule's
unique row per day lets one of them enqueue a day's run. `--batch` runs what is queued (after
the schedule's look) and stops; `--no-schedule` leaves the schedule to other workers.
SIGTERM or Ctrl+C stops it after the task it is running."""

from __future__ import annotations

import signal
import threading
from typing import Any

import structlog
from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from wijk.core.background import job_files_prune, jobs_recover
from wijk.core.schedule import TICK_SECONDS, schedule_due

log = structlog.get_logger(__name__)


def _look(*, schedule: bool) -> None:
    """One look for lost jobs and (with `schedule`) at the clock; a database that is away for
    a moment is tried again later."""
    try:
        jobs_recover(now=timezone.now())
        job_files_prune(now=timezone.now())
        if schedule:
            schedule_due(now=timezone.now())
    except DatabaseError as error:
        log.warning("schedule_look_failed", error=type(error).__name__)


def _look_loop(stop: threading.Event, *, schedule: bool) -> None:
    while not stop.wait(TICK_SECONDS):
        try:
            _look(schedule=schedule)
        finally:
            connections.close_all()  # this thread's own connection


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks from the database queue and enqueue the daily schedule "
        "(settings.WIJK_SCHEDULE). Run one or more in production, as a service."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Only run tasks; leave the daily schedule to other workers.",
        )
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reload"]:
            raise CommandError("wijk worker does not reload on code changes: restart it.")
        self.configure_logging(options["verbosity"])
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=[name for name in options["exclude_queues"].split(",") if name],
        )
        log.info("worker_started", batch=options["batch"], schedule=options["schedule"])
        _look(schedule=options["schedule"])
        stop = threading.Event()
        if not options["batch"]:
            threading.Thread(
                target=_look_loop,
                args=(stop,),
                kwargs={"schedule": options["schedule"]},
                name="wijk-schedule",
                daemon=True,
            ).start()
        handlers = {
            sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
        }
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            log.info("worker_stopped")
