"""The notes' part of the case-file timeline: one entry per note, newest first, linking to the
note, with the start of the text (never all of it), in a fixed number of queries, logged."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.notes.selectors import PREVIEW_LENGTH, timeline_notes_for_user
from wijk.notes.tests.conftest import write_note
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db

# The notes with their current version and author, and the access-log entry (two statements:
# lock the chain's head; move it and insert the entry, docs/adr/0006).
TIMELINE_QUERIES = 3


def test_the_timeline_lists_the_notes_newest_first_with_a_short_preview(
    author, resident, client_for
) -> None:
    client = client_for(author)
    today = timezone.localdate()
    long_text = "Eerste zin van een lang verslag. " + "Meer tekst over het gesprek. " * 20
    older = write_note(
        client, resident, kind="telefoongesprek", occurred_on=str(today - datetime.timedelta(3))
    )
    newer = write_note(client, resident, text=long_text)
    work = write_note(client, resident, work_note="on", work_note_reason="Over de buurman")

    entries = timeline_notes_for_user(user=verified(author), resident=resident)

    assert [entry.url for entry in entries] == [
        reverse("notes:detail", args=[note.pk]) for note in (work, newer, older)
    ]
    assert {entry.kind for entry in entries} == {"note"}
    assert entries[0].flag == "werkaantekening"
    assert entries[1].detail.startswith("Eerste zin van een lang verslag.")
    assert entries[1].detail.endswith("…")
    assert len(entries[1].detail) <= PREVIEW_LENGTH + 1
    assert "Telefoongesprek" in entries[2].title
    assert entries[2].at.date() == today - datetime.timedelta(3)
    logged = AccessLogEntry.objects.filter(user_id=author.pk, event=AccessEvent.READ).last()
    assert {f"notes.casenote:{note.pk}" for note in (older, newer, work)} <= set(
        logged.objects_touched
    )


@pytest.mark.parametrize("notes", [1, 6])
def test_the_timeline_reads_in_a_fixed_number_of_queries(
    notes, author, colleague, resident, client_for, django_assert_num_queries
) -> None:
    client = client_for(author)
    for number in range(notes):
        write_note(client, resident, confidential="on" if number % 2 else None)
    user = verified(colleague)

    with django_assert_num_queries(TIMELINE_QUERIES):
        entries = timeline_notes_for_user(user=user, resident=resident)

    assert len(entries) == notes


def test_the_timeline_gives_the_newest_notes_up_to_the_limit(author, resident, client_for):
    client = client_for(author)
    notes = [write_note(client, resident) for _number in range(3)]

    entries = timeline_notes_for_user(user=verified(author), resident=resident, limit=2)

    assert [entry.ref for entry in entries] == [
        f"notes.casenote:{note.pk}" for note in reversed(notes[1:])
    ]
    assert timeline_notes_for_user(user=verified(author), resident=resident, kinds=["zrm"]) == []


def test_a_note_is_found_on_the_case_file_without_its_confidential_text(
    author, colleague, resident, client_for
) -> None:
    secret = "Mevrouw vertelde over schulden bij familie."
    note = write_note(client_for(author), resident, text=secret, confidential="on")

    response = client_for(colleague).get(reverse("residents:detail", args=[resident.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("notes:detail", args=[note.pk]) in page
    assert "vertrouwelijk" in page
    assert secret not in page
