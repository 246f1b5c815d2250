"""A double submit of "start the plan" for a resident who has no household yet (reviewer
R1). Both starts make the household of one; before, the second failed on the membership's
unique index with an IntegrityError (a server error page) instead of the message that the
household has an open plan. The moment is made, not timed, as in test_plan_start_race."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from wijk.accounts.models import Role
from wijk.plans.models import SupportPlan
from wijk.plans.services import CoordinatorInput, PlanAlreadyOpen, plan_start
from wijk.residents.models import HouseholdMembership
from wijk.residents.services import household_of_one_start
from wijk.residents.tests.factories import ResidentFactory
from wijk.trajectories.tests.conftest import verified


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        (waiting,) = cursor.fetchone()
    return bool(waiting)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_start_for_a_resident_without_household_gets_the_open_plan_message(
    make_user, team
) -> None:
    first_starter = make_user(Role.PROFESSIONAL, teams=[team])
    second_starter = verified(make_user(Role.PROFESSIONAL, teams=[team]))
    resident = ResidentFactory()
    assert not HouseholdMembership.objects.filter(resident=resident).exists()
    made, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        """The first start as the service writes it: the household of one, then the plan,
        held open before its commit."""
        try:
            with transaction.atomic():
                household = household_of_one_start(resident=resident)
                SupportPlan.objects.create(
                    household=household,
                    resident=resident,
                    team=team,
                    coordinator=first_starter,
                    created_by=first_starter,
                )
                made.set()
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
    assert made.wait(timeout=60)
    two = threading.Thread(target=second)
    two.start()
    waited = False
    for _attempt in range(600):  # until the second start waits on the first one
        waited = _someone_waits_for_a_lock()
        if waited:
            break
        time.sleep(0.05)
    release.set()
    one.join(timeout=60)
    two.join(timeout=60)

    assert waited
    error = outcome.get("error")
    assert isinstance(error, PlanAlreadyOpen), repr(error)
    assert SupportPlan.objects.count() == 1
    assert HouseholdMembership.objects.filter(resident=resident).count() == 1
