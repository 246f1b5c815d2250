"""The session form says everything that is wrong in one round: a date in the future and
more young people than participants beside a field that cannot be read."""

from __future__ import annotations

import datetime
import html

import pytest
from django.utils import timezone

from wijk.activities.models import ActivitySession
from wijk.activities.tests.test_sessions import activity, post, professional  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_future_date_and_too_many_young_people_in_one_round(
    professional,  # noqa: F811
    client_for,
    activity,  # noqa: F811
) -> None:
    later = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = post(
        client_for(professional),
        activity,
        held_on=later,
        attendance_total="3",
        attendance_youth="5",
    )
    page = html.unescape(response.content.decode())
    summary = page.split("wijk-error-summary", 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_held_on">De datum ligt in de toekomst.' in summary
    assert (
        'href="#id_attendance_youth">Er kunnen niet meer jongeren zijn dan deelnemers in totaal.'
        in summary
    )
    assert not ActivitySession.objects.exists()


def test_an_unreadable_number_is_named_beside_the_future_date(
    professional,  # noqa: F811
    client_for,
    activity,  # noqa: F811
) -> None:
    later = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    page = html.unescape(
        post(
            client_for(professional), activity, held_on=later, attendance_total="veel"
        ).content.decode()
    )
    assert 'Vul bij "Aantal deelnemers" alleen cijfers in.' in page
    assert "De datum ligt in de toekomst." in page
