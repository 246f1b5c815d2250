"""What the endpoints answer: the same figures as wijk.monitoring.indicators (the dashboard
and the feed read them there too), as the municipality may see them; the definitions; the
published sets, frozen; the deliveries; pages of a list."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from wijk.api.serializers import periods_between
from wijk.areas.models import Buurt
from wijk.feed.models import Delivery, DeliveryKind, DeliveryStatus
from wijk.monitoring.indicators import (
    AREA_CITY,
    AREA_WIJK,
    definitions,
    indicator_codes,
    municipality_rows,
    row_to_json,
)
from wijk.monitoring.selectors import Period, PeriodUnit, period_of
from wijk.monitoring.services import published_set_make
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def _all(api, url: str) -> list[dict]:
    """Every result of a paged list, following `next`."""
    results: list[dict] = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        results.extend(body["results"])
        url = body["next"]
    return results


def test_the_definitions_are_those_of_the_one_module(api) -> None:
    listed = _all(api, "/api/v1/indicatoren")
    expected = definitions()
    assert [(d["code"], d["version"]) for d in listed] == [(d.code, d.version) for d in expected]
    first = listed[0]
    assert first["valid_from"] == expected[0].valid_from.isoformat()
    assert first["title"] == str(expected[0].title) and first["description"]
    assert isinstance(first["breakdowns"], list) and isinstance(first["additive"], bool)


@pytest.fixture
def inflow_this_year() -> tuple[Buurt, datetime.date]:
    """Seven trajectories started this month in one wijk, two in another (a small count)."""
    buurten = list(Buurt.objects.select_related("wijk").order_by("code"))
    big = buurten[0]
    small = next(b for b in buurten if b.wijk.code != big.wijk.code)
    today = timezone.localdate()
    start = today.replace(day=1)
    for buurt, count in ((big, 7), (small, 2)):
        for _ in range(count):
            resident = ResidentFactory(address=AddressFactory(buurt=buurt))
            TrajectoryFactory(resident=resident, inflow_date=start)
    return big, start


def test_the_figures_are_those_of_the_one_module(api, inflow_this_year) -> None:
    big, start = inflow_this_year
    url = "/api/v1/indicatoren/instroom/cijfers?periode=maand&limit=1000"
    figures = _all(api, url)
    today = timezone.localdate()
    first = datetime.date(today.year - 1, today.month, 1)
    expected = municipality_rows(
        periods=periods_between(PeriodUnit.MONTH, first, today), codes=["instroom"]
    )
    assert figures == [row_to_json(row) for row in expected]
    this_month = [f for f in figures if f["period_start"] == start.isoformat()]
    city = next(f for f in this_month if f["area_level"] == AREA_CITY and not f["breakdown"])
    assert city == {**city, "value": 9, "status": "shown"}
    wijk = next(
        f
        for f in this_month
        if f["area_level"] == AREA_WIJK and f["area_code"] == big.wijk.code and not f["breakdown"]
    )
    # 9 - 7 would give the other wijk's 2 away: the 7 is hidden as well (secondary).
    assert wijk == {**wijk, "value": None, "status": "hidden"}
    # The small count is never a number.
    assert all(f["value"] is None for f in figures if f["status"] != "shown")


def test_the_level_and_period_narrow_the_figures(api, inflow_this_year) -> None:
    _big, start = inflow_this_year
    year = period_of(PeriodUnit.YEAR, start)
    url = (
        f"/api/v1/indicatoren/instroom/cijfers?periode=jaar&niveau=stad"
        f"&van={year.start.isoformat()}&tot={timezone.localdate().isoformat()}"
    )
    figures = _all(api, url)
    assert {f["area_level"] for f in figures} == {AREA_CITY}
    assert {(f["period_unit"], f["period_start"]) for f in figures} == {
        ("jaar", year.start.isoformat())
    }


def test_an_unknown_query_parameter_is_refused(api) -> None:
    response = api.get("/api/v1/indicatoren/instroom/cijfers?perode=jaar")
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "perode"


@pytest.mark.parametrize("name", ["periode", "van", "tot", "niveau", "limit"])
def test_an_empty_query_parameter_is_refused_not_taken_as_its_default(api, name) -> None:
    response = api.get(f"/api/v1/indicatoren/instroom/cijfers?{name}=")
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == name


def test_every_indicator_answers(api) -> None:
    for code in indicator_codes():
        response = api.get(f"/api/v1/indicatoren/{code}/cijfers?periode=kwartaal&niveau=stad")
        assert response.status_code == 200, code


def test_pages_of_a_list(api) -> None:
    everything = _all(api, "/api/v1/indicatoren")
    page = api.get("/api/v1/indicatoren?limit=2&offset=1").json()
    assert page["count"] == len(everything)
    assert page["results"] == everything[1:3]
    assert "offset=3" in page["next"] and "limit=2" in page["next"]
    assert api.get("/api/v1/indicatoren?offset=100000").json()["results"] == []


def test_published_sets_and_their_frozen_figures(api) -> None:
    last_month = period_of(
        PeriodUnit.MONTH, timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    )
    published = published_set_make(period=last_month, actor=None)
    listed = _all(api, "/api/v1/gepubliceerd")
    assert [s["id"] for s in listed] == [published.pk]
    assert listed[0] == {
        **listed[0],
        "period_unit": "maand",
        "period_start": last_month.start.isoformat(),
        "number": 1,
        "checksum": published.checksum,
        "row_count": published.row_count,
    }
    figures = _all(api, f"/api/v1/gepubliceerd/{published.pk}/cijfers?limit=1000")
    assert figures == published.rows
    assert api.get(f"/api/v1/gepubliceerd/{published.pk + 1}/cijfers").status_code == 404


def test_deliveries_newest_first_without_their_directory(api) -> None:
    now = timezone.now()
    for day in (1, 2):
        Delivery.objects.create(
            day=datetime.date(2026, 11, day),
            kind=DeliveryKind.FULL,
            formats=["csv", "xml"],
            directory="var/feed/geheim",
            status=DeliveryStatus.SUCCEEDED,
            started_at=now + datetime.timedelta(minutes=day),
            finished_at=now + datetime.timedelta(minutes=day + 1),
            manifest_sha256="a" * 64,
            row_counts={"indicatoren": 10, "wijken": 5},
        )
    listed = _all(api, "/api/v1/leveringen")
    assert [d["day"] for d in listed] == ["2026-11-02", "2026-11-01"]
    assert listed[0]["rows"] == 15 and listed[0]["formats"] == ["csv", "xml"]
    assert "directory" not in listed[0] and "geheim" not in str(listed)
    assert datetime.datetime.fromisoformat(listed[0]["started_at"]).tzinfo is not None


def test_only_periods_that_have_begun(api) -> None:
    """A range reaching past today ends today: there are no figures of the future."""
    today = timezone.localdate()
    url = "/api/v1/indicatoren/instroom/cijfers?periode=maand&niveau=stad&tot=2099-12-31"
    starts = {f["period_start"] for f in _all(api, url)}
    assert max(starts) == Period(today.replace(day=1), PeriodUnit.MONTH).start.isoformat()
