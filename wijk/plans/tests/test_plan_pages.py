"""The support plan through its pages: starting one (one open plan per household), saving
versions of its six parts, two people editing at once, two versions side by side, and its
coordinator (staff or external) with the history; and who reaches none of it."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.activities.tests.factories import ActivityFactory
from wijk.areas.models import Buurt, Wijk
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.models import OrganisationKind
from wijk.organisations.tests.factories import OrganisationFactory, TeamFactory
from wijk.plans.models import PlanCoordinatorChange, PlanVersion, SupportPlan
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.models import HouseholdMembership
from wijk.residents.tests.factories import HouseholdMembershipFactory, ResidentFactory

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
def partner(resident):
    """A second member of the resident's household."""
    household = resident.household_membership.household
    return HouseholdMembershipFactory(
        household=household,
        resident__given_names="Piet",
        resident__family_name="Jansen",
        relation="partner",
    ).resident


def _text(response) -> str:
    return unescape(response.content.decode())


def start_plan(client, resident, **changes: Any):
    data = {"kind": "staff", **changes}
    return client.post(reverse("plans:start") + f"?inwoner={resident.pk}", data)


@pytest.fixture
def plan(client_for, professional, team, resident) -> SupportPlan:
    response = start_plan(
        client_for(professional), resident, team=team.pk, coordinator=professional.pk
    )
    assert response.status_code == 302, _text(response)
    return SupportPlan.objects.get(resident=resident)


def edit_data(based_on: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "based_on": based_on,
        "goal_rows": 3,
        "goal_1": "Mevrouw opent zelf haar post.",
        "result_1": "Geen aanmaningen meer.",
        "member_1": "",
        "own_strength": "Haar zus komt elke week langs.",
        "preceding_provisions": "Schuldhulp van de gemeente.",
        "solution": "Budgetcoaching door het wijkteam.",
        "partners": "Zus, buurvrouw.",
        "perspective": "Mevrouw regelt haar geld zelf.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# -- starting a plan ----------------------------------------------------------------------------


def test_start_from_the_case_file_makes_the_plan_its_first_version_and_histories(
    client_for, professional, team, resident
) -> None:
    client = client_for(professional)
    case_file = _text(client.get(reverse("residents:detail", args=[resident.pk])))
    assert f"{reverse('plans:start')}?inwoner={resident.pk}" in case_file
    assert client.get(reverse("plans:start") + f"?inwoner={resident.pk}").status_code == 200

    response = start_plan(client, resident, team=team.pk, coordinator=professional.pk)

    plan = SupportPlan.objects.get(resident=resident)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[plan.pk])
    assert plan.household == resident.household_membership.household
    assert (plan.status, plan.team, plan.coordinator) == ("draft", team, professional)
    assert plan.current is not None and plan.current.number == 1
    assert list(plan.status_changes.values_list("seq", "status")) == [(1, "draft")]
    first = plan.coordinator_changes.get()
    assert (first.assignee, first.by, first.previous) == (professional, professional, None)
    created = AccessLogEntry.objects.filter(event=AccessEvent.CREATE, user_id=professional.pk)
    assert created.filter(objects_touched__contains=[f"plans.supportplan:{plan.pk}"]).count() == 1


def test_start_from_a_request_links_the_request(client_for, professional, team, resident) -> None:
    help_request = HelpRequestFactory(team=team, resident=resident, assigned_to=professional)
    client = client_for(professional)
    page = _text(client.get(reverse("requests:detail", args=[help_request.pk])))
    start = f"{reverse('plans:start')}?hulpvraag={help_request.pk}"
    assert start in page

    response = client.post(
        start, {"kind": "staff", "team": team.pk, "coordinator": professional.pk}
    )

    assert response.status_code == 302, _text(response)
    plan = SupportPlan.objects.get()
    assert (plan.resident, plan.help_request) == (resident, help_request)


def test_start_for_a_resident_without_household_makes_a_household_of_one(
    client_for, professional, team
) -> None:
    lone = ResidentFactory()
    assert not HouseholdMembership.objects.filter(resident=lone).exists()

    response = start_plan(client_for(professional), lone, team=team.pk, coordinator=professional.pk)

    assert response.status_code == 302, _text(response)
    membership = HouseholdMembership.objects.get(resident=lone)
    assert membership.relation == "reference_person"
    assert SupportPlan.objects.get(resident=lone).household == membership.household


