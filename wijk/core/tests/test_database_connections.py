"""The server keeps its database connection between requests, and replaces one the database
dropped meanwhile (a restart, a failover) before a request uses it. Requests go through
Django's WSGI handler, as gunicorn sends them: the test client leaves out the connection
handling done when a request starts and ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _ready() -> str:
    """GET /readyz (it asks the database) through the WSGI handler; its status line."""
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Callable[..., Any]:
        statuses.append(status)
        return lambda data: None

    environ = RequestFactory().get("/readyz").environ
    response = WSGIHandler()(environ, start_response)
    response.close()  # as a WSGI server does: this ends the request
    return statuses[0]


def _backend() -> int:
    assert connection.connection is not None, "the connection was not kept"
    return int(connection.connection.info.backend_pid)


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite demo database has no server to drop a connection")


@pytest.mark.usefixtures("postgresql")
def test_the_connection_is_kept_between_requests() -> None:
    assert _ready() == "200 OK"
    first = _backend()
    assert _ready() == "200 OK"
    assert _backend() == first


@pytest.mark.usefixtures("postgresql")
def test_a_connection_the_database_dropped_is_replaced_before_the_next_request() -> None:
    assert _ready() == "200 OK"
    dropped = _backend()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        terminated = other.execute("SELECT pg_terminate_backend(%s)", [dropped]).fetchone()
    assert terminated == (True,)

    assert _ready() == "200 OK"  # without the check: 503, the database "unreachable"
    assert _backend() != dropped
