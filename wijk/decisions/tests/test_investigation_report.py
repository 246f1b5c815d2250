"""The desk reads the investigation report of the case's plan, through the desk's own page,
and never through the investigation's pages (ADR 0040)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.decisions.tests.conftest import place, placed
from wijk.investigations.tests.conftest import complete_data, edit, finish, receive, start
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import sign_directly
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


def test_the_desk_reads_the_finished_report_of_the_case_only(
    team, professional, officer, client_for
):
    resident = HouseholdMembershipFactory().resident
    help_request = receive(resident=resident, team=team, assigned_to=professional)
    team_client = client_for(professional)
    investigation = start(team_client, help_request)
    edit(team_client, investigation)
    assert finish(team_client, investigation).status_code == 302
    plan = SupportPlanFactory(
        resident=resident, team=team, coordinator=professional, help_request=help_request
    )
    sign_directly(plan, witness=professional)
    case = placed(place(team_client, plan))
    assert case.investigation_id == investigation.pk

    desk = client_for(officer)
    page = desk.get(reverse("decisions:desk_case", args=[case.pk])).content.decode()
    assert complete_data()["underlying_question"] in page
    assert "Advies van een ergotherapeut" in page
    for url in (
        reverse("investigations:detail", args=[investigation.pk]),
        reverse("investigations:report", args=[investigation.pk]),
        reverse("requests:detail", args=[help_request.pk]),
    ):
        assert desk.get(url).status_code == 404, url


def test_an_open_investigation_is_not_sent(team, professional, officer, client_for):
    resident = HouseholdMembershipFactory().resident
    help_request = receive(resident=resident, team=team, assigned_to=professional)
    team_client = client_for(professional)
    edit(team_client, start(team_client, help_request))
    plan = SupportPlanFactory(
        resident=resident, team=team, coordinator=professional, help_request=help_request
    )
    sign_directly(plan, witness=professional)
    case = placed(place(team_client, plan))
    assert case.investigation_id is None
    page = client_for(officer).get(reverse("decisions:desk_case", args=[case.pk]))
    assert "Bij deze zaak hoort geen afgerond onderzoek." in page.content.decode()
