"""The rows the seed writes, declared by name: one NamedTuple per table.

Each declaration's fields are the names of the model's fields, in the order the rows hold
them; its rows are built by keyword with the builder made from it (`request_row(id=...,
reference=..., ...)`, see row_builder), so mypy checks every name and type where a row is
made: in wijk.synthetic.work for the work, in services.city_rows for the city. The writers
(wijk.synthetic.services, and bench/seed.py's CSV files) take the column list from the
declaration (`RequestRow._fields`): there is no second list of columns to keep in step. A
model field the declaration leaves out gets its default (see services.copy_columns).

Adding a column: add the field here and pass it where the row is built (or give it a default
here). Adding a table: declare its row and its builder here, register it in CITY_TABLES or
WORK_TABLES (with its model, as "app_label.Model") and build its rows. Like work.py this module
touches no database: the models are named, not imported.

The rows themselves are plain tuples in the declared order, not instances of the declaration
(nor dataclasses or dicts): the seed makes well over a million rows at scale 1 and bench/seed.py
measures how fast. Calling a NamedTuple class with keywords builds a dict per row, and binary
COPY formats a tuple subclass more slowly than a tuple; row_builder's keyword-only function
costs about a fifth of a microsecond more than writing the tuple out.
"""

from __future__ import annotations

import datetime
import decimal
import keyword
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple


def row_builder[**P](row: Callable[P, tuple[Any, ...]]) -> Callable[P, tuple[Any, ...]]:
    """A function that makes rows declared by the NamedTuple `row` from keyword arguments
    only, with the declaration's defaults: `row_builder(RequestRow)(id=1, ...)` equals
    `RequestRow(id=1, ...)` as a plain tuple. It takes the class's parameters, so mypy checks
    every name and type where a row is built."""
    fields: tuple[str, ...] = getattr(row, "_fields")  # noqa: B009 (not typed on Callable)
    defaults: dict[str, Any] = getattr(row, "_field_defaults")  # noqa: B009
    if not all(name.isidentifier() and not keyword.iskeyword(name) for name in fields):
        raise ValueError(f"{row!r} has a field that is no name")
    parameters = ", ".join(
        f"{name}=_defaults[{name!r}]" if name in defaults else name for name in fields
    )
    values = "".join(f"{name}, " for name in fields)
    namespace: dict[str, Any] = {"_defaults": defaults}
    # As collections.namedtuple makes __new__: the source from the (checked) field names.
    exec(f"def build(*, {parameters}):\n    return ({values})", namespace)  # noqa: S102
    build: Callable[P, tuple[Any, ...]] = namespace["build"]
    name = getattr(row, "__name__", "row")
    build.__name__ = build.__qualname__ = name
    return build


# -- the city ----------------------------------------------------------------------------------


class AddressRow(NamedTuple):
    id: int
    street: str
    house_number: int
    house_letter: str
    house_number_addition: str
    postcode: str
    city: str
    buurt: int


address_row = row_builder(AddressRow)


class HouseholdRow(NamedTuple):
    id: int
    address: int
    created_at: datetime.datetime


household_row = row_builder(HouseholdRow)


class ResidentRow(NamedTuple):
    id: int
    given_names: str
    name_prefix: str
    family_name: str
    date_of_birth: datetime.date
    bsn: str | None
    phone: str
    email: str
    address: int
    created_at: datetime.datetime


resident_row = row_builder(ResidentRow)


class MembershipRow(NamedTuple):
    id: int
    household: int
    resident: int
    relation: str


membership_row = row_builder(MembershipRow)


# -- requests and trajectories -----------------------------------------------------------------


class RequestRow(NamedTuple):
    id: int
    reference: str
    received_at: datetime.datetime
    channel: int
    referrer_type: int | None
    referrer_organisation: int | None
    resident: int | None
    household: int | None
    requested_by: str
    requester_name: str
    requester_phone: str
    requester_email: str
    postcode: str
    buurt: int | None
    question: str
    team: int
    assigned_to: int | None
    created_by: int | None
    status: str
    first_contact_due: datetime.date
    support_due: datetime.date
    investigation_due: datetime.date
    first_contact_at: datetime.datetime | None
    outcome: str
    outcome_at: datetime.datetime | None
    outcome_provision: int | None
    submission_key: uuid.UUID | None
    unreached_attempts: int


request_row = row_builder(RequestRow)


class RequestStatusChangeRow(NamedTuple):
    id: int
    help_request: int
    seq: int
    status: str
    at: datetime.datetime
    by: int | None
    reason: str


request_status_change_row = row_builder(RequestStatusChangeRow)