def test_start_with_an_external_coordinator(client_for, professional, team, resident) -> None:
    organisation = OrganisationFactory(name="Stichting Present")

    response = start_plan(
        client_for(professional),
        resident,
        team=team.pk,
        kind="external",
        organisation=organisation.pk,
        external_name="Joke Meijer",
        external_role="Casemanager",
    )

    assert response.status_code == 302, _text(response)
    plan = SupportPlan.objects.get(resident=resident)
    assert plan.coordinator is None
    assert (plan.external_organisation, plan.external_name) == (organisation, "Joke Meijer")
    first = plan.coordinator_changes.get()
    assert (first.assignee, first.external_name, first.external_role) == (
        None,
        "Joke Meijer",
        "Casemanager",
    )


def test_start_external_coordinator_needs_organisation_name_and_role(
    client_for, professional, team, resident
) -> None:
    response = start_plan(client_for(professional), resident, team=team.pk, kind="external")

    assert response.status_code == 400
    page = _text(response)
    assert "Kies de organisatie van de regisseur." in page
    assert "Vul de naam van de regisseur in." in page
    assert not SupportPlan.objects.exists()


def test_a_second_plan_for_the_household_is_refused_with_a_link_to_the_first(
    client_for, professional, colleague, team, resident, partner, plan
) -> None:
    client = client_for(colleague)

    # For another member of the same household: the plan is the household's.
    response = start_plan(client, partner, team=team.pk, coordinator=colleague.pk)

    assert response.status_code == 200  # the page says so before anything is sent
    page = _text(response)
    assert "Dit huishouden heeft al een ondersteuningsplan dat nog loopt" in page
    assert reverse("plans:detail", args=[plan.pk]) in page
    assert SupportPlan.objects.count() == 1


def test_the_service_refuses_a_second_open_plan_when_the_page_did_not_see_the_first(
    client_for, professional, team, resident, make_user
) -> None:
    """The first plan is of another team, which the starter may not see: the refusal says
    there is one and whom to ask, and names neither its team nor links it (ADR 0041)."""
    other_team = TeamFactory(name="Buurtteam Anderland", wijken=list(team.wijken.all()))
    stranger = make_user(Role.PROFESSIONAL, teams=[other_team])
    assert (
        start_plan(
            client_for(stranger), resident, team=other_team.pk, coordinator=stranger.pk
        ).status_code
        == 302
    )
    first = SupportPlan.objects.get()

    response = start_plan(
        client_for(professional), resident, team=team.pk, coordinator=professional.pk
    )

    assert response.status_code == 400
    page = _text(response)
    assert "Dit huishouden heeft al een ondersteuningsplan dat nog loopt, bij een ander team." in (
        page
    )
    assert "Vraag uw teamleider" in page
    assert other_team.name not in page
    assert reverse("plans:detail", args=[first.pk]) not in page
    assert SupportPlan.objects.count() == 1


# -- versions ----------------------------------------------------------------------------------


def test_editing_saves_version_2_with_goals_per_member(
    client_for, professional, resident, partner, plan
) -> None:
    client = client_for(professional)
    page = _text(client.get(reverse("plans:edit", args=[plan.pk])))
    assert 'name="based_on" value="1"' in page

    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        edit_data(1, goal_2="Meneer gaat naar de buurtkamer.", member_2=partner.pk),
    )

    assert response.status_code == 302, _text(response)
    plan.refresh_from_db()
    version = plan.current
    assert (version.number, version.based_on.number) == (2, 1)
    goals = list(version.goals.order_by("position").values_list("position", "member", "goal"))
    assert goals == [
        (1, None, "Mevrouw opent zelf haar post."),
        (2, partner.pk, "Meneer gaat naar de buurtkamer."),
    ]
    assert version.own_strength == "Haar zus komt elke week langs."
    detail = _text(client.get(reverse("plans:detail", args=[plan.pk])))
    assert "Meneer gaat naar de buurtkamer." in detail
    assert "Piet Jansen" in detail


