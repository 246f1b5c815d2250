"""Authorization matrix rows for the decision desk (ADR 0040). The desk's pages answer the
municipality's decision officers only (`municipality_decisions`); the consortium's pages
about decisions the person-level roles who may see the plan; every other role, and the desk
on every other page, gets 404. The desk's column is deny on every other row of the matrix
(row() denies by default), which wijk/decisions/tests/test_desk_reaches_nothing_else.py checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wijk.core.private_files import private_file_write
from wijk.core.tests.matrix_kit import ALLOW, PERSON_LEVEL, Kwargs, row
from wijk.decisions.models import DecisionCase, DecisionStatusChange
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.letters.models import Letter, LetterKind
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import sign_directly
from wijk.plans.workflow import PlanStatus

DESK = {"municipality_decisions": ALLOW}

PLACED: Kwargs = lambda objects: {"pk": objects["decision_case"].pk}  # noqa: E731
PGB_GRANTED: Kwargs = lambda objects: {"pk": objects["pgb_case"].pk}  # noqa: E731
DECISION_PLAN: Kwargs = lambda objects: {"pk": objects["decision_case"].plan_id}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    # The decision desk.
    "decisions:queue": (row(DESK), lambda objects: {}),
    "decisions:desk_case": (row(DESK), PLACED),
    "decisions:desk_draft": (row(DESK), PLACED),
    # The consortium.
    "decisions:place": (row(PERSON_LEVEL), DECISION_PLAN),
    "decisions:pgb_request": (row(PERSON_LEVEL), DECISION_PLAN),
    "decisions:case": (row(PERSON_LEVEL), PLACED),
    "decisions:pgb_evaluation": (row(PERSON_LEVEL), PGB_GRANTED),
}

DRAFT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _case(objects: dict[str, Any], **fields: Any) -> DecisionCase:
    """A case about a signed plan of another household in the matrix's team, coordinated by
    the colleague. Written without the services: a user outside a request has no
    TOTP-verified session, so no gate."""
    author = objects["other_user"]
    plan = SupportPlanFactory(team=objects["team"], coordinator=author, status=PlanStatus.ACTIVE)
    sign_directly(plan, witness=author)
    case = DecisionCase.objects.create(
        plan=plan, version=plan.current, resident=plan.resident, placed_by=author, **fields
    )
    DecisionStatusChange.objects.create(case=case, seq=1, status=DecisionStatus.PLACED, by=author)
    return case


def extra_objects(objects: dict[str, Any]) -> None:
    """A placed case with its draft letter in private storage (`decision_case`), and a
    granted pgb (`pgb_case`)."""
    author = objects["other_user"]
    case = _case(objects, kind=DecisionKind.REQUESTED, draft_text="De inwoner krijgt hulp.")
    stored = private_file_write(folder="letters", data=DRAFT_PDF, suffix=".pdf")
    case.draft_letter = Letter.objects.create(
        resident=case.resident,
        team=case.plan.team,
        kind=LetterKind.DRAFT_DECISION,
        source=f"decisions.decisioncase:{case.pk}",
        version=1,
        title="Concept-beschikking",
        file_path=stored.path,
        sha256=stored.sha256,
        size=stored.size,
        created_by=author,
    )
    case.save(update_fields=["draft_letter"])
    objects["decision_case"] = case
    today = timezone.localdate()
    objects["pgb_case"] = _case(
        objects,
        kind=DecisionKind.PGB,
        draft_text="Een pgb voor begeleiding.",
        pgb_plan="Begeleiding door de buurvrouw, vier uur per week.",
        status=DecisionStatus.DECIDED,
        outcome=DecisionOutcome.GRANTED,
        decided_on=today,
        starts_on=today,
        amount=Decimal("4800.00"),
        reference="WMO-2026-1",
        decided_by=author,
        decided_at=timezone.now(),
        next_evaluation_on=today + datetime.timedelta(days=700),
    )
