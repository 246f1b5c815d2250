"""Reads of decision cases: the only way views reach them. Every read goes through
`DecisionCase.objects.visible_to(user)` and is logged (wijk.core.access).

Two audiences (ADR 0040):
- the municipality's decision desk reads its queue and, of each case, exactly three things:
  the draft decision, the signed plan version the case names (its parts and the facts of its
  signature, no other version) and the investigation report of that case. Those are read
  here, through the case, and shown on the desk's own pages; the desk never opens a plan,
  an investigation, a letter or a resident's file by their own pages;
- the consortium (person-level roles) reads the cases of the plans it may see: the outcome
  on the plan's page, the case page, the resident's timeline and the worklist."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijk.accounts.roles import gate_for
from wijk.core.access import (
    log_list,
    log_read,
    model_ref,
    refs_with_resident,
    require_or_refuse,
    visible_or_refuse,
)
from wijk.core.errors import NotFoundError
from wijk.core.home import HomeCard
from wijk.core.models import AccessEvent
from wijk.core.private_files import private_file_read
from wijk.core.rows import Capped, Columns, Values, capped_rows, record_refs
from wijk.core.timeline import TimelineEntry
from wijk.core.worklist import Scope, WorkItem, WorkPart
from wijk.decisions.deadlines import pgb_worklist_horizon
from wijk.decisions.models import (
    DecisionCase,
    DecisionCaseQuerySet,
    DecisionStatusChange,
    PgbEvaluation,
)
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.monitoring.sources import DueRow, DueTally
from wijk.organisations.models import Team
from wijk.plans.diff import Snapshot, snapshot_of
from wijk.plans.models import PlanVersion, Signature
from wijk.plans.selectors import signed_version_for_desk
from wijk.residents.models import full_name_of

if TYPE_CHECKING:
    from collections.abc import Collection

    from wijk.accounts.models import User
    from wijk.accounts.roles import Gate

log = structlog.get_logger(__name__)

# The desk's queue shows at most this many cases per list (waiting, decided).
QUEUE_LIMIT = 200


def _visible(user: User) -> DecisionCaseQuerySet:
    return DecisionCase.objects.visible_to(user)


# -- The decision desk ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    pk: int
    kind: str
    resident_name: str
    placed_at: datetime.datetime
    status: str
    outcome: str

    @property
    def kind_label(self) -> str:
        return str(DecisionKind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(DecisionStatus(self.status).label)

    @property
    def outcome_label(self) -> str:
        return str(DecisionOutcome(self.outcome).label) if self.outcome else ""


_QUEUE_COLUMNS = Columns(
    {
        "pk": "pk",
        "kind": "kind",
        "resident": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "placed_at": "placed_at",
        "status": "status",
        "outcome": "outcome",
    }
)


def _queue_row(values: Values) -> QueueRow:
    return QueueRow(
        pk=values["pk"],
        kind=values["kind"],
        resident_name=full_name_of(
            values["given_names"], values["name_prefix"], values["family_name"]
        ),
        placed_at=values["placed_at"],
        status=values["status"],
        outcome=values["outcome"],
    )


@dataclass(frozen=True)
class Queue:
    waiting: Capped[QueueRow]
    decided: Capped[QueueRow]


def decision_queue_for_user(*, user: User, limit: int = QUEUE_LIMIT) -> Queue:
    """The desk's queue: the cases waiting for a decision (oldest first) and the cases it
    decided (newest first), at most `limit` of each; each list one query and one access-log
    entry. Only for the decision desk: anyone else gets a logged refusal (NotFoundError)."""
    require_or_refuse(gate_for(user).decision_desk, user=user)
    refs = record_refs(DecisionCase, resident="resident")
    cases = _visible(user)
    waiting = capped_rows(
        user=user,
        queryset=cases.filter(status=DecisionStatus.PLACED).order_by("placed_at", "pk"),
        columns=_QUEUE_COLUMNS,
        build=_queue_row,
        refs=refs,
        limit=limit,
    )
    decided = capped_rows(
        user=user,
        queryset=cases.exclude(status=DecisionStatus.PLACED).order_by("-decided_at", "-pk"),
        columns=_QUEUE_COLUMNS,
        build=_queue_row,
        refs=refs,
        limit=limit,
    )
    return Queue(waiting=waiting, decided=decided)


@dataclass(frozen=True)
class InvestigationReport:
    """The investigation report of a case, as the desk reads it: the report's fields, its
    life domains and the resident's own views on it."""

    investigation: Any
    life_domains: list[Any]
    own_views: list[Any]