def test_activities_of_the_teams_wijken_and_organisations_by_kind_are_checkboxes(
    client_for, professional, team, plan
) -> None:
    """No multi-select (Ctrl+click) lists: checkboxes in a fieldset, the activities only of
    the team's wijken, the register grouped by kind of organisation (ADR 0041)."""
    near_wijk = team.wijken.order_by("code").first()
    far_wijk = Wijk.objects.exclude(code=near_wijk.code).order_by("code").first()
    near = ActivityFactory(name="Taalcafé dichtbij", wijk=near_wijk)
    ActivityFactory(name="Moestuin ver weg", wijk=far_wijk)
    volunteers = OrganisationFactory(name="Buurtvrienden", kind=OrganisationKind.VOLUNTEER)
    client = client_for(professional)

    page = _text(client.get(reverse("plans:edit", args=[plan.pk])))

    assert '<select name="activities"' not in page and '<select name="organisations"' not in page
    assert f'type="checkbox" name="activities" value="{near.pk}"' in page
    assert "Moestuin ver weg" not in page
    assert f'type="checkbox" name="organisations" value="{volunteers.pk}"' in page
    assert re.search(r"<legend[^>]*>Organisaties die meewerken", page)
    for kind in (OrganisationKind.CONSORTIUM_MEMBER, OrganisationKind.VOLUNTEER):
        assert re.search(rf"<legend[^>]*>{re.escape(str(kind.label))}</legend>", page)

    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        edit_data(1, activities=[near.pk], organisations=[volunteers.pk]),
    )

    assert response.status_code == 302, _text(response)
    plan.refresh_from_db()
    assert list(plan.current.activities.all()) == [near]
    assert list(plan.current.organisations.all()) == [volunteers]
    again = _text(client.get(reverse("plans:edit", args=[plan.pk])))
    assert re.search(rf'name="activities" value="{near.pk}"[^>]*checked', again)


def test_a_goal_for_someone_outside_the_household_is_refused(
    client_for, professional, plan
) -> None:
    stranger = HouseholdMembershipFactory().resident

    response = client_for(professional).post(
        reverse("plans:edit", args=[plan.pk]), edit_data(1, member_1=stranger.pk)
    )

    assert response.status_code == 400
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_more_goal_rows_keep_what_was_typed_and_save_nothing(
    client_for, professional, plan
) -> None:
    response = client_for(professional).post(
        reverse("plans:edit", args=[plan.pk]),
        {**edit_data(1, goal_3="Derde doel, nog niet opgeslagen."), "actie": "meer"},
    )

    assert response.status_code == 200
    page = _text(response)
    assert 'name="goal_5"' in page and 'name="goal_rows" value="5"' in page
    assert "Derde doel, nog niet opgeslagen.</textarea>" in page
    assert "utrecht-form-field-error-message" not in page
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_an_identical_save_makes_no_new_version(client_for, professional, plan) -> None:
    client = client_for(professional)
    assert client.post(reverse("plans:edit", args=[plan.pk]), edit_data(1)).status_code == 302

    response = client.post(reverse("plans:edit", args=[plan.pk]), edit_data(2))

    assert response.status_code == 400
    assert "U heeft niets veranderd. Er is geen nieuwe versie gemaakt." in _text(response)
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_a_stale_edit_is_refused_showing_the_others_text_and_keeping_ones_own(
    client_for, professional, colleague, plan
) -> None:
    """Two people open the plan at version 1; the first saves; the second's save is refused,
    the page shows what the first saved, and the second's own text is still in the form."""
    first, second = client_for(professional), client_for(colleague)
    url = reverse("plans:edit", args=[plan.pk])
    for client in (first, second):
        assert 'name="based_on" value="1"' in _text(client.get(url))
    assert (
        first.post(url, edit_data(1, perspective="Over een jaar zonder schulden.")).status_code
        == 302
    )

    response = second.post(url, edit_data(1, perspective="Mevrouw woont zelfstandig."))

    assert response.status_code == 400
    page = _text(response)
    assert "Iemand anders heeft dit plan intussen veranderd (versie 2)" in page
    assert "Fatima Bakker" in page  # who saved it
    assert "<ins" in page and "Over een jaar zonder schulden." in page  # what they saved
    assert "Mevrouw woont zelfstandig.</textarea>" in page  # own text kept
    assert 'name="based_on" value="2"' in page  # the next save builds on theirs
    plan.refresh_from_db()
    assert plan.current.number == 2
    assert plan.current.perspective == "Over een jaar zonder schulden."
    assert PlanVersion.objects.filter(plan=plan).count() == 2

    # Sending it again, knowingly, saves version 3 on top of theirs.
    again = second.post(url, edit_data(2, perspective="Mevrouw woont zelfstandig."))
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.current.number, plan.current.based_on.number) == (3, 2)


