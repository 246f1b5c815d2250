"""Case notes through the real pages: written on a resident's file (about a request or a
trajectory), read with every version, edited into a new version (never over the old one,
never over a newer one someone else saved), refused when dated in the future, too long or a
work note without a reason, and every read in the access log."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.notes.models import TEXT_MAX_LENGTH, CaseNote, CaseNoteVersion
from wijk.notes.tests.conftest import TEXT, note_data, write_note
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


def _refs(entry: AccessLogEntry) -> set[str]:
    return set(entry.objects_touched)


def _last_entry(user) -> AccessLogEntry:
    return AccessLogEntry.objects.filter(user_id=user.pk).order_by("-id").first()


def _edit(client, note, **changes):
    data = note_data(based_on=note.current.seq, **changes)
    return client.post(reverse("notes:edit", args=[note.pk]), data)


# --- writing -----------------------------------------------------------------------------------


def test_a_note_written_on_the_case_file_is_saved_with_its_first_version(
    author, resident, client_for
) -> None:
    client = client_for(author)
    case_file = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert reverse("notes:write", args=[resident.pk]) in case_file
    assert client.get(reverse("notes:write", args=[resident.pk])).status_code == 200

    note = write_note(client, resident)

    assert note.resident == resident
    assert note.author == author
    version = note.current
    assert (version.seq, version.kind, version.text) == (1, "huisbezoek", TEXT)
    assert version.edited_by == author
    created = AccessLogEntry.objects.get(event=AccessEvent.CREATE, user_id=author.pk)
    assert {f"notes.casenote:{note.pk}", f"notes.casenoteversion:{version.pk}"} <= _refs(created)
    assert created.resident_id == resident.pk


def test_a_note_about_a_request_is_linked_to_it(author, resident, team, client_for) -> None:
    help_request = HelpRequestFactory(resident=resident, team=team, assigned_to=author)
    client = client_for(author)
    page = client.get(reverse("requests:detail", args=[help_request.pk])).content.decode()
    link = reverse("notes:write", args=[resident.pk]) + f"?hulpvraag={help_request.pk}"
    assert link in page

    note = write_note(client, resident, f"?hulpvraag={help_request.pk}")

    assert note.help_request == help_request
    assert note.trajectory is None


def test_a_note_about_a_trajectory_is_linked_to_it(author, resident, trajectory, client_for):
    client = client_for(author)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert reverse("notes:write", args=[resident.pk]) + f"?traject={trajectory.pk}" in page

    note = write_note(client, resident, f"?traject={trajectory.pk}")

    assert note.trajectory == trajectory


def test_a_request_of_another_resident_cannot_be_linked(author, resident, team, client_for):
    other = HouseholdMembershipFactory().resident
    help_request = HelpRequestFactory(resident=other, team=team, assigned_to=author)
    url = reverse("notes:write", args=[resident.pk]) + f"?hulpvraag={help_request.pk}"

    response = client_for(author).post(url, note_data())

    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_a_date_in_the_future_is_refused(author, resident, client_for) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client_for(author).post(
        reverse("notes:write", args=[resident.pk]), note_data(occurred_on=tomorrow.isoformat())
    )

    assert response.status_code == 200
    assert "De datum ligt in de toekomst" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_work_note_needs_a_reason(author, resident, client_for) -> None:
    client = client_for(author)
    url = reverse("notes:write", args=[resident.pk])

    refused = client.post(url, note_data(work_note="on"))

    assert refused.status_code == 200
    assert "Schrijf waarom de inwoner deze werkaantekening" in refused.content.decode()
    assert not CaseNote.objects.exists()

    note = write_note(client, resident, work_note="on", work_note_reason="Gaat over de buurman")
    assert note.current.work_note
    assert note.current.work_note_reason == "Gaat over de buurman"


def test_the_form_says_an_ordinary_note_is_shown_to_the_resident_later(
    author, resident, client_for
) -> None:
    page = client_for(author).get(reverse("notes:write", args=[resident.pk])).content.decode()

    assert "Later kan de inwoner de eigen notities lezen" in page
    assert "Werkaantekening" in page
    # A counter of the characters left, and no maxlength that would cut a pasted text.
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert f'data-character-limit="{TEXT_MAX_LENGTH}"' in textarea
    assert "maxlength" not in textarea


def test_a_text_that_is_too_long_is_refused_and_kept_in_the_form(
    author, resident, client_for
) -> None:
    text = "woord " * (TEXT_MAX_LENGTH // 6) + "einde van de zin"
    assert len(text) > TEXT_MAX_LENGTH

    response = client_for(author).post(
        reverse("notes:write", args=[resident.pk]), note_data(text=text)
    )

    assert response.status_code == 200
    assert not CaseNote.objects.exists()
    page = response.content.decode()
    assert "einde van de zin</textarea>" in page
    assert "utrecht-form-field--invalid" in page


# --- reading and editing -----------------------------------------------------------------------


def test_the_note_page_shows_the_text_and_logs_the_read(author, resident, client_for) -> None:
    client = client_for(author)
    note = write_note(client, resident)

    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()

    assert TEXT in page
    read = _last_entry(author)
    assert read.event == AccessEvent.READ
    assert read.resident_id == resident.pk
    assert {
        f"notes.casenote:{note.pk}",
        f"residents.resident:{resident.pk}",
        f"notes.casenoteversion:{note.current.pk}",
    } <= _refs(read)


def test_an_edit_keeps_the_old_version_readable(author, resident, client_for) -> None:
    client = client_for(author)
    note = write_note(client, resident)
    first = note.current

    response = _edit(client, note, text="Huisbezoek afgelegd. Aangevuld: post samen geopend.")

    assert response.status_code == 302
    note.refresh_from_db()
    assert list(note.versions.values_list("seq", "text")) == [
        (1, TEXT),
        (2, "Huisbezoek afgelegd. Aangevuld: post samen geopend."),
    ]
    assert note.current.seq == 2
    page = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "Aangevuld: post samen geopend." in page
    assert "Versie 1" in page and TEXT in page
    read = _last_entry(author)
    assert {f"notes.casenoteversion:{first.pk}", f"notes.casenoteversion:{note.current.pk}"} <= (
        _refs(read)
    )
    updated = AccessLogEntry.objects.get(event=AccessEvent.UPDATE, user_id=author.pk)
    assert f"notes.casenoteversion:{note.current.pk}" in _refs(updated)


def test_an_edit_on_a_version_that_is_no_longer_the_newest_is_refused(
    author, colleague, resident, client_for
) -> None:
    """Both open the note at version 1; the colleague saves first; the author's save is
    refused and the page shows what the colleague saved, with the author's text kept."""
    author_client, colleague_client = client_for(author), client_for(colleague)
    note = write_note(author_client, resident)
    opened_at = note.current.seq

    saved = _edit(colleague_client, note, text="Versie van de collega")
    assert saved.status_code == 302

    refused = author_client.post(
        reverse("notes:edit", args=[note.pk]),
        note_data(based_on=opened_at, text="Versie van de schrijver"),
    )

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Iemand anders heeft deze notitie intussen veranderd" in page
    assert "Versie van de collega" in page
    assert "Versie van de schrijver</textarea>" in page
    assert list(note.versions.values_list("text", flat=True)) == [TEXT, "Versie van de collega"]


def test_an_edit_that_changes_nothing_makes_no_version(author, resident, client_for) -> None:
    client = client_for(author)
    note = write_note(client, resident)

    response = _edit(client, note)

    assert response.status_code == 200
    assert "U heeft niets veranderd" in response.content.decode()
    assert note.versions.count() == 1


@pytest.mark.parametrize(
    "statement",
    ["UPDATE notes_casenoteversion SET text = 'herschreven'", "DELETE FROM notes_casenoteversion"],
)
def test_the_database_refuses_to_rewrite_a_version(author, resident, client_for, statement) -> None:
    note = write_note(client_for(author), resident)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert list(CaseNoteVersion.objects.values_list("text", flat=True)) == [TEXT]
    assert note.versions.count() == 1