@dataclass(frozen=True)
class DeskCase:
    """One case as the desk's page shows it: the case (and decision, once recorded), the
    signed version's six parts and signature, and the investigation report, if any."""

    case: DecisionCase
    version: PlanVersion
    content: Snapshot
    signature: Signature | None
    report: InvestigationReport | None


def _case(*, user: User, pk: int) -> DecisionCase:
    return visible_or_refuse(
        queryset=_visible(user).select_related(
            "resident",
            "plan__team",
            "placed_by",
            "decided_by",
            "investigation",
            "draft_letter",
        ),
        pk=pk,
        user=user,
    )


def decision_case_for_desk(*, user: User, pk: int) -> DeskCase:
    """Case `pk` of the desk's queue with the three documents it names, or NotFoundError
    (logged) for a case that does not exist, and for anyone who is not the desk. The read
    names the case, its resident, the version, its signature, the investigation and the
    resident's views on it, and the draft letter."""
    require_or_refuse(gate_for(user).decision_desk, user=user, event=AccessEvent.READ)
    case = _case(user=user, pk=pk)
    version = signed_version_for_desk(version_id=case.version_id)
    signature = getattr(version, "signature", None)
    report = None
    investigation = case.investigation
    if investigation is not None:
        report = InvestigationReport(
            investigation=investigation,
            life_domains=list(investigation.life_domains.order_by("sort_order", "code")),
            own_views=list(investigation.own_views.order_by("pk")),
        )
    log_read(
        user=user,
        resident_id=case.resident_id,
        objects=[
            *refs_with_resident([case]),
            version,
            *([signature] if signature is not None else []),
            *([investigation] if investigation is not None else []),
            *(report.own_views if report is not None else []),
            *([case.draft_letter] if case.draft_letter is not None else []),
        ],
    )
    return DeskCase(
        case=case,
        version=version,
        content=snapshot_of(version),
        signature=signature,
        report=report,
    )


@dataclass(frozen=True)
class DraftFile:
    pdf: bytes
    filename: str


def decision_draft_file_for_user(*, user: User, pk: int) -> DraftFile:
    """The PDF of case `pk`'s draft decision, for whoever may see the case (the desk, the
    plan's team), or NotFoundError: a case not visible, a case without a letter, a file that
    is missing or not the file that was made. The read names the case, the letter and the
    resident."""
    case = _case(user=user, pk=pk)
    letter = case.draft_letter
    if letter is None:
        raise NotFoundError
    try:
        pdf = private_file_read(letter.file_path)
    except (FileNotFoundError, ValueError):
        log.error("decision_draft_file_missing", case_id=case.pk, letter_id=letter.pk)
        raise NotFoundError from None
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        log.error("decision_draft_file_changed", case_id=case.pk, letter_id=letter.pk)
        raise NotFoundError
    log_read(user=user, resident_id=case.resident_id, objects=[*refs_with_resident([case]), letter])
    return DraftFile(pdf=pdf, filename=f"concept-beschikking-{case.pk}-versie-{letter.version}.pdf")


