"""The dashboard through the Django test client: its charts and tables show the figures of
wijk.monitoring.indicators; management sees them exact, the municipality and team leads
protected and as published; the downloads hold the same figures; hostile filters change
nothing but the choice."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.monitoring.indicators import AREA_CITY, AREA_WIJK, municipality_rows
from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.services import published_set_make
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db

URL = "monitoring:dashboard"


@pytest.fixture
def support(db):  # type: ignore[no-untyped-def]
    """Twelve residents in support in one wijk since last month, two in another and six in a
    third (which the municipality does not see: it would give the two away)."""
    buurten = list(Buurt.objects.select_related("wijk").order_by("code"))
    first = buurten[0]
    second = next(b for b in buurten if b.wijk.code != first.wijk.code)
    third = next(b for b in buurten if b.wijk.code not in {first.wijk.code, second.wijk.code})
    start = period_of(PeriodUnit.MONTH, timezone.localdate()).start - datetime.timedelta(days=20)
    for buurt, count in ((first, 12), (second, 2), (third, 6)):
        for _ in range(count):
            resident = ResidentFactory(address=AddressFactory(buurt=buurt))
            TrajectoryFactory(resident=resident, inflow_date=start)
    return first.wijk, second.wijk


def _cells(html: str, caption_id: str) -> dict[str, str]:
    table = html.split(f'id="{caption_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'scope="row">(.*?)</th><td class="utrecht-table__cell wijk-number">(.*?)</td>', table
    )
    return {re.sub(r"\s*\(loopt nog\)", "", label): value for label, value in rows}


def test_management_sees_the_exact_figures_with_charts_and_tables(
    make_user, client_for, support
) -> None:  # type: ignore[no-untyped-def]
    big, small = support
    client = client_for(make_user(Role.MANAGEMENT))
    response = client.get(reverse(URL), {"indicator": "bereik", "vergelijk": AREA_WIJK})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 2  # the trend and the comparison, as SVG
    assert '<title id="grafiek-ontwikkeling-titel">' in html
    compared = _cells(html, "tabel-vergelijking")
    assert compared[f"{big.name} ({big.code})"] == "12"
    assert compared[f"{small.name} ({small.code})"] == "2"  # exact: no "< 5"
    trend = _cells(html, "tabel-ontwikkeling")
    assert list(trend.values())[-1] == "20"
    # The definition is beside the figures, with its version.
    assert "Definitie versie 1" in html


def test_the_municipality_sees_protected_and_published_figures(
    make_user, client_for, support
) -> None:  # type: ignore[no-untyped-def]
    big, small = support
    client = client_for(make_user(Role.MUNICIPALITY))
    html = client.get(reverse(URL), {"indicator": "bereik"}).content.decode()
    compared = _cells(html, "tabel-vergelijking")
    assert compared[f"{big.name} ({big.code})"] == "12"
    assert compared[f"{small.name} ({small.code})"] in {"&lt; 5", "verborgen"}
    assert ">2<" not in html.split('id="vergelijking"', 1)[1].split("Downloaden")[0]

    # Last month published: a later registration does not change what the municipality
    # sees for it.
    last_month = period_of(
        PeriodUnit.MONTH, timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    )
    published_set_make(period=last_month, actor=None)
    before = _cells(
        client.get(reverse(URL), {"indicator": "bereik"}).content.decode(), "tabel-ontwikkeling"
    )
    resident = ResidentFactory(address=AddressFactory(buurt=Buurt.objects.filter(wijk=big).first()))
    TrajectoryFactory(resident=resident, inflow_date=last_month.start)
    after = _cells(
        client.get(reverse(URL), {"indicator": "bereik"}).content.decode(), "tabel-ontwikkeling"
    )
    label = str(last_month.label)
    assert after[label.capitalize()] == before[label.capitalize()]


def test_the_downloads_hold_the_figures_of_the_view(make_user, client_for, support) -> None:  # type: ignore[no-untyped-def]
    client = client_for(make_user(Role.MUNICIPALITY))
    query = {"indicator": "bereik", "unit": PeriodUnit.QUARTER, "periods": "2"}
    expected = [
        r
        for r in municipality_rows(
            periods=[period_of(PeriodUnit.QUARTER, timezone.localdate())], codes=["bereik"]
        )
    ]
    response = client.get(reverse("monitoring:dashboard_download"), {**query, "formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    city = [
        r
        for r in rows
        if r["niveau"] == AREA_CITY
        and r["indeling"] == ""
        and r["periode_begin"] == expected[0].period_start.isoformat()
    ]
    assert city[0]["waarde"] == str(expected[0].value) == "20"
    assert all(r["waarde"] == "" for r in rows if r["status"] != "shown")
    assert not any(r["waarde"] in {"1", "2", "3", "4"} for r in rows)

    response = client.get(reverse("monitoring:dashboard_download"), {**query, "formaat": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "indicator"
    assert len(values) == len(rows) + 1


@pytest.mark.parametrize(
    "query",
    [
        {"indicator": "²"},
        {"unit": "eeuw", "periods": "99999999999999999999999"},
        {"gebied": "wijk:WK999999"},
        {"gebied": "'; DROP TABLE x;--", "vergelijk": "buurt"},
        {"periods": "-1"},
    ],
)
def test_hostile_filters_give_the_default_choice(make_user, client_for, query) -> None:  # type: ignore[no-untyped-def]
    client = client_for(make_user(Role.MANAGEMENT))
    response = client.get(reverse(URL), query)
    assert response.status_code == 200
    assert "Bereik: unieke inwoners in ondersteuning" in response.content.decode()
    assert client.get(reverse("monitoring:dashboard_download"), query).status_code == 200


def test_a_link_that_chooses_only_the_indicator_shows_the_defaults_it_uses(
    make_user, client_for
) -> None:
    """The quick links choose the indicator alone: the form then says what the page shows (12
    months), not the first option of each list."""
    page = client_for(make_user(Role.MANAGEMENT)).get(reverse(URL), {"indicator": "wachtlijst"})
    assert page.status_code == 200
    selected = dict(
        re.findall(
            r'<select name="(\w+)"[^>]*>.*?<option value="([^"]*)" selected>', page.text, re.S
        )
    )
    assert selected["indicator"] == "wachtlijst"
    assert selected["periods"] == "12"
    assert selected["unit"] == "maand"
