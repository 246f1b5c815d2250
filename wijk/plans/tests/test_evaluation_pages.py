"""Evaluations of a support plan and the explanation of the resident's rights, through their
pages: progress per goal, a new ZRM on a linked trajectory (or the reason there is none), the
next evaluation date moving the plan's, and who may do it (ADR 0035)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.errors import ValidationFailed
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.deadlines import next_evaluation_suggested
from wijk.plans.models import Evaluation, PlanGoal, PlanVersion, RightsExplanation, SupportPlan
from wijk.plans.services import (
    EvaluationContent,
    GoalProgressInput,
    ZrmInput,
    evaluation_record,
)
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.models import ZrmAssessment
from wijk.trajectories.services import trajectory_start
from wijk.trajectories.tests.conftest import code, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def resident(team):
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
def plan(resident, team, professional, trajectory):
    """An active (signed) plan with two goals, linking the resident's trajectory."""
    return SupportPlanFactory(
        resident=resident,
        team=team,
        coordinator=professional,
        status=PlanStatus.ACTIVE,
        version__trajectories=[trajectory],
    )


@pytest.fixture
def outsider(make_user):
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    return make_user(Role.PROFESSIONAL, teams=[TeamFactory(wijken=[wijk])])


def goals_of(plan: SupportPlan) -> list[PlanGoal]:
    return list(PlanGoal.objects.filter(version_id=plan.current_id).order_by("position"))


def evaluation_data(plan: SupportPlan, **changes: Any) -> dict[str, Any]:
    """A complete evaluation as the form posts it: both goals, a ZRM on the first linked
    trajectory (when there is one) scoring finances 3, next evaluation in four months."""
    today = timezone.localdate()
    data: dict[str, Any] = {
        "held_on": today.isoformat(),
        "resident_view": "Het gaat beter. Ik open de post nu zelf.",
        "version": str(plan.current_id),
        "next_evaluation_on": (today + datetime.timedelta(days=120)).isoformat(),
    }
    for goal, progress in zip(goals_of(plan), ("progressing", "achieved"), strict=True):
        data[f"progress_{goal.pk}"] = progress
        data[f"note_{goal.pk}"] = f"Toelichting {goal.position}"
    linked = plan.current.trajectories.first()
    if linked is not None:
        data["zrm_trajectory"] = str(linked.pk)
        data["score_finances"] = "3"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def new_url(plan: SupportPlan) -> str:
    return reverse("plans:evaluation_new", args=[plan.pk])


def test_evaluation_records_progress_per_goal_a_zrm_and_moves_the_next_date(
    plan, professional, trajectory, client_for
) -> None:
    client = client_for(professional)
    next_on = timezone.localdate() + datetime.timedelta(days=120)
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = client.post(new_url(plan), evaluation_data(plan))

    evaluation = Evaluation.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:evaluation_detail", args=[plan.pk, evaluation.pk])
    assert evaluation.version_id == plan.current_id
    assert evaluation.resident_view == "Het gaat beter. Ik open de post nu zelf."
    progress = {row.goal.position: (row.progress, row.note) for row in evaluation.goals.all()}
    assert progress == {1: ("progressing", "Toelichting 1"), 2: ("achieved", "Toelichting 2")}
    assessment = evaluation.zrm_assessment
    assert assessment is not None
    assert (assessment.trajectory_id, assessment.moment) == (trajectory.pk, "evaluation")
    assert [(s.domain.code, s.score) for s in assessment.scores.all()] == [("finances", 3)]
    plan.refresh_from_db()
    assert plan.next_evaluation_on == next_on == evaluation.next_evaluation_on
    # One entry for the evaluation (naming the plan and the ZRM), one of the ZRM service.
    created = AccessLogEntry.objects.filter(event=AccessEvent.CREATE, pk__gt=before)
    evaluation_entry = created.get(objects_touched__contains=[f"plans.evaluation:{evaluation.pk}"])
    assert f"plans.supportplan:{plan.pk}" in evaluation_entry.objects_touched
    assert f"trajectories.zrmassessment:{assessment.pk}" in evaluation_entry.objects_touched
    assert created.count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Mevrouw opent zelf haar post" in page
    assert "Gaat vooruit" in page and "Bereikt" in page
    assert "Het gaat beter. Ik open de post nu zelf." in page


def test_the_form_suggests_a_working_day_half_a_year_on(plan, professional, client_for) -> None:
    page = client_for(professional).get(new_url(plan)).content.decode()
    suggested = next_evaluation_suggested(timezone.localdate())
    assert f'name="next_evaluation_on" value="{suggested.isoformat()}"' in page
    assert "Mevrouw gaat twee keer per week naar de buurtkamer." in page


