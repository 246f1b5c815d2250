"""A long question is never cut: the page has no `maxlength` (with which the browser drops
what is typed or pasted past the limit without a word) but a counter, and the server refuses
a text over the limit with a message and keeps it in the field."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from wijk.requests.models import HelpRequest
from wijk.requests.tests.conftest import code
from wijk.requests.tests.test_register import form_data

pytestmark = pytest.mark.django_db

# 2,500 characters, ending in a sentence that must not be lost.
QUESTION = ("Mevrouw belt over de post van de belastingdienst. " * 49)[:2450] + (
    "Het laatste deel van de zin is ook belangrijk."
).ljust(50, ".")


def _textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>', page)
    assert found is not None
    return found.group()


def test_the_question_field_has_a_counter_and_no_maxlength(professional, client_for) -> None:
    page = client_for(professional).get(reverse("requests:register")).content.decode()
    field = _textarea(page, "question")
    assert "maxlength" not in field
    assert 'data-character-limit="2000"' in field
    assert "core/character-count.js" in page


def test_the_public_form_has_a_counter_and_no_maxlength(client) -> None:
    page = client.get(reverse("portal:request_form")).content.decode()
    field = _textarea(page, "question")
    assert "maxlength" not in field
    assert 'data-character-limit="2000"' in field


def test_a_question_of_2500_characters_is_refused_with_the_text_kept(
    professional, client_for
) -> None:
    assert len(QUESTION) == 2500
    response = client_for(professional).post(
        reverse("requests:register"), form_data(code("channels", "phone"), question=QUESTION)
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert (
        '"Waar gaat de vraag over?" is te lang: gebruik niet meer dan 2000 tekens (nu 2500).'
        in page
    )
    assert f">\n{QUESTION}</textarea>" in page  # the whole text, still in the field
    assert not HelpRequest.objects.exists()


def test_a_question_of_2000_characters_is_stored_whole(professional, client_for) -> None:
    question = QUESTION[-2000:]
    response = client_for(professional).post(
        reverse("requests:register"),
        form_data(
            code("channels", "phone"),
            question=question,
            requester_name="Mevrouw Jansen",
            requester_phone="023 123 45 67",
        ),
    )
    assert response.status_code == 302
    assert HelpRequest.objects.get().question == question.strip()
