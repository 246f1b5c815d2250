"""Producing a letter: a tagged, accessible PDF (PDF/UA-1) that is read back here, kept in
private storage and recorded as the next version for its source and kind."""

from __future__ import annotations

import base64

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from wijk.accounts.models import Role
from wijk.core.errors import NotFoundError, PermissionDeniedError
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.core.private_files import private_file_read
from wijk.letters.models import Letter, LetterKind
from wijk.letters.services import letter_produce
from wijk.letters.tests.conftest import produce, read_pdf, structure_tags
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db


def test_a_letter_is_a_tagged_pdf_in_dutch_with_its_text_and_the_rights(
    professional, resident, trajectory, private_root
) -> None:
    letter = produce(professional, resident, trajectory)

    reader = read_pdf(private_file_read(letter.file_path))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Anna Jansen" in text
    assert "Samenvatting van het plan" in text
    assert "U opent samen met ons de post." in text
    assert "U kunt binnen zes weken bezwaar maken." in text
    assert "onafhankelijke cliëntondersteuner" in text
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "Samenvatting van het plan"
    tags = structure_tags(reader)
    assert tags.count("/H1") == 1
    assert {"/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD"} <= set(tags)
    # Every font is embedded (a font file in its descriptor), and it is the letters' font.
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]
        assert "Open-Sans" in descendant["/BaseFont"]
    # Kept outside the web root, in the test's private directory, under a name nobody guesses.
    assert (private_root / letter.file_path).is_file()
    assert letter.file_path.startswith("letters/") and letter.file_path.endswith(".pdf")
    assert str(trajectory.pk) not in letter.file_path.rsplit("/", 1)[1]


def test_the_same_letter_again_is_version_two_and_version_one_stays(
    professional, resident, trajectory
) -> None:
    first = produce(professional, resident, trajectory)
    second = produce(professional, resident, trajectory)
    other_kind = produce(professional, resident, trajectory, kind=LetterKind.DRAFT_DECISION)

    assert (first.version, second.version, other_kind.version) == (1, 2, 1)
    assert first.source == second.source == f"trajectories.trajectory:{trajectory.pk}"
    assert first.file_path != second.file_path
    assert read_pdf(private_file_read(first.file_path)).pages
    text = read_pdf(private_file_read(second.file_path)).pages[0].extract_text()
    assert "versie 2" in " ".join(text.split())


def test_producing_a_letter_is_one_access_log_entry_naming_letter_and_source(
    professional, resident, trajectory
) -> None:
    letter = produce(professional, resident, trajectory)

    entry = AccessLogEntry.objects.filter(event=AccessEvent.CREATE, user_id=professional.pk).last()
    assert entry.resident_id == resident.pk
    assert entry.objects_touched == [
        f"letters.letter:{letter.pk}",
        f"trajectories.trajectory:{trajectory.pk}",
    ]


def test_a_role_without_person_level_access_cannot_produce_a_letter(
    make_user, resident, trajectory
) -> None:
    with pytest.raises(PermissionDeniedError):
        produce(make_user(Role.MANAGEMENT), resident, trajectory)
    assert not Letter.objects.exists()


def test_a_professional_who_may_not_see_the_resident_cannot_produce_a_letter(
    outsider, resident, trajectory, private_root
) -> None:
    with pytest.raises(NotFoundError):
        produce(outsider, resident, trajectory)
    assert not Letter.objects.exists()
    assert not private_root.exists() or not any(private_root.rglob("*.pdf"))


def test_a_letter_about_another_residents_record_is_refused(professional, trajectory, team) -> None:
    other = HouseholdMembershipFactory().resident

    with pytest.raises(ValueError):
        produce(professional, other, trajectory)
    assert not Letter.objects.exists()


def test_a_letter_cannot_be_changed_or_deleted_in_the_database(
    professional, resident, trajectory
) -> None:
    letter = produce(professional, resident, trajectory)

    for statement in ("UPDATE letters_letter SET version = 7", "DELETE FROM letters_letter"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    letter.refresh_from_db()
    assert letter.version == 1


def test_rendering_fetches_no_url(professional, resident, trajectory, tmp_path) -> None:
    """A value in a letter can never make the server fetch anything: not a file on the
    server, not a data URL (and so no web address either)."""
    image = tmp_path / "pixel.png"
    image.write_bytes(PIXEL_PNG)
    letters = [
        letter_produce(
            actor=verified(professional),
            resident=resident,
            kind=LetterKind.PLAN_SUMMARY,
            template="letters_test/fetching.html",
            context={"image_url": url},
            source=trajectory,
            team=trajectory.team,
        )
        for url in (image.as_uri(), "data:image/png;base64," + base64.b64encode(PIXEL_PNG).decode())
    ]

    for letter in letters:
        reader = read_pdf(private_file_read(letter.file_path))
        assert "Een brief met een plaatje." in reader.pages[0].extract_text()
        for page in reader.pages:
            assert not page["/Resources"].get("/XObject")


# The smallest PNG: one transparent pixel.
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
