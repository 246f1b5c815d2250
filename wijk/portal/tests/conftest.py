"""Fixtures of the public request form's tests: the intake team, a team covering a buurt with
a known postcode, and the form as a resident's browser would send it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from structlog.testing import CapturingLogger

from wijk.areas.models import Buurt
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory
from wijk.residents.tests.factories import AddressFactory

POSTCODE = "2012ZK"
FORM_URL = "/aanmelden"
RECEIVED_URL = "/aanmelden/bedankt"
_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


@pytest.fixture
def intake_team(db: Any) -> Team:
    return TeamFactory(name="Intaketeam", is_intake=True, wijken=[])


@pytest.fixture
def buurt(team: Team) -> Buurt:
    """A buurt in the wijk the `team` fixture covers, with a known address at POSTCODE."""
    buurt = Buurt.objects.filter(wijk__in=team.wijken.all()).order_by("code").first()
    assert buurt is not None
    AddressFactory(postcode=POSTCODE, house_number=1, buurt=buurt)
    return buurt


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> CapturingLogger:
    logger = CapturingLogger()
    monkeypatch.setattr("wijk.portal.services.log", logger)
    return logger


def events(logger: CapturingLogger) -> list[str]:
    return [call.args[0] for call in logger.calls]


def submission_key(client: Client) -> str:
    """Open the form as a resident does: the page hands out the form's submission key."""
    response = client.get(reverse("portal:request_form"))
    assert response.status_code == 200
    match = _KEY.search(response.content.decode())
    assert match, "the form carries no submission key"
    return match.group(1)


def form_data(client: Client, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question": "Ik heb schulden en weet niet waar ik moet beginnen.",
        "for_whom": "self",
        "relation": "",
        "name": "Sanne de Vries",
        "phone": "06 1234 5678",
        "email": "",
        "postcode": "2012 zk",
        "house_number": "1",
        "website": "",
        "submission_key": submission_key(client),
    }
    data.update(overrides)
    return data
