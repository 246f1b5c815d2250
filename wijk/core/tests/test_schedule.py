"""The daily schedule (wijk.core.schedule): each entry is enqueued once a local day, at its
time, however often and by however many workers the clock is looked at; a day no worker was
running for is caught up once. Runs outside a test transaction: the enqueue happens when the
schedule's transaction commits, as in production."""

from __future__ import annotations

import datetime
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connections
from django.tasks import Task
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from wijk import settings as configured
from wijk.core.models import BackgroundJob, JobStatus, ScheduledRun
from wijk.core.schedule import schedule_due, schedule_entries

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in December 2026, Amsterdam time."""
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=AMSTERDAM)


NOTE = {
    "task": "wijk.core.tests.background_tasks.daily_note",
    "at": "02:00",
    "label": "Dagelijkse notitie",
}


@pytest.fixture(autouse=True)
def daily_note_at_two(settings: Any) -> None:
    settings.WIJK_SCHEDULE = {"note": NOTE}


def runs() -> list[datetime.date]:
    return list(
        ScheduledRun.objects.filter(name="note").order_by("day").values_list("day", flat=True)
    )


def test_the_days_run_is_enqueued_once_however_often_the_clock_is_read() -> None:
    first = schedule_due(now=at(7, 2, 0))
    again = schedule_due(now=at(7, 2, 1))
    later = schedule_due(now=at(7, 23, 59))

    assert len(first) == 1 and again == [] and later == []
    assert runs() == [datetime.date(2026, 12, 7)]
    job = first[0]
    assert (job.kind, job.user, job.status) == ("note", None, JobStatus.QUEUED)
    assert job.label == "Dagelijkse notitie van 2026-12-07"
    task = DBTaskResult.objects.get()
    assert task.task_path == "wijk.core.tests.background_tasks.daily_note"
    assert task.args_kwargs["kwargs"] == {"day": "2026-12-07", "job_id": str(job.pk)}


def test_before_its_time_the_run_waits_and_at_its_time_it_is_enqueued() -> None:
    ScheduledRun.objects.create(
        name="note",
        day=datetime.date(2026, 12, 6),
        job=BackgroundJob.objects.create(kind="note", label="Dagelijkse notitie"),
    )

    assert schedule_due(now=at(7, 1, 59)) == []
    assert len(schedule_due(now=at(7, 2, 0))) == 1
    assert runs() == [datetime.date(2026, 12, 6), datetime.date(2026, 12, 7)]


def test_a_missed_day_is_caught_up_once() -> None:
    """The worker was down from the 5th: started at 01:00 on the 7th (before the day's time),
    it runs the 6th once; at 02:00 the 7th follows as usual."""
    ScheduledRun.objects.create(
        name="note",
        day=datetime.date(2026, 12, 5),
        job=BackgroundJob.objects.create(kind="note", label="Dagelijkse notitie"),
    )

    assert len(schedule_due(now=at(7, 1, 0))) == 1
    assert schedule_due(now=at(7, 1, 30)) == []
    assert len(schedule_due(now=at(7, 2, 0))) == 1
    assert runs() == [datetime.date(2026, 12, d) for d in (5, 6, 7)]


def test_after_days_away_one_run_catches_up_not_one_per_missed_day() -> None:
    ScheduledRun.objects.create(
        name="note",
        day=datetime.date(2026, 12, 3),
        job=BackgroundJob.objects.create(kind="note", label="Dagelijkse notitie"),
    )

    assert len(schedule_due(now=at(7, 10, 0))) == 1
    assert runs() == [datetime.date(2026, 12, 3), datetime.date(2026, 12, 7)]


def test_two_workers_reading_the_clock_together_enqueue_the_day_once() -> None:
    both_ready = threading.Barrier(2)
    enqueued: list[int] = []

    def worker() -> None:
        try:
            both_ready.wait(timeout=30)
            enqueued.append(len(schedule_due(now=at(7, 2, 0))))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(enqueued) == [0, 1]
    assert runs() == [datetime.date(2026, 12, 7)]
    assert BackgroundJob.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_worker_enqueues_the_due_run_at_start_and_runs_it(settings: Any) -> None:
    """`wijk worker --batch` looks at the schedule first; an entry at 00:00 is due today."""
    settings.WIJK_SCHEDULE = {**settings.WIJK_SCHEDULE, "note": {**NOTE, "at": "00:00"}}

    for _ in range(2):
        call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result.startswith("dag ")
    assert ScheduledRun.objects.get().job == job


def test_the_feed_is_declared_in_the_schedule_at_its_setting(settings: Any) -> None:
    settings.WIJK_SCHEDULE = configured.WIJK_SCHEDULE  # as wijk/settings.py declares it
    entries = {entry.name: entry for entry in schedule_entries()}
    assert entries["feed"].at == datetime.time.fromisoformat(configured.WIJK_FEED_AT)
    assert isinstance(import_string(entries["feed"].task), Task)
