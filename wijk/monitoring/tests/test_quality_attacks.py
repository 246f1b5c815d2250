"""The data-quality report under attack: what the municipality sees of it, beside what it sees
elsewhere, never gives a hidden count away (ADR 0044, 0047)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.monitoring.indicators import AREA_WIJK, UNKNOWN_AREA
from wijk.monitoring.quality import quality_summary
from wijk.monitoring.selectors import UNKNOWN_WIJK, PeriodUnit, period_of
from wijk.monitoring.tests.factories import HelpRequestFactory, TrajectoryFactory
from wijk.organisations.models import Team
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db

QUALITY = reverse("monitoring:quality")
DOWNLOAD = reverse("monitoring:dashboard_download")


def _months_ago(months: int) -> datetime.datetime:
    """The 10th of the month `months` before this one, at noon."""
    start = period_of(PeriodUnit.MONTH, timezone.localdate()).start
    for _month in range(months):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(start.replace(day=10), datetime.time(12)))


def _request_without_buurt(team: Team, received: datetime.datetime) -> None:
    HelpRequestFactory(
        team=team, buurt=None, resident=ResidentFactory(address=None), received_at=received
    )


def _trajectory_without_address(team: Team, received: datetime.datetime) -> None:
    TrajectoryFactory(
        team=team, resident=ResidentFactory(address=None), inflow_date=received.date()
    )


@pytest.mark.parametrize(
    ("check", "indicator", "make"),
    [
        # Every request without a buurt is one of the unknown wijk's requests in the deadline
        # figures of the month it came in.
        ("request_without_buurt", "termijn_eerste_contact", _request_without_buurt),
        # Every running trajectory of a resident without an address is one that began in the
        # unknown wijk (inflow by reason) and has not ended (outflow by reason).
        ("trajectory_resident_without_address", "instroom_reden", _trajectory_without_address),
    ],
)
def test_a_check_that_sums_months_of_the_unknown_wijk_does_not_tell_a_hidden_month(
    check, indicator, make, team, make_user, client_for
) -> None:
    """A count of all time, shown beside the months it adds up, would tell the one month that
    is hidden: here 8 in all, 6 two months ago, so 2 last month."""
    for months, count in ((2, 6), (1, 2)):
        for _record in range(count):
            make(team, _months_ago(months))
    client = client_for(make_user(Role.MUNICIPALITY))

    text = client.get(
        DOWNLOAD, {"indicator": indicator, "periods": "12", "formaat": "csv"}
    ).content.decode("utf-8-sig")
    unknown = [
        row
        for row in csv.DictReader(io.StringIO(text))
        if (row["niveau"], row["gebied"], row["indeling"]) == (AREA_WIJK, UNKNOWN_AREA, "")
    ]
    shown = [int(row["waarde"]) for row in unknown if row["status"] == "shown"]
    assert sum(shown) == 6
    assert len([row for row in unknown if row["status"] != "shown"]) == 1  # 2: not shown

    page = client.get(QUALITY).context["rows"]
    city = next(row["city"] for row in page if row["check"].code == check)
    assert not city.shown, f"{city} minus the months shown ({sum(shown)}) is the hidden month"
    in_unknown = client.get(QUALITY, {"wijk": UNKNOWN_WIJK}).context["rows"]
    assert not next(row["in_wijk"] for row in in_unknown if row["check"].code == check).shown
    delivered = [row for row in quality_summary() if row.check == check and row.value]
    assert delivered == []
    # The consortium's own view stays exact.
    management = client_for(make_user(Role.MANAGEMENT)).get(QUALITY).context["rows"]
    assert next(row["city"] for row in management if row["check"].code == check).value == 8


def test_a_team_lead_who_left_a_team_counts_and_lists_none_of_its_records(
    team, make_user, client_for
) -> None:
    """The team is the team lead's former one: its records are neither counted nor listed,
    whichever team, wijk or check the query names."""
    buurt = Buurt.objects.filter(wijk__in=team.wijken.all()).order_by("code").first()
    resident = ResidentFactory(address=AddressFactory(buurt=buurt))
    request = HelpRequestFactory(team=team, buurt=None, resident=resident)
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    client = client_for(lead)
    listed = client.get(QUALITY, {"controle": "request_without_buurt"})
    assert request.reference in listed.content.decode()

    lead.teams.remove(team)
    wijk = team.wijken.get().code
    for query in (
        {},
        {"controle": "request_without_buurt"},
        {"controle": "request_without_buurt", "team": str(team.pk), "wijk": wijk},
        {"controle": "request_without_buurt", "team": [str(team.pk), "1"], "teams": "*"},
    ):
        response = client.get(QUALITY, query)
        assert response.status_code == 200
        counts = {row["check"].code: row["count"] for row in response.context["rows"]}
        assert counts["request_without_buurt"] == 0
        assert request.reference not in response.content.decode()
        assert reverse("requests:detail", args=[request.pk]) not in response.content.decode()
