"""Activation links and the second person's approval, through the real pages
(docs/adr/0019): who may decide on which change, what a decision does, what the access log
records, and the one message for a link that does not work."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import (
    AccessChange,
    AccessChangeKind,
    AccessChangeStatus,
    ActivationToken,
    Role,
    User,
)
from wijk.areas.models import Wijk
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "korenmolen-de-adriaan-7"
INVALID = "Deze link werkt niet (meer)."


def _decide(client: Client, change: AccessChange, decision: str, reason: str = "") -> int:
    url = reverse("accounts:access_change_decide", args=[change.pk])
    return client.post(url, {"decision": decision, "reason": reason}).status_code


@pytest.fixture
def new_account(administrator, client_for, team, django_capture_on_commit_callbacks):
    """A professional the administrator created in the team, with the link from the e-mail."""

    def create(username: str = "nieuw", role: Role = Role.PROFESSIONAL, teams=None) -> User:
        teams = [team] if teams is None else teams
        data = {
            "username": username,
            "email": f"{username}@example.org",
            "role": role,
            "organisation": team.organisation_id,
            "teams": [chosen.pk for chosen in teams],
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(administrator).post(reverse("accounts:user_create"), data)
        assert response.status_code == 302
        return User.objects.get(username=username)

    return create


def _link(user: User) -> str:
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    word = next(word for word in message.body.split() if "/account-openen/" in word)
    return urlsplit(word).path


def _main(content: bytes) -> str:
    return content.decode().split("<main")[1].split("</main>")[0]


def _pending(**filters: object) -> AccessChange:
    return AccessChange.objects.get(status=AccessChangeStatus.PENDING, **filters)


# -- activation ---------------------------------------------------------------------------------


def test_activation_sets_the_holders_password_once_and_goes_on_to_the_authenticator(
    new_account,
) -> None:
    user = new_account()
    link = _link(user)
    page = Client().get(link)
    assert page.status_code == 200
    assert "Uw gebruikersnaam is nieuw." in page.content.decode()
    assert ActivationToken.objects.get(user=user).token_hash not in link  # only a hash is kept

    client = Client()
    response = client.post(link, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response["Location"] == reverse("accounts:setup")
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    assert client.get(reverse("accounts:setup")).status_code == 200
    entry = AccessLogEntry.objects.get(reason="account_activated")
    assert entry.user_id == user.pk
    assert entry.objects_touched == [f"accounts.user:{user.pk}"]

    again = Client().post(link, {"password1": "another-one-9876", "password2": "another-one-9876"})
    assert again.status_code == 404
    assert INVALID in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_unknown_and_expired_links_get_the_same_message(new_account) -> None:
    user = new_account()
    link = _link(user)
    ActivationToken.objects.filter(user=user).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expired = Client().get(link)
    unknown = Client().get(reverse("accounts:activate", args=["niet-bestaand"]))
    assert expired.status_code == unknown.status_code == 404
    assert INVALID in expired.content.decode()
    assert _main(expired.content) == _main(unknown.content)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("kort", "kort", "Dit wachtwoord is te kort. Gebruik minstens 12 tekens."),
        ("123456789012345", "123456789012345", "Dit wachtwoord bevat alleen cijfers."),
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "De twee wachtwoorden zijn niet gelijk."),
    ],
)
def test_activation_refuses_a_weak_password_in_dutch(new_account, first, second, message) -> None:
    user = new_account()
    response = Client().post(_link(user), {"password1": first, "password2": second})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


# -- who decides --------------------------------------------------------------------------------


def test_a_team_lead_of_the_team_decides_on_a_professional_not_one_of_another_team(
    new_account, make_user, client_for, team
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    other_lead = make_user(Role.TEAM_LEAD, teams=[TeamFactory()])
    user = new_account()
    membership = _pending(kind=AccessChangeKind.TEAM_MEMBER, subject=user)
    role = _pending(kind=AccessChangeKind.ROLE, subject=user)
    assert _decide(client_for(other_lead), membership, "approve") == 404
    assert _decide(client_for(lead), membership, "approve") == 302
    assert _decide(client_for(lead), role, "approve") == 302
    user.refresh_from_db()
    assert user.role_approved
    assert list(user.teams.all()) == [team]


def test_without_a_team_lead_a_second_administrator_decides(
    new_account, administrator, make_user, client_for, team
) -> None:
    user = new_account()
    change = _pending(kind=AccessChangeKind.TEAM_MEMBER, subject=user)
    assert _decide(client_for(administrator), change, "approve") == 404  # the requester
    second = make_user(Role.ADMINISTRATOR)
    assert _decide(client_for(second), change, "approve") == 302
    assert list(user.teams.all()) == [team]
    entry = AccessLogEntry.objects.get(event=AccessEvent.APPROVE)
    assert entry.user_id == second.pk
    assert f"accounts.accesschange:{change.pk}" in entry.objects_touched
    assert entry.resident_id is None


def test_a_team_lead_role_is_decided_by_a_second_administrator_only(
    new_account, make_user, client_for, team
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    user = new_account(username="leider", role=Role.TEAM_LEAD)
    role = _pending(kind=AccessChangeKind.ROLE, subject=user)
    assert _decide(client_for(lead), role, "approve") == 404
    assert _decide(client_for(make_user(Role.ADMINISTRATOR)), role, "approve") == 302
    user.refresh_from_db()
    assert user.role_approved


def test_new_wijken_of_a_team_wait_for_a_second_administrator(
    administrator, make_user, client_for, team
) -> None:
    wijk = Wijk.objects.exclude(teams=team).order_by("code").first()
    assert wijk is not None
    data = {
        "name": team.name,
        "organisation": team.organisation_id,
        "active": "on",
        "wijken": [*team.wijken.values_list("pk", flat=True), wijk.pk],
    }
    client_for(administrator).post(reverse("organisations:team_edit", args=[team.pk]), data)
    assert wijk not in team.wijken.all()
    change = _pending(kind=AccessChangeKind.TEAM_WIJKEN, team=team)
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    assert _decide(client_for(lead), change, "approve") == 404
    assert _decide(client_for(make_user(Role.ADMINISTRATOR)), change, "approve") == 302
    assert wijk in team.wijken.all()


def test_a_rejection_changes_nothing_and_is_in_the_access_log(
    new_account, make_user, client_for, team
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    user = new_account()
    change = _pending(kind=AccessChangeKind.TEAM_MEMBER, subject=user)
    assert _decide(client_for(lead), change, "reject", "Ken ik niet") == 302
    change.refresh_from_db()
    assert change.status == AccessChangeStatus.REJECTED
    assert change.decided_by == lead
    assert list(user.teams.all()) == []
    entry = AccessLogEntry.objects.get(event=AccessEvent.REJECT)
    assert (entry.user_id, entry.reason) == (lead.pk, "Ken ik niet")
    assert _decide(client_for(lead), change, "approve") == 404  # decided once


def test_the_list_shows_a_team_lead_only_what_they_may_decide(
    new_account, make_user, client_for, team, django_assert_num_queries
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    new_account(username="nieuw1")
    new_account(username="nieuw2", teams=[TeamFactory()])
    client = client_for(lead)
    with django_assert_num_queries(9):
        page = client.get(reverse("accounts:access_change_list")).content.decode()
    assert "nieuw1 lid van team" in page
    assert "nieuw2" not in page


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.MANAGEMENT, Role.MUNICIPALITY])
def test_other_roles_cannot_reach_the_approval_pages(role, new_account, make_user, client_for):
    user = new_account()
    change = _pending(kind=AccessChangeKind.ROLE, subject=user)
    client = client_for(make_user(role))
    assert client.get(reverse("accounts:access_change_list")).status_code == 403
    assert _decide(client, change, "approve") == 403
    user.refresh_from_db()
    assert not user.role_approved


def test_after_a_rejection_saving_the_account_asks_again(
    new_account, administrator, make_user, client_for, team
) -> None:
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    user = new_account()
    assert _decide(client_for(lead), _pending(kind=AccessChangeKind.ROLE, subject=user), "reject")
    data = {
        "username": user.username,
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation_id,
    }
    client_for(administrator).post(reverse("accounts:user_edit", args=[user.pk]), data)
    again = _pending(kind=AccessChangeKind.ROLE, subject=user)
    assert _decide(client_for(lead), again, "approve") == 302
    user.refresh_from_db()
    assert user.role_approved


# -- more changes that give access (docs/adr/0019) ----------------------------------------------


def _team_data(team, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": team.name,
        "organisation": team.organisation_id,
        "active": "on",
        "wijken": list(team.wijken.values_list("pk", flat=True)),
        "members": list(team.members.values_list("pk", flat=True)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("start", [False, True])
def test_changing_the_intake_team_waits_for_a_second_administrator(
    start, administrator, make_user, client_for, team
) -> None:
    Team.objects.filter(pk=team.pk).update(is_intake=start)
    team.refresh_from_db()
    admin = client_for(administrator)
    data = _team_data(team, is_intake=None if start else "on")
    assert admin.post(reverse("organisations:team_edit", args=[team.pk]), data).status_code == 302
    team.refresh_from_db()
    assert team.is_intake is start
    change = _pending(kind=AccessChangeKind.TEAM_INTAKE, team=team)
    assert change.payload == {"is_intake": not start}
    assert _decide(admin, change, "approve") == 404
    assert _decide(client_for(make_user(Role.TEAM_LEAD, teams=[team])), change, "approve") == 404
    assert _decide(client_for(make_user(Role.ADMINISTRATOR)), change, "approve") == 302
    team.refresh_from_db()
    assert team.is_intake is not start


def test_linking_an_authenticator_is_in_the_access_log(new_account, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = new_account()
    client = Client()
    client.post(_link(user), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert client.post(reverse("accounts:setup"), {"token": f"{code:06d}"}).status_code == 302
    entry = AccessLogEntry.objects.get(reason="authenticator_enrolled")
    assert entry.user_id == user.pk
    assert f"accounts.user:{user.pk}" in entry.objects_touched


def test_an_administrator_changing_their_own_address_keeps_working(
    administrator, client_for
) -> None:
    client = client_for(administrator)
    data = {
        "username": administrator.username,
        "email": "nieuw-adres@example.org",
        "role": administrator.role,
        "organisation": "",
    }
    response = client.post(reverse("accounts:user_edit", args=[administrator.pk]), data)
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.email == "nieuw-adres@example.org"
    assert administrator.role_approved
    assert administrator.has_usable_password()
    assert client.get(reverse("accounts:user_list")).status_code == 200
