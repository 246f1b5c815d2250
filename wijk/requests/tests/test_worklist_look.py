"""How the worklist reads: an empty group is one line, a table is named by its heading (no
caption that repeats it), and dates are written one way ("17 november 2026")."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.requests.tests.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def test_empty_groups_are_one_line_and_tables_have_no_repeated_caption(
    professional, client_for, team, resident
) -> None:
    today = timezone.localdate()
    HelpRequestFactory(
        team=team,
        assigned_to=professional,
        resident=resident,
        first_contact_due=today - datetime.timedelta(days=2),
        received_at=timezone.make_aware(datetime.datetime(2026, 11, 17, 10, 0)),
    )
    body = client_for(professional).get(reverse("requests:worklist")).content.decode()

    assert body.count("<table") == 1
    assert "<caption" not in body
    assert 'aria-labelledby="groep-overdue"' in body
    assert '<h2 class="utrecht-heading-2" id="groep-today"' not in body
    assert 'id="groep-today">Eerste contact vandaag: geen.</p>' in body
    assert "17 november 2026" in body
    assert "17 nov 2026" not in body


def test_dates_are_written_the_same_way_in_english(professional, client_for, team, resident):
    HelpRequestFactory(
        team=team,
        assigned_to=professional,
        resident=resident,
        received_at=timezone.make_aware(datetime.datetime(2026, 11, 17, 10, 0)),
    )
    client = client_for(professional)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("requests:worklist")).content.decode()
    assert "17 November 2026" in body
