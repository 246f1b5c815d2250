"""Reporting reads on a read replica (docs/adr/0048): the dashboard, the daily feed and the
API read inside `reporting_reads()`, and the router sends their reads to the database alias
of the setting REPORTING_DATABASE ("replica" when DATABASE_REPLICA_URL is set), so that
reporting load never slows the teams' daily work. Writes, and every other read, stay on the
primary ("default"). A replica lags a little behind the primary: reporting figures are of
periods and days, never of the last second."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_reporting: ContextVar[bool] = ContextVar("wijk_reporting_reads", default=False)


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Reads inside go to the reporting database."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_database() -> str:
    """The alias reporting reads use now: the reporting database inside `reporting_reads`,
    the primary elsewhere."""
    alias = str(getattr(settings, "REPORTING_DATABASE", "default"))
    if _reporting.get() and alias in settings.DATABASES:
        return alias
    return "default"


class ReportingRouter:
    """Reads inside `reporting_reads` to the reporting database; everything else to the
    primary. Both hold the same data (a physical replica), so relations are allowed."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = reporting_database()
        return alias if alias != "default" else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        """A replica gets its schema and data from the primary by replication; `migrate` runs
        on the primary only. The test run migrates a second database that stands in for the
        replica: there the tables are made, and the data steps (RunPython, RunSQL: reference
        lists, areas, triggers) are left to the primary, since they write through the
        router, which sends every write to the primary."""
        if db == "default":
            return None
        return model_name is not None
