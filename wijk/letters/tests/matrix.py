"""Authorization matrix rows for the letters' pages: person-level, so professionals and team
leads who may see the letter's resident; 404 for every other role."""

from __future__ import annotations

from typing import Any

from wijk.core.private_files import private_file_write
from wijk.core.tests.matrix_kit import PERSON_LEVEL, Kwargs, row
from wijk.letters.models import Letter, LetterKind

LETTER: Kwargs = lambda objects: {"pk": objects["letter"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "letters:file": (row(PERSON_LEVEL), LETTER),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """A letter on the matrix's resident by a colleague. Recorded without the service (which
    renders a real PDF, tested in test_letter_produce): a stand-in file is enough here, and a
    user outside a request has no TOTP-verified session, so no gate."""
    resident = objects["resident"]
    stored = private_file_write(folder="letters", data=b"%PDF-1.7\n%%EOF\n", suffix=".pdf")
    objects["letter"] = Letter.objects.create(
        resident=resident,
        team=objects["team"],
        kind=LetterKind.PLAN_SUMMARY,
        source=f"residents.resident:{resident.pk}",
        version=1,
        title=str(LetterKind.PLAN_SUMMARY.label),
        file_path=stored.path,
        sha256=stored.sha256,
        size=stored.size,
        created_by=objects["other_user"],
    )