# -- two versions side by side -----------------------------------------------------------------


def test_two_versions_side_by_side_mark_what_was_removed_and_added(
    client_for, professional, plan
) -> None:
    client = client_for(professional)
    url = reverse("plans:edit", args=[plan.pk])
    client.post(url, edit_data(1, own_strength="Haar zus komt elke week langs."))
    client.post(url, edit_data(2, own_strength="Haar buurvrouw komt elke week langs."))

    response = client.get(reverse("plans:versions", args=[plan.pk]) + "?van=2&naar=3")

    assert response.status_code == 200
    page = _text(response)
    deleted = re.search(r"<del[^>]*>(.*?)</del>", page, re.S)
    inserted = re.search(r"<ins[^>]*>(.*?)</ins>", page, re.S)
    assert deleted and "zus" in deleted.group(1) and "[weggehaald:]" in deleted.group(1)
    assert inserted and "buurvrouw" in inserted.group(1) and "[toegevoegd:]" in inserted.group(1)
    assert "week langs." not in (deleted.group(1) + inserted.group(1))  # only the change
    assert "2. Eigen kracht en netwerk" in page
    assert "(niet veranderd)" in page  # the other parts say they did not change


def test_goals_are_compared_by_position(client_for, professional, plan) -> None:
    client = client_for(professional)
    url = reverse("plans:edit", args=[plan.pk])
    client.post(url, edit_data(1, goal_1="Post openen.", goal_2="Buurtkamer bezoeken."))
    client.post(url, edit_data(2, goal_1="Post openen.", goal_2=None))

    page = _text(client.get(reverse("plans:versions", args=[plan.pk]) + "?van=2&naar=3"))

    assert "Doel 2" in page
    assert re.search(r"<del[^>]*>.*?Buurtkamer bezoeken\..*?</del>", page, re.S)
    assert not re.search(r"<del[^>]*>.*?Post openen\..*?</del>", page, re.S)


@pytest.mark.parametrize(
    "query",
    [
        "?van=abc&naar=1",
        "?van=1&naar=99999999999999999999999999",
        "?van=-1&naar=1",
        "?van=%D9%A3&naar=1",  # an Arabic-Indic digit
        "?van=7&naar=1",
        "?van=1",
        "?van=&naar=",
    ],
)
def test_hostile_version_numbers_give_a_clear_message(
    client_for, professional, plan, query
) -> None:
    response = client_for(professional).get(reverse("plans:versions", args=[plan.pk]) + query)

    assert response.status_code == 200
    assert "Kies twee versies die bestaan." in _text(response)


# -- the coordinator ---------------------------------------------------------------------------


def _coordinator_form(client, plan) -> dict[str, str]:
    page = _text(client.get(reverse("plans:coordinator", args=[plan.pk])))
    expected = re.search(r'name="expected" value="(\d+)"', page)
    assert expected is not None, page
    return {"expected": expected.group(1)}


