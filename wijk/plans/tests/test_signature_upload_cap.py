"""The scan of a paper signature is capped while it arrives (wijk.core.uploads): a file just
over WIJK_SIGNATURE_SCAN_MAX_BYTES is refused with the page's Dutch message and everything
else that was typed kept, and neither it nor one just under the cap is ever written to a
temporary file; the CSRF token is still checked."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.plans.models import Signature
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import PDF

pytestmark = pytest.mark.django_db

CAP = 1024 * 1024
TOO_LARGE = "Het bestand is te groot. Het mag hooguit 1 MB zijn."


@pytest.fixture(autouse=True)
def no_temporary_files(settings, tmp_path: Path) -> None:
    """The cap, and Django's own handlers set up to write every upload to a temporary file
    in a folder that does not exist: a file that reached them would fail the request."""
    settings.WIJK_SIGNATURE_SCAN_MAX_BYTES = CAP
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "not-there")


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def plan(professional, team):
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def pdf_of(size: int) -> bytes:
    """A PDF of exactly `size` bytes: a comment line pads it before its trailer."""
    padding = size - len(PDF) - 2
    data = PDF.replace(b"trailer", b"%" + b"x" * padding + b"\ntrailer")
    assert len(data) == size
    return data


def scan_form(plan, data: bytes) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "method": "scan",
        "signer": str(plan.resident_id),
        "signed_on": today.isoformat(),
        "next_evaluation_on": (today + datetime.timedelta(days=77)).isoformat(),
        "scan": SimpleUploadedFile("handtekening.pdf", data, content_type="application/pdf"),
    }


def sign_url(plan) -> str:
    return reverse("plans:version_sign", args=[plan.pk, plan.current.number])


@pytest.mark.parametrize("size", [CAP - 1, CAP], ids=["just-under", "at-the-cap"])
def test_a_scan_up_to_the_cap_signs_the_version(plan, professional, client_for, size) -> None:
    response = client_for(professional).post(sign_url(plan), scan_form(plan, pdf_of(size)))

    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.method, signature.content_type) == ("scan", "application/pdf")


def test_a_scan_just_over_the_cap_is_refused_and_the_rest_is_kept(
    plan, professional, client_for, private_root: Path
) -> None:
    form = scan_form(plan, pdf_of(CAP + 1))
    response = client_for(professional).post(sign_url(plan), form)

    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert TOO_LARGE in html
    assert f'value="{form["next_evaluation_on"]}"' in html  # typed, not the suggested date
    assert not Signature.objects.exists()
    assert not list(private_root.rglob("*.pdf"))


def test_the_signing_form_still_needs_its_csrf_token(plan, professional, client_for) -> None:
    client = client_for(professional)
    client.handler.enforce_csrf_checks = True  # as a browser's request is checked

    response = client.post(sign_url(plan), scan_form(plan, pdf_of(CAP - 1)))

    assert response.status_code == 403
    assert not Signature.objects.exists()
