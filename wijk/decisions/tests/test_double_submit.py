"""The decision forms sent twice (a double click, a browser that sends the POST again): one
case placed, one pgb request, one decision, one pgb evaluation; the second sending leads to
what the first made, not to the refusal of a second case (wijk.core.submissions)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.tests.sent_forms import submission_key
from wijk.decisions.models import DecisionCase, PgbEvaluation
from wijk.decisions.tests.conftest import decide, place, placed, request_pgb
from wijk.letters.models import Letter

pytestmark = pytest.mark.django_db

ALREADY_SENT = "U had dit formulier al verstuurd. Het is één keer opgeslagen."


def test_placing_a_case_twice_places_one(plan, professional, client_for) -> None:
    client = client_for(professional)
    key = submission_key(client.get(reverse("decisions:place", args=[plan.pk])))

    first = placed(place(client, plan, submission_key=key))
    second = place(client, plan, submission_key=key)

    assert second.status_code == 302
    assert second["Location"] == reverse("decisions:case", args=[first.pk])
    assert DecisionCase.objects.count() == 1
    assert Letter.objects.count() == 1  # one draft decision
    assert ALREADY_SENT in client.get(second["Location"]).content.decode()


def test_a_pgb_request_sent_twice_is_one_request(plan, professional, client_for) -> None:
    client = client_for(professional)
    key = submission_key(client.get(reverse("decisions:pgb_request", args=[plan.pk])))

    first = placed(request_pgb(client, plan, submission_key=key))
    second = request_pgb(client, plan, submission_key=key)

    assert second.status_code == 302
    assert second["Location"] == reverse("decisions:case", args=[first.pk])
    assert DecisionCase.objects.count() == 1


def test_the_desk_sending_its_decision_twice_records_it_once(
    plan, professional, officer, client_for
) -> None:
    case = placed(place(client_for(professional), plan))
    desk = client_for(officer)
    key = submission_key(desk.get(reverse("decisions:desk_case", args=[case.pk])))
    decision = {
        "submission_key": key,
        "outcome": "refused",
        "decided_on": timezone.localdate().isoformat(),
        "reference": "WMO-2026-12",
    }

    assert decide(desk, case, **decision).status_code == 302
    assert decide(desk, case, **decision).status_code == 302

    assert case.status_changes.count() == 2  # placed, decided


def test_a_pgb_evaluation_sent_twice_is_recorded_once(
    plan, professional, officer, client_for
) -> None:
    team_client = client_for(professional)
    case = placed(request_pgb(team_client, plan))
    granted = decide(
        client_for(officer),
        case,
        outcome="granted",
        decided_on=timezone.localdate().isoformat(),
        reference="PGB-2026-7",
        starts_on=(timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        amount="4.800,00",
    )
    assert granted.status_code == 302
    url = reverse("decisions:pgb_evaluation", args=[case.pk])
    held = timezone.localdate()
    data = {
        "submission_key": submission_key(team_client.get(url)),
        "held_on": held.isoformat(),
        "outcome": "Gaat goed.",
        "next_evaluation_on": (held + datetime.timedelta(days=365)).isoformat(),
    }

    assert team_client.post(url, data).status_code == 302
    assert team_client.post(url, data).status_code == 302

    assert PgbEvaluation.objects.filter(case=case).count() == 1
