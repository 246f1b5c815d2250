"""Background jobs (wijk.core.background) through the ways people meet them: a job started
through its service is queued on the real database queue, `wijk worker --batch` runs it, and
its page shows the asker how it went; nobody else sees that page.

The worker commits as it goes (as in production), so the tests that run it run outside a test
transaction (WITH_WORKER); the tasks are in wijk/core/tests/background_tasks.py."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from wijk.accounts.models import Role
from wijk.core.background import job_progress, job_start
from wijk.core.models import BackgroundJob, JobStatus
from wijk.core.tests import background_tasks

WITH_WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def retry_at_once(settings: Any) -> None:
    """A failed attempt is tried again at once, so one batch of the worker runs all three."""
    settings.WIJK_JOB_RETRY_SECONDS = 0
    settings.WIJK_JOB_ATTEMPTS = 3


def run_worker() -> None:
    """The worker, as `wijk worker --batch` runs it: every queued task, then stop."""
    call_command(
        "worker", "--batch", "--no-schedule", "--no-startup-delay", "--interval", "0", verbosity=0
    )


@pytest.fixture
def asker(make_user: Any) -> Any:
    return make_user(Role.TEAM_LEAD)


@WITH_WORKER
def test_a_started_job_is_queued_run_by_the_worker_and_shown_to_its_asker(
    asker, client_for
) -> None:
    job = job_start(
        user=asker,
        kind="count",
        label="Tellen tot tien",
        task=background_tasks.count_to,
        arguments={"steps": 10},
    )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    queued = DBTaskResult.objects.get(pk=job.task_id)
    assert queued.args_kwargs["kwargs"] == {"steps": 10, "job_id": str(job.pk)}

    page = client_for(asker).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    assert page.status_code == 200
    assert "in de wachtrij" in page.text
    assert 'role="status"' in page.text
    assert 'hx-trigger="every 3s"' in page.text
    assert "Pagina vernieuwen" in page.text

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.attempts) == (10, 10, 1)
    assert job.result == "10 stappen geteld"
    assert job.started_at is not None and job.finished_at is not None
    page = client_for(asker).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    assert "klaar" in page.text
    assert "10 stappen geteld" in page.text
    assert "hx-trigger" not in page.text


@pytest.mark.django_db
def test_progress_is_shown_while_the_job_runs_and_polling_stops_when_it_is_done(
    asker, client_for
) -> None:
    job = BackgroundJob.objects.create(
        user=asker, kind="count", label="Tellen", status=JobStatus.RUNNING, attempts=1
    )
    job_progress(str(job.pk), 3, 12)
    http = client_for(asker)
    url = reverse("core:background_job", kwargs={"pk": job.pk})

    page = http.get(url)
    assert "3 van 12 stappen klaar" in page.text
    assert 'max="12" value="3"' in page.text

    poll = http.get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "3 van 12 stappen klaar" in poll.text
    assert "<html" not in poll.text

    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result="klaar")
    last = http.get(url, headers={"HX-Request": "true"})
    assert last.status_code == 286  # htmx swaps it in and stops asking


@WITH_WORKER
def test_progress_reported_from_inside_a_read_only_snapshot_is_recorded(asker) -> None:
    """A delivery reads from one READ ONLY snapshot and reports its progress from inside it:
    the progress still reaches the job's row (and its page) while the work goes on."""
    job = job_start(
        user=asker, kind="snapshot", label="Lezen", task=background_tasks.reports_from_a_snapshot
    )

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total) == (2, 4)


@WITH_WORKER
def test_a_failed_attempt_is_tried_again(asker) -> None:
    job = job_start(user=asker, kind="flaky", label="Wankel", task=background_tasks.fails_once)

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    assert job.result == "gelukt bij de tweede poging"
    assert job.error == ""
    assert DBTaskResult.objects.failed().count() == 1
    assert DBTaskResult.objects.successful().count() == 1


@WITH_WORKER
def test_a_job_that_keeps_failing_is_recorded_as_failed_without_its_message(
    asker, client_for
) -> None:
    job = job_start(user=asker, kind="broken", label="Kapot", task=background_tasks.always_fails)

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 3
    assert job.error == "OSError"
    assert job.finished_at is not None
    assert DBTaskResult.objects.failed().count() == 3
    page = client_for(asker).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    assert "mislukt" in page.text
    assert "ook niet na 3 pogingen" in page.text
    assert "OSError" in page.text
    assert str(job.pk) in page.text
    assert "Jansen" not in page.text
    assert "hx-trigger" not in page.text


@pytest.mark.django_db
def test_only_the_asker_sees_the_job(asker, make_user, client_for, client) -> None:
    job = BackgroundJob.objects.create(user=asker, kind="count", label="Tellen")
    url = reverse("core:background_job", kwargs={"pk": job.pk})
    colleague = make_user(Role.TEAM_LEAD)
    administrator = make_user(Role.ADMINISTRATOR)

    assert client_for(colleague).get(url).status_code == 404
    assert client_for(administrator).get(url).status_code == 404
    assert client_for(colleague).get(url, headers={"HX-Request": "true"}).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    scheduled = BackgroundJob.objects.create(user=None, kind="feed", label="Levering")
    scheduled_url = reverse("core:background_job", kwargs={"pk": scheduled.pk})
    assert client_for(asker).get(scheduled_url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/achtergrond/{uuid.uuid4()}",
        "/achtergrond/not-a-uuid",
        "/achtergrond/00000000-0000-0000-0000-00000000000g",
        "/achtergrond/" + "9" * 40,
        "/achtergrond/%00",
        "/achtergrond/%C2%B2",
    ],
)
def test_a_hostile_job_id_is_not_found(path, asker, client_for) -> None:
    client = client_for(asker)
    client.raise_request_exception = False
    assert client.get(path).status_code == 404
