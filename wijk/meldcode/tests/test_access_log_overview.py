"""The resident's access log ("wie heeft het dossier ingezien") never shows a meldcode
entry, to anyone: opening a case, adding a reader with a reason, recording a step and
reading the case are in the access log (and its chain), but a list of the resident's
accesses that showed them would tell a colleague, or the resident and so perhaps the person
they fear, that a meldcode case exists (ADR 0039)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.meldcode.tests.conftest import record_step

pytestmark = pytest.mark.django_db

REASON = "Aandachtsfunctionaris, voor het overleg in stap 2."


@pytest.fixture
def worked_on(case, client_for, coordinator, reader):
    """The case with a reader added (with a reason), a step recorded and read by both."""
    client = client_for(coordinator)
    added = client.post(
        reverse("meldcode:readers", args=[case.pk]), {"user": reader.pk, "reason": REASON}
    )
    assert added.status_code == 302
    assert record_step(client, case, 1).status_code == 302
    client.get(reverse("meldcode:detail", args=[case.pk]))
    client_for(reader).get(reverse("meldcode:detail", args=[case.pk]))
    return case


def meldcode_entries(resident):
    return AccessLogEntry.objects.filter(resident_id=resident.pk).filter(
        objects_touched__icontains='"meldcode.'
    )


@pytest.mark.parametrize("who", ["colleague", "coordinator", "reader", "team_lead"])
def test_the_residents_access_log_shows_no_meldcode_entry(
    worked_on, resident, client_for, request, who
) -> None:
    page = client_for(request.getfixturevalue(who)).get(
        reverse("residents:access_log", args=[resident.pk])
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "toegang verleend" not in html  # the reader's grant
    assert "aangemaakt" not in html  # the case and its step
    rows = html.count('<tr class="utrecht-table__row">') - 1  # less the header row
    shown = AccessLogEntry.objects.filter(resident_id=resident.pk).exclude(
        pk__in=meldcode_entries(resident)
    )
    assert rows == shown.count() > 0  # the resident's other accesses are still listed


def test_the_meldcode_entries_are_still_in_the_chained_access_log(worked_on, resident) -> None:
    entries = meldcode_entries(resident)
    assert entries.filter(event=AccessEvent.CREATE).count() == 2  # the case, the step
    grant = entries.get(event=AccessEvent.GRANT)
    assert grant.reason == REASON
    assert entries.filter(event=AccessEvent.READ).count() >= 2
    call_command("audit", "verify")  # raises when the chain is broken
