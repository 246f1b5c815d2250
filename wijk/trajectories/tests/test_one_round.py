"""The trajectory forms say everything that is wrong in one round: a date in the future is
reported beside the missing fields, not after they are fixed."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.trajectories.models import Trajectory
from wijk.trajectories.tests.test_start import START, form_data

pytestmark = pytest.mark.django_db


def test_a_future_inflow_date_with_a_missing_reason_in_one_round(
    professional, client_for, resident, team
) -> None:
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for(professional).post(
        f"{START}?inwoner={resident.pk}",
        form_data(team, professional, inflow_date=later, inflow_reason=""),
    )
    page = html.unescape(response.content.decode())
    summary = page.split("wijk-error-summary", 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_inflow_date">De datum instroom ligt in de toekomst.</a>' in summary
    assert 'href="#id_inflow_reason">Kies de reden instroom.</a>' in summary
    assert not Trajectory.objects.exists()


def test_closing_with_a_wrong_date_and_no_reason_says_both_at_once(
    professional, client_for, start
) -> None:
    trajectory = start()
    response = client_for(professional).post(
        reverse("trajectories:transition", args=[trajectory.pk]),
        {"to": "closed", "outflow_date": "2020-02-31", "outflow_reason": ""},
    )
    page = html.unescape(response.content.decode())
    summary = page.split("wijk-error-summary", 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_outflow_date">Vul bij "Datum uitstroom" een bestaande datum' in summary
    assert 'href="#id_outflow_reason">Kies de reden uitstroom.</a>' in summary


def test_a_half_filled_handover_is_named_beside_the_missing_outflow_date(
    professional, client_for, start
) -> None:
    trajectory = start()
    response = client_for(professional).post(
        reverse("trajectories:transition", args=[trajectory.pk]),
        {"to": "closed", "outflow_date": "", "outflow_reason": "", "handover_destination": "wlz"},
    )
    summary = html.unescape(response.content.decode()).split("wijk-error-summary", 1)[1]
    assert 'href="#id_outflow_date">Vul de datum uitstroom in.</a>' in summary
    assert 'href="#id_handover_receiver">Vul de naam van de organisatie' in summary
    assert 'href="#id_handover_date">Vul de datum van de overdracht in.</a>' in summary
