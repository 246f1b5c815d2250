"""When a plan's evaluation is due: the suggested next date (half a year on, moved off weekends
and holidays), the worklist rows of kind "plan_evaluation" on the right dates (around
Christmas, New Year and King's Day), and the plan page's warnings (ADR 0035)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.worklist import Scope, WorkItem, worklist
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.deadlines import (
    EVALUATION_WORKLIST_DAYS,
    add_months,
    next_evaluation_suggested,
)
from wijk.plans.models import PlanGoal, SupportPlan
from wijk.plans.selectors import plan_evaluations_due_for_user
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.tests.conftest import verified

D = datetime.date


@pytest.mark.parametrize(
    ("held_on", "suggested"),
    [
        # Half a year on is Christmas Day (Fri): Boxing Day, the weekend, then Monday.
        (D(2026, 6, 25), D(2026, 12, 28)),
        (D(2026, 6, 26), D(2026, 12, 28)),
        # New Year's Day 2027 is a Friday: the Monday after.
        (D(2026, 7, 1), D(2027, 1, 4)),
        # King's Day 2027 is a Tuesday: the Wednesday.
        (D(2026, 10, 27), D(2027, 4, 28)),
        # King's Day 2025 fell on a Sunday, so it was Saturday 26 April: Monday 28th.
        (D(2024, 10, 26), D(2025, 4, 28)),
        # Liberation Day (Wed) and then Ascension Day (Thu) 2027: Friday.
        (D(2026, 11, 5), D(2027, 5, 7)),
        # 31 August + 6 months is 28 February 2027, a Sunday: Monday 1 March.
        (D(2026, 8, 31), D(2027, 3, 1)),
        # An ordinary working day stays.
        (D(2026, 5, 12), D(2026, 11, 12)),
    ],
)
def test_the_suggested_next_evaluation_is_a_working_day_half_a_year_on(held_on, suggested) -> None:
    assert next_evaluation_suggested(held_on) == suggested


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 12, 15), 6) == D(2027, 6, 15)


@pytest.fixture
def professional(make_user, team):
    return verified(make_user(Role.PROFESSIONAL, teams=[team]))


@pytest.fixture
def colleague(make_user, team):
    return verified(make_user(Role.PROFESSIONAL, teams=[team]))


def plan_due(*, team, coordinator, on: datetime.date, **kwargs: Any) -> SupportPlan:
    return SupportPlanFactory(
        team=team,
        coordinator=coordinator,
        status=PlanStatus.ACTIVE,
        next_evaluation_on=on,
        **kwargs,
    )


def evaluation_rows(user, scope: Scope, today: datetime.date) -> list[tuple[int, datetime.date]]:
    return [(int(item.url.split("/")[2]), item.due) for item in items(user, scope, today)]


def items(user, scope: Scope, today: datetime.date) -> list[WorkItem]:
    """The plan evaluations on the user's worklist, as the worklist page reads them."""
    listed = worklist(user=user, scope=scope, today=today, kinds=["plan_evaluation"])
    return [row.item for group in listed.groups for row in group.rows]


@pytest.mark.django_db
def test_an_evaluation_after_christmas_is_on_the_worklist_on_the_right_dates(
    team, professional, colleague, client_for, monkeypatch
) -> None:
    """Evaluated on 25 June 2026 with the suggested date, the plan is due Monday 28 December:
    on the worklist from 42 days before it, and still there once it is overdue."""
    plan = SupportPlanFactory(team=team, coordinator=professional, status=PlanStatus.ACTIVE)
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 6, 25))
    client = client_for(professional)
    form = client.get(reverse("plans:evaluation_new", args=[plan.pk])).content.decode()
    assert 'name="next_evaluation_on" value="2026-12-28"' in form
    data: dict[str, Any] = {
        "held_on": "2026-06-25",
        "version": str(plan.current_id),
        "resident_view": "Het gaat goed.",
        "no_zrm_reason": "Geen traject gekoppeld.",
        "next_evaluation_on": "2026-12-28",
    }
    for goal in PlanGoal.objects.filter(version_id=plan.current_id):
        data[f"progress_{goal.pk}"] = "progressing"
    assert client.post(reverse("plans:evaluation_new", args=[plan.pk]), data).status_code == 302
    plan.refresh_from_db()
    assert plan.next_evaluation_on == D(2026, 12, 28)

    first_day = D(2026, 12, 28) - datetime.timedelta(days=EVALUATION_WORKLIST_DAYS)
    assert evaluation_rows(professional, "mine", first_day - datetime.timedelta(days=1)) == []
    for today in (first_day, D(2026, 12, 24), D(2026, 12, 28), D(2027, 1, 4)):
        assert evaluation_rows(professional, "mine", today) == [(plan.pk, D(2026, 12, 28))]
        # The colleague sees it as the team's work, not as their own.
        assert evaluation_rows(colleague, "team", today) == [(plan.pk, D(2026, 12, 28))]
        assert evaluation_rows(colleague, "mine", today) == []


