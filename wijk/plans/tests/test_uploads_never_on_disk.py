"""No upload is ever written to a temporary file, on any road into wijk (review of issue 13).

The signing page caps its scan while it arrives (wijk.core.uploads), but Django parses a
multipart body wherever something reads `request.POST`: a session that ended on a POST
(the middleware keeps what was typed as a draft) reads it before the signing view can set
its handler, and every other page reads it for its form or its CSRF token. With Django's
default handlers a file over FILE_UPLOAD_MAX_MEMORY_SIZE was then written to a temporary
file, whole, whatever its size. The settings leave only the in-memory handler: a file that
no view asked to cap is kept in memory when the whole request is small, else dropped."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.middleware import SESSION_SEEN
from wijk.accounts.models import Role
from wijk.plans.models import RightsExplanation, Signature
from wijk.plans.tests.factories import SupportPlanFactory

pytestmark = pytest.mark.django_db

LARGE = b"%PDF-1.4\n" + b"x" * (3 * 1024 * 1024)


@pytest.fixture(autouse=True)
def no_temporary_files(settings, tmp_path: Path) -> None:
    """A file that reached a temporary file would fail the request: its folder is not there."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "not-there")


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def plan(professional, team):
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def _large_scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("handtekening.pdf", LARGE, content_type="application/pdf")


def test_a_scan_sent_after_the_session_ended_is_not_written_to_disk(
    plan, professional, client_for, settings
) -> None:
    client = client_for(professional)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - settings.WIJK_SESSION_IDLE_TIMEOUT - 1
    session.save()
    today = timezone.localdate()

    response = client.post(
        reverse("plans:version_sign", args=[plan.pk, plan.current.number]),
        {
            "method": "scan",
            "signer": str(plan.resident_id),
            "signed_on": today.isoformat(),
            "next_evaluation_on": (today + datetime.timedelta(days=77)).isoformat(),
            "scan": _large_scan(),
        },
    )

    assert response.status_code == 302
    assert "verlopen=1" in response["Location"]
    assert not Signature.objects.exists()


def test_a_file_sent_to_a_page_without_uploads_is_not_written_to_disk(
    plan, professional, client_for
) -> None:
    response = client_for(professional).post(
        reverse("plans:rights", args=[plan.pk]),
        {"explained_on": timezone.localdate().isoformat(), "bijlage": _large_scan()},
    )

    # The form comes back with its errors (no right was chosen), as without the file.
    assert response.status_code == 200
    assert not RightsExplanation.objects.filter(plan=plan).exists()
