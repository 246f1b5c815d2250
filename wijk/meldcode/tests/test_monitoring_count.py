"""The meldcode in monitoring: only the number of cases opened, per month and wijk, never
below 5 for anyone, and nothing else of a case (ADR 0039, 0042). Read on the deadlines page
as the municipality and management see it. (These tests live here: monitoring may not import
the meldcode, not even in its tests.)"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.meldcode.models import MeldcodeCase, MeldcodeStatusChange
from wijk.meldcode.selectors import meldcode_cases_opened
from wijk.meldcode.tests.conftest import open_case, record_step
from wijk.meldcode.workflow import MeldcodeStatus
from wijk.residents.models import Resident
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

COMPLIANCE = reverse("monitoring:compliance")


def _meldcode_section(html: str) -> str:
    start = html.index('id="meldcode"')
    return html[start : html.index("<h2", start + 1)]


def _month_rows(section: str) -> list[list[str]]:
    start = section.index('id="meldcode-per-maand"')
    table = section[start : section.index("</table>", start)]
    rows = re.findall(
        r'<tr class="utrecht-table__row">\s*<th[^>]*scope="row">.*?</tr>', table, re.DOTALL
    )
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]


def _case(team, coordinator, opened_at: datetime.datetime) -> None:
    """A case as the opening service leaves it, opened at `opened_at`."""
    resident = HouseholdMembershipFactory().resident
    case = MeldcodeCase.objects.create(
        resident=resident,
        team=team,
        coordinator=coordinator,
        wijk_at_opening_id=resident.address.buurt.wijk_id,
        opened_at=opened_at,
    )
    MeldcodeStatusChange.objects.create(
        case=case, seq=1, status=MeldcodeStatus.OPEN, by=coordinator
    )


def test_the_municipality_sees_how_many_were_opened_per_month_and_nothing_else(
    client_for, make_user, coordinator, resident, team
) -> None:
    """Cases opened half an hour after and before midnight (Dutch time) at the start of this
    month: counted in this month and in the last, as a Dutch calendar says (in UTC the first
    would still be last month)."""
    client = client_for(coordinator)
    case = open_case(client, resident, team)
    response = record_step(client, case, 1, text="Blauwe plekken gezien, vertelde de buurvrouw.")
    assert response.status_code == 302
    midnight = datetime.datetime.combine(
        timezone.localdate().replace(day=1),
        datetime.time.min,
        tzinfo=timezone.get_default_timezone(),
    )
    for minutes in range(4):
        _case(team, coordinator, midnight + datetime.timedelta(minutes=30 + minutes))
    for minutes in range(5):
        _case(team, coordinator, midnight - datetime.timedelta(minutes=30 + minutes))

    html = client_for(make_user(Role.MUNICIPALITY)).get(COMPLIANCE).content.decode()
    section = _meldcode_section(html)
    assert _month_rows(section)[:3] == [["5"], ["5"], ["0"]]
    assert "Nieuwe meldcodetrajecten in de laatste 12 maanden: 10." in section
    for secret in ("Anna", "Jansen", "Blauwe plekken", "buurvrouw", "Fatima", "Bakker"):
        assert secret not in html
    assert "Wijkteam" not in section


def test_a_small_number_of_cases_is_hidden_from_everyone(
    client_for, make_user, coordinator, team
) -> None:
    now = timezone.now()
    _case(team, coordinator, now)
    _case(team, coordinator, now)
    wijk = HouseholdMembershipFactory().resident.address.buurt.wijk.code
    team_lead = make_user(Role.TEAM_LEAD, teams=[team])
    for role_user in (make_user(Role.MUNICIPALITY), make_user(Role.MANAGEMENT), team_lead):
        client = client_for(role_user)
        city = _meldcode_section(client.get(COMPLIANCE).content.decode())
        # this month's two cases are the city's total: "verborgen", the period's too
        assert _month_rows(city)[0] == ["verborgen"]
        assert "Het totaal over deze periode laten we niet zien" in city
        one_wijk = _meldcode_section(client.get(COMPLIANCE, {"wijk": wijk}).content.decode())
        assert _month_rows(one_wijk)[0] == ["&lt; 5"]
        assert not re.search(r"<td[^>]*>\s*2\s*</td>", city + one_wijk)


def test_a_case_counts_in_the_wijk_where_the_resident_lived_when_it_was_opened(
    client_for, coordinator, resident, team
) -> None:
    """A move afterwards changes nothing: counted by today's address, an earlier month's
    count would go down in one wijk and up in another, and whoever knows who moved would
    learn that that person has a case."""
    case_pk = open_case(client_for(coordinator), resident, team).pk
    first_wijk = resident.address.buurt.wijk
    elsewhere = AddressFactory(buurt=Buurt.objects.exclude(wijk=first_wijk).first())
    Resident.objects.filter(pk=resident.pk).update(address=elsewhere)
    today = timezone.localdate()

    rows = meldcode_cases_opened(
        start=today.replace(day=1), end=today + datetime.timedelta(days=1), team_ids=[team.pk]
    )

    assert MeldcodeCase.objects.get(pk=case_pk).wijk_at_opening == first_wijk
    assert [(row.wijk_code, row.count) for row in rows] == [(first_wijk.code, 1)]