class ContactAttemptRow(NamedTuple):
    id: int
    help_request: int
    at: datetime.datetime
    by: int
    reached: bool


contact_attempt_row = row_builder(ContactAttemptRow)


class TrajectoryRow(NamedTuple):
    id: int
    resident: int
    household: int
    help_request: int
    team: int
    part: str
    inflow_date: datetime.date
    inflow_reason: int
    primary_life_domain: int
    youth_support: bool
    coordinator: int
    status: str
    outflow_date: datetime.date | None
    outflow_reason: int | None
    created_at: datetime.datetime
    decision_version: int | None = None


trajectory_row = row_builder(TrajectoryRow)


class TrajectoryLifeDomainRow(NamedTuple):
    id: int
    trajectory: int
    code: int


trajectory_life_domain_row = row_builder(TrajectoryLifeDomainRow)


class TrajectoryStatusChangeRow(NamedTuple):
    id: int
    trajectory: int
    seq: int
    status: str
    at: datetime.datetime
    by: int
    reason: str


trajectory_status_change_row = row_builder(TrajectoryStatusChangeRow)


class ZrmAssessmentRow(NamedTuple):
    id: int
    trajectory: int
    moment: str
    assessed_on: datetime.date
    by: int


zrm_assessment_row = row_builder(ZrmAssessmentRow)


class ZrmScoreRow(NamedTuple):
    id: int
    assessment: int
    domain: int
    score: int


zrm_score_row = row_builder(ZrmScoreRow)


class HandoverRow(NamedTuple):
    id: int
    trajectory: int
    destination: str
    receiver: str
    handed_over_on: datetime.date
    by: int


handover_row = row_builder(HandoverRow)


# -- investigations and support plans ----------------------------------------------------------


class InvestigationRow(NamedTuple):
    id: int
    help_request: int
    resident: int
    household: int
    conversation_on: datetime.date | None
    conversation_place: str
    underlying_question: str
    own_strength: str
    started_at: datetime.datetime
    started_by: int
    updated_at: datetime.datetime
    updated_by: int
    completed_on: datetime.date | None
    completed_by: int | None
    network_who: str = ""
    preceding_provisions: str = ""
    expertise_which: str = ""


investigation_row = row_builder(InvestigationRow)


class PlanRow(NamedTuple):
    id: int
    household: int
    resident: int
    help_request: int | None
    team: int
    coordinator: int
    status: str
    current: int
    next_evaluation_on: datetime.date | None
    ended_on: datetime.date | None
    end_reason: str
    perspective_reached: str
    created_at: datetime.datetime
    created_by: int
    external_name: str = ""
    external_role: str = ""


plan_row = row_builder(PlanRow)


class PlanStatusChangeRow(NamedTuple):
    id: int
    plan: int
    seq: int
    status: str
    at: datetime.datetime
    by: int
    reason: str


plan_status_change_row = row_builder(PlanStatusChangeRow)


class PlanVersionRow(NamedTuple):
    id: int
    plan: int
    number: int
    based_on: int | None
    own_strength: str
    preceding_provisions: str
    solution: str
    partners: str
    perspective: str
    ao_scope: str
    ao_start_on: datetime.date | None
    ao_review_on: datetime.date | None
    created_at: datetime.datetime
    created_by: int


plan_version_row = row_builder(PlanVersionRow)


class PlanGoalRow(NamedTuple):
    id: int
    version: int
    position: int
    member: int | None
    goal: str
    result: str


plan_goal_row = row_builder(PlanGoalRow)


class SignatureRow(NamedTuple):
    id: int
    version: int
    method: str
    signed_on: datetime.date
    signer: int
    signer_name: str
    witness: int
    created_at: datetime.datetime
    file_path: str = ""
    content_type: str = ""
    sha256: str = ""


signature_row = row_builder(SignatureRow)


class EvaluationRow(NamedTuple):
    id: int
    plan: int
    version: int
    held_on: datetime.date
    resident_view: str
    no_zrm_reason: str
    next_evaluation_on: datetime.date
    by: int
    created_at: datetime.datetime
    due_on: datetime.date | None = None


evaluation_row = row_builder(EvaluationRow)


class EvaluationGoalRow(NamedTuple):
    id: int
    evaluation: int
    goal: int
    progress: str
    note: str


evaluation_goal_row = row_builder(EvaluationGoalRow)


class RightsExplanationRow(NamedTuple):
    id: int
    plan: int
    explained_on: datetime.date
    client_support: bool
    wants_client_support: bool
    privacy: bool
    complaints: bool
    objection_appeal: bool
    by: int
    created_at: datetime.datetime
    note: str = ""


rights_explanation_row = row_builder(RightsExplanationRow)


