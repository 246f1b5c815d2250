"""The daily schedule: each entry of settings.WIJK_SCHEDULE (the one place it is declared) is
enqueued once a local day, at its time, as a background job without an asker.

`schedule_due(now=...)` is what `wijk worker` calls at start and then every half minute. For
each entry it works out the latest day whose time has come (today once the local clock passed
the entry's time, else yesterday) and, unless that day's run exists, records it: a
ScheduledRun row, unique per (name, day), and its job, in one transaction. Several workers
may call it at the same moment; the unique row lets one of them through and the others find
it taken, so a day is enqueued at most once. A day the workers missed (none was running at the
time) is caught up once when one starts: only the latest due day is run, since a run covers
everything since the last successful one (the feed is incremental).

An entry is {"task": "<dotted path of a task>", "at": "HH:MM", "label": "<Dutch label>"}; its
task is called with `job_id` and `day` (ISO date) and hands its work to
wijk.core.background.job_run."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from wijk.core.background import job_start
from wijk.core.models import BackgroundJob, ScheduledRun

log = structlog.get_logger(__name__)

# How often a running worker looks at the clock (seconds).
TICK_SECONDS = 30.0


@dataclass(frozen=True)
class DailyEntry:
    name: str
    task: str
    at: datetime.time
    label: str


def schedule_entries() -> list[DailyEntry]:
    """The entries of settings.WIJK_SCHEDULE, in their order."""
    return [
        DailyEntry(
            name=name,
            task=entry["task"],
            at=datetime.time.fromisoformat(entry["at"]),
            label=entry.get("label", name),
        )
        for name, entry in settings.WIJK_SCHEDULE.items()
    ]


def due_day(entry: DailyEntry, *, now: datetime.datetime) -> datetime.date:
    """The latest local day whose run of `entry` is due at `now`: today once the local time
    reached the entry's time, yesterday before it."""
    local = timezone.localtime(now)
    today = local.date()
    return today if local.time() >= entry.at else today - datetime.timedelta(days=1)


def schedule_due(*, now: datetime.datetime) -> list[BackgroundJob]:
    """Enqueue every entry's due day that has no run yet; the jobs enqueued now (none when
    every due day has its run, also when another worker just made it)."""
    started = []
    for entry in schedule_entries():
        day = due_day(entry, now=now)
        if ScheduledRun.objects.filter(name=entry.name, day=day).exists():
            continue
        job = _scheduled_run_start(entry, day=day)
        if job is not None:
            started.append(job)
    return started


def _scheduled_run_start(entry: DailyEntry, *, day: datetime.date) -> BackgroundJob | None:
    task = cast(Task[Any, Any], import_string(entry.task))
    label = gettext("%(label)s van %(day)s") % {"label": entry.label, "day": day.isoformat()}
    try:
        with transaction.atomic(durable=True):
            job = job_start(
                user=None,
                kind=entry.name,
                label=label,
                task=task,
                arguments={"day": day.isoformat()},
            )
            ScheduledRun.objects.create(name=entry.name, day=day, job=job)
    except IntegrityError:
        # Another worker recorded this day's run first; its transaction took the job too.
        log.info("scheduled_run_taken", schedule=entry.name, day=day.isoformat())
        return None
    log.info("scheduled_run_enqueued", schedule=entry.name, day=day.isoformat(), job_id=str(job.pk))
    return job
