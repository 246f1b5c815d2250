"""Every history table on wijk.core.workflow has what the shared mechanism promises: one row
per (record, seq), and a database that refuses UPDATE and DELETE on it. Found through the
model registry, so an app that adds a lifecycle is checked without being named here."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

from wijk.core.workflow import StatusHistory

HISTORIES = sorted(
    (model for model in apps.get_models() if issubclass(model, StatusHistory)),
    key=lambda model: model._meta.label,
)


def test_requests_and_trajectories_are_on_the_shared_mechanism() -> None:
    assert {model._meta.label for model in HISTORIES} >= {
        "requests.RequestStatusChange",
        "trajectories.TrajectoryStatusChange",
    }


@pytest.mark.parametrize("history", HISTORIES, ids=lambda model: model._meta.label)
def test_one_row_per_record_and_sequence_number(history: type[StatusHistory]) -> None:
    subject = history._meta.get_field(history.subject_field)
    assert isinstance(subject, models.ForeignKey)
    unique = [
        tuple(constraint.fields)
        for constraint in history._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
    ]
    assert (history.subject_field, "seq") in unique


@pytest.mark.django_db
@pytest.mark.parametrize("history", HISTORIES, ids=lambda model: model._meta.label)
def test_the_database_guards_the_history(history: type[StatusHistory]) -> None:
    table = history._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
            assert (f"{table}_append_only",) in cursor.fetchall()
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {name for (name,) in cursor.fetchall()}
            assert {f"{table}_no_update", f"{table}_no_delete"} <= names