class DecisionCaseRow(NamedTuple):
    id: int
    plan: int
    version: int
    resident: int
    investigation: int | None
    kind: str
    draft_text: str
    pgb_plan: str
    amount_requested: decimal.Decimal | None
    status: str
    placed_at: datetime.datetime
    placed_by: int
    outcome: str
    decided_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    amount: decimal.Decimal | None
    reference: str
    decided_by: int | None
    decided_at: datetime.datetime | None
    next_evaluation_on: datetime.date | None


decision_case_row = row_builder(DecisionCaseRow)


class DecisionStatusChangeRow(NamedTuple):
    id: int
    case: int
    seq: int
    status: str
    at: datetime.datetime
    by: int
    reason: str


decision_status_change_row = row_builder(DecisionStatusChangeRow)


class PgbEvaluationRow(NamedTuple):
    id: int
    case: int
    held_on: datetime.date
    outcome: str
    next_evaluation_on: datetime.date
    by: int
    created_at: datetime.datetime
    due_on: datetime.date | None = None


pgb_evaluation_row = row_builder(PgbEvaluationRow)


# -- short contacts and activities -------------------------------------------------------------


class ShortContactRow(NamedTuple):
    id: int
    contact_date: datetime.date
    channel: int
    life_domain: int
    team: int
    wijk: int | None
    registered_by: int
    registered_at: datetime.datetime


short_contact_row = row_builder(ShortContactRow)


class ActivityRow(NamedTuple):
    id: int
    name: str
    organiser: int
    theme: int
    target_group: int
    wijk: int
    location: str
    registers_participants: bool
    active: bool
    created_at: datetime.datetime


activity_row = row_builder(ActivityRow)


class ActivitySessionRow(NamedTuple):
    id: int
    activity: int
    held_on: datetime.date
    attendance_total: int
    attendance_youth: int
    registered_by: int


activity_session_row = row_builder(ActivitySessionRow)


# -- the tables --------------------------------------------------------------------------------


class Table(NamedTuple):
    """A table the seed fills: its model ("app_label.Model") and the declaration of its rows."""

    model: str
    row: type[NamedTuple]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.row._fields


# By the key rows are written and counted under, in the order they are written.
CITY_TABLES: dict[str, Table] = {
    "addresses": Table("residents.Address", AddressRow),
    "households": Table("residents.Household", HouseholdRow),
    "residents": Table("residents.Resident", ResidentRow),
    "memberships": Table("residents.HouseholdMembership", MembershipRow),
}
# The requests and all that follows from them first (up to "pgb_evaluations"), then the
# rest.
WORK_TABLES: dict[str, Table] = {
    "requests": Table("requests.HelpRequest", RequestRow),
    "request_status_changes": Table("requests.RequestStatusChange", RequestStatusChangeRow),
    "contact_attempts": Table("requests.ContactAttempt", ContactAttemptRow),
    "trajectories": Table("trajectories.Trajectory", TrajectoryRow),
    "trajectory_life_domains": Table(
        "trajectories.Trajectory_life_domains", TrajectoryLifeDomainRow
    ),
    "trajectory_status_changes": Table(
        "trajectories.TrajectoryStatusChange", TrajectoryStatusChangeRow
    ),
    "zrm_assessments": Table("trajectories.ZrmAssessment", ZrmAssessmentRow),
    "zrm_scores": Table("trajectories.ZrmScore", ZrmScoreRow),
    "handovers": Table("trajectories.Handover", HandoverRow),
    "investigations": Table("investigations.Investigation", InvestigationRow),
    "plans": Table("plans.SupportPlan", PlanRow),
    "plan_status_changes": Table("plans.PlanStatusChange", PlanStatusChangeRow),
    "plan_versions": Table("plans.PlanVersion", PlanVersionRow),
    "plan_goals": Table("plans.PlanGoal", PlanGoalRow),
    "signatures": Table("plans.Signature", SignatureRow),
    "evaluations": Table("plans.Evaluation", EvaluationRow),
    "evaluation_goals": Table("plans.EvaluationGoal", EvaluationGoalRow),
    "rights_explanations": Table("plans.RightsExplanation", RightsExplanationRow),
    "decision_cases": Table("decisions.DecisionCase", DecisionCaseRow),
    "decision_status_changes": Table("decisions.DecisionStatusChange", DecisionStatusChangeRow),
    "pgb_evaluations": Table("decisions.PgbEvaluation", PgbEvaluationRow),
    "short_contacts": Table("contacts.ShortContact", ShortContactRow),
    "activities": Table("activities.Activity", ActivityRow),
    "activity_sessions": Table("activities.ActivitySession", ActivitySessionRow),
}
