"""Ending a support plan through its page (ADR 0034, "Ending a plan"): the end of support of
an active plan, a draft withdrawn, who may do it, the dates refused, nothing changing the plan
afterwards, and the household starting a new plan."""

from __future__ import annotations

import datetime
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.models import (
    Evaluation,
    PlanStatusChange,
    PlanVersion,
    RightsExplanation,
    Signature,
    SupportPlan,
)
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.services import trajectory_start
from wijk.trajectories.tests.conftest import code, verified
from wijk.trajectories.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def team_lead(make_user, team):
    return make_user(Role.TEAM_LEAD, teams=[team], first_name="Lotte", last_name="de Wit")


@pytest.fixture
def outsider(make_user):
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    return make_user(Role.PROFESSIONAL, teams=[TeamFactory(wijken=[wijk])])


@pytest.fixture
def resident():
    return HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    ).resident


@pytest.fixture
def trajectory(professional, resident, team):
    return trajectory_start(
        actor=verified(professional),
        resident=resident,
        part="sociaal_wijkteam",
        inflow_date=timezone.localdate() - datetime.timedelta(days=60),
        inflow_reason=code("inflow_reasons", "own_request"),
        primary_life_domain=code("life_domains", "finances"),
        life_domains=[],
        coordinator=professional,
        team=team,
        youth_support=False,
    )


@pytest.fixture
def active_plan(resident, team, professional, trajectory):
    """An active (signed) plan coordinated by the professional, linking an open trajectory."""
    return SupportPlanFactory(
        resident=resident,
        team=team,
        coordinator=professional,
        status=PlanStatus.ACTIVE,
        version__trajectories=[trajectory],
    )


@pytest.fixture
def draft_plan(resident, team, professional):
    return SupportPlanFactory(resident=resident, team=team, coordinator=professional)


def _text(response) -> str:
    return unescape(response.content.decode())


def end_url(plan: SupportPlan) -> str:
    return reverse("plans:end", args=[plan.pk])


def end_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ended_on": timezone.localdate().isoformat(),
        "reason": "goals_reached",
        "explanation": "Mevrouw regelt haar post nu zelf.",
        "perspective_reached": "yes",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# -- ending ------------------------------------------------------------------------------------


def test_the_coordinator_ends_an_active_plan_at_the_end_of_support(
    client_for, professional, active_plan, trajectory
) -> None:
    client = client_for(professional)
    detail = _text(client.get(reverse("plans:detail", args=[active_plan.pk])))
    assert end_url(active_plan) in detail
    page = client.get(end_url(active_plan))
    assert page.status_code == 200
    # The linked trajectory still runs: the page warns and links it; ending leaves it open.
    assert "Trajecten die nog lopen" in _text(page)
    assert reverse("trajectories:detail", args=[trajectory.pk]) in _text(page)

    response = client.post(end_url(active_plan), end_data())

    assert response.status_code == 302, _text(response)
    assert response["Location"] == reverse("plans:detail", args=[active_plan.pk])
    active_plan.refresh_from_db()
    assert (active_plan.status, active_plan.ended_on) == ("ended", timezone.localdate())
    assert (active_plan.end_reason, active_plan.perspective_reached) == ("goals_reached", "yes")
    last = PlanStatusChange.objects.filter(plan=active_plan).order_by("-seq").first()
    assert (last.seq, last.status, last.by, last.reason) == (
        3,
        "ended",
        professional,
        "Mevrouw regelt haar post nu zelf.",
    )
    logged = AccessLogEntry.objects.filter(event=AccessEvent.UPDATE, user_id=professional.pk)
    assert (
        logged.filter(
            objects_touched__contains=[
                f"plans.supportplan:{active_plan.pk}",
                f"plans.planstatuschange:{last.pk}",
            ]
        ).count()
        == 1
    )
    trajectory.refresh_from_db()
    assert trajectory.status != TrajectoryStatus.CLOSED
    detail = _text(client.get(reverse("plans:detail", args=[active_plan.pk])))
    assert "De doelen zijn bereikt" in detail
    assert end_url(active_plan) not in detail
    assert reverse("plans:edit", args=[active_plan.pk]) not in detail


def test_a_team_lead_withdraws_a_draft_with_another_reason(
    client_for, team_lead, draft_plan
) -> None:
    client = client_for(team_lead)
    page = _text(client.get(end_url(draft_plan)))
    assert "Is het perspectief bereikt?" not in page  # a draft was never carried out
    assert "Trajecten die nog lopen" not in page

    response = client.post(
        end_url(draft_plan),
        end_data(reason="other", explanation="Dubbel aangemaakt.", perspective_reached=None),
    )

    assert response.status_code == 302, _text(response)
    draft_plan.refresh_from_db()
    assert (draft_plan.status, draft_plan.end_reason, draft_plan.perspective_reached) == (
        "ended",
        "other",
        "",
    )
    assert list(draft_plan.status_changes.values_list("status", "reason")) == [
        ("draft", ""),
        ("ended", "Dubbel aangemaakt."),
    ]


def test_another_reason_needs_an_explanation(client_for, professional, active_plan) -> None:
    response = client_for(professional).post(
        end_url(active_plan), end_data(reason="other", explanation="  ")
    )

    assert response.status_code == 400
    assert "Schrijf kort op waarom het plan stopt." in _text(response)
    active_plan.refresh_from_db()
    assert active_plan.status == "active"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (1, "De datum ligt in de toekomst."),
        (-1, "De datum ligt voor de dag waarop het plan is gestart"),
    ],
)
def test_an_end_date_in_the_future_or_before_the_start_is_refused(
    client_for, professional, active_plan, days, message
) -> None:
    day = timezone.localdate() + datetime.timedelta(days=days)

    response = client_for(professional).post(
        end_url(active_plan), end_data(ended_on=day.isoformat())
    )

    assert response.status_code == 400
    assert message in _text(response)
    active_plan.refresh_from_db()
    assert (active_plan.status, active_plan.ended_on) == ("active", None)
    assert active_plan.status_changes.count() == 2


