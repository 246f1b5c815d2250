"""Authorization matrix rows for the support plan pages: person-level, so professionals and
team leads who may see the plan's resident; 404 for every other role."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.core.private_files import private_file_write
from wijk.core.tests.matrix_kit import NO_ARGS, PERSON_LEVEL, TEAM_LEAD, Kwargs, row
from wijk.plans.models import (
    Evaluation,
    EvaluationGoal,
    PlanCoordinatorChange,
    PlanGoal,
    PlanStatusChange,
    PlanVersion,
    Signature,
    SupportPlan,
)
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import GoalProgress, PlanStatus, SignatureMethod

# -- The plan, its versions and its coordinator
PLAN: Kwargs = lambda objects: {"pk": objects["plan"].pk}  # noqa: E731
# -- Evaluations and the explanation of rights
EVALUATED_PLAN: Kwargs = lambda objects: {"pk": objects["evaluated_plan"].pk}  # noqa: E731
EVALUATION: Kwargs = lambda objects: {  # noqa: E731
    "pk": objects["evaluated_plan"].pk,
    "evaluation_pk": objects["evaluation"].pk,
}

# -- Signing
PLAN_CURRENT_VERSION: Kwargs = lambda objects: {  # noqa: E731
    "pk": objects["plan"].pk,
    "number": objects["plan"].current.number,
}
SIGNED_VERSION: Kwargs = lambda objects: {  # noqa: E731
    "pk": objects["signed_plan"].pk,
    "number": objects["signed_plan"].current.number,
}

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    # -- The plan, its versions and its coordinator
    "plans:start": (row(PERSON_LEVEL), NO_ARGS),
    "plans:detail": (row(PERSON_LEVEL), PLAN),
    "plans:edit": (row(PERSON_LEVEL), PLAN),
    "plans:versions": (row(PERSON_LEVEL), PLAN),
    # The team lead of the plan's team (the matrix's professional is not its coordinator).
    "plans:coordinator": (row(TEAM_LEAD), PLAN),
    # -- Evaluations and the explanation of rights
    "plans:evaluation_new": (row(PERSON_LEVEL), EVALUATED_PLAN),
    "plans:evaluation_detail": (row(PERSON_LEVEL), EVALUATION),
    "plans:rights": (row(PERSON_LEVEL), EVALUATED_PLAN),
    # -- Signing
    "plans:version_sign": (row(PERSON_LEVEL), PLAN_CURRENT_VERSION),
    "plans:signature_file": (row(PERSON_LEVEL), SIGNED_VERSION),
    "plans:summary_letter": (row(PERSON_LEVEL), SIGNED_VERSION),
    # -- Ending: who may change the coordinator (the matrix's professional is not it).
    "plans:end": (row(TEAM_LEAD), PLAN),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """The matrix's objects of the plan pages (each part adds its own below)."""
    # -- The plan, its versions and its coordinator
    _plan_objects(objects)
    # -- Evaluations and the explanation of rights
    _evaluation_objects(objects)
    # -- Signing
    _signing_objects(objects)


# -- The plan, its versions and its coordinator


def _plan_objects(objects: dict[str, Any]) -> None:
    """A draft plan of the matrix's resident's household in the matrix's team, coordinated by
    a colleague, with two versions (`objects["plan"]`). Written without the services: a user
    outside a request has no TOTP-verified session, so no gate."""
    resident = objects["resident"]
    author = objects["other_user"]
    plan = SupportPlan.objects.create(
        household=resident.household_membership.household,
        resident=resident,
        team=objects["team"],
        coordinator=author,
        created_by=author,
    )
    PlanStatusChange.objects.create(plan=plan, seq=1, status="draft", by=author)
    PlanCoordinatorChange.objects.create(plan=plan, assignee=author, by=author)
    for number in (1, 2):
        version = PlanVersion.objects.create(
            plan=plan,
            number=number,
            based_on=plan.current,
            own_strength=f"Zus helpt met de boodschappen (versie {number}).",
            created_by=author,
        )
        PlanGoal.objects.create(
            version=version, position=1, goal="Schulden op een rij", result="Overzicht"
        )
        plan.current = version
        plan.save(update_fields=["current"])
    objects["plan"] = plan


# -- Evaluations and the explanation of rights


def _evaluation_objects(objects: dict[str, Any]) -> None:
    """An active (signed) plan of another household in the matrix's team, coordinated by the
    colleague, evaluated once without a ZRM (`objects["evaluated_plan"]`,
    `objects["evaluation"]`). Written without the services, as above."""
    author = objects["other_user"]
    plan = SupportPlanFactory(team=objects["team"], coordinator=author, status=PlanStatus.ACTIVE)
    evaluation = Evaluation.objects.create(
        plan=plan,
        version=plan.current,
        held_on=timezone.localdate(),
        resident_view="Het gaat beter met de post.",
        no_zrm_reason="Geen traject gekoppeld.",
        next_evaluation_on=timezone.localdate() + datetime.timedelta(days=182),
        by=author,
    )
    EvaluationGoal.objects.bulk_create(
        EvaluationGoal(evaluation=evaluation, goal=goal, progress=GoalProgress.PROGRESSING)
        for goal in plan.current.goals.all()
    )
    objects["evaluated_plan"] = plan
    objects["evaluation"] = evaluation


# -- Signing


def _signing_objects(objects: dict[str, Any]) -> None:
    """An active plan of another household in the matrix's team whose version 1 carries a
    scanned paper signature, stored in private storage (`objects["signed_plan"]`). Written
    without the services, as above."""
    author = objects["other_user"]
    plan = SupportPlanFactory(team=objects["team"], coordinator=author, status=PlanStatus.ACTIVE)
    stored = private_file_write(folder="signatures", data=SCAN_PDF, suffix=".pdf")
    Signature.objects.create(
        version=plan.current,
        method=SignatureMethod.SCAN,
        signed_on=timezone.localdate(),
        signer=plan.resident,
        witness=author,
        file_path=stored.path,
        content_type="application/pdf",
        sha256=stored.sha256,
    )
    objects["signed_plan"] = plan


SCAN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
