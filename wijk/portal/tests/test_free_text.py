"""Free text on the public request form is read by staff: characters that hide text or change
the order in which it is shown are refused, meaning-free invisible ones removed
(docs/adr/0021-invisible-characters-in-free-text.md)."""

from __future__ import annotations

import pytest

from wijk.portal.tests.conftest import FORM_URL, RECEIVED_URL, form_data
from wijk.requests.models import HelpRequest

pytestmark = pytest.mark.django_db

QUESTION = "Ik heb schulden en weet niet waar ik moet beginnen."


@pytest.mark.parametrize(
    ("question", "named"),
    [
        (f"{QUESTION} \u202egninnigeb\u202c", "U+202E, U+202C"),  # right-to-left override
        ("Ik heb \u2067schulden\u2069 en een vraag.", "U+2067, U+2069"),  # isolate
        (f"{QUESTION}\u200f", "U+200F"),  # right-to-left mark
        (f"{QUESTION}\x1b[2J", "U+001B"),  # a terminal escape
        (f"{QUESTION}\U000e0049\U000e0047", "U+E0049, U+E0047"),  # hidden tag letters
    ],
)
def test_text_that_hides_or_reorders_is_refused_with_a_message(
    client, team, buurt, intake_team, question, named
) -> None:
    response = client.post(FORM_URL, form_data(client, question=question))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze tekst bevat onzichtbare tekens" in html
    assert f"({named})" in html
    assert not HelpRequest.objects.exists()


def test_meaning_free_invisible_characters_are_removed(client, team, buurt, intake_team) -> None:
    data = form_data(
        client,
        question=f"\ufeff{QUESTION}\u200b",
        name="San\u00adne de\u2060 Vries",
    )
    response = client.post(FORM_URL, data)
    assert response.status_code == 302
    assert response["Location"] == RECEIVED_URL
    help_request = HelpRequest.objects.get()
    assert help_request.question == QUESTION
    assert help_request.requester_name == "Sanne de Vries"


def test_joiners_that_shape_scripts_and_emoji_are_kept(client, team, buurt, intake_team) -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # a word with a non-joiner
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, three joined
    question = f"{QUESTION} {persian} {family}"
    response = client.post(FORM_URL, form_data(client, question=question))
    assert response.status_code == 302
    assert HelpRequest.objects.get().question == question
