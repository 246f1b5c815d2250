"""The organisation and team screens through their HTML forms: listing, creating and editing
organisations, and teams with the wijken they cover, their intake flag and their members (new
members and wijken wait for a second person's approval, docs/adr/0019)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from structlog.testing import CapturingLogger

from wijk.accounts.models import AccessChange, AccessChangeKind, AccessChangeStatus, Role
from wijk.areas.models import Wijk
from wijk.core.errors import ValidationFailed
from wijk.organisations.models import Organisation, OrganisationKind, Team
from wijk.organisations.services import team_update
from wijk.organisations.tests.factories import OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db

OTHER_ROLES = [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY]


@pytest.fixture
def audit(monkeypatch) -> CapturingLogger:
    logger = CapturingLogger()
    monkeypatch.setattr("wijk.organisations.services.log", logger)
    return logger


def events(audit: CapturingLogger) -> list[str]:
    return [call.args[0] for call in audit.calls]


def organisation_data(**overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Buurtwerk Schalkwijk",
        "kind": OrganisationKind.SUBCONTRACTOR,
        "kvk_number": "1234 5678",
        "active": "on",
    }
    data.update(overrides)
    return data


def team_data(organisation: Organisation, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Wijkteam Schalkwijk",
        "organisation": organisation.pk,
        "active": "on",
        "wijken": [],
        "members": [],
    }
    data.update(overrides)
    return data


def test_organisation_list_shows_kind_and_team_count(
    admin_client, django_assert_num_queries
) -> None:
    organisation = OrganisationFactory(name="Dock Haarlem")
    TeamFactory.create_batch(2, organisation=organisation)
    OrganisationFactory.create_batch(3)
    with django_assert_num_queries(4):
        response = admin_client.get(reverse("organisations:organisation_list"))
    html = response.content.decode()
    row = html.split('scope="row">Dock Haarlem</th>')[1].split("</tr>")[0]
    assert "Partner in het samenwerkingsverband" in row
    assert ">2</td>" in row
    assert "Organisatie Dock Haarlem bewerken" in row


def test_organisation_create_adds_an_organisation(admin_client, audit) -> None:
    response = admin_client.post(
        reverse("organisations:organisation_create"), organisation_data(), follow=True
    )
    assert "Organisatie Buurtwerk Schalkwijk is aangemaakt." in response.content.decode()
    organisation = Organisation.objects.get(name="Buurtwerk Schalkwijk")
    assert organisation.kvk_number == "12345678"
    assert organisation.kind == OrganisationKind.SUBCONTRACTOR
    assert events(audit) == ["organisation_created"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kvk_number": "1234"}, "Een KvK-nummer bestaat uit precies 8 cijfers."),
        ({"name": "Dock Haarlem"}, "Er is al een organisatie met deze naam."),
        ({"kind": ""}, "Kies bij &quot;Soort&quot; een van de mogelijkheden."),
    ],
)
def test_organisation_create_refused_with_dutch_message(
    admin_client, audit, overrides, message
) -> None:
    OrganisationFactory(name="Dock Haarlem")
    response = admin_client.post(
        reverse("organisations:organisation_create"), organisation_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 1
    assert events(audit) == []


def test_organisation_edit_deactivates(admin_client, audit) -> None:
    organisation = OrganisationFactory(name="Dock Haarlem")
    url = reverse("organisations:organisation_edit", args=[organisation.pk])
    response = admin_client.post(url, organisation_data(name="Dock Haarlem", active=""))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.active
    assert events(audit) == ["organisation_updated"]


def test_team_list_shows_wijken_intake_and_members(
    admin_client, make_user, django_assert_num_queries
) -> None:
    wijken = list(Wijk.objects.order_by("code")[:3])
    team = TeamFactory(name="Wijkteam Centrum", wijken=wijken, is_intake=True)
    for _ in range(2):
        make_user(Role.PROFESSIONAL, teams=[team])
    TeamFactory.create_batch(3, wijken=wijken[1:])
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("organisations:team_list"))
    html = response.content.decode()
    row = html.split('scope="row">Wijkteam Centrum</th>')[1].split("</tr>")[0]
    assert ", ".join(sorted(wijk.name for wijk in wijken)) in row
    assert ">ja</td>" in row  # intake team
    assert ">2</td>" in row
    assert "Team Wijkteam Centrum bewerken" in row


def test_team_form_offers_the_newest_wijken_by_stadsdeel(admin_client) -> None:
    oude_stad = Wijk.objects.get(code="WK039201", source_year=2016)
    Wijk.objects.create(
        municipality=oude_stad.municipality,
        district=oude_stad.district,
        code="WK039201",
        name="Binnenstad",
        source_year=2024,
    )
    html = admin_client.get(reverse("organisations:team_create")).content.decode()
    assert "Binnenstad (stadsdeel Centrum)" in html
    assert "Oude Stad" not in html  # an older CBS year is not offered for a new team


def test_team_create_with_wijken_intake_and_members(admin_client, make_user, audit) -> None:
    organisation = OrganisationFactory()
    wijken = list(Wijk.objects.filter(district__name="Schalkwijk"))
    lead = make_user(Role.TEAM_LEAD)
    professional = make_user(Role.PROFESSIONAL)
    data = team_data(
        organisation,
        is_intake="on",
        wijken=[wijk.pk for wijk in wijken],
        members=[lead.pk, professional.pk],
    )
    response = admin_client.post(reverse("organisations:team_create"), data, follow=True)
    assert "Team Wijkteam Schalkwijk is aangemaakt." in response.content.decode()
    team = Team.objects.get(name="Wijkteam Schalkwijk")
    # Wijken, members and the intake flag give access to residents: they wait for a second
    # person.
    assert not team.is_intake
    assert list(team.wijken.all()) == []
    assert list(team.members.all()) == []
    pending = AccessChange.objects.filter(team=team, status=AccessChangeStatus.PENDING)
    assert sorted((change.kind, change.subject_id) for change in pending) == sorted(
        [
            (AccessChangeKind.TEAM_MEMBER, lead.pk),
            (AccessChangeKind.TEAM_MEMBER, professional.pk),
            (AccessChangeKind.TEAM_WIJKEN, None),
            (AccessChangeKind.TEAM_INTAKE, None),
        ]
    )
    [wijken_change] = pending.filter(kind=AccessChangeKind.TEAM_WIJKEN)
    assert sorted(wijken_change.payload["wijk_ids"]) == sorted(wijk.pk for wijk in wijken)
    assert events(audit) == ["team_created"]


def test_team_create_refuses_a_member_without_resident_access(
    admin_client, make_user, audit
) -> None:
    manager = make_user(Role.MANAGEMENT)
    data = team_data(OrganisationFactory(), members=[manager.pk])
    response = admin_client.post(reverse("organisations:team_create"), data)
    assert response.status_code == 200
    assert "Kies bij &quot;Leden&quot; een mogelijkheid uit de lijst." in (
        response.content.decode()
    )
    assert not Team.objects.filter(name="Wijkteam Schalkwijk").exists()
    with pytest.raises(ValidationFailed) as refused:
        team_update(
            actor=manager,
            team=TeamFactory(),
            name="Wijkteam",
            organisation=OrganisationFactory(),
            is_intake=False,
            active=True,
            wijken=[],
            members=[manager],
        )
    assert manager.username in refused.value.fields["members"]
    assert events(audit) == []


def test_team_create_refuses_a_name_in_use(admin_client, team) -> None:
    data = team_data(team.organisation, name=team.name)
    response = admin_client.post(reverse("organisations:team_create"), data)
    assert "Er is al een team met deze naam." in response.content.decode()
    assert Team.objects.filter(name=team.name).count() == 1


def test_team_edit_changes_wijken_and_members(admin_client, team, make_user, audit) -> None:
    member = make_user(Role.PROFESSIONAL, teams=[team])
    newcomer = make_user(Role.PROFESSIONAL)
    noord = list(Wijk.objects.filter(district__name="Noord"))
    data = team_data(
        team.organisation,
        name=team.name,
        wijken=[wijk.pk for wijk in noord],
        members=[newcomer.pk],
    )
    response = admin_client.post(reverse("organisations:team_edit", args=[team.pk]), data)
    assert response.status_code == 302
    # Taking away is at once; adding waits for a second person.
    assert list(team.wijken.all()) == []
    assert list(team.members.all()) == []
    assert member.teams.count() == 0
    pending = AccessChange.objects.filter(team=team, status=AccessChangeStatus.PENDING)
    assert sorted((change.kind, change.subject_id) for change in pending) == sorted(
        [(AccessChangeKind.TEAM_MEMBER, newcomer.pk), (AccessChangeKind.TEAM_WIJKEN, None)]
    )
    assert events(audit) == ["team_updated"]
    page = admin_client.get(reverse("organisations:team_edit", args=[team.pk])).content.decode()
    assert f"{newcomer.username} lid van team {team.name}" in page


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_on_every_organisation_page(role, make_user, client_for, team):
    http = client_for(make_user(role, teams=[team]))
    urls = [
        reverse("organisations:organisation_list"),
        reverse("organisations:organisation_create"),
        reverse("organisations:organisation_edit", args=[team.organisation.pk]),
        reverse("organisations:team_list"),
        reverse("organisations:team_create"),
        reverse("organisations:team_edit", args=[team.pk]),
    ]
    for url in urls:
        assert http.get(url).status_code == 403, url
        data = {**organisation_data(name="Overgenomen"), **team_data(team.organisation)}
        assert http.post(url, data).status_code == 403, url
    assert not Organisation.objects.filter(name="Overgenomen").exists()
    assert not Team.objects.filter(name="Wijkteam Schalkwijk").exists()
    team.refresh_from_db()
    assert team.members.count() == 1
