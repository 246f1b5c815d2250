"""Who may read a note (ADR 0027): exactly those who may see its resident (the one resident
rule, ADR 0020), and the text of a confidential note only its author, the coordinator of the
trajectory and the team lead(s) of the author's team. Others see that it exists: date,
author, kind and "vertrouwelijk", on the note's page and on the timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome
from wijk.notes.models import CaseNote
from wijk.notes.selectors import timeline_notes_for_user
from wijk.notes.tests.conftest import TEXT, note_data, write_note
from wijk.residents.tests.grants import break_the_glass, expire_grants
from wijk.trajectories.tests.conftest import verified
from wijk.trajectories.tests.test_start import form_data as start_form

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "vertrouwelijk"
SECRET = "Mevrouw vertelde over geweld in de thuissituatie."


@pytest.fixture
def confidential_note(author, resident, trajectory, client_for) -> CaseNote:
    """A confidential note of the author, linked to the resident's trajectory: its coordinator
    reads it."""
    return write_note(
        client_for(author), resident, f"?traject={trajectory.pk}", text=SECRET, confidential="on"
    )


def _reads(client, note) -> str:
    response = client.get(reverse("notes:detail", args=[note.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("reader", ["author", "coordinator", "team_lead"])
def test_the_readers_of_a_confidential_note_read_its_text(
    reader, confidential_note, client_for, request
) -> None:
    user = request.getfixturevalue(reader)

    page = _reads(client_for(user), confidential_note)

    assert SECRET in page
    entries = timeline_notes_for_user(user=verified(user), resident=confidential_note.resident)
    assert [entry.flag for entry in entries] == [CONFIDENTIAL]
    assert entries[0].detail.startswith("Mevrouw vertelde")


def test_nobody_makes_themselves_a_reader_by_coordinating_a_trajectory(
    author, colleague, coordinator, resident, team, trajectory, client_for
) -> None:
    """Found in review: a reader of unlinked notes was "the coordinator of any open trajectory
    of the resident", and any professional who may see the resident can start one with
    themselves as coordinator. Only the trajectory the author linked the note to counts."""
    note = write_note(client_for(author), resident, text=SECRET, confidential="on")
    assert SECRET not in _reads(client_for(coordinator), note)  # coordinates, but not linked
    colleague_client = client_for(colleague)
    started = colleague_client.post(
        reverse("trajectories:start") + f"?inwoner={resident.pk}",
        start_form(team, colleague),
    )
    assert started.status_code == 302, started.content.decode()

    assert SECRET not in _reads(colleague_client, note)
    [entry] = timeline_notes_for_user(user=verified(colleague), resident=resident)
    assert (entry.flag, entry.detail) == (CONFIDENTIAL, "")


def test_a_colleague_sees_only_that_a_confidential_note_exists(
    colleague, confidential_note, client_for
) -> None:
    client = client_for(colleague)

    page = _reads(client, confidential_note)

    assert SECRET not in page
    assert "Deze notitie is vertrouwelijk" in page
    assert "Huisbezoek" in page and "Fatima Bakker" in page
    [entry] = timeline_notes_for_user(user=verified(colleague), resident=confidential_note.resident)
    assert (entry.flag, entry.detail) == (CONFIDENTIAL, "")
    assert "Huisbezoek" in entry.title and "Fatima Bakker" in entry.title
    # Nor through the edit page.
    assert client.get(reverse("notes:edit", args=[confidential_note.pk])).status_code == 404


def test_an_edit_of_a_note_made_confidential_meanwhile_is_refused(
    author, colleague, resident, trajectory, client_for
) -> None:
    """The colleague opened an ordinary note; the author made it confidential before the
    colleague saved: the colleague's edit is refused and the text stays hidden."""
    author_client, colleague_client = client_for(author), client_for(colleague)
    note = write_note(author_client, resident, text=SECRET)
    edit = reverse("notes:edit", args=[note.pk])
    assert colleague_client.get(edit).status_code == 200
    made_confidential = author_client.post(
        edit, note_data(based_on=1, text=SECRET, confidential="on")
    )
    assert made_confidential.status_code == 302

    response = colleague_client.post(edit, note_data(based_on=1, text="Overschreven"), follow=True)

    page = response.content.decode()
    assert "intussen vertrouwelijk gemaakt" in page
    assert SECRET not in page
    assert list(note.versions.values_list("text", flat=True)) == [SECRET, SECRET]


def test_a_team_lead_of_another_team_does_not_read_a_confidential_note(
    other_team_lead, confidential_note, client_for
) -> None:
    """Breaking the glass gives the resident, not the team lead's right to the text."""
    client = client_for(other_team_lead)
    break_the_glass(client, confidential_note.resident)

    page = _reads(client, confidential_note)

    assert SECRET not in page


def test_a_confidential_note_made_ordinary_is_read_by_the_team(
    author, colleague, confidential_note, client_for
) -> None:
    response = client_for(author).post(
        reverse("notes:edit", args=[confidential_note.pk]), note_data(based_on=1, text=SECRET)
    )
    assert response.status_code == 302

    assert SECRET in _reads(client_for(colleague), confidential_note)


def test_the_coordinator_of_the_linked_trajectory_reads_it_and_no_other(
    author, coordinator, colleague, resident, trajectory, client_for
) -> None:
    """Linked to a trajectory, the note is read by that trajectory's coordinator; a
    professional coordinating nothing of the resident does not read it."""
    note = write_note(
        client_for(author), resident, f"?traject={trajectory.pk}", text=SECRET, confidential="on"
    )

    assert SECRET in _reads(client_for(coordinator), note)
    assert SECRET not in _reads(client_for(colleague), note)


def test_nobody_outside_the_resident_sees_a_note_at_all(
    outsider, confidential_note, author, resident, client_for
) -> None:
    ordinary = write_note(client_for(author), resident)
    client = client_for(outsider)

    for note in (ordinary, confidential_note):
        assert client.get(reverse("notes:detail", args=[note.pk])).status_code == 404
        assert client.get(reverse("notes:edit", args=[note.pk])).status_code == 404
    assert timeline_notes_for_user(user=verified(outsider), resident=resident) == []
    refused = AccessLogEntry.objects.filter(
        user_id=outsider.pk, event=AccessEvent.READ, outcome=AccessOutcome.REFUSED
    )
    assert refused.count() == 4


def test_a_note_read_under_an_expired_grant_is_gone(outsider, author, resident, client_for) -> None:
    note = write_note(client_for(author), resident)
    client = client_for(outsider)
    break_the_glass(client, resident)
    assert TEXT in _reads(client, note)

    expire_grants(resident)

    assert client.get(reverse("notes:detail", args=[note.pk])).status_code == 404
    assert timeline_notes_for_user(user=verified(outsider), resident=resident) == []


@pytest.mark.parametrize("role", ["management", "municipality", "administrator"])
def test_roles_without_person_level_access_see_no_note(
    role, author, resident, make_user, team, client_for
) -> None:
    note = write_note(client_for(author), resident)
    user = make_user(role, teams=[team] if role != "administrator" else None)

    assert client_for(user).get(reverse("notes:detail", args=[note.pk])).status_code == 404
    assert timeline_notes_for_user(user=verified(user), resident=resident) == []
