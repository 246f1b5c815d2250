"""Fixtures of the letters' tests: a team's professionals, a professional of another team, a
resident of the team's wijk with a trajectory (the record a sample letter is about), the
test-only sample letter template, and reading a PDF back."""

from __future__ import annotations

import copy
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.letters.models import Letter, LetterKind
from wijk.letters.services import letter_produce
from wijk.organisations.tests.factories import TeamFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.services import trajectory_start
from wijk.trajectories.tests.conftest import code, verified

TEST_TEMPLATES = Path(__file__).resolve().parent / "templates"
SAMPLE = "letters_test/sample.html"
SAMPLE_CONTEXT: dict[str, Any] = {
    "agreements": ["Wij bellen u elke week.", "U opent samen met ons de post."],
    "goals": [("Rust in de schulden", "Budgetcoach van de wijk")],
}


@pytest.fixture(autouse=True)
def sample_templates(settings: Any) -> None:
    """The test-only sample letter (tests/templates) is found by the template loader."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0].get("DIRS", []), TEST_TEMPLATES]
    settings.TEMPLATES = templates


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def outsider(make_user):
    """A professional of another team: does not reach the resident without breaking the glass."""
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    return make_user(Role.PROFESSIONAL, teams=[TeamFactory(wijken=[wijk])])


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk."""
    return HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    ).resident


@pytest.fixture
def trajectory(resident, team, professional):
    return trajectory_start(
        actor=verified(professional),
        resident=resident,
        part="sociaal_wijkteam",
        inflow_date=timezone.localdate() - datetime.timedelta(days=30),
        inflow_reason=code("inflow_reasons", "own_request"),
        primary_life_domain=code("life_domains", "finances"),
        life_domains=[],
        coordinator=professional,
        team=team,
        youth_support=False,
    )


def produce(actor, resident, source, kind: LetterKind = LetterKind.PLAN_SUMMARY) -> Letter:
    return letter_produce(
        actor=verified(actor),
        resident=resident,
        kind=kind,
        template=SAMPLE,
        context=SAMPLE_CONTEXT,
        source=source,
        team=source.team,
    )


def read_pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def structure_tags(reader: PdfReader) -> list[str]:
    """The structure types of the PDF's tag tree, depth first: "/Document", "/H1", "/P"…"""
    tags: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "keys"):
            if "/S" in node:
                tags.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return tags
