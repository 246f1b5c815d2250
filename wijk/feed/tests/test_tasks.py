"""The daily delivery as the schedule runs it: `wijk worker` finds the feed due (the schedule
in settings, as declared), runs the delivery as a background job with its progress, and a
delivery that cannot be written is tried again and recorded as failed. Real worker, real
database queue; outside a test transaction, as the worker commits as it goes."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from wijk.core.models import BackgroundJob, JobStatus, ScheduledRun
from wijk.feed.models import Delivery, DeliveryKind, DeliveryStatus
from wijk.feed.services import FORMATS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def feed_due_now(settings: Any, tmp_path: Path) -> Path:
    """The feed at 00:00, so it is due whenever the test runs; retries at once."""
    settings.WIJK_SCHEDULE = {"feed": {**settings.WIJK_SCHEDULE["feed"], "at": "00:00"}}
    settings.WIJK_JOB_RETRY_SECONDS = 0
    settings.FEED_DIR = tmp_path / "levering"
    return settings.FEED_DIR


def run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def delivered(directory: Path, day: datetime.date) -> Delivery:
    """The record of a delivery that succeeded into `directory` on `day` (written earlier)."""
    return Delivery.objects.create(
        directory=str(directory.resolve()),
        day=day,
        kind=DeliveryKind.FULL,
        formats=["csv"],
        status=DeliveryStatus.SUCCEEDED,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )


def test_the_worker_makes_the_days_delivery_since_the_last_one(feed_due_now: Path) -> None:
    """Incremental since the last delivery that succeeded: yesterday's."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    delivered(feed_due_now, yesterday)

    run_worker()

    run = ScheduledRun.objects.get(name="feed")
    assert run.day == today
    job = BackgroundJob.objects.get(pk=run.job_id)
    assert (job.status, job.attempts, job.user) == (JobStatus.SUCCEEDED, 1, None)
    assert job.total > 0 and job.done == job.total
    assert str(feed_due_now.resolve() / today.isoformat()) in job.result
    assert (feed_due_now / today.isoformat() / "manifest.json").is_file()
    delivery = Delivery.objects.get(day=today)
    assert (delivery.since, delivery.status) == (yesterday, DeliveryStatus.SUCCEEDED)
    assert sorted(delivery.formats) == sorted(FORMATS)


def test_a_day_already_delivered_is_left_alone(feed_due_now: Path) -> None:
    delivered(feed_due_now, timezone.localdate())

    run_worker()

    job = BackgroundJob.objects.get(kind="feed")
    assert job.status == JobStatus.SUCCEEDED
    assert "was er al" in job.result
    assert Delivery.objects.count() == 1


def test_a_delivery_that_cannot_be_written_is_retried_then_recorded_as_failed(
    settings: Any, tmp_path: Path
) -> None:
    blocked = tmp_path / "geen-map"
    blocked.write_text("a file where the delivery directory should be")
    settings.FEED_DIR = blocked

    run_worker()

    job = BackgroundJob.objects.get(kind="feed")
    assert job.status == JobStatus.FAILED
    assert job.attempts == settings.WIJK_JOB_ATTEMPTS
    assert job.error == "FileExistsError"
