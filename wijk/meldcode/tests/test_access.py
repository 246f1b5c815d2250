"""Who reads a meldcode case (ADR 0039): its coordinator, the team leads of its team and the
people added with a reason — and only while they may see the resident. Not the rest of the
team, not another team, not a grant alone. Every read is in the access log."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessLogEntry
from wijk.meldcode.models import MeldcodeReader
from wijk.meldcode.tests.conftest import move_away, record_step
from wijk.residents.models import Assignment, BreakGlassGrant

pytestmark = pytest.mark.django_db

SECRET = "Stap 1: feiten zoals gezien en gehoord."


@pytest.fixture
def case_with_step(case, client_for, coordinator):
    assert record_step(client_for(coordinator), case, 1).status_code == 302
    return case


def add_reader(client, case, user, reason="Aandachtsfunctionaris, denkt mee in stap 2."):
    return client.post(
        reverse("meldcode:readers", args=[case.pk]), {"user": user.pk, "reason": reason}
    )


def case_urls(case) -> list[str]:
    return [
        reverse("meldcode:detail", args=[case.pk]),
        reverse("meldcode:step", args=[case.pk, 1]),
        reverse("meldcode:readers", args=[case.pk]),
        reverse("meldcode:close", args=[case.pk]),
    ]


def test_coordinator_and_team_lead_read_the_steps(
    case_with_step, client_for, coordinator, team_lead
):
    for user in (coordinator, team_lead):
        page = client_for(user).get(reverse("meldcode:detail", args=[case_with_step.pk]))
        assert page.status_code == 200
        assert SECRET in page.content.decode()


def test_team_colleague_gets_the_one_404_and_no_content(
    case_with_step, client_for, colleague, resident
):
    client = client_for(colleague)
    for url in case_urls(case_with_step):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode()
    # The resident's meldcode page lists nothing, exactly as for a resident without a case.
    listing = client.get(reverse("meldcode:resident", args=[resident.pk])).content.decode()
    assert reverse("meldcode:detail", args=[case_with_step.pk]) not in listing
    # Posting changes nothing either.
    assert record_step(client, case_with_step, 2).status_code == 404
    assert case_with_step.steps.count() == 1


def test_missing_case_answers_as_a_forbidden_one(case_with_step, client_for, colleague):
    client = client_for(colleague)
    forbidden = client.get(reverse("meldcode:detail", args=[case_with_step.pk]))
    missing = client.get(reverse("meldcode:detail", args=[case_with_step.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert [t.name for t in forbidden.templates] == [t.name for t in missing.templates]
    assert "core/not_found.html" in [t.name for t in forbidden.templates]
    refused = AccessLogEntry.objects.filter(user_id=colleague.pk, outcome="refused")
    assert refused.filter(
        objects_touched__contains=[f"meldcode.meldcodecase:{case_with_step.pk}"]
    ).exists()


@pytest.mark.parametrize("hostile", ["0", "-1", "1e3", "99999999999999999999999", "%20", "1;drop"])
def test_hostile_ids_get_the_one_404(case_with_step, client_for, coordinator, hostile):
    client = client_for(coordinator)
    for url in (f"/meldcode/{hostile}", f"/meldcode/{case_with_step.pk}/stap/{hostile}"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("number", [0, 6, 12])
def test_a_step_that_does_not_exist_is_404(case, client_for, coordinator, number):
    assert record_step(client_for(coordinator), case, number).status_code == 404


def test_other_team_and_grant_alone_read_nothing(
    case_with_step, client_for, outsider, other_team_lead, resident
):
    for user in (outsider, other_team_lead):
        # Breaking the glass reaches the resident, not the meldcode.
        BreakGlassGrant.objects.create(
            user=user,
            resident=resident,
            reason="Spoed: inwoner belt over de post.",
            expires_at=timezone.now() + datetime.timedelta(hours=8),
        )
        assert (
            client_for(user).get(reverse("residents:detail", args=[resident.pk])).status_code == 200
        )
        response = client_for(user).get(reverse("meldcode:detail", args=[case_with_step.pk]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_added_reader_reads_but_does_not_write(case_with_step, client_for, coordinator, reader):
    assert add_reader(client_for(coordinator), case_with_step, reader).status_code == 302
    client = client_for(reader)
    page = client.get(reverse("meldcode:detail", args=[case_with_step.pk]))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert client.get(reverse("meldcode:step", args=[case_with_step.pk, 2])).status_code == 404
    assert record_step(client, case_with_step, 2).status_code == 404
    assert case_with_step.steps.count() == 1


def test_ended_reader_reads_no_more(case_with_step, client_for, coordinator, reader):
    owner = client_for(coordinator)
    add_reader(owner, case_with_step, reader)
    grant = MeldcodeReader.objects.get(case=case_with_step, user=reader)
    response = owner.post(
        reverse("meldcode:readers", args=[case_with_step.pk]), {"beeindigen": grant.pk}
    )
    assert response.status_code == 302
    assert (
        client_for(reader).get(reverse("meldcode:detail", args=[case_with_step.pk])).status_code
        == 404
    )
    # The row stays: ending is a row of its own.
    assert MeldcodeReader.objects.filter(case=case_with_step, user=reader).count() == 1
    grant.refresh_from_db()
    assert grant.end.ended_by == coordinator


def test_reader_reads_no_more_when_the_resident_moves_away(
    case_with_step, client_for, coordinator, reader, team_lead, resident, other_team
):
    add_reader(client_for(coordinator), case_with_step, reader)
    move_away(resident, other_team)
    for user in (reader, team_lead):
        response = client_for(user).get(reverse("meldcode:detail", args=[case_with_step.pk]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_reader_added_after_the_resident_moved_away_reads_nothing(
    case_with_step, client_for, coordinator, team_lead, reader, resident, other_team
):
    """The coordinator keeps the resident by a personal assignment and adds a colleague once
    the resident has moved out of the team's wijken: the row is written, but the colleague no
    longer sees the resident, so not the case either; nor does the team lead."""
    Assignment.objects.create(resident=resident, user=coordinator)
    move_away(resident, other_team)
    assert add_reader(client_for(coordinator), case_with_step, reader).status_code == 302
    assert MeldcodeReader.objects.filter(case=case_with_step, user=reader).exists()
    for user in (reader, team_lead):
        response = client_for(user).get(reverse("meldcode:detail", args=[case_with_step.pk]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert (
        client_for(coordinator)
        .get(reverse("meldcode:detail", args=[case_with_step.pk]))
        .status_code
        == 200
    )


def test_nobody_adds_themselves(case_with_step, client_for, coordinator, team_lead, reader):
    for user in (coordinator, team_lead):
        response = add_reader(client_for(user), case_with_step, user)
        assert response.status_code == 200
        assert not MeldcodeReader.objects.filter(user=user).exists()
    # A colleague cannot reach the readers page to add themselves, and a reader cannot add.
    add_reader(client_for(coordinator), case_with_step, reader)
    assert add_reader(client_for(reader), case_with_step, reader).status_code == 404
    colleague_response = add_reader(client_for(reader), case_with_step, coordinator)
    assert colleague_response.status_code == 404
    assert MeldcodeReader.objects.filter(case=case_with_step).count() == 1


def test_the_service_refuses_adding_oneself_whatever_the_form_offers(case_with_step, coordinator):
    from wijk.core.errors import ValidationFailed
    from wijk.meldcode.services import meldcode_reader_add
    from wijk.trajectories.tests.conftest import verified

    with pytest.raises(ValidationFailed) as refused:
        meldcode_reader_add(
            actor=verified(coordinator),
            case=case_with_step,
            user=coordinator,
            reason="Ik wil meelezen.",
        )
    assert "uzelf" in refused.value.fields["user"]


def test_a_reader_needs_a_reason_in_words(case_with_step, client_for, coordinator, reader):
    response = add_reader(client_for(coordinator), case_with_step, reader, reason="ok")
    assert response.status_code == 200
    assert "ten minste 10 tekens" in response.content.decode()
    assert not MeldcodeReader.objects.exists()


def test_every_read_is_in_the_access_log(
    case_with_step, client_for, coordinator, team_lead, reader
):
    add_reader(client_for(coordinator), case_with_step, reader)
    step = case_with_step.steps.get()
    for user in (team_lead, reader):
        before = AccessLogEntry.objects.filter(user_id=user.pk, event="read").count()
        client_for(user).get(reverse("meldcode:detail", args=[case_with_step.pk]))
        entries = AccessLogEntry.objects.filter(user_id=user.pk, event="read")
        assert entries.count() == before + 1
        entry = entries.order_by("-id").first()
        assert entry.resident_id == case_with_step.resident_id
        assert f"meldcode.meldcodecase:{case_with_step.pk}" in entry.objects_touched
        assert f"meldcode.meldcodestep:{step.pk}" in entry.objects_touched
    # The resident's meldcode page logs the cases it lists.
    client_for(reader).get(reverse("meldcode:resident", args=[case_with_step.resident_id]))
    listed = AccessLogEntry.objects.filter(user_id=reader.pk).order_by("-id").first()
    assert f"meldcode.meldcodecase:{case_with_step.pk}" in listed.objects_touched


def test_adding_a_reader_is_a_grant_in_the_access_log(
    case_with_step, client_for, coordinator, reader
):
    add_reader(client_for(coordinator), case_with_step, reader)
    grant = MeldcodeReader.objects.get()
    entry = AccessLogEntry.objects.filter(user_id=coordinator.pk, event="grant").get()
    assert f"meldcode.meldcodereader:{grant.pk}" in entry.objects_touched
    assert entry.reason == grant.reason
