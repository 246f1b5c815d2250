"""A signed version cannot change: the database itself refuses UPDATE and DELETE on the
signed version, its goals, its links and its signature (the append-only triggers of
wijk.core.workflow, migration plans 0001), whatever road the statement takes. Tested with raw
SQL, against the database the suite runs on (PostgreSQL, ADR 0005)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from wijk.accounts.models import Role
from wijk.organisations.tests.factories import OrganisationFactory
from wijk.plans.models import PlanGoal, PlanVersion, Signature
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import sign_directly
from wijk.plans.workflow import SignatureMethod

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature(make_user, team) -> Signature:
    witness = make_user(Role.PROFESSIONAL, teams=[team])
    plan = SupportPlanFactory(team=team, coordinator=witness, created_by=witness)
    plan.current.organisations.add(OrganisationFactory())
    return sign_directly(plan, witness=witness, method=SignatureMethod.TYPED)


def refused(statement: str, params: list[object]) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_the_suite_runs_on_postgresql() -> None:
    assert connection.vendor == "postgresql"


def test_the_signed_version_cannot_be_updated_or_deleted(signature: Signature) -> None:
    version_id = signature.version_id
    refused("UPDATE plans_planversion SET solution = 'anders' WHERE id = %s", [version_id])
    refused("UPDATE plans_planversion SET ao_scope = 'meer' WHERE id = %s", [version_id])
    refused("DELETE FROM plans_planversion WHERE id = %s", [version_id])
    assert PlanVersion.objects.get(pk=version_id).solution == "Begeleiding bij de administratie."


def test_the_goals_of_a_signed_version_cannot_be_updated_or_deleted(
    signature: Signature,
) -> None:
    goal = PlanGoal.objects.filter(version_id=signature.version_id).first()
    assert goal is not None
    refused("UPDATE plans_plangoal SET goal = 'iets anders' WHERE id = %s", [goal.pk])
    refused("DELETE FROM plans_plangoal WHERE version_id = %s", [signature.version_id])
    assert PlanGoal.objects.get(pk=goal.pk).goal == goal.goal


def test_the_signature_cannot_be_updated_or_deleted(signature: Signature) -> None:
    refused(
        "UPDATE plans_signature SET signer_name = 'Iemand anders' WHERE id = %s", [signature.pk]
    )
    refused("UPDATE plans_signature SET signed_on = signed_on - 1 WHERE id = %s", [signature.pk])
    refused("DELETE FROM plans_signature WHERE id = %s", [signature.pk])
    assert Signature.objects.get(pk=signature.pk).signer_name == "Getypte Naam"


def test_the_links_of_a_signed_version_cannot_be_removed(signature: Signature) -> None:
    refused(
        "DELETE FROM plans_planversion_organisations WHERE planversion_id = %s",
        [signature.version_id],
    )
    assert PlanVersion.objects.get(pk=signature.version_id).organisations.count() == 1


def test_a_version_is_signed_once_by_the_database_too(signature: Signature) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.create(
            version_id=signature.version_id,
            method=SignatureMethod.IN_PERSON,
            signed_on=signature.signed_on,
            signer_id=signature.signer_id,
            witness_id=signature.witness_id,
        )
