"""Nobody can give themselves, or an account they control, access to residents' files
(issue 11, hole 1; docs/adr/0019): an administrator creates a professional through the real
pages, and no route gives the administrator a working login for it, or access to a resident,
without the holder's own activation and a second person's approval. Nor does changing the
account's address, resetting it, enabling it again or making its team active again (the
security review of issue 11)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import AccessChange, AccessChangeKind, AccessChangeStatus, Role, User
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.organisations.models import Team
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

CHOSEN_BY_ADMIN = "lantaarnpaal-spaarne-42"
CHOSEN_BY_HOLDER = "korenmolen-de-adriaan-7"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _open_account(link: str, username: str) -> Client:
    """Whoever holds the link: choose a password, then link an authenticator."""
    client = Client()
    path = urlsplit(link).path
    response = client.post(path, {"password1": CHOSEN_BY_HOLDER, "password2": CHOSEN_BY_HOLDER})
    assert response["Location"] == reverse("accounts:setup")
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(reverse("accounts:setup"), {"token": _code(device)})
    assert response["Location"] == reverse("core:home")
    return client


def _link_in_mail_to(address: str) -> str:
    [message] = [message for message in mail.outbox if message.to == [address]]
    return next(word for word in message.body.split() if "/account-openen/" in word)


def _create(admin: Client, **fields: object) -> None:
    response = admin.post(reverse("accounts:user_create"), fields)
    assert response.status_code == 302, response.content.decode()


def test_an_administrator_alone_cannot_make_an_account_that_reads_residents(
    make_user, client_for, team, settings, django_capture_on_commit_callbacks
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    administrator = make_user(Role.ADMINISTRATOR)
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    resident = HouseholdMembershipFactory().resident  # lives in the team's wijk
    file_url = reverse("residents:detail", args=[resident.pk])
    admin = client_for(administrator)

    # The administrator creates a professional in the team, typing a password too: it is ignored.
    with django_capture_on_commit_callbacks(execute=True):
        _create(
            admin,
            username="nieuw",
            password=CHOSEN_BY_ADMIN,
            first_name="Nina",
            last_name="Nieuw",
            email="nina@example.org",
            role=Role.PROFESSIONAL,
            organisation=team.organisation_id,
            teams=[team.pk],
        )
    holder = User.objects.get(username="nieuw")
    assert not holder.has_usable_password()
    login = Client().post(
        reverse("accounts:login"), {"username": "nieuw", "password": CHOSEN_BY_ADMIN}
    )
    assert login.status_code == 200  # refused

    # No page of the administrator shows the link, and none sets a password.
    link = _link_in_mail_to("nina@example.org")
    token = urlsplit(link).path.rsplit("/", 1)[1]
    for url in (
        reverse("accounts:user_list"),
        reverse("accounts:user_edit", args=[holder.pk]),
        reverse("accounts:user_totp_reset", args=[holder.pk]),
        reverse("accounts:access_change_list"),
    ):
        assert token not in admin.get(url).content.decode(), url

    # Even with the link in hand (say the administrator typed an address of their own), the
    # account sees no resident: its role and its team wait for a second person.
    holder_client = _open_account(link, "nieuw")
    assert holder_client.get(file_url).status_code == 404

    # The administrator cannot approve their own request ...
    pending = list(AccessChange.objects.filter(subject=holder, status=AccessChangeStatus.PENDING))
    assert len(pending) == 2
    for change in pending:
        url = reverse("accounts:access_change_decide", args=[change.pk])
        assert admin.get(url).status_code == 404
        assert admin.post(url, {"decision": "approve"}).status_code == 404
    # ... nor through a second administrator account they create: that role waits as well.
    with django_capture_on_commit_callbacks(execute=True):
        _create(admin, username="beheer2", email="beheer2@example.org", role=Role.ADMINISTRATOR)
    second_admin = _open_account(_link_in_mail_to("beheer2@example.org"), "beheer2")
    for change in pending:
        url = reverse("accounts:access_change_decide", args=[change.pk])
        assert second_admin.post(url, {"decision": "approve"}).status_code == 403
    assert holder_client.get(file_url).status_code == 404
    assert not AccessLogEntry.objects.filter(event=AccessEvent.APPROVE).exists()

    # The team lead of the team approves the role and the membership: now the holder has access.
    lead_client = client_for(lead)
    listed = lead_client.get(reverse("accounts:access_change_list")).content.decode()
    for change in pending:
        url = reverse("accounts:access_change_decide", args=[change.pk])
        assert url in listed
        assert lead_client.post(url, {"decision": "approve"}).status_code == 302
    assert holder_client.get(file_url).status_code == 200
    approvals = AccessLogEntry.objects.filter(event=AccessEvent.APPROVE, user_id=lead.pk)
    assert approvals.count() == 2


# -- changing the address the link goes to (docs/adr/0019, "Changing the address") -------------

ATTACKER = "attacker@evil.example"


def _last_link_to(address: str) -> str:
    messages = [message for message in mail.outbox if message.to == [address]]
    assert messages, address
    word = next(word for word in messages[-1].body.split() if "/account-openen/" in word)
    return urlsplit(word).path


def _edit(admin: Client, user: User, **overrides: object) -> None:
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
    response = admin.post(reverse("accounts:user_edit", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()


def _approve_all(client: Client, user: User) -> None:
    for change in AccessChange.objects.filter(subject=user, status=AccessChangeStatus.PENDING):
        url = reverse("accounts:access_change_decide", args=[change.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 302


def _link_works(path: str) -> bool:
    response = Client().post(path, {"password1": CHOSEN_BY_HOLDER, "password2": CHOSEN_BY_HOLDER})
    return response.status_code == 302


def test_changing_the_address_after_creating_voids_the_administrators_link(
    make_user, client_for, team, django_capture_on_commit_callbacks
) -> None:
    administrator = make_user(Role.ADMINISTRATOR)
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    admin = client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        _create(
            admin,
            username="jjansen",
            email=ATTACKER,
            role=Role.PROFESSIONAL,
            organisation=team.organisation_id,
            teams=[team.pk],
        )
    own_link = _last_link_to(ATTACKER)
    holder = User.objects.get(username="jjansen")
    with django_capture_on_commit_callbacks(execute=True):
        _edit(admin, holder, email="jan.jansen@example.org", teams=[team.pk])

    # The team lead sees the address the (only working) link went to, and approves.
    lead_client = client_for(lead)
    for change in AccessChange.objects.filter(subject=holder, status=AccessChangeStatus.PENDING):
        page = lead_client.get(reverse("accounts:access_change_decide", args=[change.pk]))
        assert "jan.jansen@example.org" in page.content.decode()
        assert ATTACKER not in page.content.decode()
    _approve_all(lead_client, holder)

    assert not _link_works(own_link)  # the administrator's link was voided by the change
    assert _link_works(_last_link_to("jan.jansen@example.org"))


def test_the_decision_page_shows_the_address_the_link_went_to(
    make_user, client_for, team, django_capture_on_commit_callbacks
) -> None:
    """An account without person-level access is opened through a link to the administrator,
    its address changed afterwards, and then it is asked to become a professional."""
    administrator = make_user(Role.ADMINISTRATOR)
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    admin = client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        _create(admin, username="jjansen", email=ATTACKER, role=Role.MANAGEMENT)
    _open_account(_last_link_to(ATTACKER), "jjansen")
    holder = User.objects.get(username="jjansen")
    _edit(admin, holder, email="jan.jansen@example.org")
    holder.refresh_from_db()
    _edit(admin, holder, role=Role.PROFESSIONAL, teams=[team.pk])

    change = AccessChange.objects.get(
        subject=holder, kind=AccessChangeKind.ROLE, status=AccessChangeStatus.PENDING
    )
    page = client_for(lead).get(reverse("accounts:access_change_decide", args=[change.pk]))
    html = page.content.decode()
    assert ATTACKER in html  # not only the address the account has now
    assert "jan.jansen@example.org" in html
    assert "ja: iemand heeft een wachtwoord gekozen" in html


def test_an_address_changed_to_and_fro_around_a_reset_leaves_no_working_link(
    make_user, client_for, team, django_capture_on_commit_callbacks
) -> None:
    resident = HouseholdMembershipFactory().resident
    file_url = reverse("residents:detail", args=[resident.pk])
    administrator = make_user(Role.ADMINISTRATOR)
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    holder = make_user(Role.PROFESSIONAL, teams=[team], email="echte@example.org")
    admin = client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(admin, holder, email=ATTACKER)
    holder.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("accounts:user_totp_reset", args=[holder.pk]))
        assert response.status_code == 302
    own_link = _last_link_to(ATTACKER)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(admin, holder, email="echte@example.org")
    _approve_all(client_for(lead), holder)
    holder.refresh_from_db()
    assert holder.role_approved

    assert not _link_works(own_link)
    assert not holder.has_usable_password()
    # The real holder opens the account with the link that reached them, and works again.
    their_client = _open_account(_last_link_to("echte@example.org"), holder.username)
    assert their_client.get(file_url).status_code == 200


def test_after_a_reset_the_resetting_administrator_is_not_the_second_person(
    make_user, client_for, team, django_capture_on_commit_callbacks
) -> None:
    first = make_user(Role.ADMINISTRATOR)
    second = make_user(Role.ADMINISTRATOR)
    # The second administrator creates a team lead (decided by "another administrator").
    with django_capture_on_commit_callbacks(execute=True):
        _create(client_for(second), username="leider", email="echte@example.org", role="team_lead")
    holder = User.objects.get(username="leider")
    change = AccessChange.objects.get(subject=holder, status=AccessChangeStatus.PENDING)
    assert change.requested_by == second
    # The first one points the account at their own address and resets its access ...
    admin = client_for(first)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(admin, holder, email=ATTACKER)
    holder.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("accounts:user_totp_reset", args=[holder.pk]))
    # ... and now cannot approve the role: it is asked again in their name.
    [again] = AccessChange.objects.filter(subject=holder, status=AccessChangeStatus.PENDING)
    assert again.requested_by == first
    url = reverse("accounts:access_change_decide", args=[again.pk])
    assert admin.post(url, {"decision": "approve"}).status_code == 404
    holder.refresh_from_db()
    assert not holder.role_approved
    change.refresh_from_db()
    assert change.status == AccessChangeStatus.WITHDRAWN
    # The second administrator chose the account's first address: they stay out too. A third,
    # who did neither, decides, and sees where the link went.
    assert client_for(second).get(url).status_code == 404
    page = client_for(make_user(Role.ADMINISTRATOR)).get(url).content.decode()
    assert ATTACKER in page


# -- giving access back: a team made active again, an account enabled again ---------------------


def _team_data(team: Team, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": team.name,
        "organisation": team.organisation_id,
        "active": "on",
        "wijken": list(team.wijken.values_list("pk", flat=True)),
        "members": list(team.members.values_list("pk", flat=True)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _pending(**filters: object) -> AccessChange:
    return AccessChange.objects.get(status=AccessChangeStatus.PENDING, **filters)


def _decide(client: Client, change: AccessChange, decision: str) -> int:
    url = reverse("accounts:access_change_decide", args=[change.pk])
    return client.post(url, {"decision": decision}).status_code


def test_making_a_team_active_again_waits_for_a_second_administrator(
    make_user, client_for, team
) -> None:
    administrator = make_user(Role.ADMINISTRATOR)
    professional = make_user(Role.PROFESSIONAL, teams=[team])
    resident = HouseholdMembershipFactory().resident  # lives in the team's wijk
    file_url = reverse("residents:detail", args=[resident.pk])
    admin = client_for(administrator)
    edit = reverse("organisations:team_edit", args=[team.pk])
    assert admin.post(edit, _team_data(team, active=None)).status_code == 302
    team.refresh_from_db()
    assert not team.active  # taking access away works at once
    assert client_for(professional).get(file_url).status_code != 200

    assert admin.post(edit, _team_data(team)).status_code == 302
    team.refresh_from_db()
    assert not team.active
    assert client_for(professional).get(file_url).status_code != 200
    change = _pending(kind=AccessChangeKind.TEAM_ACTIVE, team=team)
    assert _decide(admin, change, "approve") == 404  # the requester
    second = make_user(Role.ADMINISTRATOR)
    assert _decide(client_for(second), change, "approve") == 302
    team.refresh_from_db()
    assert team.active
    assert client_for(professional).get(file_url).status_code == 200
    entry = AccessLogEntry.objects.get(event=AccessEvent.APPROVE)
    assert entry.user_id == second.pk
    assert f"organisations.team:{team.pk}" in entry.objects_touched


def test_enabling_an_account_asks_again_for_its_role(make_user, client_for, team) -> None:
    administrator = make_user(Role.ADMINISTRATOR)
    professional = make_user(Role.PROFESSIONAL, teams=[team])
    resident = HouseholdMembershipFactory().resident
    file_url = reverse("residents:detail", args=[resident.pk])
    admin = client_for(administrator)
    assert admin.post(reverse("accounts:user_disable", args=[professional.pk])).status_code == 302
    assert admin.post(reverse("accounts:user_enable", args=[professional.pk])).status_code == 302
    professional.refresh_from_db()
    assert professional.is_active
    assert not professional.role_approved
    assert client_for(professional).get(file_url).status_code == 404
    change = _pending(kind=AccessChangeKind.ROLE, subject=professional)
    assert change.requested_by == administrator
    assert AccessLogEntry.objects.filter(reason="enabled", user_id=administrator.pk).exists()
    assert _decide(admin, change, "approve") == 404
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    assert _decide(client_for(lead), change, "approve") == 302
    assert client_for(professional).get(file_url).status_code == 200


# -- who may have held the link stays excluded (docs/adr/0019, "who never decides") -------------


def test_a_reset_by_another_administrator_keeps_the_address_changer_out(
    make_user, client_for, django_capture_on_commit_callbacks
) -> None:
    first = make_user(Role.ADMINISTRATOR)
    second = make_user(Role.ADMINISTRATOR)
    holder = make_user(Role.TEAM_LEAD, email="echte@example.org")
    admin = client_for(first)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(admin, holder, email=ATTACKER)  # the first administrator will get the links
    holder.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(second).post(reverse("accounts:user_totp_reset", args=[holder.pk]))
        assert response.status_code == 302
    [again] = AccessChange.objects.filter(subject=holder, status=AccessChangeStatus.PENDING)
    assert again.requested_by == second
    # The new link went to the first administrator's address: they still may not approve.
    assert _decide(admin, again, "approve") == 404
    holder.refresh_from_db()
    assert not holder.role_approved
    third = make_user(Role.ADMINISTRATOR)
    assert _decide(client_for(third), again, "approve") == 302


def test_enabling_again_leaves_the_creators_link_void_and_the_creator_out(
    make_user, client_for, django_capture_on_commit_callbacks
) -> None:
    first = make_user(Role.ADMINISTRATOR)
    second = make_user(Role.ADMINISTRATOR)
    admin = client_for(first)
    with django_capture_on_commit_callbacks(execute=True):
        _create(admin, username="tweede", email=ATTACKER, role=Role.ADMINISTRATOR)
    own_link = _last_link_to(ATTACKER)
    holder = User.objects.get(username="tweede")
    assert admin.post(reverse("accounts:user_disable", args=[holder.pk])).status_code == 302
    response = client_for(second).post(reverse("accounts:user_enable", args=[holder.pk]))
    assert response.status_code == 302
    change = _pending(kind=AccessChangeKind.ROLE, subject=holder)
    assert change.requested_by == second
    assert _decide(admin, change, "approve") == 404  # the creator chose the address
    assert not _link_works(own_link)  # disabling voided the unused link
    holder.refresh_from_db()
    assert not holder.role_approved
    assert not holder.has_usable_password()


def test_an_upgrade_asked_by_another_keeps_the_creator_of_the_address_out(
    make_user, client_for, team, django_capture_on_commit_callbacks
) -> None:
    """A management account made with the first administrator's own address, opened by them,
    and later asked to become a professional by someone else: the first administrator holds
    it, so they do not approve it (the team has no team lead, so administrators decide)."""
    first = make_user(Role.ADMINISTRATOR)
    second = make_user(Role.ADMINISTRATOR)
    admin = client_for(first)
    with django_capture_on_commit_callbacks(execute=True):
        _create(admin, username="leiding", email=ATTACKER, role=Role.MANAGEMENT)
    _open_account(_last_link_to(ATTACKER), "leiding")
    holder = User.objects.get(username="leiding")
    _edit(client_for(second), holder, role=Role.PROFESSIONAL, teams=[team.pk])
    changes = list(AccessChange.objects.filter(subject=holder, status=AccessChangeStatus.PENDING))
    assert {change.kind for change in changes} == {
        AccessChangeKind.ROLE,
        AccessChangeKind.TEAM_MEMBER,
    }
    for change in changes:
        assert change.requested_by == second
        assert _decide(admin, change, "approve") == 404
    holder.refresh_from_db()
    assert holder.role == Role.MANAGEMENT
    assert not holder.teams.exists()