def test_an_unknown_reason_is_refused(client_for, professional, active_plan) -> None:
    response = client_for(professional).post(end_url(active_plan), end_data(reason="reopened"))

    assert response.status_code == 400
    active_plan.refresh_from_db()
    assert active_plan.status == "active"


# -- after the end -----------------------------------------------------------------------------


def test_an_ended_plan_takes_no_edit_evaluation_signature_rights_or_second_end(
    client_for, professional, active_plan
) -> None:
    client = client_for(professional)
    assert client.post(end_url(active_plan), end_data()).status_code == 302
    today = timezone.localdate()

    client.post(
        reverse("plans:edit", args=[active_plan.pk]),
        {"based_on": 1, "goal_rows": 1, "goal_1": "Nieuw doel", "own_strength": "Anders"},
    )
    client.post(
        reverse("plans:evaluation_new", args=[active_plan.pk]),
        {
            "held_on": today.isoformat(),
            "version": str(active_plan.current_id),
            "next_evaluation_on": (today + datetime.timedelta(days=90)).isoformat(),
            "no_zrm_reason": "Geen traject.",
        },
    )
    signed = client.post(
        reverse("plans:version_sign", args=[active_plan.pk, 1]),
        {
            "method": "typed",
            "signer": str(active_plan.resident_id),
            "signer_name": "Anna Jansen",
            "confirmed": "on",
            "signed_on": today.isoformat(),
        },
    )
    rights = client.post(
        reverse("plans:rights", args=[active_plan.pk]),
        {"explained_on": today.isoformat(), "privacy": "on"},
    )
    again = client.post(end_url(active_plan), end_data(reason="moved"))

    assert PlanVersion.objects.filter(plan=active_plan).count() == 1
    assert not Evaluation.objects.filter(plan=active_plan).exists()
    assert "Het kan niet meer worden ondertekend." in _text(signed)
    assert not Signature.objects.filter(version__plan=active_plan).exists()
    assert "Dit plan is afgesloten." in _text(rights)
    assert not RightsExplanation.objects.filter(plan=active_plan).exists()
    assert again.status_code == 404
    assert client.get(reverse("plans:coordinator", args=[active_plan.pk])).status_code == 404
    active_plan.refresh_from_db()
    assert (active_plan.end_reason, active_plan.status_changes.count()) == ("goals_reached", 3)


def test_the_household_starts_a_new_plan_after_the_end(
    client_for, professional, team, resident, active_plan
) -> None:
    client = client_for(professional)
    start = reverse("plans:start") + f"?inwoner={resident.pk}"
    form = {"kind": "staff", "team": team.pk, "coordinator": professional.pk}
    refused = client.post(start, form)
    assert refused.status_code == 200  # the page links the open plan instead
    assert SupportPlan.objects.filter(household=active_plan.household).count() == 1

    assert client.post(end_url(active_plan), end_data()).status_code == 302
    response = client.post(start, form)

    assert response.status_code == 302, _text(response)
    plans = SupportPlan.objects.filter(household=active_plan.household).order_by("pk")
    assert [plan.status for plan in plans] == ["ended", "draft"]


def test_the_case_file_timeline_shows_the_end(client_for, professional, resident, active_plan):
    client = client_for(professional)
    assert client.post(end_url(active_plan), end_data()).status_code == 302

    page = _text(client.get(reverse("residents:detail", args=[resident.pk])))

    assert f"Ondersteuningsplan {active_plan.pk} gestart" in page
    assert f"Afgesloten op {date_format(timezone.localdate())}" in page


# -- who may not -------------------------------------------------------------------------------


def test_a_colleague_who_does_not_coordinate_gets_404_and_no_link(
    client_for, colleague, active_plan
) -> None:
    client = client_for(colleague)
    detail = client.get(reverse("plans:detail", args=[active_plan.pk]))
    assert detail.status_code == 200
    assert end_url(active_plan) not in _text(detail)

    assert client.get(end_url(active_plan)).status_code == 404
    assert client.post(end_url(active_plan), end_data()).status_code == 404
    active_plan.refresh_from_db()
    assert active_plan.status == "active"


def test_another_team_gets_404_and_changes_nothing(client_for, outsider, active_plan) -> None:
    client = client_for(outsider)
    assert client.get(end_url(active_plan)).status_code == 404
    assert client.post(end_url(active_plan), end_data()).status_code == 404
    active_plan.refresh_from_db()
    assert active_plan.status == "active"


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_404(
    client_for, make_user, team, active_plan, role
) -> None:
    client = client_for(make_user(role, teams=[team]))
    assert client.get(end_url(active_plan)).status_code == 404
    assert client.post(end_url(active_plan), end_data()).status_code == 404
    active_plan.refresh_from_db()
    assert active_plan.status == "active"


@pytest.mark.parametrize(
    "path",
    [
        "/plannen/0/afsluiten",
        "/plannen/999999999/afsluiten",
        "/plannen/99999999999999999999999/afsluiten",
        "/plannen/-1/afsluiten",
        "/plannen/abc/afsluiten",
        "/plannen/1%00/afsluiten",
    ],
)
def test_hostile_ids_give_404(client_for, professional, active_plan, path) -> None:
    client = client_for(professional)
    assert client.get(path).status_code == 404
    assert client.post(path, end_data()).status_code == 404
    active_plan.refresh_from_db()
    assert active_plan.status == "active"
