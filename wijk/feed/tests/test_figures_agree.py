"""The figures agree on every road (issue 14): the dashboard's download, the daily delivery and
the API give the same figures for the same period, on generated data whose true counts the test
knows; and a period delivered is frozen, on every road, when a late registration changes the
records behind it."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.api.tests.factories import api_client_make, token_client
from wijk.areas.models import Buurt
from wijk.monitoring.models import PublishedSet
from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db

type Figures = dict[tuple[str, str, str, str], tuple[str, str]]


def _last_month() -> tuple[datetime.date, datetime.date]:
    first = timezone.localdate().replace(day=1)
    period = period_of(PeriodUnit.MONTH, first - datetime.timedelta(days=1))
    return period.start, period.end


def _support(buurt: Buurt, count: int, day: datetime.date) -> None:
    for _ in range(count):
        resident = ResidentFactory(address=AddressFactory(buurt=buurt))
        TrajectoryFactory(resident=resident, inflow_date=day)


def _delivered(folder: Path, start: datetime.date) -> Figures:
    text = (folder / "csv" / "indicatoren.csv").read_text(encoding="utf-8")
    found: Figures = {}
    for row in csv.DictReader(io.StringIO(text)):
        wanted = ("bereik", "maand", start.isoformat())
        if (row["indicator"], row["periode_soort"], row["periode_begin"]) == wanted:
            area = "" if row["gebied_code"] == "totaal" else row["gebied_code"]
            category = "" if row["categorie"] == "totaal" else row["categorie"]
            breakdown = "" if row["uitsplitsing"] == "totaal" else row["uitsplitsing"]
            key = (row["gebied_niveau"], area, breakdown, category)
            found[key] = (row["waarde"], row["status"])
    return found


def _downloaded(client: Client, start: datetime.date) -> Figures:
    url = reverse("monitoring:dashboard_download")
    query = {"indicator": "bereik", "unit": PeriodUnit.MONTH, "periods": "2", "formaat": "csv"}
    text = client.get(url, query).content.decode("utf-8-sig")
    return {
        (row["niveau"], row["gebied"], row["indeling"], row["categorie"]): (
            row["waarde"],
            row["status"],
        )
        for row in csv.DictReader(io.StringIO(text))
        if row["periode_begin"] == start.isoformat()
    }


def _from_api(api: Client, start: datetime.date, end: datetime.date) -> Figures:
    url = "/api/v1/indicatoren/bereik/cijfers"
    last = end - datetime.timedelta(days=1)
    query = {"periode": "maand", "van": start.isoformat(), "tot": last.isoformat()}
    found: Figures = {}
    offset = 0
    while True:
        page = api.get(url, {**query, "limit": "1000", "offset": str(offset)}).json()
        for row in page["results"]:
            value = "" if row["value"] is None else str(row["value"])
            key = (row["area_level"], row["area_code"], row["breakdown"], row["category"])
            found[key] = (value, row["status"])
        offset += len(page["results"])
        if not page["results"] or offset >= page["count"]:
            return found


def test_the_dashboard_the_delivery_and_the_api_give_the_same_figures(
    tmp_path, make_user, client_for
) -> None:  # type: ignore[no-untyped-def]
    start, end = _last_month()
    buurten = list(Buurt.objects.select_related("wijk").order_by("code"))
    wijken: list[Buurt] = []
    for buurt in buurten:
        if buurt.wijk.code not in {b.wijk.code for b in wijken}:
            wijken.append(buurt)
    for buurt, count in zip(wijken, (12, 2, 6, 9), strict=False):
        _support(buurt, count, start)

    call_command("export", "--out", str(tmp_path), "--format", "csv", stdout=io.StringIO())
    folder = tmp_path / timezone.localdate().isoformat()
    assert PublishedSet.objects.filter(period_unit="maand", period_start=start).count() == 1

    dashboard = client_for(make_user(Role.MUNICIPALITY))
    _client, token = api_client_make(actor=make_user(Role.ADMINISTRATOR))
    api = token_client(token)

    delivered = _delivered(folder, start)
    # The true counts: 29 residents; the wijk with 2 is small, so another is hidden with it.
    assert delivered[("stad", "", "", "")] == ("29", "shown")
    assert delivered[("wijk", wijken[0].wijk.code, "", "")] == ("12", "shown")
    assert delivered[("wijk", wijken[1].wijk.code, "", "")][1] != "shown"
    assert delivered == _downloaded(dashboard, start) == _from_api(api, start, end)

    # A late registration in the delivered month: what was delivered stays, on every road.
    _support(wijken[0], 3, start)
    assert _downloaded(dashboard, start) == delivered
    assert _from_api(api, start, end) == delivered
    call_command("export", "--out", str(tmp_path), "--format", "csv", stdout=io.StringIO())
    assert _delivered(folder, start) == delivered
