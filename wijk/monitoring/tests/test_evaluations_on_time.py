"""Plan and pgb evaluations on time, on the deadlines page as the municipality and the
consortium read it (docs/adr/0042-evaluations-on-time-in-monitoring.md).

Evaluations are recorded through their own forms, so the date each was due is the one the
service kept. The due dates are the first and second day of last month: both in the past
whatever today is, in one month, and one day apart, so that counting "held on the due date"
as late, or "the day after" as on time, fails."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.decisions.models import DecisionCase
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.monitoring.sources import register_due
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.models import PlanGoal, SupportPlan
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

COMPLIANCE = reverse("monitoring:compliance")
PLANS = "evaluaties-plannen"
PGBS = "evaluaties-pgb"
HIDDEN_SPLIT = "Verborgen, omdat het aantal geplande evaluaties verborgen is"


def _last_month() -> datetime.date:
    """The first day of last month."""
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _rows(html: str, table_id: str) -> list[list[str]]:
    """The cells of each row of the table captioned `table_id`, top to bottom."""
    start = html.index(f'id="{table_id}"')
    table = html[start : html.index("</table>", start)]
    rows = re.findall(
        r'<tr class="utrecht-table__row">\s*<th[^>]*scope="row">.*?</tr>', table, re.DOTALL
    )
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]


def _detail_rows(section: str, prefix: str) -> list[list[str]]:
    """The cells of the detail table (per month and wijk, with the team for the consortium)."""
    start = section.index(f'id="{prefix}-detail"')
    table = section[start : section.index("</table>", start)]
    rows = re.findall(r'<tr class="utrecht-table__row">\s*<td.*?</tr>', table, re.DOTALL)
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]


def _section(html: str, prefix: str) -> str:
    start = html.index(f'id="{prefix}"')
    return html[start : html.index("<h2", start + 1)]


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


def _plan(team: Any, coordinator: Any, due: datetime.date, **fields: Any) -> SupportPlan:
    fields.setdefault("status", PlanStatus.ACTIVE)
    return SupportPlanFactory(team=team, coordinator=coordinator, next_evaluation_on=due, **fields)


def _evaluate_plan(client: Client, plan: SupportPlan, held_on: datetime.date) -> None:
    """An evaluation through the plan's evaluation form, held on `held_on`."""
    data = {
        "held_on": held_on.isoformat(),
        "resident_view": "Het gaat beter.",
        "version": str(plan.current_id),
        "next_evaluation_on": (timezone.localdate() + datetime.timedelta(days=150)).isoformat(),
        "no_zrm_reason": "Er is geen traject gekoppeld.",
    }
    for goal in PlanGoal.objects.filter(version_id=plan.current_id):
        data[f"progress_{goal.pk}"] = "progressing"
    response = client.post(reverse("plans:evaluation_new", args=[plan.pk]), data)
    assert response.status_code == 302, response.content.decode()


def _pgb(team: Any, coordinator: Any, due: datetime.date, **fields: Any) -> DecisionCase:
    """A granted pgb of a plan of `team`, due for evaluation on `due`, as the decision desk
    leaves it."""
    plan = _plan(team, coordinator, due + datetime.timedelta(days=90))
    return DecisionCase.objects.create(
        plan=plan,
        version=plan.current,
        resident=plan.resident,
        kind=DecisionKind.PGB,
        draft_text="Concept.",
        pgb_plan="Pgb-plan.",
        status=DecisionStatus.SEEN,
        placed_by=coordinator,
        outcome=DecisionOutcome.GRANTED,
        decided_on=due - datetime.timedelta(days=700),
        starts_on=due - datetime.timedelta(days=700),
        amount=Decimal("4800.00"),
        reference=f"WMO-{plan.pk}",
        decided_by=coordinator,
        next_evaluation_on=due,
        **fields,
    )


