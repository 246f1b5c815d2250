"""Nobody can give themselves, or an account they control, access to residents' files
(issue 11, hole 1; docs/adr/0019): an administrator creates a professional through the real
pages, and no route gives the administrator a working login for it, or access to a resident,
without the holder's own activation and a second person's approval."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import AccessChange, AccessChangeStatus, Role, User
from wijk.core.models import AccessEvent, AccessLogEntry
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
