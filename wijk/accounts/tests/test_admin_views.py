"""Account management through the administrator's HTML forms: listing, creating, editing,
disabling, enabling and resetting access; and that no other role gets in."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from structlog.testing import CapturingLogger

from wijk.accounts.models import AccessChange, AccessChangeKind, AccessChangeStatus, Role, User
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.tests.factories import OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db

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


def test_create_user_sends_the_holder_a_link_and_waits_for_approval(
    admin_client, audit, django_capture_on_commit_callbacks
) -> None:
    data = create_data()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("accounts:user_create"), data, follow=True)
    page = response.content.decode()
    assert "Het account jbakker is aangemaakt." in page
    user = User.objects.get(username="jbakker")
    assert user.role == Role.PROFESSIONAL
    assert not user.has_usable_password()
    assert not user.role_approved
    assert list(user.teams.all()) == []  # the team waits for approval
    pending = AccessChange.objects.filter(subject=user, status=AccessChangeStatus.PENDING)
    assert sorted(pending.values_list("kind", flat=True)) == [
        AccessChangeKind.ROLE,
        AccessChangeKind.TEAM_MEMBER,
    ]
    [message] = mail.outbox
    assert message.to == ["j.bakker@example.org"]
    link = next(word for word in message.body.split() if "/account-openen/" in word)
    assert link.split("/account-openen/")[1] not in page  # the administrator never sees it
    assert events(audit)[-2:] == ["user_created", "activation_link_sent"]
    assert AccessLogEntry.objects.filter(event=AccessEvent.CREATE).count() == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Vul &quot;E-mailadres&quot; in."),
        ({"username": ""}, "Vul &quot;Gebruikersnaam&quot; in."),
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
    assert mail.outbox == []


def test_create_user_refused_when_username_taken(admin_client, colleague) -> None:
    data = create_data(username=colleague.username)
    response = admin_client.post(reverse("accounts:user_create"), data)
    assert "Er bestaat al een gebruiker met deze gebruikersnaam." in response.content.decode()
    assert User.objects.filter(username=colleague.username).count() == 1


def test_edit_user_changes_organisation_at_once_and_waits_for_more_access(
    admin_client, colleague, team, audit
) -> None:
    organisation = OrganisationFactory()
    other_team = TeamFactory()
    data = edit_data(
        colleague, role=Role.TEAM_LEAD, organisation=organisation.pk, teams=[other_team.pk]
    )
    response = admin_client.post(reverse("accounts:user_edit", args=[colleague.pk]), data)
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.organisation == organisation
    assert colleague.role == Role.PROFESSIONAL  # the promotion waits for approval
    assert list(colleague.teams.all()) == []  # leaving a team is at once; joining waits
    pending = AccessChange.objects.filter(subject=colleague, status=AccessChangeStatus.PENDING)
    assert {(change.kind, change.team_id) for change in pending} == {
        (AccessChangeKind.ROLE, None),
        (AccessChangeKind.TEAM_MEMBER, other_team.pk),
    }
    assert events(audit).count("access_change_requested") == 2
    assert "user_updated" in events(audit)
    page = admin_client.get(reverse("accounts:user_edit", args=[colleague.pk])).content.decode()
    assert f"{colleague.username} lid van team {other_team.name}" in page


def test_edit_user_to_less_access_takes_effect_at_once(admin_client, make_user, team) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    data = edit_data(lead, role=Role.PROFESSIONAL)
    admin_client.post(reverse("accounts:user_edit", args=[lead.pk]), data)
    lead.refresh_from_db()
    assert lead.role == Role.PROFESSIONAL
    assert lead.role_approved
    assert not AccessChange.objects.exists()


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


def test_reset_access_sends_the_holder_a_new_link_and_waits_for_approval(
    admin_client, colleague, client_for, password, audit, django_capture_on_commit_callbacks
) -> None:
    colleague.email = "anouk@example.org"
    colleague.save()
    their_client = client_for(colleague)
    url = reverse("accounts:user_totp_reset", args=[colleague.pk])
    assert "Toegang van" in admin_client.get(url).content.decode()
    assert TOTPDevice.objects.filter(user=colleague).exists()  # nothing happens on GET

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, follow=True)

    assert "is opnieuw ingesteld" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert "user_access_reset" in events(audit)
    assert [message.to for message in mail.outbox] == [["anouk@example.org"]]
    assert their_client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    colleague.refresh_from_db()
    assert not colleague.has_usable_password()  # the old password does not work either
    assert not colleague.role_approved  # a second person confirms the holder again
    fresh = Client()
    login = fresh.post(
        reverse("accounts:login"), {"username": colleague.username, "password": password}
    )
    assert login.status_code == 200  # refused: only the new link opens the account


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
