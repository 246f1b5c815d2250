"""Two plans started for one household at the same moment: both pass the service's check
before either is committed; the database constraint refuses the second, and the second
starter gets the same message as when the check had seen the first (ADR 0034).

The moment is made, not timed: the first start holds its insert open; the second runs until
PostgreSQL shows it waiting on that insert; then the first commits."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from wijk.accounts.models import Role
from wijk.plans.models import SupportPlan
from wijk.plans.services import CoordinatorInput, PlanAlreadyOpen, plan_start
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.tests.conftest import verified


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        (waiting,) = cursor.fetchone()
    return bool(waiting)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_plan_started_at_the_same_moment_is_refused_with_the_same_message(
    make_user, team
) -> None:
    first_starter = make_user(Role.PROFESSIONAL, teams=[team])
    second_starter = verified(make_user(Role.PROFESSIONAL, teams=[team]))
    resident = HouseholdMembershipFactory().resident
    household = resident.household_membership.household
    inserted, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        """The first start, written as the service writes it, held open after its insert."""
        try:
            with transaction.atomic():
                SupportPlan.objects.create(
                    household=household,
                    resident=resident,
                    team=team,
                    coordinator=first_starter,
                    created_by=first_starter,
                )
                inserted.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            plan_start(
                actor=second_starter,
                resident=resident,
                team=team,
                coordinator=CoordinatorInput(user=second_starter),
            )
        except Exception as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert inserted.wait(timeout=60)
    two = threading.Thread(target=second)
    two.start()
    waited = False
    for _attempt in range(600):  # until the second start waits on the first one's insert
        waited = _someone_waits_for_a_lock()
        if waited:
            break
        time.sleep(0.05)
    release.set()
    one.join(timeout=60)
    two.join(timeout=60)

    assert waited  # past its own check, the second start waited on the first one's insert
    error = outcome.get("error")
    assert isinstance(error, PlanAlreadyOpen), repr(error)
    assert "Dit huishouden heeft al een ondersteuningsplan dat nog loopt" in str(error.message)
    assert error.plan_id == SupportPlan.objects.get(household=household).pk
    assert SupportPlan.objects.count() == 1
