"""Test factories of support plans. They write the rows directly, as the services would leave
them (the plan, its status history, its first coordinator, version 1 with its goals), so that
tests of one part of the plan need not go through the others. An active plan is what a signed
plan is (signing is its own part of the work): status "active", with a next evaluation date."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from wijk.accounts.tests.factories import UserFactory
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.models import (
    PlanCoordinatorChange,
    PlanGoal,
    PlanStatusChange,
    PlanVersion,
    SupportPlan,
)
from wijk.plans.workflow import PlanStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory

DEFAULT_GOALS = (
    ("Mevrouw opent zelf haar post en betaalt haar rekeningen op tijd.", "Geen nieuwe schulden."),
    ("Mevrouw gaat twee keer per week naar de buurtkamer.", "Minder alleen."),
)


class SupportPlanFactory(factory.django.DjangoModelFactory):
    """A plan with its history and version 1. `status=PlanStatus.ACTIVE` gives a plan as it is
    once signed, due for evaluation in three months unless `next_evaluation_on` is given.
    `version__goals` (pairs of goal and result) and `version__trajectories` fill version 1."""

    class Meta:
        model = SupportPlan
        skip_postgeneration_save = True

    resident = factory.LazyFunction(lambda: HouseholdMembershipFactory().resident)
    household = factory.LazyAttribute(lambda plan: plan.resident.household_membership.household)
    team = factory.SubFactory(TeamFactory)
    coordinator = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("coordinator")
    status = PlanStatus.DRAFT
    next_evaluation_on = factory.LazyAttribute(
        lambda plan: (
            timezone.localdate() + datetime.timedelta(days=91)
            if plan.status == PlanStatus.ACTIVE
            else None
        )
    )

    @factory.post_generation
    def history(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        by = self.created_by
        PlanStatusChange.objects.create(plan=self, seq=1, status=PlanStatus.DRAFT, by=by)
        if self.status != PlanStatus.DRAFT:
            PlanStatusChange.objects.create(plan=self, seq=2, status=self.status, by=by)
        PlanCoordinatorChange.objects.create(
            plan=self,
            assignee=self.coordinator,
            external_organisation=self.external_organisation,
            external_name=self.external_name,
            external_role=self.external_role,
            by=by,
        )

    @factory.post_generation
    def version(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        version = PlanVersion.objects.create(
            plan=self,
            number=1,
            own_strength="Een zus die helpt met boodschappen.",
            solution="Begeleiding bij de administratie.",
            perspective="Zelfstandig wonen zonder vaste hulp.",
            created_by=self.created_by,
        )
        PlanGoal.objects.bulk_create(
            PlanGoal(version=version, position=position, goal=goal, result=result)
            for position, (goal, result) in enumerate(kwargs.get("goals", DEFAULT_GOALS), 1)
        )
        trajectories = kwargs.get("trajectories", ())
        if trajectories:
            version.trajectories.set(trajectories)
        self.current = version
        self.save(update_fields=["current"])
