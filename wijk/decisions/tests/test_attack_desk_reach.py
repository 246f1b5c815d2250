"""Attacks by the municipality's decision officer on anything outside the case in the queue,
with real records behind every URL (reviewer R1, ADR 0040)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.decisions.tests.conftest import place, placed
from wijk.letters.models import Letter

pytestmark = pytest.mark.django_db


def test_the_officer_reaches_nothing_of_a_queued_case_outside_the_desk_pages(
    plan, professional, officer, client_for
) -> None:
    case = placed(place(client_for(professional), plan))
    letter = Letter.objects.get(pk=case.draft_letter_id)
    desk = client_for(officer)
    assert desk.get(reverse("decisions:desk_case", args=[case.pk])).status_code == 200

    urls = [
        reverse("residents:detail", args=[plan.resident_id]),
        reverse("residents:access_log", args=[plan.resident_id]),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:versions", args=[plan.pk]),
        reverse("plans:version_sign", args=[plan.pk, 1]),
        reverse("plans:signature_file", args=[plan.pk, 1]),
        reverse("plans:summary_letter", args=[plan.pk, 1]),
        reverse("letters:file", args=[letter.pk]),
        reverse("decisions:case", args=[case.pk]),
        reverse("meldcode:resident", args=[plan.resident_id]),
        reverse("core:work"),
        reverse("core:team_work"),
    ]
    for url in urls:
        response = desk.get(url)
        assert response.status_code in (404, 302), url
        if response.status_code == 302:
            assert plan.resident.family_name not in response["Location"], url
    home = desk.get("/")
    assert plan.resident.family_name not in home.content.decode()
