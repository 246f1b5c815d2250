"""Fixtures of the decision desk's tests: a professional who coordinates a signed plan of a
resident of the team's wijk, a decision officer of the municipality, and helpers that go
through the pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from wijk.accounts.models import Role
from wijk.decisions.models import DecisionCase
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import sign_directly
from wijk.plans.workflow import PlanStatus


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def officer(make_user):
    """A decision officer of the municipality: in no team, approved by a second person."""
    return make_user(Role.MUNICIPALITY_DECISIONS, first_name="Gerda", last_name="Gemeente")


@pytest.fixture
def plan(team, professional):
    """An active plan whose version 1 the resident signed, coordinated by the professional."""
    plan = SupportPlanFactory(team=team, coordinator=professional, status=PlanStatus.DRAFT)
    sign_directly(plan, witness=professional)
    plan.refresh_from_db()
    return plan


DRAFT = "U krijgt twee uur begeleiding per week bij uw administratie.\nDit duurt een jaar."


def place(client: Client, plan: Any, **data: Any) -> Any:
    fields = {"kind": "requested", "draft_text": DRAFT, **data}
    return client.post(reverse("decisions:place", args=[plan.pk]), fields)


def request_pgb(client: Client, plan: Any, **data: Any) -> Any:
    fields = {
        "pgb_plan": "Begeleiding door de buurvrouw, vier uur per week.",
        "amount_requested": "4.800,00",
        "draft_text": "Wij stellen voor: een pgb van € 4.800 per jaar.",
        **data,
    }
    return client.post(reverse("decisions:pgb_request", args=[plan.pk]), fields)


def placed(response: Any) -> DecisionCase:
    assert response.status_code == 302, response.content.decode()
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    return DecisionCase.objects.get(pk=pk)


def decide(client: Client, case: DecisionCase, **data: Any) -> Any:
    return client.post(reverse("decisions:desk_case", args=[case.pk]), data)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
