"""schemathesis against the OpenAPI document: for every GET operation, requests made from the
document (valid and invalid parameters, as an API client with every scope, on PostgreSQL with
figures, a published set and a delivery in the database) get no server error and no answer
that the document does not describe (status, content type, body, headers), and invalid
requests are refused.

Left out: schemathesis's check that every request the document allows gets a 2xx. The
document cannot say that `van` lies before `tot`, not after today, and at most 36 periods
before it; such a request gets the 400 problem the document describes, naming the parameter
(test_problems checks those answers)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from wijk.feed.models import Delivery, DeliveryKind, DeliveryStatus
from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.services import published_set_make
from wijk.monitoring.tests.factories import HelpRequestFactory, TrajectoryFactory
from wijk.wsgi import application

pytestmark = pytest.mark.django_db

# Examples per operation and mode (valid and invalid requests): enough to find the errors the
# document allows, few enough to run in well under a minute.
EXAMPLES = 10


@pytest.fixture
def figures(team) -> int:
    """Requests and trajectories this month and last (counts shown and counts too small to
    show), a published set of last month, and a delivery: every endpoint has something to
    answer. The published set's id."""
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    last_month = period_of(PeriodUnit.MONTH, this_month - datetime.timedelta(days=1))
    for inflow_date, count in ((last_month.start, 2), (this_month, 7)):
        for _ in range(count):
            TrajectoryFactory(team=team, inflow_date=inflow_date)
    for days in (1, 35, 40):
        HelpRequestFactory(team=team, received_at=now - datetime.timedelta(days=days))
    Delivery.objects.create(
        day=timezone.localdate(),
        kind=DeliveryKind.FULL,
        formats=["csv"],
        directory="var/feed/levering",
        status=DeliveryStatus.SUCCEEDED,
        started_at=now,
        finished_at=now,
        manifest_sha256="0" * 64,
        row_counts={"indicatoren": 10},
    )
    published = published_set_make(period=last_month, actor=None)
    assert {row["status"] for row in published.rows} >= {"shown", "small"}
    return published.pk


@pytest.fixture
def wsgi_in_the_test_transaction() -> Iterator[None]:
    """schemathesis calls the WSGI application itself; as Django's test client does, keep
    the request signals from closing the connection that holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_server_error_and_no_answer_outside_the_document(
    figures, api_token, wsgi_in_the_test_transaction
) -> None:
    cache.clear()  # the rate limit counts per client; start from nothing
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation, mode in itertools.product(operations, GenerationMode):
        # The published set's figures of the set there is (any other id is a 404 only).
        known = {"id": figures} if "{id}" in operation.path and mode.is_positive else None
        strategy = operation.as_strategy(
            generation_mode=mode, headers=headers, path_parameters=known
        )

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
