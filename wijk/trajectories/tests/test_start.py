"""Starting a trajectory through the HTML form: from a resident's page and from a request,
with the request closed in the same transaction, the first history row, the access log, and
the refusals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.errors import ValidationFailed
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.models import HelpRequest
from wijk.requests.services import request_receive
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory
from wijk.trajectories.models import Trajectory
from wijk.trajectories.tests.conftest import code, verified

pytestmark = pytest.mark.django_db

START = reverse("trajectories:start")


def form_data(team, coordinator, **overrides):
    data = {
        "part": "sociaal_wijkteam",
        "inflow_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "inflow_reason": str(code("inflow_reasons", "own_request").pk),
        "primary_life_domain": str(code("life_domains", "finances").pk),
        "life_domains": [
            str(code("life_domains", "housing").pk),
            str(code("life_domains", "finances").pk),  # the primary one again: left out
        ],
        "team": str(team.pk),
        "coordinator": str(coordinator.pk),
        "youth_support": "on",
    }
    data.update(overrides)
    return data


def test_start_from_a_resident_creates_the_trajectory_its_history_and_a_log_entry(
    professional, client_for, resident, team
) -> None:
    client = client_for(professional)
    page = client.get(f"{START}?inwoner={resident.pk}")
    assert page.status_code == 200
    # Escaped as the page writes it: Faker's Dutch names include "'s Gravensande".
    assert f"Traject starten voor {escape(resident.full_name)}" in page.content.decode()

    response = client.post(f"{START}?inwoner={resident.pk}", form_data(team, professional))

    trajectory = Trajectory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:detail", args=[trajectory.pk])
    assert trajectory.resident == resident
    assert trajectory.household == resident.household_membership.household
    assert trajectory.help_request is None
    assert trajectory.status == "active"
    assert trajectory.youth_support
    assert [d.code for d in trajectory.life_domains.all()] == ["housing"]
    assert [(c.seq, c.status, c.by_id) for c in trajectory.status_changes.all()] == [
        (1, "active", professional.pk)
    ]
    created = AccessLogEntry.objects.get(event="create")
    assert created.resident_id == resident.pk
    assert f"trajectories.trajectory:{trajectory.pk}" in created.objects_touched
    assert resident.family_name not in str(vars(created))


def test_start_from_a_request_closes_the_request_with_support_started(
    professional, client_for, resident, team
) -> None:
    help_request = request_receive(
        actor=professional,
        channel=code("channels", "phone"),
        question="Hulp bij post en rekeningen",
        resident=resident,
        team=team,
    )
    client = client_for(professional)
    url = f"{START}?hulpvraag={help_request.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert help_request.reference in page.content.decode()

    response = client.post(url, form_data(team, professional))

    assert response.status_code == 302
    trajectory = Trajectory.objects.get()
    assert trajectory.help_request == help_request
    help_request.refresh_from_db()
    assert help_request.status == "closed"
    assert help_request.outcome == "support_started"
    assert help_request.status_changes.order_by("-seq").first().status == "closed"
    assert AccessLogEntry.objects.filter(event="create", resident_id=resident.pk).count() == 2
    assert AccessLogEntry.objects.filter(
        event="update", objects_touched__contains=[f"requests.helprequest:{help_request.pk}"]
    ).exists()


def test_a_closed_request_starts_nothing(professional, client_for, resident, team) -> None:
    help_request = request_receive(
        actor=professional,
        channel=code("channels", "phone"),
        question="Vraag",
        resident=resident,
        team=team,
    )
    client = client_for(professional)
    url = f"{START}?hulpvraag={help_request.pk}"
    client.post(url, form_data(team, professional))
    again = client.post(url, form_data(team, professional))
    assert again.status_code == 200
    assert "is al afgerond" in again.content.decode()
    assert Trajectory.objects.count() == 1


def test_when_the_request_close_fails_nothing_is_started(
    professional, client_for, resident, team, monkeypatch
) -> None:
    help_request = request_receive(
        actor=professional,
        channel=code("channels", "phone"),
        question="Vraag",
        resident=resident,
        team=team,
    )

    def refuse(**kwargs):
        raise ValidationFailed("Deze stap kan niet.")

    monkeypatch.setattr("wijk.trajectories.services.request_close_within", refuse)
    created_before = AccessLogEntry.objects.filter(event="create").count()
    response = client_for(professional).post(
        f"{START}?hulpvraag={help_request.pk}", form_data(team, professional)
    )
    assert response.status_code == 200
    assert "Deze stap kan niet." in response.content.decode()
    assert not Trajectory.objects.exists()
    assert AccessLogEntry.objects.filter(event="create").count() == created_before


def test_request_of_another_team_is_not_found(professional, client_for, resident) -> None:
    other_team = TeamFactory()
    help_request = request_receive(
        actor=None,
        channel=code("channels", "digital_form"),
        question="Vraag",
        resident=resident,
        team=other_team,
    )
    response = client_for(professional).get(f"{START}?hulpvraag={help_request.pk}")
    assert response.status_code == 404
    assert HelpRequest.objects.get().status == "received"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("part", "", "Kies het onderdeel."),
        ("inflow_date", "2999-01-01", "De datum instroom ligt in de toekomst."),
        ("inflow_reason", "", "Kies de reden instroom."),
        ("primary_life_domain", "", "Kies het belangrijkste leefgebied."),
    ],
)
def test_invalid_input_gets_a_dutch_message_and_starts_nothing(
    professional, client_for, resident, team, field, value, message
) -> None:
    response = client_for(professional).post(
        f"{START}?inwoner={resident.pk}", form_data(team, professional, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Trajectory.objects.exists()


def test_the_coordinator_must_belong_to_the_team(
    professional, client_for, resident, team, make_user, start
) -> None:
    other_team = TeamFactory()
    outsider = make_user(Role.PROFESSIONAL, teams=[other_team])
    # The form offers only colleagues; the service refuses anyone else too.
    with pytest.raises(ValidationFailed) as refused:
        start(coordinator=outsider)
    assert "coordinator" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        start(coordinator=verified(make_user(Role.MUNICIPALITY, teams=[team])))
    assert "coordinator" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        start(team=other_team, coordinator=outsider)
    assert "team" in refused.value.fields  # the actor is no member of that team
    response = client_for(professional).post(
        f"{START}?inwoner={resident.pk}", form_data(team, outsider)
    )
    assert "Kies bij &quot;Regisseur&quot; een mogelijkheid uit de lijst." in (
        response.content.decode()
    )
    assert not Trajectory.objects.exists()


def test_a_team_lead_may_coordinate(make_user, team, start) -> None:
    lead = verified(make_user(Role.TEAM_LEAD, teams=[team]))
    assert start(coordinator=lead).coordinator == lead


def test_resident_outside_the_team_wijken_offers_break_the_glass(professional, client_for) -> None:
    buurt = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first()
    outside = HouseholdMembershipFactory(resident__address=AddressFactory(buurt=buurt)).resident
    response = client_for(professional).get(f"{START}?inwoner={outside.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:break_glass", args=[outside.pk])


def test_missing_resident_is_not_found_and_no_parameter_explains_where_to_start(
    professional, client_for
) -> None:
    client = client_for(professional)
    assert client.get(f"{START}?inwoner=987654").status_code == 404
    page = client.get(START)
    assert page.status_code == 200
    assert "vanaf de pagina van een inwoner" in page.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_404(
    role, make_user, client_for, resident, team
) -> None:
    user = make_user(role, teams=[team])
    response = client_for(user).post(f"{START}?inwoner={resident.pk}", form_data(team, user))
    assert response.status_code == 404
    assert not Trajectory.objects.exists()
