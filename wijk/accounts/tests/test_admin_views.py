"""Account management through the administrator's HTML forms: listing, creating, editing,
disabling, enabling and resetting the authenticator; and that no other role gets in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from structlog.testing import CapturingLogger

from wijk.accounts.models import Role, User
from wijk.organisations.tests.factories import OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantaarnpaal-spaarne-42"
OTHER_ROLES = [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY]


@pytest.fixture
def colleague(make_user, team) -> User:
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Anouk", last_name="de Vries")


@pytest.fixture
def audit(monkeypatch) -> CapturingLogger:
    """The structured log of the account services, captured."""
    logger = CapturingLogger()
    monkeypatch.setattr("wijk.accounts.services.log", logger)
    return logger


def events(audit: CapturingLogger) -> list[str]:
    return [call.args[0] for call in audit.calls]


def create_data(**overrides) -> dict[str, object]:
    team = TeamFactory()
    data: dict[str, object] = {
        "username": "jbakker",
        "password": NEW_PASSWORD,
        "first_name": "Joris",
        "last_name": "Bakker",
        "email": "j.bakker@example.org",
        "role": Role.PROFESSIONAL,
        "organisation": team.organisation.pk,
        "teams": [team.pk],
    }
    data.update(overrides)
    return data


def edit_data(user: User, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation_id or "",
        "teams": [team.pk for team in user.teams.all()],
    }
    data.update(overrides)
    return data


def test_user_list_shows_role_teams_and_authenticator(
    admin_client, colleague, team, make_user, django_assert_num_queries
) -> None:
    for number in range(3):
        make_user(Role.TEAM_LEAD, teams=[team, TeamFactory()], username=f"leider{number}")
    TOTPDevice.objects.filter(user=colleague).delete()
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anouk de Vries" in html
    assert team.name in html
    assert "Professional" in html
    assert f"Account {colleague.username} bewerken" in html
    row = html.split(f">{colleague.username}</th>")[1].split("</tr>")[0]
    assert '<td class="utrecht-table__cell">nee</td>' in row  # no authenticator linked


def test_create_user_with_initial_password_and_teams(admin_client, audit, password) -> None:
    data = create_data()
    response = admin_client.post(reverse("accounts:user_create"), data, follow=True)
    assert "Het account jbakker is aangemaakt." in response.content.decode()
    user = User.objects.get(username="jbakker")
    assert user.role == Role.PROFESSIONAL
    assert user.check_password(NEW_PASSWORD)
    assert [team.pk for team in user.teams.all()] == data["teams"]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert events(audit) == ["user_created"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "kort"}, "Dit wachtwoord is te kort. Gebruik minstens 12 tekens."),
        ({"password": "123456789012345"}, "Dit wachtwoord bevat alleen cijfers."),
        ({"password": "jbakker12345"}, "Het wachtwoord lijkt te veel op de gebruikersnaam."),
        ({"password": ""}, "Dit veld is verplicht."),
        ({"username": ""}, "Dit veld is verplicht."),
        (
            {"role": Role.MANAGEMENT},
            "Alleen professionals en teamleiders kunnen lid zijn van een team.",
        ),
    ],
)
def test_create_user_refused_with_dutch_message(admin_client, audit, overrides, message) -> None:
    response = admin_client.post(reverse("accounts:user_create"), create_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="jbakker").exists()
    assert events(audit) == []


def test_create_user_refused_when_username_taken(admin_client, colleague) -> None:
    data = create_data(username=colleague.username)
    response = admin_client.post(reverse("accounts:user_create"), data)
    assert "Er bestaat al een gebruiker met deze gebruikersnaam." in response.content.decode()
    assert User.objects.filter(username=colleague.username).count() == 1


def test_edit_user_changes_role_organisation_and_teams(admin_client, colleague, audit) -> None:
    organisation = OrganisationFactory()
    other_team = TeamFactory()
    data = edit_data(
        colleague, role=Role.TEAM_LEAD, organisation=organisation.pk, teams=[other_team.pk]
    )
    response = admin_client.post(reverse("accounts:user_edit", args=[colleague.pk]), data)
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Role.TEAM_LEAD
    assert colleague.organisation == organisation
    assert list(colleague.teams.all()) == [other_team]
    assert events(audit) == ["user_updated"]


def test_edit_user_refuses_teams_for_a_role_without_resident_access(
    admin_client, colleague, team
) -> None:
    data = edit_data(colleague, role=Role.MUNICIPALITY)
    response = admin_client.post(reverse("accounts:user_edit", args=[colleague.pk]), data)
    assert response.status_code == 200
    assert "Alleen professionals en teamleiders" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.role == Role.PROFESSIONAL


def test_administrator_cannot_change_own_role(admin_client, administrator) -> None:
    data = edit_data(administrator, role=Role.MANAGEMENT)
    response = admin_client.post(reverse("accounts:user_edit", args=[administrator.pk]), data)
    assert "U kunt uw eigen rol niet wijzigen." in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR


def test_disable_asks_for_confirmation_first(admin_client, colleague) -> None:
    response = admin_client.get(reverse("accounts:user_disable", args=[colleague.pk]))
    assert response.status_code == 200
    assert f"Account {colleague.username} uitschakelen" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.is_active


def test_disabling_ends_the_users_sessions(admin_client, colleague, client_for, audit) -> None:
    their_client = client_for(colleague)
    assert their_client.get(reverse("core:home")).status_code == 200
    response = admin_client.post(reverse("accounts:user_disable", args=[colleague.pk]), follow=True)
    assert f"Het account {colleague.username} is uitgeschakeld." in response.content.decode()
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert "user_disabled" in events(audit)
    response = their_client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_administrator_cannot_disable_themselves(admin_client, administrator, audit) -> None:
    response = admin_client.post(
        reverse("accounts:user_disable", args=[administrator.pk]), follow=True
    )
    assert "U kunt uw eigen account niet uitschakelen." in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active
    assert events(audit) == []


def test_enable_lets_a_disabled_user_sign_in_again(admin_client, colleague, password) -> None:
    User.objects.filter(pk=colleague.pk).update(is_active=False)
    response = admin_client.get(reverse("accounts:user_enable", args=[colleague.pk]))
    assert f"Account {colleague.username} inschakelen" in response.content.decode()
    response = admin_client.post(reverse("accounts:user_enable", args=[colleague.pk]), follow=True)
    assert f"Het account {colleague.username} is weer ingeschakeld." in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.is_active
    login = Client().post(
        reverse("accounts:login"), {"username": colleague.username, "password": password}
    )
    assert login["Location"] == reverse("accounts:verify")


def test_reset_authenticator_sends_the_user_to_enrolment(
    admin_client, colleague, client_for, password, audit
) -> None:
    their_client = client_for(colleague)
    url = reverse("accounts:user_totp_reset", args=[colleague.pk])
    assert "Authenticator van" in admin_client.get(url).content.decode()
    assert TOTPDevice.objects.filter(user=colleague).exists()  # nothing happens on GET

    response = admin_client.post(url, follow=True)

    assert "is losgekoppeld" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert "user_totp_reset" in events(audit)
    assert their_client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"username": colleague.username, "password": password})
    assert fresh.get(reverse("accounts:verify"))["Location"] == reverse("accounts:setup")


def _urls(user: User) -> list[str]:
    return [
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_edit", args=[user.pk]),
        reverse("accounts:user_disable", args=[user.pk]),
        reverse("accounts:user_enable", args=[user.pk]),
        reverse("accounts:user_totp_reset", args=[user.pk]),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_on_every_account_page(role, make_user, client_for, colleague) -> None:
    http = client_for(make_user(role))
    for url in _urls(colleague):
        assert http.get(url).status_code == 403, url
        assert http.post(url, edit_data(colleague, role=Role.ADMINISTRATOR)).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active
    assert colleague.role == Role.PROFESSIONAL
    assert TOTPDevice.objects.filter(user=colleague).exists()
