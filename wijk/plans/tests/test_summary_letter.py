"""The plan summary letter of a signed version, made from its page: a tagged PDF in Dutch
with the goals, the support, the coordinator and the evaluation date, and for Aanvullende
Ondersteuning that this signed plan is the decision with the six-week objection term. Read
back from the PDF. A version that is not signed has no summary."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.core.private_files import private_file_read
from wijk.letters.models import Letter
from wijk.plans.tests.factories import DEFAULT_GOALS, SupportPlanFactory
from wijk.plans.tests.signatures import AO_DECISION, add_version, sign_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def plan(professional, team):
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def text_of(letter: Letter) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(private_file_read(letter.file_path)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return text, reader


def test_the_summary_of_a_signed_ao_plan_says_it_is_the_decision(
    plan, professional, client_for
) -> None:
    version = add_version(plan, **AO_DECISION, solution="Begeleiding bij de post.")
    sign_directly(plan, witness=professional)
    url = reverse("plans:summary_letter", args=[plan.pk, version.number])
    client = client_for(professional)
    assert "Samenvatting van het plan maken" in client.get(url).content.decode()

    response = client.post(url)

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert (letter.kind, letter.version, letter.resident_id) == (
        "plan_summary",
        1,
        plan.resident_id,
    )
    assert letter.source == f"plans.planversion:{version.pk}"
    text, reader = text_of(letter)
    assert "Samenvatting van het plan" in text
    assert "Begeleiding bij de post." in text
    assert "Uw regisseur is Fatima Bakker." in text
    assert "Aanvullende Ondersteuning: dit plan is het besluit" in text
    assert "Twee uur begeleiding per week bij de administratie." in text
    assert "14 december 2026" in text and "14 juni 2027" in text
    assert "binnen zes weken bezwaar maken" in text
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    page = client.get(url).content.decode()
    assert reverse("letters:file", args=[letter.pk]) in page
    entry = AccessLogEntry.objects.get(event="create")
    assert f"letters.letter:{letter.pk}" in entry.objects_touched


def test_the_summary_without_ao_names_the_goals_and_no_decision(
    plan, professional, client_for
) -> None:
    sign_directly(plan, witness=professional)
    client_for(professional).post(reverse("plans:summary_letter", args=[plan.pk, 1]))

    text, _reader = text_of(Letter.objects.get())
    for goal, _result in DEFAULT_GOALS:
        assert " ".join(goal.split()) in text
    assert "dit plan is het besluit" not in text


def test_an_unsigned_version_has_no_summary(plan, professional, client_for) -> None:
    url = reverse("plans:summary_letter", args=[plan.pk, 1])
    client = client_for(professional)

    response = client.post(url, follow=True)

    assert "Deze versie is nog niet ondertekend." in response.content.decode()
    assert not Letter.objects.exists()
