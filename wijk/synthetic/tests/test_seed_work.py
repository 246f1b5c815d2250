"""The seeded work in the database, through `wijk seed`: volumes within tolerances, every row
within the model's constraints, outcomes, deadlines and status histories consistent, staff
sized to their caseloads, and the stored rows exactly the generated ones.

One seed (scale 0.1, two years: about 4,400 requests, 2,000 trajectories and 10,000 short
contacts; large enough that every group asserted on is expected to hold at least some ten
rows) is loaded for the whole module, inside a transaction rolled back at the end."""

from __future__ import annotations

import collections
import datetime
import io
import itertools
import statistics
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import CheckConstraint, Count, F, Max, Min, Q, Sum, UniqueConstraint
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import Role, User
from wijk.activities.models import Activity, ActivitySession
from wijk.contacts.models import ShortContact
from wijk.decisions.models import DecisionCase, PgbEvaluation
from wijk.investigations.models import Investigation
from wijk.organisations.models import Team
from wijk.plans.models import Evaluation, PlanGoal, PlanVersion, Signature, SupportPlan
from wijk.requests import workflow as request_workflow
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import ContactAttempt, HelpRequest, RequestStatusChange
from wijk.synthetic import services
from wijk.synthetic.generate import city_households
from wijk.synthetic.work import CASELOAD, OPEN_WINDOW_DAYS, CityIndex, work_generate
from wijk.trajectories import workflow as trajectory_workflow
from wijk.trajectories.models import (
    Handover,
    Trajectory,
    TrajectoryStatusChange,
    ZrmAssessment,
    ZrmScore,
)

AS_OF = datetime.date(2026, 6, 1)
SCALE, YEARS, SEED = 0.1, 2, 4
PER_YEAR = {"requests": 22_000, "trajectories": 10_000, "short_contacts": 50_000}


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The seed's output; the database holds the seeded city until the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command(
                "seed", "--no-progress", "--as-of", AS_OF.isoformat(), "--scale", str(SCALE),
                "--years", str(YEARS), "--seed", str(SEED), stdout=out,
            )  # fmt: skip
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def test_volumes_are_those_of_haarlem_scaled(seeded: str) -> None:
    """Per year at scale 1: ~22,000 requests, ~10,000 new trajectories, ~50,000 short
    contacts; ~150 activities running. At scale 0.1 over two years the counts are in the
    thousands, so a few percent is sampling (Poisson: 1/sqrt(n))."""
    expected = {table: per_year * SCALE * YEARS for table, per_year in PER_YEAR.items()}
    assert HelpRequest.objects.count() == pytest.approx(expected["requests"], rel=0.08)
    assert ShortContact.objects.count() == pytest.approx(expected["short_contacts"], rel=0.08)
    # the trajectories of the last weeks' requests have not started yet
    assert Trajectory.objects.count() == pytest.approx(expected["trajectories"], rel=0.12)
    assert Activity.objects.filter(active=True).count() == pytest.approx(150 * SCALE, abs=4)
    per_activity = ActivitySession.objects.count() / Activity.objects.count()
    assert 15 < per_activity / YEARS < 50  # weekly to monthly, with breaks
    assert "requests" in seeded and "zrm scores" in seeded and "staff created" in seeded


def test_outcomes_are_mixed_as_in_practice() -> None:
    closed = HelpRequest.objects.filter(status="closed")
    total = closed.count()
    shares = {
        entry["outcome"]: entry["n"] / total
        for entry in closed.values("outcome").annotate(n=Count("pk")).order_by()
    }
    expected = {
        "support_started": 0.45,
        "information_given": 0.30,
        "referred_out": 0.12,
        "withdrawn": 0.08,
        "not_reachable": 0.05,
    }
    for outcome, share in expected.items():
        assert shares[outcome] == pytest.approx(share, abs=0.035), outcome


