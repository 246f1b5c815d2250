"""The deliveries page (/sturing/leveringen) as management uses it: the runs, a failed one with
what went wrong, and the button that makes today's delivery in the background, whose page
shows its progress to the person who pressed it. Real worker, real database queue."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.models import BackgroundJob, JobStatus
from wijk.feed.models import Delivery, DeliveryKind, DeliveryStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def feed_dir(settings: Any, tmp_path: Path) -> Path:
    settings.FEED_DIR = tmp_path / "levering"
    settings.WIJK_JOB_RETRY_SECONDS = 0
    return settings.FEED_DIR


def test_management_sees_the_runs_and_makes_todays_delivery(
    make_user, client_for, feed_dir
) -> None:  # type: ignore[no-untyped-def]
    Delivery.objects.create(
        directory=str(feed_dir),
        day=timezone.localdate() - datetime.timedelta(days=1),
        kind=DeliveryKind.INCREMENTAL,
        since=timezone.localdate() - datetime.timedelta(days=2),
        formats=["csv"],
        status=DeliveryStatus.FAILED,
        error="OSError",
        attempts=3,
        started_at=timezone.now(),
    )
    manager = make_user(Role.MANAGEMENT)
    client = client_for(manager)
    page = client.get(reverse("feed:deliveries")).content.decode()
    assert "Eén levering is mislukt" in page
    assert "Mislukt: OSError" in page

    response = client.post(reverse("feed:deliveries"))
    job = BackgroundJob.objects.get(user=manager, kind="feed")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:background_job", args=[job.pk])
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (feed_dir / timezone.localdate().isoformat() / "manifest.json").exists()
    assert "Gelukt" in client.get(reverse("feed:deliveries")).content.decode()
    assert "klaar" in client.get(response["Location"]).content.decode().lower()


@pytest.mark.parametrize("role", [Role.MUNICIPALITY, Role.TEAM_LEAD, Role.ADMINISTRATOR])
def test_others_cannot_start_a_delivery(make_user, client_for, role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(make_user(role))
    assert client.post(reverse("feed:deliveries")).status_code == 404
    assert not BackgroundJob.objects.exists()