def test_a_plan_without_a_linked_trajectory_needs_the_reason_there_is_no_zrm(
    resident, team, professional, client_for
) -> None:
    plan = SupportPlanFactory(
        resident=resident, team=team, coordinator=professional, status=PlanStatus.ACTIVE
    )
    client = client_for(professional)

    refused = client.post(new_url(plan), evaluation_data(plan))
    assert refused.status_code == 200
    assert "Vul een ZRM in, of schrijf waarom er deze keer geen ZRM is." in (
        refused.content.decode()
    )
    assert not Evaluation.objects.exists()

    saved = client.post(new_url(plan), evaluation_data(plan, no_zrm_reason="Geen traject."))
    assert saved.status_code == 302
    evaluation = Evaluation.objects.get(plan=plan)
    assert evaluation.zrm_assessment is None
    assert evaluation.no_zrm_reason == "Geen traject."


def test_choosing_no_zrm_on_a_plan_with_a_trajectory_records_none(
    plan, professional, client_for
) -> None:
    data = evaluation_data(plan, zrm_trajectory="geen", no_zrm_reason="Inwoner wilde niet.")
    response = client_for(professional).post(new_url(plan), data)
    assert response.status_code == 302
    assert Evaluation.objects.get(plan=plan).no_zrm_reason == "Inwoner wilde niet."
    assert not ZrmAssessment.objects.filter(moment="evaluation").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"next_evaluation_on": timezone.localdate().isoformat()},
            "Kies voor de volgende evaluatie een datum na deze evaluatie.",
        ),
        ({"next_evaluation_on": ""}, "Vul &quot;Volgende evaluatie&quot; in."),
        (
            {"held_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "De evaluatie ligt in de toekomst.",
        ),
        ({"zrm_trajectory": "999999"}, "Kies bij &quot;Nieuwe ZRM-score&quot;"),
        ({"score_finances": ""}, "Geef ten minste één leefgebied een score."),
        ({"version": "abc"}, "Er is intussen een nieuwe versie van het plan opgeslagen."),
    ],
)
def test_a_wrong_evaluation_is_refused_and_the_plan_keeps_its_date(
    plan, professional, client_for, change, message
) -> None:
    before = plan.next_evaluation_on
    response = client_for(professional).post(new_url(plan), evaluation_data(plan, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()
    plan.refresh_from_db()
    assert plan.next_evaluation_on == before


def test_progress_is_needed_for_every_goal(plan, professional, client_for) -> None:
    first = goals_of(plan)[0]
    response = client_for(professional).post(
        new_url(plan), evaluation_data(plan, **{f"progress_{first.pk}": None})
    )
    assert response.status_code == 200
    assert not Evaluation.objects.exists()


def test_a_goal_of_another_plan_is_not_taken(plan, professional, team, client_for) -> None:
    """Progress posted for a goal of another plan is no field of this form: it is ignored,
    and the plan's own goals still need theirs."""
    other = SupportPlanFactory(team=team, coordinator=professional, status=PlanStatus.ACTIVE)
    foreign = goals_of(other)[0]
    data = evaluation_data(plan, **{f"progress_{goals_of(plan)[0].pk}": None})
    data[f"progress_{foreign.pk}"] = "achieved"
    response = client_for(professional).post(new_url(plan), data)
    assert response.status_code == 200
    assert not Evaluation.objects.exists()


def test_an_evaluation_against_an_older_version_is_refused(plan, professional, client_for) -> None:
    data = evaluation_data(plan)
    newer = PlanVersion.objects.create(
        plan=plan, number=2, based_on=plan.current, created_by=professional
    )
    PlanGoal.objects.create(version=newer, position=1, goal="Een nieuw doel")
    SupportPlan.objects.filter(pk=plan.pk).update(current=newer)

    response = client_for(professional).post(new_url(plan), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is intussen een nieuwe versie van het plan opgeslagen." in page
    assert "Een nieuw doel" in page
    assert f'name="version" value="{newer.pk}"' in page
    assert not Evaluation.objects.exists()


def test_a_plan_that_does_not_run_is_not_evaluated(
    resident, team, professional, client_for
) -> None:
    draft = SupportPlanFactory(resident=resident, team=team, coordinator=professional)
    client = client_for(professional)

    page = client.get(new_url(draft))
    assert page.status_code == 200
    assert "Dit plan loopt nog niet of is afgesloten." in page.content.decode()
    assert 'name="held_on"' not in page.content.decode()
    assert client.post(new_url(draft), evaluation_data(draft)).status_code == 200
    assert not Evaluation.objects.exists()
    # The rule is the service's, not only the page's.
    content = EvaluationContent(
        version_id=draft.current_id,
        held_on=timezone.localdate(),
        resident_view="",
        progress=[GoalProgressInput(goal_id=g.pk, progress="achieved") for g in goals_of(draft)],
        next_evaluation_on=timezone.localdate() + datetime.timedelta(days=30),
        no_zrm_reason="Geen traject.",
    )
    with pytest.raises(ValidationFailed, match="Dit plan loopt niet"):
        evaluation_record(actor=verified(professional), plan=draft, content=content)


def test_a_zrm_on_a_trajectory_the_plan_does_not_link_is_refused(
    plan, professional, resident, team
) -> None:
    """The form offers only linked trajectories; the service holds the rule as well."""
    unlinked = SupportPlanFactory(team=team, coordinator=professional, status=PlanStatus.ACTIVE)
    other_trajectory = plan.current.trajectories.get()
    content = EvaluationContent(
        version_id=unlinked.current_id,
        held_on=timezone.localdate(),
        resident_view="",
        progress=[GoalProgressInput(goal_id=g.pk, progress="achieved") for g in goals_of(unlinked)],
        next_evaluation_on=timezone.localdate() + datetime.timedelta(days=30),
        zrm=ZrmInput(trajectory=other_trajectory, scores={code("life_domains", "finances"): 3}),
    )
    with pytest.raises(ValidationFailed) as refused:
        evaluation_record(actor=verified(professional), plan=unlinked, content=content)
    assert "zrm_trajectory" in refused.value.fields
    assert not ZrmAssessment.objects.filter(moment="evaluation").exists()


def test_an_evaluation_of_another_plan_is_not_found(plan, professional, team, client_for) -> None:
    other = SupportPlanFactory(team=team, coordinator=professional, status=PlanStatus.ACTIVE)
    client = client_for(professional)
    client.post(new_url(other), evaluation_data(other, no_zrm_reason="Geen traject."))
    evaluation = Evaluation.objects.get(plan=other)

    url = reverse("plans:evaluation_detail", args=[plan.pk, evaluation.pk])
    assert client.get(url).status_code == 404
    assert client.get(f"/plannen/{plan.pk}/evaluaties/99999999999999999999").status_code == 404
    assert client.get(f"/plannen/{plan.pk}/evaluaties/-1").status_code == 404


def test_another_team_reaches_nothing(plan, outsider, client_for) -> None:
    client = client_for(outsider)
    assert client.get(new_url(plan)).status_code == 404
    assert client.post(new_url(plan), evaluation_data(plan)).status_code == 404
    assert client.get(reverse("plans:rights", args=[plan.pk])).status_code == 404
    rights = {"explained_on": timezone.localdate().isoformat(), "privacy": "on"}
    assert client.post(reverse("plans:rights", args=[plan.pk]), rights).status_code == 404
    assert not Evaluation.objects.exists()
    assert not RightsExplanation.objects.exists()


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_not_found(
    plan, make_user, team, client_for, role
) -> None:
    client = client_for(make_user(role, teams=[team]))
    assert client.get(new_url(plan)).status_code == 404
    assert client.post(new_url(plan), evaluation_data(plan)).status_code == 404
    rights = {"explained_on": timezone.localdate().isoformat(), "privacy": "on"}
    assert client.post(reverse("plans:rights", args=[plan.pk]), rights).status_code == 404
    assert not Evaluation.objects.exists()
    assert not RightsExplanation.objects.exists()


def rights_url(plan: SupportPlan) -> str:
    return reverse("plans:rights", args=[plan.pk])


def test_the_explanation_of_rights_is_recorded_and_shown(plan, professional, client_for) -> None:
    client = client_for(professional)
    page = client.get(rights_url(plan)).content.decode()
    assert "De rechten zijn nog niet uitgelegd." in page
    assert "gratis hulp krijgen van een cliëntondersteuner" in page

    response = client.post(
        rights_url(plan),
        {
            "explained_on": timezone.localdate().isoformat(),
            "client_support": "on",
            "wants_client_support": "on",
            "privacy": "on",
            "objection_appeal": "on",
            "note": "Folder meegegeven.",
        },
    )

    assert response.status_code == 302
    explanation = RightsExplanation.objects.get(plan=plan)
    assert explanation.client_support and explanation.wants_client_support
    assert explanation.privacy and explanation.objection_appeal
    assert not explanation.complaints
    assert explanation.by_id == professional.pk
    assert AccessLogEntry.objects.filter(
        event=AccessEvent.CREATE,
        objects_touched__contains=[f"plans.rightsexplanation:{explanation.pk}"],
    ).exists()
    page = client.get(rights_url(plan)).content.decode()
    assert "de inwoner wil een cliëntondersteuner" in page
    assert "Folder meegegeven." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies ten minste één recht dat u heeft uitgelegd."),
        (
            {"wants_client_support": "on", "privacy": "on"},
            "Leg eerst uit wat onafhankelijke cliëntondersteuning is.",
        ),
    ],
)
def test_an_explanation_names_what_was_explained(
    plan, professional, client_for, data, message
) -> None:
    data = {"explained_on": timezone.localdate().isoformat(), **data}
    response = client_for(professional).post(rights_url(plan), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RightsExplanation.objects.exists()


def test_a_zrm_the_trajectory_refuses_saves_nothing(plan, professional, client_for) -> None:
    """The ZRM's own rules hold (here: not before the trajectory started), said at the
    evaluation's date; neither the ZRM nor the evaluation is saved."""
    held_on = timezone.localdate() - datetime.timedelta(days=90)
    response = client_for(professional).post(
        new_url(plan), evaluation_data(plan, held_on=held_on.isoformat())
    )
    assert response.status_code == 200
    assert "De datum ligt voor de start van het traject." in response.content.decode()
    assert not Evaluation.objects.exists()
    assert not ZrmAssessment.objects.filter(moment="evaluation").exists()
