"""The deadlines page as the municipality reads it, with numbers the size of a real city:
small-number protection applies to counts of people (requests received per wijk and month),
not to how many of those requests were on time (docs/adr/0028-small-numbers-count-people.md).
The headline is shown; a wijk with two requests in a month is still hidden; the long
breakdowns come after the summary, folded away."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.monitoring.tests.factories import HelpRequestFactory
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.workflow import Outcome, RequestStatus

pytestmark = pytest.mark.django_db

COMPLIANCE = reverse("monitoring:compliance")


def _month_start(months_back: int) -> datetime.date:
    day = timezone.localdate().replace(day=1)
    for _month in range(months_back):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


def _request(buurt: Buurt, team, day: datetime.date, *, late: bool) -> None:
    received_at = datetime.datetime.combine(day, datetime.time(10), datetime.UTC)
    contact_after = datetime.timedelta(days=20 if late else 1)
    HelpRequestFactory(
        buurt=buurt,
        team=team,
        received_at=received_at,
        first_contact_at=received_at + contact_after,
        status=RequestStatus.CLOSED,
        outcome=Outcome.INFORMATION_GIVEN,
        outcome_at=received_at + contact_after + datetime.timedelta(days=1),
    )


@pytest.fixture
def city_of_requests():
    """Three months long past their deadlines: two large wijken with 24 and 14 requests a
    month, one late first contact a month in all (about 97% on time, as in the demo), and a
    small wijk with 2 requests in one month only."""
    buurten = list(Buurt.objects.order_by("code"))
    large, other = buurten[0], next(b for b in buurten if b.wijk.code != buurten[0].wijk.code)
    small = next(b for b in buurten if b.wijk.code not in {large.wijk.code, other.wijk.code})
    team = TeamFactory()
    for months_back in (2, 3, 4):
        start = _month_start(months_back)
        for number in range(24):
            _request(large, team, start + datetime.timedelta(days=number % 20), late=number == 0)
        for number in range(14):
            _request(other, team, start + datetime.timedelta(days=number % 20), late=False)
    _request(small, team, _month_start(3) + datetime.timedelta(days=2), late=False)
    _request(small, team, _month_start(3) + datetime.timedelta(days=3), late=True)
    return {"small": small.wijk}


def test_the_municipality_reads_the_headline_over_many_requests(
    city_of_requests, make_user, client_for
) -> None:
    html = client_for(make_user(Role.MUNICIPALITY)).get(COMPLIANCE, {"months": 6}).content.decode()
    summary = html[html.index("Samenvatting") : html.index("Per maand")]
    # 116 requests, 4 late first contacts (one a month in the large wijk, one in the small)
    assert "Aantal hulpvragen ontvangen in de laatste 6 maanden: 116." in summary
    assert "Eerste contact op tijd: 97% (112 van de 116 hulpvragen" in summary
    assert "Ondersteuning op tijd: 100% (116 van de 116 hulpvragen" in summary
    assert "verborgen" not in summary and "laten we niet zien" not in summary
    # the whole city per month: shown, the months' late contacts of 1 and 2 included
    per_month = html[html.index('id="per-maand"') : html.index("</table>", html.index("per-maand"))]
    assert "verborgen" not in per_month


def test_a_small_count_of_people_stays_hidden(city_of_requests, make_user, client_for) -> None:
    small = city_of_requests["small"]
    html = (
        client_for(make_user(Role.MUNICIPALITY))
        .get(COMPLIANCE, {"months": 6, "wijk": small.code})
        .content.decode()
    )
    detail = html[html.index('id="termijnen-detail"') :]
    row = re.search(
        r"<tr class=\"utrecht-table__row\">\s*<td[^>]*>[^<]*</td>\s*<td.*?</tr>", detail, re.DOTALL
    )
    assert row is not None
    cells = re.findall(r"<td class=\"utrecht-table__cell wijk-number\">([^<]*)</td>", row.group(0))
    # 2 requests: "< 5", and nothing of what happened to them, so neither 1 late nor 1 on time
    assert cells == ["&lt; 5"]
    assert re.search(
        r'<td class="utrecht-table__cell" colspan="12">Verborgen, omdat het aantal hulpvragen '
        r"verborgen is</td>",
        row.group(0),
    )
    # management (the consortium) sees them exactly
    exact = client_for(make_user(Role.MANAGEMENT)).get(COMPLIANCE, {"months": 6}).content.decode()
    assert "&lt; 5" not in exact


def test_the_long_breakdowns_are_folded_away_after_the_summary(
    city_of_requests, make_user, client_for
) -> None:
    for role in (Role.MUNICIPALITY, Role.MANAGEMENT):
        html = client_for(make_user(role)).get(COMPLIANCE, {"months": 6}).content.decode()
        summary = html.index("Samenvatting")
        for table in ('id="per-wijk"', 'id="termijnen-detail"'):
            opened = html.rindex("<details", 0, html.index(table))
            assert summary < opened
            assert html.index("</details>", opened) > html.index(table)
            assert "<summary" in html[opened : html.index(table)]
        # the month table of the whole city stays open, right under the summary
        assert "<details" not in html[summary : html.index('id="per-maand"')]
