"""The letter's PDF is served through the gate: to the resident's professionals, with no
caching and the read in the access log; everyone else gets the same 404 as for a letter that
does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome
from wijk.core.private_files import private_file_read
from wijk.letters.tests.conftest import produce, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(professional, resident, trajectory):
    return produce(professional, resident, trajectory)


def test_a_colleague_opens_the_letter_and_the_read_is_logged(colleague, letter, client_for):
    response = client_for(colleague).get(reverse("letters:file", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (f'inline; filename="brief-{letter.pk}-versie-1.pdf"')
    assert response.content == private_file_read(letter.file_path)
    assert "Anna Jansen" in read_pdf(response.content).pages[0].extract_text()
    entry = AccessLogEntry.objects.filter(user_id=colleague.pk).last()
    assert (entry.event, entry.outcome) == (AccessEvent.READ, AccessOutcome.SUCCESS)
    assert entry.resident_id == letter.resident_id
    assert f"letters.letter:{letter.pk}" in entry.objects_touched


def test_both_versions_stay_readable(professional, resident, trajectory, client_for):
    first = produce(professional, resident, trajectory)
    second = produce(professional, resident, trajectory)
    client = client_for(professional)

    for letter in (first, second):
        response = client.get(reverse("letters:file", args=[letter.pk]))
        assert response.status_code == 200
        assert response.content == private_file_read(letter.file_path)


def test_a_professional_of_another_team_gets_404_and_the_refusal_is_logged(
    outsider, letter, client_for
):
    response = client_for(outsider).get(reverse("letters:file", args=[letter.pk]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    entry = AccessLogEntry.objects.filter(user_id=outsider.pk).last()
    assert entry.outcome == AccessOutcome.REFUSED
    assert entry.objects_touched == [f"letters.letter:{letter.pk}"]


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_404(role, make_user, team, letter, client_for):
    user = make_user(role, teams=[team])

    response = client_for(user).get(reverse("letters:file", args=[letter.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(
        user_id=user.pk, outcome=AccessOutcome.SUCCESS
    ).exists()


def test_a_missing_letter_is_the_same_404(professional, letter, client_for):
    response = client_for(professional).get(reverse("letters:file", args=[letter.pk + 1000]))

    assert response.status_code == 404


def test_a_letter_whose_file_was_changed_is_not_served(
    professional, letter, client_for, private_root
):
    (private_root / letter.file_path).write_bytes(b"%PDF-1.7 something else")

    response = client_for(professional).get(reverse("letters:file", args=[letter.pk]))

    assert response.status_code == 404


def test_the_letter_is_on_the_case_file_timeline(colleague, letter, client_for):
    response = client_for(colleague).get(reverse("residents:detail", args=[letter.resident_id]))

    page = response.content.decode()
    assert reverse("letters:file", args=[letter.pk]) in page
    assert "Brief: Samenvatting van het plan (versie 1)" in page
