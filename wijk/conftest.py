"""Shared test fixtures: staff users of every role with a confirmed authenticator, and clients
signed in as them (password and TOTP step done)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from wijk.accounts.models import Role, User
from wijk.accounts.tests.factories import UserFactory
from wijk.conftest_constants import PASSWORD
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(
        role: Role | str = Role.PROFESSIONAL, *, teams: list[Team] | None = None, **kw: Any
    ) -> User:
        user: User = UserFactory(role=str(role), **kw)
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        if teams:
            user.teams.set(teams)
        return user

    return make


def verified_client(user: User) -> Client:
    """A client signed in as `user` with the TOTP step done, as after the real login."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    now = int(time.time())
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return verified_client


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(administrator: User) -> Client:
    return verified_client(administrator)


@pytest.fixture
def team(db: Any) -> Team:
    """A team covering the first wijk of the loaded CBS year."""
    return TeamFactory()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Tests create many accounts; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_anchor_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test's access-log anchors live in its own directory, never in var/audit-anchors
    (anchors there name the development database's entries)."""
    directory = tmp_path / "audit-anchors"
    settings.WIJK_AUDIT_ANCHOR_DIR = str(directory)
    return directory


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    """Each test's private files (letters, signature scans) live in its own directory, never
    in var/private."""
    directory = tmp_path / "private"
    settings.WIJK_PRIVATE_ROOT = directory
    return directory
