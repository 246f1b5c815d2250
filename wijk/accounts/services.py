"""Writes on accounts: TOTP enrolment, ending sessions, creating and disabling accounts."""

from __future__ import annotations

from collections.abc import Iterable

import structlog
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import Role, User
from wijk.accounts.roles import TEAM_MEMBER_ROLES
from wijk.core.errors import ValidationFailed
from wijk.organisations.models import Organisation, Team

log = structlog.get_logger(__name__)

DEVICE_NAME = "authenticator"


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device of a user who is enrolling; created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    log.info("totp_device_confirmed", user_id=device.user_id)


def user_sessions_end(*, user: User) -> None:
    """End every session of the account: the session hash includes the epoch we raise."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    log.info("user_sessions_ended", user_id=user.pk)


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    teams: Iterable[Team] = (),
    password: str | None = None,
) -> User:
    user = User(
        username=username,
        role=str(role),
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    teams = list(teams)
    _check_teams(user=user, teams=teams)
    user.full_clean()
    user.save()
    user.teams.set(teams)
    log.info("user_created", user_id=user.pk, by=actor.pk)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, teams: Iterable[Team]) -> User:
    teams = list(teams)
    if user.pk == actor.pk and user.role != Role.ADMINISTRATOR:
        raise ValidationFailed(
            fields={
                "role": _(
                    "U kunt uw eigen rol niet wijzigen. Vraag een andere beheerder om dat te doen."
                )
            }
        )
    _check_teams(user=user, teams=teams)
    user.full_clean()
    user.save()
    user.teams.set(teams)
    log.info("user_updated", user_id=user.pk, by=actor.pk)
    return user


def _check_teams(*, user: User, teams: list[Team]) -> None:
    """Team membership gives access to residents, so only roles with that access join teams."""
    if teams and user.role not in TEAM_MEMBER_ROLES:
        raise ValidationFailed(
            fields={
                "teams": _(
                    "Alleen professionals en teamleiders kunnen lid zijn van een team. "
                    "Kies een andere rol of zet de vinkjes bij de teams uit."
                )
            }
        )


@transaction.atomic
def user_disable(*, actor: User, user: User) -> None:
    if user.pk == actor.pk:
        raise ValidationFailed(
            _(
                "U kunt uw eigen account niet uitschakelen. "
                "Vraag een andere beheerder om dat te doen."
            )
        )
    User.objects.filter(pk=user.pk).update(is_active=False)
    user_sessions_end(user=user)
    log.info("user_disabled", user_id=user.pk, by=actor.pk)


@transaction.atomic
def user_enable(*, actor: User, user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=True)
    log.info("user_enabled", user_id=user.pk, by=actor.pk)


@transaction.atomic
def user_totp_reset(*, actor: User, user: User) -> None:
    """Remove the user's authenticator: the next login starts a new enrolment."""
    TOTPDevice.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    log.info("user_totp_reset", user_id=user.pk, by=actor.pk)
