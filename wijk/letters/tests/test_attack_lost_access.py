"""Attacks on the letter file by someone whose access is narrower than the resident (reviewer
R1, ADR 0036): a break-the-glass grant does not open another team's letters; the response is
never cached."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.letters.tests.conftest import produce
from wijk.residents.models import BreakGlassGrant

pytestmark = pytest.mark.django_db


def test_a_grant_on_the_resident_does_not_open_another_teams_letters(
    professional, outsider, resident, trajectory, client_for
) -> None:
    """A letter reaches no further than the record it summarises (ADR 0020, 0036): an
    outsider who broke the glass on the resident sees the resident, but not the team's
    letters, as they do not see the team's plans. (Before, the letter followed the resident
    rule alone and was served whole to the grant holder.)"""
    letter = produce(professional, resident, trajectory)
    url = reverse("letters:file", args=[letter.pk])
    now = timezone.now()
    BreakGlassGrant.objects.create(
        resident=resident,
        user=outsider,
        reason="Acute zorg nodig, collega niet bereikbaar",
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )
    assert client_for(outsider).get(url).status_code == 404

    served = client_for(professional).get(url)
    assert served.status_code == 200
    assert served["Cache-Control"] == "no-store"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert resident.family_name not in served["Content-Disposition"]
