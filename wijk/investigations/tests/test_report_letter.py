"""The written report of a finished investigation: a letter to the resident (wijk.letters),
a tagged PDF whose text is read back here, listed on the investigation's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.core.private_files import private_file_read
from wijk.investigations.tests.conftest import edit, finish, start
from wijk.letters.models import Letter, LetterKind
from wijk.letters.tests.conftest import read_pdf, structure_tags

pytestmark = pytest.mark.django_db


def test_the_report_of_a_finished_investigation_is_a_tagged_letter(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    url = reverse("investigations:report", args=[investigation.pk])
    # Not while it is open: only a finished investigation is the report.
    assert client.post(url).status_code == 302
    assert not Letter.objects.exists()
    edit(client, investigation)
    finish(client, investigation)

    response = client.post(url)

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.INVESTIGATION_REPORT
    assert letter.source == f"investigations.investigation:{investigation.pk}"
    reader = read_pdf(private_file_read(letter.file_path))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Verslag van het onderzoek" in text
    assert "Ik kan de boodschappen niet meer zelf doen." in text  # what was asked
    assert "Mevrouw wil weer zelf kunnen koken en boodschappen doen." in text  # what was found
    assert "Financiën" in text
    assert "Dochter Sara was ook bij het gesprek." in text
    assert "Samen maken jullie een plan" in text  # what happens next
    assert "mag u uw eigen reactie geven" in text  # the right to add their own view
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    tags = structure_tags(reader)
    assert tags.count("/H1") == 1
    assert {"/H2", "/P", "/L", "/LI"} <= set(tags)
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert reverse("letters:file", args=[letter.pk]) in page
    # Made again: version 2, and version 1 stays.
    client.post(url)
    assert list(Letter.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