# -- The consortium ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    """A case as the plan's team sees it: the case, the decision, and a pgb's evaluations
    (the newest first)."""

    case: DecisionCase
    evaluations: list[PgbEvaluation]

    @property
    def can_mark_seen(self) -> bool:
        return self.case.status == DecisionStatus.DECIDED

    @property
    def can_evaluate(self) -> bool:
        return self.case.pgb_granted


def decision_case_get_for_user(*, user: User, pk: int) -> CaseView:
    """Case `pk` with a pgb's evaluations, for a person-level user who may see its plan, or
    NotFoundError (logged). The read names the case, its resident and the evaluations."""
    require_or_refuse(gate_for(user).person_level, user=user, event=AccessEvent.READ)
    case = _case(user=user, pk=pk)
    evaluations = list(case.evaluations.select_related("by").order_by("-held_on", "-pk"))
    log_read(
        user=user, resident_id=case.resident_id, objects=[*refs_with_resident([case]), *evaluations]
    )
    return CaseView(case=case, evaluations=evaluations)


def decision_cases_of_plan_for_user(*, user: User, plan_id: int) -> list[DecisionCase]:
    """The cases of plan `plan_id` that the user may see (the plan page's part), the newest
    first, in one query and (when there are any) one access-log entry. For a page that has
    read the plan through its selector."""
    if not gate_for(user).person_level:
        return []
    cases = list(
        _visible(user)
        .filter(plan_id=plan_id)
        .select_related("decided_by", "version")
        .order_by("-placed_at", "-pk")
    )
    if cases:
        log_list(user=user, objects=refs_with_resident(cases))
    return cases


def timeline_decisions_for_user(
    *,
    user: User,
    resident: Any,
    kinds: Collection[str] = ("decision",),
    limit: int = 1000,
) -> list[TimelineEntry]:
    """The resident's decision cases for the case-file timeline, at the moment each was
    placed, the newest `limit` in the order of `wijk.core.timeline.newest_first`, in one
    query and one access-log entry. For the case file, which has checked the resident."""
    if not gate_for(user).person_level or "decision" not in kinds:
        return []
    cases = list(
        _visible(user).filter(resident=resident).order_by("-placed_at", "-pk")[: min(limit, 1000)]
    )
    if not cases:
        return []
    log_read(user=user, objects=refs_with_resident(cases), resident_id=resident.pk)
    return [
        TimelineEntry(
            at=case.placed_at,
            kind="decision",
            title=_("Naar de gemeente voor een besluit: %(kind)s")
            % {"kind": case.get_kind_display()},
            detail=(
                _("Besluit: %(outcome)s (kenmerk %(reference)s)")
                % {"outcome": case.get_outcome_display().lower(), "reference": case.reference}
                if case.outcome
                else str(DecisionStatus(case.status).label)
            ),
            url=reverse("decisions:case", args=[case.pk]),
            ref=model_ref(DecisionCase, case.pk),
        )
        for case in cases
    ]


# -- The worklist and the start page ------------------------------------------------------


def _scoped(
    user: User, scope: Scope, cases: DecisionCaseQuerySet | None = None
) -> DecisionCaseQuerySet:
    """The cases of the plans the user coordinates ("mine") or of the user's active teams
    ("team"), of those the user may see, or of `cases` (the team's candidates without the
    access rule, core.rows.capped_rows)."""
    cases = _visible(user) if cases is None else cases
    if scope == "mine":
        return cases.filter(plan__coordinator=user)
    return cases.filter(plan__team__in=Team.objects.active_for(user).values("pk"))


_WORK_COLUMNS = Columns(
    {
        "pk": "pk",
        "kind": "kind",
        "decided_on": "decided_on",
        "next_evaluation_on": "next_evaluation_on",
        "outcome": "outcome",
        "resident": "resident_id",
        "given_names": "resident__given_names",
        "name_prefix": "resident__name_prefix",
        "family_name": "resident__family_name",
        "coordinator_first": "plan__coordinator__first_name",
        "coordinator_last": "plan__coordinator__last_name",
        "external_name": "plan__external_name",
    }
)


def _work_item(values: Values, *, work: str) -> WorkItem:
    holder = " ".join(
        part for part in (values["coordinator_first"], values["coordinator_last"]) if part
    )
    if work == "decision":
        title = _("Besluit van de gemeente over zaak %(number)s: %(outcome)s") % {
            "number": values["pk"],
            "outcome": str(DecisionOutcome(values["outcome"]).label).lower(),
        }
        due = values["decided_on"]
    else:
        title = _("Evaluatie van het pgb (zaak %(number)s)") % {"number": values["pk"]}
        due = values["next_evaluation_on"]
    return WorkItem(
        kind=work,
        due=due,
        title=title,
        resident_name=full_name_of(
            values["given_names"], values["name_prefix"], values["family_name"]
        ),
        url=reverse("decisions:case", args=[values["pk"]]),
        holder_name=holder or values["external_name"] or "",
        ref=model_ref(DecisionCase, values["pk"]),
    )


def decisions_back_for_user(
    *, user: User, scope: Scope, today: datetime.date, limit: int
) -> WorkPart:
    """The worklist's provider of decisions back from the municipality that the plan's team
    has not marked as seen yet (kind "decision"), due on the decision's date. "mine": the
    plans the user coordinates; "team": the plans of the user's active teams. One query and
    one access-log entry."""
    if not gate_for(user).person_level:
        return WorkPart(items=[])
    capped = capped_rows(
        user=user,
        queryset=_scoped(user, scope)
        .filter(status=DecisionStatus.DECIDED)
        .order_by("decided_on", "pk"),
        columns=_WORK_COLUMNS,
        build=lambda values: _work_item(values, work="decision"),
        refs=record_refs(DecisionCase, resident="resident"),
        limit=limit,
    )
    return WorkPart(items=capped.rows, more=capped.more)


def pgb_evaluations_due_for_user(
    *, user: User, scope: Scope, today: datetime.date, limit: int
) -> WorkPart:
    """The worklist's provider of pgb evaluations (kind "pgb_evaluation"): granted pgbs that
    have not ended, whose next evaluation is due within PGB_WORKLIST_DAYS or overdue. "mine"
    and "team" as for decisions. One query and one access-log entry."""
    if not gate_for(user).person_level:
        return WorkPart(items=[])

    def due(cases: DecisionCaseQuerySet) -> DecisionCaseQuerySet:
        return (
            cases.filter(
                kind=DecisionKind.PGB,
                outcome=DecisionOutcome.GRANTED,
                next_evaluation_on__lte=pgb_worklist_horizon(today),
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .order_by("next_evaluation_on", "pk")
        )

    capped = capped_rows(
        user=user,
        queryset=due(_scoped(user, scope)),
        columns=_WORK_COLUMNS,
        build=lambda values: _work_item(values, work="pgb_evaluation"),
        refs=record_refs(DecisionCase, resident="resident"),
        limit=limit,
        candidates=(
            due(_scoped(user, scope, DecisionCase.objects.all())) if scope == "team" else None
        ),
    )
    return WorkPart(items=capped.rows, more=capped.more)


def decision_desk_cards(user: Any, gate: Gate) -> list[HomeCard]:
    """The desk's start: how many cases wait for a decision (one count, no names)."""
    if not gate.decision_desk:
        return []
    waiting = _visible(user).filter(status=DecisionStatus.PLACED).count()
    return [
        HomeCard(
            section="work",
            label=str(gettext_lazy("Zaken die wachten op een besluit")),
            count=waiting,
            url=reverse("decisions:queue"),
        )
    ]


# -- For monitoring: pgb evaluations on time, counted (wijk.monitoring.sources, ADR 0042) ------

_RESIDENT_WIJK = "resident__address__buurt__wijk__code"


def pgb_evaluations_on_time(
    *,
    start: datetime.date,
    end: datetime.date,
    team_ids: Sequence[int],
    today: datetime.date,
) -> list[DueRow]:
    """Counts only, for the monitoring pages (registered in DecisionsConfig.ready): the
    evaluations of granted pgbs due from `start` up to `end`, by the date they were due as
    it was set (by the decision, or by the evaluation before; never more than two years on),
    per month of that date, team of the plan and wijk of the resident's address:

      on time     held on or before the date (`PgbEvaluation.held_on <= due_on`);
      late        held after it;
      not held    not held, the date has passed (before today), and the pgb had not ended
                  before the date (no end date, or an end date on or after it);
      not judged  not held, and the date has not passed (today included), or the pgb ended
                  before it.

    Evaluations recorded before their due date was kept (`due_on` empty) are not counted.
    Two queries: the evaluations held, and the pgbs' dates still waiting."""
    tally = DueTally()

    for values in (
        PgbEvaluation.objects.filter(
            due_on__gte=start, due_on__lt=end, case__plan__team_id__in=list(team_ids)
        )
        .annotate(month=TruncMonth("due_on"))
        .values("month", in_team=F("case__plan__team_id"), in_wijk=F(f"case__{_RESIDENT_WIJK}"))
        .annotate(
            on_time=Count("pk", filter=Q(held_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(held_on__gt=F("due_on"))),
        )
        .order_by()
    ):
        tally.add(values, on_time=values["on_time"], late=values["late"])
    # A pgb's next evaluation date is the one not held yet: each evaluation replaces it.
    passed = Q(next_evaluation_on__lt=today) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=F("next_evaluation_on"))
    )
    for pending in (
        DecisionCase.objects.filter(
            kind=DecisionKind.PGB,
            outcome=DecisionOutcome.GRANTED,
            next_evaluation_on__gte=start,
            next_evaluation_on__lt=end,
            plan__team_id__in=list(team_ids),
        )
        .annotate(month=TruncMonth("next_evaluation_on"))
        .values("month", in_team=F("plan__team_id"), in_wijk=F(_RESIDENT_WIJK))
        .annotate(waiting=Count("pk"), not_held=Count("pk", filter=passed))
        .order_by()
    ):
        tally.add(
            pending,
            not_held=pending["not_held"],
            not_judged=pending["waiting"] - pending["not_held"],
        )
    return tally.rows()


