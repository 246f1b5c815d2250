"""The login journey through the real forms: password, TOTP (or enrolment), lockout, session
lifetime and logging out everywhere."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from wijk.accounts.models import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
HOME = reverse("core:home")


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + offset
    return f"{code:06d}"[-6:]


def wrong_code(device: TOTPDevice) -> str:
    right = code_for(device)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def user(make_user):
    return make_user(Role.PROFESSIONAL)


def password_step(client: Client, username: str, password: str, **extra) -> object:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_password_then_code_signs_in(user, password) -> None:
    client = Client()
    response = password_step(client, user.username, password)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert client.get(HOME)["Location"] == VERIFY  # nothing is open before the code
    device = TOTPDevice.objects.get(user=user)
    response = client.post(VERIFY, {"token": code_for(device)})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_wrong_password_gets_a_plain_dutch_message(user) -> None:
    response = password_step(Client(), user.username, "not the password")
    assert response.status_code == 200
    assert (
        "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet."
        in response.content.decode()
    )


def test_first_login_without_authenticator_goes_through_enrolment(
    make_user, password, settings
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off after a wrong code
    user = make_user(Role.ADMINISTRATOR)
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    password_step(client, user.username, password)
    response = client.get(VERIFY)
    assert response["Location"] == reverse("accounts:setup")
    page = client.get(reverse("accounts:setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:setup"), {"token": wrong_code(device)})
    assert "Deze code klopt niet" in wrong.content.decode()
    response = client.post(reverse("accounts:setup"), {"token": code_for(device)})
    assert response["Location"] == HOME
    assert TOTPDevice.objects.get(user=user).confirmed


def test_lockout_after_repeated_failures_is_per_username_and_address(
    user, password, settings
) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        password_step(attacker, user.username, "guess")
    locked = password_step(attacker, user.username, password)
    assert locked.status_code == 429
    assert "Te vaak geprobeerd" in locked.content.decode()
    # A spoofed X-Forwarded-For does not give the attacker a fresh address.
    spoofed = password_step(attacker, user.username, password, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429
    # The real user, from their own address, is not locked out by the attacker.
    real = Client(REMOTE_ADDR="192.0.2.10")
    assert password_step(real, user.username, password)["Location"] == VERIFY


def test_wrong_codes_count_towards_the_lockout(user, password, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # every attempt is checked, none waits out a back-off
    client = Client(REMOTE_ADDR="192.0.2.20")
    password_step(client, user.username, password)
    device = TOTPDevice.objects.get(user=user)
    statuses = [
        client.post(VERIFY, {"token": wrong_code(device)}).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert client.get(HOME)["Location"] == LOGIN  # the half-done session is gone


def test_wrong_codes_lock_the_account_though_the_password_is_entered_again(
    user, password, settings
) -> None:
    """Issue 11, hole 5: a correct password must not wipe the count of wrong codes."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # every attempt is checked, none waits out a back-off
    client = Client(REMOTE_ADDR="192.0.2.30")
    device = TOTPDevice.objects.get(user=user)
    wrong_codes = 0
    while wrong_codes < settings.AXES_FAILURE_LIMIT - 1:
        assert password_step(client, user.username, password)["Location"] == VERIFY
        for _attempt in range(2):
            if wrong_codes < settings.AXES_FAILURE_LIMIT - 1:
                assert client.post(VERIFY, {"token": wrong_code(device)}).status_code == 200
                wrong_codes += 1
    assert password_step(client, user.username, password)["Location"] == VERIFY
    assert client.post(VERIFY, {"token": wrong_code(device)}).status_code == 429
    # Locked for the account, from any address, even with the password and the right code.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert password_step(elsewhere, user.username, password).status_code == 429
    assert elsewhere.post(VERIFY, {"token": code_for(device)})["Location"] == LOGIN


def test_a_right_code_clears_the_count_of_wrong_codes(user, password, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.get(user=user)
    for _round in range(2):
        client = Client()
        password_step(client, user.username, password)
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(VERIFY, {"token": wrong_code(device)})
        assert client.post(VERIFY, {"token": code_for(device)})["Location"] == HOME
        device.refresh_from_db()
        device.last_t = -1  # the same code may be used again in the next round
        device.save()


def test_the_session_id_is_renewed_at_the_code_step(user, password, settings) -> None:
    client = Client()
    password_step(client, user.username, password)
    after_password = client.session.session_key
    device = TOTPDevice.objects.get(user=user)
    assert client.post(VERIFY, {"token": code_for(device)})["Location"] == HOME
    after_code = client.session.session_key
    assert after_code != after_password
    assert client.get(HOME).status_code == 200


def test_logout_ends_every_session_of_the_account(user, client_for) -> None:
    first, second = client_for(user), client_for(user)
    assert second.get(HOME).status_code == 200
    first.post(reverse("accounts:logout"))
    assert first.get(HOME)["Location"] == LOGIN
    assert second.get(HOME)["Location"] == LOGIN


def test_disabled_account_loses_its_sessions(user, client_for) -> None:
    client = client_for(user)
    user.is_active = False
    user.save()
    assert client.get(HOME)["Location"] == LOGIN


@pytest.mark.parametrize(
    ("key", "setting"),
    [
        (SESSION_SEEN, "WIJK_SESSION_IDLE_TIMEOUT"),
        (SESSION_STARTED, "WIJK_SESSION_ABSOLUTE_TIMEOUT"),
    ],
)
def test_session_ends_after_idle_and_absolute_timeouts(
    user, client_for, settings, key, setting
) -> None:
    client = client_for(user)
    session = client.session
    session[key] = int(time.time()) - getattr(settings, setting) - 1
    session.save()
    response = client.get(HOME)
    assert response["Location"] == f"{LOGIN}?verlopen=1"
    assert client.get(HOME)["Location"] == LOGIN


def test_logout_is_post_only(user, client_for) -> None:
    assert client_for(user).get(reverse("accounts:logout")).status_code == 405


def test_a_second_code_within_the_back_off_is_asked_to_wait(user, password) -> None:
    client = Client(REMOTE_ADDR="192.0.2.30")
    password_step(client, user.username, password)
    device = TOTPDevice.objects.get(user=user)
    client.post(VERIFY, {"token": wrong_code(device)})
    response = client.post(VERIFY, {"token": code_for(device)})
    assert "Wacht een paar seconden" in response.content.decode()
    assert client.get(HOME)["Location"] == VERIFY