def test_the_team_lead_hands_the_plan_to_an_external_professional_and_back(
    client_for, team_lead, professional, colleague, plan
) -> None:
    client = client_for(team_lead)
    organisation = OrganisationFactory(name="Stichting Present")
    url = reverse("plans:coordinator", args=[plan.pk])

    response = client.post(
        url,
        {
            **_coordinator_form(client, plan),
            "kind": "external",
            "organisation": organisation.pk,
            "external_name": "Joke Meijer",
            "external_role": "Casemanager",
            "reason": "De ondersteuning ligt vooral bij Present.",
        },
    )

    assert response.status_code == 302, _text(response)
    plan.refresh_from_db()
    assert plan.coordinator is None
    assert (plan.external_organisation, plan.external_name, plan.external_role) == (
        organisation,
        "Joke Meijer",
        "Casemanager",
    )
    response = client.post(
        url,
        {
            **_coordinator_form(client, plan),
            "kind": "staff",
            "coordinator": colleague.pk,
            "reason": "Terug naar het wijkteam.",
        },
    )
    assert response.status_code == 302, _text(response)
    plan.refresh_from_db()
    assert (plan.coordinator, plan.external_organisation, plan.external_name) == (
        colleague,
        None,
        "",
    )
    history = list(
        PlanCoordinatorChange.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("assignee", "previous", "external_name", "reason", "by")
    )
    assert history == [
        (professional.pk, None, "", "", professional.pk),
        (
            None,
            professional.pk,
            "Joke Meijer",
            "De ondersteuning ligt vooral bij Present.",
            team_lead.pk,
        ),
        (colleague.pk, None, "", "Terug naar het wijkteam.", team_lead.pk),
    ]
    detail = _text(client.get(reverse("plans:detail", args=[plan.pk])))
    assert "Joke Meijer, Casemanager bij Stichting Present" in detail
    assert "Terug naar het wijkteam." in detail


def test_a_coordinator_change_made_meanwhile_is_not_overwritten(
    client_for, team_lead, professional, colleague, plan, make_user, team
) -> None:
    other_lead = make_user(Role.TEAM_LEAD, teams=[team])
    first, second = client_for(team_lead), client_for(other_lead)
    url = reverse("plans:coordinator", args=[plan.pk])
    shown_first, shown_second = _coordinator_form(first, plan), _coordinator_form(second, plan)
    data = {"kind": "staff", "reason": "Verlof van Fatima."}
    assert first.post(url, {**shown_first, **data, "coordinator": colleague.pk}).status_code == 302

    response = second.post(url, {**shown_second, **data, "coordinator": other_lead.pk})

    assert response.status_code == 400
    assert "Intussen is Kees Visser regisseur geworden. Er is niets veranderd." in _text(response)
    plan.refresh_from_db()
    assert plan.coordinator == colleague
    assert PlanCoordinatorChange.objects.filter(plan=plan).count() == 2


def test_the_current_coordinator_may_hand_over_a_colleague_may_not(
    client_for, professional, colleague, plan
) -> None:
    url = reverse("plans:coordinator", args=[plan.pk])
    assert client_for(colleague).get(url).status_code == 404
    refused = client_for(colleague).post(
        url,
        {
            "expected": 1,
            "kind": "staff",
            "coordinator": colleague.pk,
            "reason": "Ik neem het over.",
        },
    )
    assert refused.status_code == 404

    client = client_for(professional)
    response = client.post(
        url,
        {
            **_coordinator_form(client, plan),
            "kind": "staff",
            "coordinator": colleague.pk,
            "reason": "Ik ga met verlof.",
        },
    )

    assert response.status_code == 302, _text(response)
    plan.refresh_from_db()
    assert plan.coordinator == colleague


# -- who reaches none of it --------------------------------------------------------------------


def test_another_team_reaches_no_plan_page_and_changes_nothing(client_for, outsider, plan) -> None:
    client = client_for(outsider)
    for name in ("plans:detail", "plans:edit", "plans:versions", "plans:coordinator"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name

    response = client.post(reverse("plans:edit", args=[plan.pk]), edit_data(1))

    assert response.status_code == 404
    assert PlanVersion.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_404(
    client_for, make_user, team, plan, resident, role
) -> None:
    client = client_for(make_user(role, teams=[team]))
    for name in ("plans:detail", "plans:edit", "plans:versions", "plans:coordinator"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name
    assert client.get(reverse("plans:start") + f"?inwoner={resident.pk}").status_code == 404
    assert client.post(reverse("plans:edit", args=[plan.pk]), edit_data(1)).status_code == 404
    assert PlanVersion.objects.filter(plan=plan).count() == 1


# -- the case file -----------------------------------------------------------------------------


def test_the_plan_is_on_the_case_file_timeline_of_every_member(
    client_for, professional, resident, partner, plan
) -> None:
    client = client_for(professional)
    for member in (resident, partner):
        page = _text(client.get(reverse("residents:detail", args=[member.pk])))
        assert f"Ondersteuningsplan {plan.pk} gestart" in page
        assert reverse("plans:detail", args=[plan.pk]) in page