def test_every_row_satisfies_the_model_constraints() -> None:
    """The database checks the CHECK and unique constraints while loading (COPY as much as
    INSERT); asserted here again through the ORM, with every value among its choices."""
    for model, _ in services.TABLES.values():
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                assert not model._default_manager.exclude(constraint.condition).exists(), (
                    constraint.name
                )
            elif isinstance(constraint, UniqueConstraint) and constraint.condition is None:
                duplicates = (
                    model._default_manager.values(*constraint.fields)
                    .annotate(n=Count("pk"))
                    .filter(n__gt=1)
                    .order_by()
                )
                assert not duplicates.exists(), constraint.name
        for field in model._meta.concrete_fields:
            if field.choices:
                allowed = {value for value, _ in field.flatchoices}
                if field.blank:
                    allowed.add("")
                used = set(model._default_manager.values_list(field.attname, flat=True))
                assert used <= allowed, (model.__name__, field.name, used - allowed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            names = {
                name
                for model, _ in services.TABLES.values()
                for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
            }
        for model, _ in services.TABLES.values():
            assert {constraint.name for constraint in model._meta.constraints} <= names


def test_every_request_ends_with_an_outcome_or_is_recent() -> None:
    assert not HelpRequest.objects.filter(status="closed", outcome="").exists()
    assert not HelpRequest.objects.exclude(status="closed").exclude(outcome="").exists()
    referred = HelpRequest.objects.filter(outcome="referred_out")
    assert referred.exists()
    assert not referred.filter(outcome_provision__isnull=True).exists()
    assert (
        not HelpRequest.objects.exclude(outcome="referred_out")
        .filter(outcome_provision__isnull=False)
        .exists()
    )
    unreachable = HelpRequest.objects.filter(outcome="not_reachable").annotate(
        failed=Count("contact_attempts", filter=Q(contact_attempts__reached=False)),
        reached=Count("contact_attempts", filter=Q(contact_attempts__reached=True)),
    )
    assert unreachable.exists()
    for request in unreachable:
        assert request.failed >= request_workflow.MIN_ATTEMPTS_FOR_NOT_REACHABLE
        assert request.reached == 0 and request.first_contact_at is None
    open_requests = HelpRequest.objects.exclude(status="closed")
    oldest = AS_OF - datetime.timedelta(days=OPEN_WINDOW_DAYS)
    assert not open_requests.filter(received_at__date__lt=oldest).exists()
    end = timezone.make_aware(datetime.datetime.combine(AS_OF, datetime.time()))
    assert not HelpRequest.objects.filter(received_at__gte=end).exists()
    assert not HelpRequest.objects.filter(outcome_at__gte=end).exists()
    assert not ContactAttempt.objects.filter(at__gte=end).exists()


def test_each_request_counts_its_unreached_attempts() -> None:
    """The lists read `unreached_attempts` instead of counting attempts: the seed writes it
    as request_record_attempt would have."""
    counted = HelpRequest.objects.annotate(
        failed=Count("contact_attempts", filter=Q(contact_attempts__reached=False))
    )
    assert counted.filter(failed__gt=0).exists()
    assert not counted.exclude(unreached_attempts=F("failed")).exists()


def test_open_requests_fill_the_worklists_and_waiting_lists() -> None:
    """Open requests per neighbourhood team: a few hundred at scale 1, so some tens here;
    some not yet contacted (some of those overdue), some contacted and waiting, some not yet
    assigned to anyone."""
    open_requests = HelpRequest.objects.exclude(status="closed")
    for team in Team.objects.filter(name__startswith="Sociaal Wijkteam "):
        assert open_requests.filter(team=team).count() >= 2, team.name
    assert open_requests.count() == pytest.approx(1_100 * SCALE, rel=0.5)
    assert open_requests.filter(status="received").exists()
    assert open_requests.filter(status="contacted").exists()
    assert open_requests.filter(assigned_to__isnull=True).exists()
    assert open_requests.filter(status="received", first_contact_due__lt=AS_OF).exists()


def test_deadlines_are_those_of_request_deadlines() -> None:
    for received_at, first_contact, support, investigation in HelpRequest.objects.values_list(
        "received_at", "first_contact_due", "support_due", "investigation_due"
    ):
        deadlines = request_deadlines(received_at)
        assert (first_contact, support, investigation) == (
            deadlines.first_contact,
            deadlines.support,
            deadlines.investigation,
        )


def test_first_contact_mostly_within_the_deadline() -> None:
    contacted = list(
        HelpRequest.objects.filter(first_contact_at__isnull=False).values_list(
            "first_contact_at", "first_contact_due", "received_at"
        )
    )
    within = sum(local_date(at) <= due for at, due, _ in contacted) / len(contacted)
    assert within == pytest.approx(0.88, abs=0.03)
    assert all(at > received for at, _, received in contacted)


def test_request_histories_follow_the_transition_table() -> None:
    histories = collections.defaultdict(list)
    for request_id, seq, status, at in RequestStatusChange.objects.order_by(
        "help_request", "seq"
    ).values_list("help_request", "seq", "status", "at"):
        histories[request_id].append((seq, status, at))
    requests = HelpRequest.objects.values_list(
        "pk", "status", "received_at", "first_contact_at", "outcome_at"
    )
    assert len(histories) == len(requests)
    for pk, status, received_at, first_contact_at, outcome_at in requests:
        history = histories[pk]
        assert [seq for seq, _, _ in history] == list(range(1, len(history) + 1))
        assert history[0][1:] == ("received", received_at)
        for (_, before, at_before), (_, after, at_after) in itertools.pairwise(history):
            assert after in request_workflow.TRANSITIONS[before]
            assert at_before <= at_after
        assert history[-1][1] == status
        statuses = {entry[1]: entry[2] for entry in history}
        assert statuses.get("contacted") == first_contact_at
        assert statuses.get("closed") == outcome_at


def test_trajectories_start_from_their_request() -> None:
    started = HelpRequest.objects.filter(outcome="support_started")
    assert started.count() == Trajectory.objects.count()
    assert not started.annotate(n=Count("trajectories")).exclude(n=1).exists()
    for trajectory in Trajectory.objects.select_related("help_request", "resident"):
        request = trajectory.help_request
        assert request is not None
        assert trajectory.resident_id == request.resident_id
        assert trajectory.household_id == request.household_id
        assert trajectory.team_id == request.team_id
        assert request.outcome_at is not None
        assert trajectory.inflow_date == local_date(request.outcome_at)
        assert trajectory.created_at == request.outcome_at
        assert trajectory.primary_life_domain.code_list.slug == "life_domains"
        age = (trajectory.inflow_date - trajectory.resident.date_of_birth).days // 365.25
        if age < 18:
            assert trajectory.youth_support
    parts = dict(Trajectory.objects.values_list("part").annotate(n=Count("pk")).order_by())
    assert parts["sociaal_wijkteam"] > parts["aanvullende_ondersteuning"] > 0
    assert parts["sociale_basis"] > 0
    assert Trajectory.objects.filter(life_domains__isnull=False).exists()
    assert not Trajectory.objects.filter(life_domains=F("primary_life_domain")).exists()


def test_trajectory_histories_and_outflow_are_consistent() -> None:
    histories = collections.defaultdict(list)
    for trajectory_id, seq, status, at in TrajectoryStatusChange.objects.order_by(
        "trajectory", "seq"
    ).values_list("trajectory", "seq", "status", "at"):
        histories[trajectory_id].append((seq, status, at))
    closed = 0
    for pk, status, inflow, outflow, reason in Trajectory.objects.values_list(
        "pk", "status", "inflow_date", "outflow_date", "outflow_reason__code"
    ):
        history = histories[pk]
        assert [seq for seq, _, _ in history] == list(range(1, len(history) + 1))
        assert history[0][1] == "active" and local_date(history[0][2]) == inflow
        for (_, before, at_before), (_, after, at_after) in itertools.pairwise(history):
            assert after in trajectory_workflow.TRANSITIONS[before]
            assert at_before < at_after
        assert history[-1][1] == status
        if status == "closed":
            closed += 1
            assert local_date(history[-1][2]) == outflow < AS_OF
            assert reason is not None and reason.isdigit()  # WMO588 codes
        else:
            assert outflow is None
    durations = [
        (outflow - inflow).days
        for inflow, outflow in Trajectory.objects.filter(status="closed").values_list(
            "inflow_date", "outflow_date"
        )
    ]
    assert min(durations) < 30 and max(durations) > 365  # weeks to years
    handovers = Handover.objects.count() / closed
    assert handovers == pytest.approx(0.10, abs=0.04)
    assert not Handover.objects.exclude(trajectory__status="closed").exists()
    assert not Handover.objects.exclude(handed_over_on=F("trajectory__outflow_date")).exists()


def test_zrm_assessments_start_most_trajectories_and_tend_to_improve() -> None:
    trajectories = Trajectory.objects.count()
    assessed = ZrmAssessment.objects.values("trajectory").distinct().count()
    assert assessed / trajectories == pytest.approx(0.70, abs=0.06)
    starts = ZrmAssessment.objects.filter(moment="start")
    assert starts.count() == assessed  # one start each, then evaluations and an end
    assert ZrmAssessment.objects.filter(moment="evaluation").exists()
    assert (
        not ZrmAssessment.objects.filter(moment="end").exclude(trajectory__status="closed").exists()
    )
    for assessment in ZrmAssessment.objects.select_related("trajectory"):
        trajectory = assessment.trajectory
        assert trajectory.inflow_date <= assessment.assessed_on < AS_OF
        if trajectory.outflow_date is not None:
            assert assessment.assessed_on <= trajectory.outflow_date
    average = {
        moment: statistics.mean(
            ZrmScore.objects.filter(assessment__moment=moment).values_list("score", flat=True)
        )
        for moment in ("start", "end")
    }
    assert average["start"] < average["end"]
    assert ZrmScore.objects.aggregate(low=Min("score"), high=Max("score")) == {"low": 1, "high": 5}


def test_short_contacts_spread_over_teams_weekdays_channels_and_domains() -> None:
    contacts = ShortContact.objects.all()
    teams = set(contacts.values_list("team__name", flat=True))
    assert {team.name for team in Team.objects.filter(name__startswith="Sociaal")} <= teams
    weekdays = collections.Counter(
        date.weekday() for date in contacts.values_list("contact_date", flat=True)
    )
    assert weekdays[6] == 0 and weekdays[5] < 0.02 * contacts.count()
    assert len(set(contacts.values_list("channel", flat=True))) >= 5
    assert len(set(contacts.values_list("life_domain", flat=True))) >= 10
    assert not contacts.exclude(registered_by__teams=F("team")).exists()


def test_activity_sessions_count_attendance_with_youth_for_youth_groups() -> None:
    sessions = ActivitySession.objects.select_related("activity__target_group")
    youth_groups = sessions.filter(activity__target_group__code__in=["children", "youth"])
    elderly = sessions.filter(activity__target_group__code="elderly")
    if youth_groups.exists():
        youth = youth_groups.aggregate(youth=Sum("attendance_youth"), total=Sum("attendance_total"))
        assert youth["youth"] > 0.7 * youth["total"]
    if elderly.exists():
        assert not elderly.filter(attendance_youth__gt=0).exists()
    assert not sessions.filter(attendance_total=0).exists()
    assert not ActivitySession.objects.filter(held_on__gte=AS_OF).exists()
    assert not ActivitySession.objects.exclude(
        activity__created_at__date__lte=F("held_on")
    ).exists()


def test_staff_carry_realistic_caseloads() -> None:
    """Professionals `prof-<team>-<n>` and team leads `lead-<team>-<n>`, members of their
    team, who cannot log in until an administrator sets that up; about CASELOAD open
    trajectories each."""
    staff = User.objects.filter(role__in=[Role.PROFESSIONAL, Role.TEAM_LEAD])
    assert staff.exists()
    for user in staff.prefetch_related("teams"):
        prefix = "prof" if user.role == Role.PROFESSIONAL else "lead"
        (team,) = user.teams.all()
        assert user.username.startswith(f"{prefix}-{services.team_slug(team)}-")
        assert not user.has_usable_password()
        assert user.first_name and user.last_name
    assert not TOTPDevice.objects.filter(user__in=staff).exists()
    loads = [
        entry["n"]
        for entry in Trajectory.objects.exclude(status="closed")
        .filter(coordinator__role=Role.PROFESSIONAL)
        .values("coordinator")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    assert statistics.median(loads) == pytest.approx(CASELOAD, abs=8)
    assert not Trajectory.objects.exclude(coordinator__teams=F("team")).exists()


def test_stored_rows_are_the_generated_rows() -> None:
    """Generated again from the same seed, with the ids the seed started from, the work is
    the stored rows, id for id."""
    areas = services.city_areas()
    city = CityIndex()
    for _ in city.collect(
        city_households(seed=SEED, scale=SCALE, years=YEARS, as_of=AS_OF, areas=areas)
    ):
        pass
    first_ids = {
        key: model._default_manager.aggregate(first=Min("pk"))["first"] or 1
        for key, (model, _) in services.TABLES.items()
    }
    setting, staff = services.work_setting(
        city=city, areas=areas, scale=SCALE, years=YEARS, as_of=AS_OF, first_ids=first_ids
    )
    assert staff.created == 0  # the seed's staff, found again
    requests, scores, plans, cases = [], [], [], []
    for chunk in work_generate(
        seed=SEED, scale=SCALE, years=YEARS, as_of=AS_OF, city=city, setting=setting
    ):
        requests.extend(row[:4] for row in chunk.rows["requests"])
        scores.extend(chunk.rows["zrm_scores"])
        plans.extend(chunk.rows["plans"])
        cases.extend(chunk.rows["decision_cases"])
    stored = HelpRequest.objects.order_by("pk").values_list(
        "pk", "reference", "received_at", "channel"
    )
    assert list(stored) == requests
    stored_scores = ZrmScore.objects.order_by("pk").values_list(
        "pk", "assessment", "domain", "score"
    )
    assert list(stored_scores) == scores
    assert plans and cases
    for model, key, rows in (
        (SupportPlan, "plans", plans),
        (DecisionCase, "decision_cases", cases),
    ):
        fields = services.TABLES[key][1]
        assert list(model._default_manager.order_by("pk").values_list(*fields)) == rows


# -- investigations, plans and decisions (issue 13) --------------------------------------------

PLAN_PARTS = ("sociaal_wijkteam", "aanvullende_ondersteuning")


def test_most_wijkteam_and_ao_requests_were_investigated_within_six_weeks() -> None:
    """About 60% (SWT) and 90% (AO) of the requests that started such a trajectory have an
    investigation; of the completed ones about one in eight took longer than six weeks."""
    started = HelpRequest.objects.filter(trajectories__part__in=PLAN_PARTS).distinct().count()
    investigations = Investigation.objects.select_related("help_request")
    assert investigations.count() / started == pytest.approx(0.66, abs=0.08)
    assert not investigations.exclude(help_request__trajectories__part__in=PLAN_PARTS).exists()
    durations = [
        (investigation.completed_on - local_date(investigation.help_request.received_at)).days
        for investigation in investigations.filter(completed_on__isnull=False)
    ]
    late = sum(days > 42 for days in durations) / len(durations)
    assert 0.05 < late < 0.2
    assert min(durations) > 0


def test_households_with_wijkteam_or_ao_support_have_a_plan() -> None:
    households = set(
        Trajectory.objects.filter(part__in=PLAN_PARTS).values_list("household", flat=True)
    )
    planned = set(SupportPlan.objects.values_list("household", flat=True))
    assert planned <= households
    assert len(planned) / len(households) == pytest.approx(0.85, abs=0.08)
    # at most one open plan per household (the database holds it too), and the active ones
    # have their next evaluation: spread around today, some overdue
    open_plans = SupportPlan.objects.exclude(status="ended")
    assert open_plans.values("household").distinct().count() == open_plans.count()
    active = SupportPlan.objects.filter(status="active")
    assert not active.filter(next_evaluation_on__isnull=True).exists()
    overdue = active.filter(next_evaluation_on__lt=AS_OF).count() / active.count()
    assert 0.01 < overdue < 0.2
    assert active.filter(next_evaluation_on__gt=AS_OF + datetime.timedelta(days=90)).exists()
    assert (
        not SupportPlan.objects.filter(status="ended")
        .filter(Q(ended_on__isnull=True) | Q(end_reason=""))
        .exists()
    )
    assert SupportPlan.objects.filter(status="ended").count() > active.count() / 2


def test_plans_have_versions_with_goals_and_most_are_signed() -> None:
    versions = collections.Counter(
        SupportPlan.objects.annotate(n=Count("versions")).values_list("n", flat=True)
    )
    assert set(versions) == {1, 2, 3, 4}
    goals = collections.Counter(
        PlanVersion.objects.annotate(n=Count("goals")).values_list("n", flat=True)
    )
    assert set(goals) == {1, 2, 3}
    plans = SupportPlan.objects.count()
    signed = SupportPlan.objects.filter(versions__signature__isnull=False).distinct().count()
    assert signed / plans == pytest.approx(0.92, abs=0.05)
    assert set(Signature.objects.values_list("method", flat=True)) == {"typed", "in_person"}
    assert not Signature.objects.filter(signed_on__lt=F("version__created_at__date")).exists()
    # the plan points at its newest version; a draft has no signature at all
    newest = PlanVersion.objects.filter(plan=F("plan")).values("plan").annotate(n=Max("number"))
    assert all(
        SupportPlan.objects.get(pk=row["plan"]).current.number == row["n"] for row in newest[:50]
    )
    assert not SupportPlan.objects.filter(
        status="draft", versions__signature__isnull=False
    ).exists()
    assert PlanGoal.objects.filter(member__isnull=False).exists()


def test_signed_plans_are_evaluated_about_every_six_months() -> None:
    held: dict[int, list[datetime.date]] = collections.defaultdict(list)
    for plan_id, day in Evaluation.objects.order_by("held_on").values_list("plan", "held_on"):
        held[plan_id].append(day)
    gaps = [
        later - earlier for days in held.values() for earlier, later in itertools.pairwise(days)
    ]
    assert gaps
    assert all(datetime.timedelta(days=150) <= gap <= datetime.timedelta(days=210) for gap in gaps)
    # a plan signed well over seven months before today has had an evaluation (or has one due)
    old = SupportPlan.objects.filter(
        status="active", versions__signature__signed_on__lt=AS_OF - datetime.timedelta(days=240)
    ).distinct()
    assert old.exists()
    assert old.filter(evaluations__isnull=False).distinct().count() / old.count() > 0.9


def test_ao_trajectories_rest_on_a_signed_plan_version() -> None:
    ao = Trajectory.objects.filter(part="aanvullende_ondersteuning")
    # all but those that joined a household's plan drawn up without AO
    with_decision = ao.filter(decision_version__signature__isnull=False)
    assert with_decision.count() / ao.count() > 0.85
    assert (
        not Trajectory.objects.exclude(part="aanvullende_ondersteuning")
        .exclude(decision_version=None)
        .exists()
    )
    version = with_decision.values_list("decision_version", flat=True)[:100]
    assert not PlanVersion.objects.filter(pk__in=list(version), ao_start_on=None).exists()


def test_a_pgb_for_about_one_in_twenty_ao_plans_evaluated_within_two_years() -> None:
    ao_plans = SupportPlan.objects.filter(versions__ao_start_on__isnull=False).distinct().count()
    pgb = DecisionCase.objects.filter(kind="pgb")
    assert pgb.count() / ao_plans == pytest.approx(0.05, abs=0.03)
    granted = pgb.filter(outcome="granted")
    assert granted.exists()
    two_years = datetime.timedelta(days=2 * 366)
    for case in granted:
        assert case.amount is not None and case.amount > 0
        assert case.starts_on is not None and case.next_evaluation_on is not None
        held = case.evaluations.aggregate(last=Max("held_on"))["last"] or case.starts_on
        assert case.next_evaluation_on - held <= two_years
    for evaluation in PgbEvaluation.objects.all():
        assert evaluation.next_evaluation_on - evaluation.held_on <= two_years
    # decided cases carry the decision desk's decision; recent ones still wait
    decided = DecisionCase.objects.exclude(status="placed")
    assert decided.exists()
    assert set(decided.values_list("decided_by__role", flat=True)) == {Role.MUNICIPALITY_DECISIONS}
