"""Published sets: a delivered period's figures, frozen; corrections with a reason; what the
municipality reads for a period that has one."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, transaction

from wijk.areas.models import Buurt
from wijk.monitoring.indicators import AREA_CITY, municipality_rows, rows_checksum
from wijk.monitoring.models import PublishedSet
from wijk.monitoring.selectors import Period, PeriodUnit, published_sets
from wijk.monitoring.services import PublishRefused, published_set_make
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 5, 14)
APRIL = Period(D(2025, 4, 1), PeriodUnit.MONTH)


def _reach(period: Period) -> int | None:
    rows = municipality_rows(periods=[period], codes=["bereik"], levels=(AREA_CITY,), today=TODAY)
    return next(row.value for row in rows if row.breakdown == "")


def _start_support(count: int, day: datetime.date) -> None:
    buurt = Buurt.objects.order_by("code").first()
    for _ in range(count):
        resident = ResidentFactory(address=AddressFactory(buurt=buurt))
        TrajectoryFactory(resident=resident, inflow_date=day)


def test_a_published_set_is_what_the_municipality_reads_for_its_period() -> None:
    _start_support(6, D(2025, 4, 2))
    first = published_set_make(period=APRIL, actor=None, today=TODAY)
    assert (first.number, first.reason, first.row_count) == (1, "", len(first.rows))
    assert first.checksum == rows_checksum(first.rows)
    assert first.versions["bereik"] == 1
    assert _reach(APRIL) == 6

    # Publishing again with the same figures writes nothing.
    assert published_set_make(period=APRIL, actor=None, today=TODAY) == first
    assert PublishedSet.objects.count() == 1

    # A late registration changes the computed figures, not what was delivered.
    _start_support(2, D(2025, 4, 20))
    assert _reach(APRIL) == 6
    with pytest.raises(PublishRefused, match="waarom"):
        published_set_make(period=APRIL, actor=None, reason="te laat", today=TODAY)

    second = published_set_make(
        period=APRIL, actor=None, reason="Twee trajecten te laat geregistreerd", today=TODAY
    )
    assert (second.number, second.reason) == (2, "Twee trajecten te laat geregistreerd")
    assert _reach(APRIL) == 8
    # The earlier set stays readable, unchanged.
    first.refresh_from_db()
    assert first.checksum == rows_checksum(first.rows)
    assert [s.number for s in published_sets()] == [2, 1]


def test_a_period_is_published_only_once_it_is_over() -> None:
    with pytest.raises(PublishRefused, match="voorbij"):
        published_set_make(period=Period(D(2025, 5, 1), PeriodUnit.MONTH), actor=None, today=TODAY)
    assert not PublishedSet.objects.exists()


def test_the_database_refuses_to_change_or_delete_a_published_set() -> None:
    made = published_set_make(period=APRIL, actor=None, today=TODAY)
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedSet.objects.filter(pk=made.pk).update(rows=[])
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedSet.objects.filter(pk=made.pk).delete()
    made.refresh_from_db()
    assert made.checksum == rows_checksum(made.rows)


def test_the_publish_command_freezes_and_corrects_with_a_reason() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    _start_support(6, D(2025, 4, 2))
    out = StringIO()
    call_command("publish", "maand", "2025-04-17", stdout=out)
    assert out.getvalue().startswith("maand 2025-04-01: set 1,")
    _start_support(1, D(2025, 4, 3))
    with pytest.raises(CommandError, match="waarom"):
        call_command("publish", "maand", "2025-04-01")
    call_command(
        "publish", "maand", "2025-04-01", "--reason", "Eén traject te laat ingevoerd", stdout=out
    )
    assert "set 2 (correction)" in out.getvalue()
    for bad in (("eeuw", "2025-04-01"), ("maand", "2025-13-01"), ("maand", "²")):
        with pytest.raises(CommandError):
            call_command("publish", *bad)
    assert PublishedSet.objects.count() == 2


def test_a_quarter_is_published_as_the_sum_of_its_published_months() -> None:
    """Published after its months, a quarter adds them up as they were published: a late
    registration in a published month shows in neither (quarter less months would tell it)."""
    buurt = Buurt.objects.order_by("code").first()
    quarter = Period(D(2025, 1, 1), PeriodUnit.QUARTER)
    for month in quarter.months:
        for _ in range(10):
            TrajectoryFactory(
                resident=ResidentFactory(address=AddressFactory(buurt=buurt)), inflow_date=month
            )
        published_set_make(period=Period(month, PeriodUnit.MONTH), actor=None, today=TODAY)
    _start_support(1, D(2025, 1, 20))  # late, in the published January
    made = published_set_make(period=quarter, actor=None, today=TODAY)
    city = [
        row
        for row in made.rows
        if row["indicator"] == "instroom_reden"
        and row["area_level"] == AREA_CITY
        and row["breakdown"] == ""
    ]
    assert [row["value"] for row in city] == [30]
