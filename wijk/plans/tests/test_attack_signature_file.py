"""Attacks on the signature file served through the gate (reviewer R1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.plans.models import Signature
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import image_bytes, png_data_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


@pytest.fixture
def plan(professional, team):
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def test_a_signature_file_changed_on_disk_is_not_served(
    plan, professional, client_for, private_root: Path
) -> None:
    """ADR 0036/0038: the row keeps the SHA-256; a file that is not the file that was
    made (replaced on disk, e.g. by an HTML page) is not served, as for letters."""
    client = client_for(professional)
    today = timezone.localdate()
    client.post(
        reverse("plans:version_sign", args=[plan.pk, 1]),
        {
            "method": "drawn",
            "signer": str(plan.resident_id),
            "drawing": png_data_url(image_bytes("PNG")),
            "signed_on": today.isoformat(),
            "next_evaluation_on": today.replace(year=today.year + 1).isoformat(),
        },
    )
    signature = Signature.objects.get()
    (private_root / signature.file_path).write_bytes(b"<html><script>alert(1)</script></html>")

    served = client.get(reverse("plans:signature_file", args=[plan.pk, 1]))

    assert served.status_code == 404
