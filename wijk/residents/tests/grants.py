"""Helpers for tests of work started under a break-the-glass grant (ADR 0020): break the
glass through the real page, and let the grant run out."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijk.residents.models import BreakGlassGrant, Resident

REASON = "Crisismelding van de huisarts, collega ziek"


def break_the_glass(client: Client, resident: Resident) -> None:
    """Ask for access to the resident's file with a reason, as the break-the-glass page does."""
    response = client.post(reverse("residents:break_glass", args=[resident.pk]), {"reason": REASON})
    assert response.status_code == 302, response.status_code


def expire_grants(resident: Resident) -> None:
    """Every grant on the resident ran out a minute ago."""
    BreakGlassGrant.objects.filter(resident=resident).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
