"""Reporting reads on a read replica (docs/adr/0048), with a real second database: the test run
sets DATABASE_REPLICA_URL to a second database on the same PostgreSQL server (Makefile), and
keeps the reporting reads on the primary; here they are switched to the second database."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.replica import reporting_database, reporting_reads
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="no second database: make test sets DATABASE_REPLICA_URL (not the SQLite run)",
    ),
    pytest.mark.django_db(databases=["default", "replica"]),
]


def _in_support(count: int) -> None:
    buurt = Buurt.objects.order_by("code").first()
    start = timezone.localdate() - datetime.timedelta(days=3)
    for _ in range(count):
        TrajectoryFactory(
            resident=ResidentFactory(address=AddressFactory(buurt=buurt)), inflow_date=start
        )


def _city_reach(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get(reverse("monitoring:dashboard"), {"indicator": "bereik"}).content.decode()
    table = html.split('id="tabel-ontwikkeling"', 1)[1].split("</table>", 1)[0]
    return table.rsplit('wijk-number">', 1)[1].split("<", 1)[0]


def test_reporting_reads_go_to_the_replica_and_nothing_else_does(make_user, client_for) -> None:  # type: ignore[no-untyped-def]
    _in_support(6)  # written to the primary
    client = client_for(make_user(Role.MANAGEMENT))
    assert _city_reach(client) == "6"  # the suite's setting: reporting reads on the primary

    with override_settings(REPORTING_DATABASE="replica"):
        with (
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            # The second database has no trajectories: the dashboard reads its figures.
            assert _city_reach(client) == "0"
        assert any("trajectories_trajectory" in q["sql"] for q in on_replica.captured_queries)
        assert not any("trajectories_trajectory" in q["sql"] for q in on_primary.captured_queries)
        # The session, the user and the gate are read on the primary.
        assert any("accounts_user" in q["sql"] for q in on_primary.captured_queries)
        # Outside reporting_reads nothing goes to the replica.
        assert reporting_database() == "default"
        with reporting_reads():
            assert reporting_database() == "replica"
