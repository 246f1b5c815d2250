"""The meldcode pages as people use them: the link on the case file, the resident's meldcode
page, each step's form, the readers page; and nothing of a case on the case-file timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.meldcode.tests.conftest import record_step

pytestmark = pytest.mark.django_db


def test_the_case_file_links_to_the_meldcode_but_shows_no_case(
    case, client_for, coordinator, resident
):
    client = client_for(coordinator)
    record_step(client, case, 1, text="Blauwe plekken op de armen van de oudste.")
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert reverse("meldcode:resident", args=[resident.pk]) in page
    assert "Blauwe plekken" not in page
    assert reverse("meldcode:detail", args=[case.pk]) not in page


def test_the_resident_page_lists_the_case_for_its_readers(case, client_for, coordinator, resident):
    page = client_for(coordinator).get(reverse("meldcode:resident", args=[resident.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("meldcode:detail", args=[case.pk]) in html
    assert reverse("meldcode:open", args=[resident.pk]) in html


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_every_step_form_is_shown(case, client_for, team_lead, number):
    page = client_for(team_lead).get(reverse("meldcode:step", args=[case.pk, number]))
    assert page.status_code == 200
    assert f"Stap {number}:" in page.content.decode()


def test_the_weighing_form_asks_the_five_questions_and_shows_the_kindcheck(
    case, client_for, coordinator
):
    client = client_for(coordinator)
    record_step(client, case, 1)
    html = client.get(reverse("meldcode:step", args=[case.pk, 4])).content.decode()
    for name in ("suspicion", "unsafe", "can_help", "accepts_help", "help_works"):
        assert f'name="{name}"' in html
    assert "Kindcheck in stap 1" in html


def test_the_readers_page_offers_colleagues_but_not_oneself(
    case, client_for, coordinator, reader, colleague
):
    html = client_for(coordinator).get(reverse("meldcode:readers", args=[case.pk])).content.decode()
    assert f'<option value="{reader.pk}"' in html
    assert f'<option value="{colleague.pk}"' in html
    assert f'<option value="{coordinator.pk}"' not in html


def test_an_optional_field_is_called_optional_once(case, client_for, coordinator):
    html = client_for(coordinator).get(reverse("meldcode:step", args=[case.pk, 1])).content.decode()

    assert "Wie zorgt voor de kinderen?" in html
    assert "(niet verplicht)</span>" in html
    assert "(niet verplicht) <span" not in html
    assert html.count("(niet verplicht)") == html.count('<span class="wijk-optional">')