@pytest.mark.django_db
def test_the_worklist_holds_active_plans_of_the_team_ordered_by_due_date(
    make_user, team, professional, colleague
) -> None:
    today = D(2026, 12, 24)
    new_year = plan_due(team=team, coordinator=professional, on=D(2027, 1, 4))
    kings_day = plan_due(team=team, coordinator=colleague, on=D(2027, 4, 28))  # beyond
    overdue = plan_due(team=team, coordinator=colleague, on=D(2026, 11, 30))
    SupportPlanFactory(team=team, coordinator=professional)  # a draft: nothing due
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    other_team = TeamFactory(wijken=[wijk])
    outsider = verified(make_user(Role.PROFESSIONAL, teams=[other_team]))
    elsewhere = plan_due(
        team=other_team,
        coordinator=outsider,
        on=D(2026, 12, 28),
        resident=HouseholdMembershipFactory(
            household__address__buurt=Buurt.objects.filter(wijk=wijk).first()
        ).resident,
    )

    assert evaluation_rows(professional, "mine", today) == [(new_year.pk, D(2027, 1, 4))]
    assert evaluation_rows(professional, "team", today) == [
        (overdue.pk, D(2026, 11, 30)),
        (new_year.pk, D(2027, 1, 4)),
    ]
    assert evaluation_rows(outsider, "team", today) == [(elsewhere.pk, D(2026, 12, 28))]
    assert kings_day.pk not in [pk for pk, _ in evaluation_rows(colleague, "mine", today)]
    assert evaluation_rows(colleague, "mine", D(2027, 4, 1)) == [
        (overdue.pk, D(2026, 11, 30)),
        (kings_day.pk, D(2027, 4, 28)),
    ]
    item = items(professional, "team", today)[0]
    assert item.url == reverse("plans:evaluation_new", args=[overdue.pk])
    assert item.resident_name == overdue.resident.full_name
    assert item.holder_name == colleague.get_full_name()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_no_evaluations(
    make_user, team, professional, role
) -> None:
    plan_due(team=team, coordinator=professional, on=D(2026, 12, 28))
    user = verified(make_user(role, teams=[team]))
    for scope in ("mine", "team"):
        part = plan_evaluations_due_for_user(
            user=user, scope=scope, today=D(2026, 12, 24), limit=200
        )
        assert list(part.items) == []


@pytest.mark.django_db
def test_the_provider_reads_in_a_fixed_number_of_queries(team, professional) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            part = plan_evaluations_due_for_user(
                user=professional, scope="team", today=D(2026, 12, 24), limit=200
            )
        assert part.items
        return len(queries)

    plan_due(team=team, coordinator=professional, on=D(2026, 12, 28))
    one = count()
    for _ in range(4):
        plan_due(team=team, coordinator=professional, on=D(2027, 1, 4))
    assert count() == one


@pytest.mark.django_db
def test_the_plan_page_warns_when_the_evaluation_is_overdue_and_rights_unexplained(
    team, professional, client_for
) -> None:
    overdue = plan_due(
        team=team,
        coordinator=professional,
        on=timezone.localdate() - datetime.timedelta(days=3),
    )
    client = client_for(professional)
    page = client.get(reverse("plans:detail", args=[overdue.pk])).content.decode()
    assert "De evaluatie is te laat." in page
    assert "De rechten van de inwoner zijn nog niet uitgelegd." in page
    assert reverse("plans:evaluation_new", args=[overdue.pk]) in page

    client.post(
        reverse("plans:rights", args=[overdue.pk]),
        {"explained_on": timezone.localdate().isoformat(), "complaints": "on"},
    )
    page = client.get(reverse("plans:detail", args=[overdue.pk])).content.decode()
    assert "De rechten van de inwoner zijn nog niet uitgelegd." not in page
    assert "Laatst uitgelegd op" in page
    assert "Klachten" in page


@pytest.mark.django_db
def test_the_plan_page_says_when_the_evaluation_comes_soon(team, professional, client_for) -> None:
    soon = plan_due(
        team=team, coordinator=professional, on=timezone.localdate() + datetime.timedelta(days=5)
    )
    page = client_for(professional).get(reverse("plans:detail", args=[soon.pk])).content.decode()
    assert "De evaluatie is te laat." not in page
    assert "De volgende evaluatie is op" in page