# ---------------------------------------------------------------------------------------------
# The record-level part of the daily feed (docs/adr/0050): a system read, with no user. The
# feed service alone calls it, after checking the recorded legal basis and the key, and logs
# the delivery as one access-log entry with its row counts. Facts only: no draft text, pgb
# plan, amount or reference.

FEED_CHUNK = 2000


def decision_cases_for_feed(
    *, since: datetime.date | None, first_day: datetime.date
) -> Iterator[Any]:
    """Every decision case the feed delivers, streamed from the database in chunks in the
    order of registration (primary key), as named rows: pk, resident_id (internal ids that
    the feed turns into pseudonyms), born (for the age band only: never delivered),
    wijk_code (of the resident's address), kind, status, placed_at, decided_on, outcome,
    starts_on, ends_on, next_evaluation_on.

    Full (`since` None): those placed on or after `first_day`, not decided yet, or with a
    decision that runs on or after it. Incremental: those placed, decided or otherwise moved
    on (a status change) on or after `since`."""
    if since is None:
        wanted = (
            Q(placed_at__date__gte=first_day)
            | Q(decided_on__isnull=True)
            | Q(ends_on__isnull=True)
            | Q(ends_on__gte=first_day)
        )
    else:
        wanted = (
            Q(placed_at__date__gte=since)
            | Q(decided_at__date__gte=since)
            | Q(
                Exists(
                    DecisionStatusChange.objects.filter(case=OuterRef("pk"), at__date__gte=since)
                )
            )
        )
    return (
        DecisionCase.objects.filter(wanted)
        .order_by("pk")
        .values_list(
            "pk",
            "resident_id",
            "resident__date_of_birth",
            "resident__address__buurt__wijk__code",
            "kind",
            "status",
            "placed_at",
            "decided_on",
            "outcome",
            "starts_on",
            "ends_on",
            "next_evaluation_on",
            named=True,
        )
        .iterator(chunk_size=FEED_CHUNK)
    )