def _evaluate_pgb(client: Client, case: DecisionCase, held_on: datetime.date) -> None:
    response = client.post(
        reverse("decisions:pgb_evaluation", args=[case.pk]),
        {
            "held_on": held_on.isoformat(),
            "outcome": "Het budget wordt goed besteed.",
            "next_evaluation_on": (held_on + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_an_evaluation_held_on_its_date_is_on_time_and_the_day_after_late(
    team, professional, make_user, client_for
) -> None:
    due = _last_month()
    client = client_for(professional)
    for held_on in (due, due, due, due + datetime.timedelta(days=1), due + datetime.timedelta(1)):
        _evaluate_plan(client, _plan(team, professional, due), held_on)
    _plan(team, professional, due)  # not held, and its date has passed

    html = client_for(make_user(Role.MUNICIPALITY)).get(COMPLIANCE).content.decode()
    plans = _section(html, PLANS)
    # newest month first: this month has nothing due, last month six (one wijk: the city's)
    month_rows = _rows(plans, f"{PLANS}-per-maand")
    assert month_rows[0] == ["0", "0", "0", "0", "0", "\N{EN DASH}"]
    # due, on time, late, not held, not judged, share on time
    assert month_rows[1] == ["6", "3", "2", "1", "0", "50%"]
    assert "Op tijd: 50% (3 van de 6 evaluaties die we al kunnen beoordelen)." in plans
    assert _rows(plans, f"{PLANS}-per-wijk") == [["6", "3", "2", "1", "0", "50%"]]
    (detail,) = _detail_rows(plans, PLANS)
    assert detail[2:] == ["6", "3", "2", "1", "0", "50%"]
    assert f"({team.wijken.get().code})" in detail[1]
    # the next dates they set are due after the period: not counted yet
    assert "Wijkteam" not in plans  # the municipality sees no teams


def test_a_date_today_is_not_judged_yesterday_not_held(
    team, professional, make_user, client_for
) -> None:
    today = timezone.localdate()
    _plan(team, professional, today - datetime.timedelta(days=1))  # not held
    _plan(team, professional, today)  # not judged: it may still be held today
    ten_days_ago = today - datetime.timedelta(days=10)
    _plan(  # ended on its date: not judged
        team, professional, ten_days_ago, status=PlanStatus.ENDED, ended_on=ten_days_ago
    )
    _plan(  # ran a day past its date without an evaluation: not held
        team,
        professional,
        ten_days_ago,
        status=PlanStatus.ENDED,
        ended_on=ten_days_ago + datetime.timedelta(days=1),
    )

    html = client_for(make_user(Role.MANAGEMENT)).get(COMPLIANCE, {"months": 3}).content.decode()
    plans = _section(html, PLANS)
    assert "Op tijd: 0% (0 van de 2 evaluaties die we al kunnen beoordelen)." in plans
    assert _rows(plans, f"{PLANS}-per-wijk") == [["4", "0", "0", "2", "2", "0%"]]
    assert _rows(plans, f"{PLANS}-per-team") == [["4", "0", "0", "2", "2", "0%"]]
    assert team.name in plans


def test_a_team_lead_counts_the_evaluations_of_their_own_teams(
    team, professional, make_user, client_for
) -> None:
    due = _last_month()
    _plan(team, professional, due)
    _plan(TeamFactory(name="Wijkteam Elders"), professional, due)
    lead = make_user(Role.TEAM_LEAD, teams=[team])

    plans = _section(client_for(lead).get(COMPLIANCE).content.decode(), PLANS)
    assert _rows(plans, f"{PLANS}-per-team") == [["1", "0", "0", "1", "0", "0%"]]
    (detail,) = _detail_rows(plans, PLANS)
    assert detail[1] == team.name
    assert detail[3:] == ["1", "0", "0", "1", "0", "0%"]
    assert "Wijkteam Elders" not in plans


def test_pgb_evaluations_on_their_date_and_after_it(
    team, professional, make_user, client_for
) -> None:
    due = _last_month()
    client = client_for(professional)
    for held_on in (due, due, due, due + datetime.timedelta(days=1), due + datetime.timedelta(1)):
        _evaluate_pgb(client, _pgb(team, professional, due), held_on)
    _pgb(team, professional, due)  # not held
    _pgb(team, professional, due, ends_on=due)  # to be evaluated at its end: not held
    _pgb(team, professional, due, ends_on=due - datetime.timedelta(days=1))  # ended before

    html = client_for(make_user(Role.MUNICIPALITY)).get(COMPLIANCE).content.decode()
    pgbs = _section(html, PGBS)
    # 3 of the 7 that can be judged were on time: 43%
    assert _rows(pgbs, f"{PGBS}-per-maand")[1] == ["8", "3", "2", "2", "1", "43%"]
    assert "Op tijd: 43% (3 van de 7 evaluaties die we al kunnen beoordelen)." in pgbs
    # the plans of these pgbs are due later: the plans' section counts none of them
    assert _rows(_section(html, PLANS), f"{PLANS}-per-maand")[1][0] == "0"


def test_a_small_number_of_evaluations_is_hidden_with_what_gives_it_away(
    team, professional, make_user, client_for
) -> None:
    """Last month: six plans due in one wijk, two in another. The municipality sees "< 5" for
    the two, nothing of what happened to them, and not the six either: with the city's eight
    they would give the two away (secondary suppression). The consortium sees both."""
    due = _last_month()
    buurten = list(Buurt.objects.order_by("code"))
    large = buurten[0]
    small = next(buurt for buurt in buurten if buurt.wijk.code != large.wijk.code)
    for _plan_number in range(6):
        _plan(team, professional, due)
    for _plan_number in range(2):
        resident = HouseholdMembershipFactory(household__address__buurt=small).resident
        _plan(team, professional, due, resident=resident)

    municipality = client_for(make_user(Role.MUNICIPALITY))
    city = _section(municipality.get(COMPLIANCE).content.decode(), PLANS)
    assert _rows(city, f"{PLANS}-per-maand")[1] == ["8", "0", "0", "8", "0", "0%"]
    small_rows = _rows(
        _section(municipality.get(COMPLIANCE, {"wijk": small.wijk.code}).content.decode(), PLANS),
        f"{PLANS}-per-maand",
    )
    assert small_rows[1] == ["&lt; 5", HIDDEN_SPLIT]
    large_rows = _rows(
        _section(municipality.get(COMPLIANCE, {"wijk": large.wijk.code}).content.decode(), PLANS),
        f"{PLANS}-per-maand",
    )
    assert large_rows[1] == ["verborgen", HIDDEN_SPLIT]
    assert "Op tijd: dit percentage laten we niet zien" in _section(
        municipality.get(COMPLIANCE, {"wijk": small.wijk.code}).content.decode(), PLANS
    )

    management = client_for(make_user(Role.MANAGEMENT))
    exact = _section(management.get(COMPLIANCE).content.decode(), PLANS)
    assert sorted(row[0] for row in _rows(exact, f"{PLANS}-per-wijk")) == ["2", "6"]


def test_a_second_provider_for_a_kind_or_an_unknown_kind_is_refused() -> None:
    def provider(**_kwargs: Any) -> list[Any]:
        return []

    with pytest.raises(ImproperlyConfigured):
        register_due("plan_evaluation", provider)
    with pytest.raises(ImproperlyConfigured):
        register_due("contact_moments", provider)
