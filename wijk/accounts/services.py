"""Writes on accounts: TOTP enrolment and its failures, ending sessions, creating, changing and
disabling accounts, activation links, and the changes that give access to person-level data,
which wait for a second person (docs/adr/0019)."""

from __future__ import annotations

import datetime
import enum
import json
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import structlog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import (
    AccessChange,
    AccessChangeKind,
    AccessChangeStatus,
    ActivationToken,
    FormDraft,
    Role,
    User,
)
from wijk.accounts.roles import APPROVAL_ROLES, TEAM_MEMBER_ROLES, role_change_needs_approval
from wijk.accounts.selectors import access_change_get_for_decision, activation_token_hash
from wijk.areas.models import Wijk
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.organisations.models import Organisation, Team

if TYPE_CHECKING:
    from django.db.models import Model

log = structlog.get_logger(__name__)

DEVICE_NAME = "authenticator"
# What the account form edits: user_update writes these (and role_approved) and nothing else.
USER_EDITABLE_FIELDS = ("username", "first_name", "last_name", "email", "role", "organisation")


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
        access_log_record(
            actor=device.user,
            event=AccessEvent.UPDATE,
            objects=[device.user, device],
            reason="authenticator_enrolled",
        )
    log.info("totp_device_confirmed", user_id=device.user_id)


def _totp_window() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def totp_locked(*, user: User) -> bool:
    """Too many wrong codes for this account within the cool-off time. Counted per account
    and reset only by a correct code, never by a correct password (docs/adr/0007)."""
    return (
        user.totp_failures >= settings.AXES_FAILURE_LIMIT
        and user.totp_failed_at is not None
        and timezone.now() - user.totp_failed_at < _totp_window()
    )


def totp_failure_record(*, user: User) -> bool:
    """Count one wrong code for the account; returns whether it is now locked. A failure after
    the cool-off time starts a new count."""
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().only("totp_failures", "totp_failed_at")
        current = locked.get(pk=user.pk)
        recent = current.totp_failed_at is not None and now - current.totp_failed_at < (
            _totp_window()
        )
        current.totp_failures = current.totp_failures + 1 if recent else 1
        current.totp_failed_at = now
        current.save(update_fields=["totp_failures", "totp_failed_at"])
    user.totp_failures, user.totp_failed_at = current.totp_failures, current.totp_failed_at
    log.info("totp_failed", user_id=user.pk, failures=user.totp_failures)
    return totp_locked(user=user)


def totp_failures_clear(*, user: User) -> None:
    if user.totp_failures:
        User.objects.filter(pk=user.pk).update(totp_failures=0, totp_failed_at=None)
        user.totp_failures, user.totp_failed_at = 0, None


def user_sessions_end(*, user: User) -> None:
    """End every session of the account: the session hash includes the epoch we raise."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    log.info("user_sessions_ended", user_id=user.pk)


# -- activation links ------------------------------------------------------------------------


def _activation_send(*, user: User, reset: bool = False) -> None:
    """Issue a new one-time link (earlier links of the account stop working) and e-mail it to
    the holder once the transaction commits. Only the token's hash is stored; nobody but the
    addressee sees the link."""
    now = timezone.now()
    ActivationToken.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    hours = settings.WIJK_ACTIVATION_HOURS
    ActivationToken.objects.create(
        user=user,
        token_hash=activation_token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=hours),
        sent_to=user.email,
    )
    link = settings.WIJK_BASE_URL + reverse("accounts:activate", kwargs={"token": token})
    subject = _("Uw account voor wijk")
    opening = (
        _("De toegang tot uw account in wijk is opnieuw ingesteld.")
        if reset
        else _("Er staat een account voor u klaar in wijk.")
    )
    body = _(
        "Beste %(name)s,\n\n"
        "%(opening)s Uw gebruikersnaam is: %(username)s\n\n"
        "Kies via deze link zelf een wachtwoord. Daarna koppelt u uw authenticator-app:\n\n"
        "%(link)s\n\n"
        "De link werkt één keer en is %(hours)s uur geldig. Heeft u dit niet verwacht? "
        "Gebruik de link dan niet en meld het bij uw leidinggevende.\n"
    ) % {
        "name": user.get_full_name() or user.username,
        "opening": opening,
        "username": user.username,
        "link": link,
        "hours": hours,
    }
    address, user_id = user.email, user.pk

    def send() -> None:
        send_mail(str(subject), body, None, [address])
        log.info("activation_link_sent", user_id=user_id)

    transaction.on_commit(send)


@transaction.atomic(durable=True)
def user_activate(*, token: str, password: str) -> User:
    """The holder chooses a password through their one-time link; the link is spent and every
    earlier session of the account ends. Raises NotFoundError for an unknown, used or expired
    link (one answer for all three) and ValidationFailed for a password the validators refuse.
    """
    now = timezone.now()
    found = (
        ActivationToken.objects.select_for_update()
        .select_related("user")
        .filter(
            token_hash=activation_token_hash(token),
            used_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if found is None:
        raise NotFoundError
    user = found.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(fields={"password1": " ".join(error.messages)}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    found.used_at = now
    found.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user).delete()  # the holder links their own authenticator
    user_sessions_end(user=user)
    access_log_record(
        actor=user, event=AccessEvent.UPDATE, objects=[user], reason="account_activated"
    )
    log.info("user_activated", user_id=user.pk)
    return user


# -- changes that give access wait for a second person ----------------------------------------


def _access_change_request(
    *,
    actor: User,
    kind: AccessChangeKind,
    subject: User | None = None,
    team: Team | None = None,
    payload: dict[str, Any] | None = None,
) -> AccessChange:
    """Part of the calling service's transaction: the change waits, and is in the access log.
    Whoever asks for a change about an account never decides on one about it."""
    if subject is not None:
        _access_exclude(actor=actor, user=subject)
    change = AccessChange.objects.create(
        kind=kind,
        subject=subject,
        team=team,
        payload=payload or {},
        requested_by=actor,
        requested_at=timezone.now(),
    )
    touched: list[Model] = [change, *[o for o in (subject, team) if o is not None]]
    access_log_record(
        actor=actor, event=AccessEvent.CREATE, objects=touched, reason=f"access_change_{kind}"
    )
    log.info("access_change_requested", change_id=change.pk, kind=str(kind), by=actor.pk)
    return change


def _access_exclude(*, actor: User, user: User) -> None:
    """`actor` may have held (or may yet hold) the link of `user`: they never decide on a
    change about it (`User.access_excluded`, docs/adr/0019)."""
    if actor.pk != user.pk:
        user.access_excluded.add(actor)


def _access_changes_withdraw(
    *, actor: User, kind: AccessChangeKind, subject: User | None = None, team: Team | None = None
) -> None:
    """Pending changes of this kind about the account or team lapse: a newer one replaces them."""
    pending = AccessChange.objects.filter(kind=kind, status=AccessChangeStatus.PENDING)
    pending = pending.filter(subject=subject) if subject is not None else pending.filter(team=team)
    for change in pending.select_for_update():
        _access_change_lapse(actor=actor, change=change)


def _access_change_lapse(*, actor: User, change: AccessChange) -> None:
    change.status = AccessChangeStatus.WITHDRAWN
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    access_log_record(
        actor=actor, event=AccessEvent.UPDATE, objects=[change], reason="access_change_lapsed"
    )


def _access_rearm(*, actor: User, user: User) -> None:
    """After a reset, a changed e-mail address or enabling (part of the caller's transaction):
    an account with a role in APPROVAL_ROLES waits for approval again, and every pending change
    about the account that someone else asked for lapses and is asked again in `actor`'s name,
    so that `actor` (who may now hold the account's link) cannot be the second person. Whoever
    was excluded before stays excluded (`_access_exclude`)."""
    _access_exclude(actor=actor, user=user)
    pending = list(
        AccessChange.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(
            subject=user,
            status=AccessChangeStatus.PENDING,
            kind__in=[AccessChangeKind.ROLE, AccessChangeKind.TEAM_MEMBER],
        )
        .order_by("pk")
    )
    if user.role in APPROVAL_ROLES:
        if user.role_approved:
            User.objects.filter(pk=user.pk).update(role_approved=False)
            user.role_approved = False
        if not any(change.kind == AccessChangeKind.ROLE for change in pending):
            _access_change_request(
                actor=actor,
                kind=AccessChangeKind.ROLE,
                subject=user,
                payload={"role": user.role, "previous_role": user.role},
            )
    for change in pending:
        if change.requested_by_id == actor.pk:
            continue
        _access_change_lapse(actor=actor, change=change)
        _access_change_request(
            actor=actor,
            kind=AccessChangeKind(change.kind),
            subject=user,
            team=change.team,
            payload=change.payload,
        )


def team_membership_request(*, actor: User, team: Team, user: User) -> AccessChange | None:
    """Ask for `user` to join `team` (part of the caller's transaction); None when that is
    already waiting. Membership shows the team's residents, so it waits for approval."""
    waiting = AccessChange.objects.filter(
        kind=AccessChangeKind.TEAM_MEMBER,
        status=AccessChangeStatus.PENDING,
        subject=user,
        team=team,
    )
    if waiting.exists():
        return None
    return _access_change_request(
        actor=actor, kind=AccessChangeKind.TEAM_MEMBER, subject=user, team=team
    )


def team_wijken_request(*, actor: User, team: Team, wijken: Iterable[Wijk]) -> AccessChange | None:
    """Ask for wijken to be added to `team` (part of the caller's transaction); wijken already
    waiting are left out. A wijk shows its residents to the team, so it waits for approval."""
    waiting = {
        pk
        for payload in AccessChange.objects.filter(
            kind=AccessChangeKind.TEAM_WIJKEN, status=AccessChangeStatus.PENDING, team=team
        ).values_list("payload", flat=True)
        for pk in payload.get("wijk_ids", [])
    }
    wijk_ids = sorted({wijk.pk for wijk in wijken} - waiting)
    if not wijk_ids:
        return None
    return _access_change_request(
        actor=actor, kind=AccessChangeKind.TEAM_WIJKEN, team=team, payload={"wijk_ids": wijk_ids}
    )


def team_active_request(*, actor: User, team: Team) -> AccessChange | None:
    """Ask for an inactive team to become active again (part of the caller's transaction):
    that gives all its members their access to its residents back at once, so it waits."""
    waiting = AccessChange.objects.filter(
        kind=AccessChangeKind.TEAM_ACTIVE, status=AccessChangeStatus.PENDING, team=team
    )
    if waiting.exists():
        return None
    return _access_change_request(actor=actor, kind=AccessChangeKind.TEAM_ACTIVE, team=team)


def team_active_withdraw(*, actor: User, team: Team) -> None:
    _access_changes_withdraw(actor=actor, kind=AccessChangeKind.TEAM_ACTIVE, team=team)


def team_intake_request(*, actor: User, team: Team, is_intake: bool) -> AccessChange:
    """Ask for the intake flag of `team` to change (part of the caller's transaction): it sends
    public sign-ups to another team, so either way it waits. A newer request replaces one."""
    _access_changes_withdraw(actor=actor, kind=AccessChangeKind.TEAM_INTAKE, team=team)
    return _access_change_request(
        actor=actor, kind=AccessChangeKind.TEAM_INTAKE, team=team, payload={"is_intake": is_intake}
    )


def team_intake_withdraw(*, actor: User, team: Team) -> None:
    _access_changes_withdraw(actor=actor, kind=AccessChangeKind.TEAM_INTAKE, team=team)


def _decision_get(*, actor: User, change: AccessChange) -> AccessChange:
    """The change, locked, if `actor` may decide on it now; NotFoundError otherwise."""
    if access_change_get_for_decision(user=actor, pk=change.pk) is None:
        raise NotFoundError
    locked = AccessChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != AccessChangeStatus.PENDING:
        raise NotFoundError
    return locked


@transaction.atomic(durable=True)
def access_change_approve(*, actor: User, change: AccessChange, reason: str = "") -> AccessChange:
    """Approve a pending change and let it take effect, in one transaction with its entry in
    the access log."""
    locked = _decision_get(actor=actor, change=change)
    touched: list[Model] = [locked]
    if locked.kind == AccessChangeKind.ROLE:
        subject = User.objects.select_for_update().get(access_changes=locked)
        subject.role = locked.payload["role"]
        subject.role_approved = True
        subject.save(update_fields=["role", "role_approved"])
        touched.append(subject)
    elif locked.kind == AccessChangeKind.TEAM_MEMBER:
        subject = User.objects.select_for_update().get(access_changes=locked)
        if subject.role not in TEAM_MEMBER_ROLES:
            raise ValidationFailed(
                _(
                    "Dit account heeft nu een rol zonder toegang tot inwoners. "
                    "Het kan geen lid van een team worden."
                )
            )
        team = Team.objects.get(access_changes=locked)
        team.members.add(subject)
        touched += [subject, team]
    elif locked.kind == AccessChangeKind.TEAM_ACTIVE:
        team = Team.objects.select_for_update().get(access_changes=locked)
        team.active = True
        team.save(update_fields=["active"])
        touched.append(team)
    elif locked.kind == AccessChangeKind.TEAM_INTAKE:
        team = Team.objects.select_for_update().get(access_changes=locked)
        team.is_intake = bool(locked.payload["is_intake"])
        team.save(update_fields=["is_intake"])
        touched.append(team)
    else:
        team = Team.objects.get(access_changes=locked)
        team.wijken.add(*Wijk.objects.filter(pk__in=locked.payload["wijk_ids"]))
        touched.append(team)
    locked.status = AccessChangeStatus.APPROVED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    access_log_record(
        actor=actor, event=AccessEvent.APPROVE, objects=touched, reason=reason or "approved"
    )
    log.info("access_change_approved", change_id=locked.pk, by=actor.pk)
    return locked


@transaction.atomic(durable=True)
def access_change_reject(*, actor: User, change: AccessChange, reason: str = "") -> AccessChange:
    locked = _decision_get(actor=actor, change=change)
    locked.status = AccessChangeStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    access_log_record(
        actor=actor, event=AccessEvent.REJECT, objects=[locked], reason=reason or "rejected"
    )
    log.info("access_change_rejected", change_id=locked.pk, by=actor.pk)
    return locked


# -- accounts -----------------------------------------------------------------------------------


def _role_waiting(*, user: User) -> bool:
    return AccessChange.objects.filter(
        kind=AccessChangeKind.ROLE, status=AccessChangeStatus.PENDING, subject=user
    ).exists()


def _role_request(*, actor: User, user: User, role: str, previous_role: str) -> None:
    _access_changes_withdraw(actor=actor, kind=AccessChangeKind.ROLE, subject=user)
    _access_change_request(
        actor=actor,
        kind=AccessChangeKind.ROLE,
        subject=user,
        payload={"role": role, "previous_role": previous_role},
    )


@transaction.atomic(durable=True)
def user_create(
    *,
    actor: User,
    username: str,
    role: Role | str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    organisation: Organisation | None = None,
    teams: Iterable[Team] = (),
) -> User:
    """A new account without a password: the holder gets a one-time link by e-mail to choose
    one and link an authenticator. A role with access to person-level data (or to approving)
    and every team wait for a second person's approval."""
    role = str(role)
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        role_approved=role not in APPROVAL_ROLES,
    )
    user.set_unusable_password()
    teams = list(teams)
    _check_teams(role=role, teams=teams)
    if not email:
        raise ValidationFailed(
            fields={
                "email": _("Vul een e-mailadres in: daar komt de link om het account te openen.")
            }
        )
    user.full_clean()
    user.save()
    _access_exclude(actor=actor, user=user)  # they chose the address the link goes to
    access_log_record(actor=actor, event=AccessEvent.CREATE, objects=[user])
    if role in APPROVAL_ROLES:
        _role_request(actor=actor, user=user, role=role, previous_role="")
    for team in teams:
        team_membership_request(actor=actor, team=team, user=user)
    _activation_send(user=user)
    log.info("user_created", user_id=user.pk, by=actor.pk)
    return user


@transaction.atomic(durable=True)
def user_update(*, actor: User, user: User, teams: Iterable[Team]) -> User:
    """Save the edited account. Taking teams away and roles with less access take effect at
    once; a role or team that gives more access waits for a second person's approval. Only
    the edited fields (`USER_EDITABLE_FIELDS`) are written, onto the locked row."""
    teams = list(teams)
    stored = User.objects.select_for_update().get(pk=user.pk)
    old_role, requested_role = stored.role, user.role
    if user.pk == actor.pk and requested_role != old_role:
        raise ValidationFailed(
            fields={
                "role": _(
                    "U kunt uw eigen rol niet wijzigen. Vraag een andere beheerder om dat te doen."
                )
            }
        )
    _check_teams(role=requested_role, teams=teams)
    if requested_role != old_role:
        role_waits = role_change_needs_approval(
            old_role=old_role, new_role=requested_role, old_approved=stored.role_approved
        )
    else:  # asked again, e.g. after a rejection
        role_waits = (
            requested_role in APPROVAL_ROLES
            and not stored.role_approved
            and not _role_waiting(user=stored)
        )
    email_changed = user.email != stored.email
    for name in USER_EDITABLE_FIELDS:
        setattr(stored, name, getattr(user, name))
    if requested_role != old_role:
        if role_waits:
            stored.role = old_role  # unchanged until approved
        else:
            _access_changes_withdraw(actor=actor, kind=AccessChangeKind.ROLE, subject=stored)
            stored.role_approved = requested_role not in APPROVAL_ROLES or stored.role_approved
    if requested_role not in TEAM_MEMBER_ROLES:
        _access_changes_withdraw(actor=actor, kind=AccessChangeKind.TEAM_MEMBER, subject=stored)
    approval_account = (
        old_role in APPROVAL_ROLES or requested_role in APPROVAL_ROLES or _role_waiting(user=stored)
    )
    if email_changed and approval_account and not stored.email:
        raise ValidationFailed(
            fields={
                "email": _("Vul een e-mailadres in: daar komt de link om het account te openen.")
            }
        )
    stored.full_clean()
    stored.save(update_fields=[*USER_EDITABLE_FIELDS, "role_approved"])
    if email_changed:
        _access_exclude(actor=actor, user=stored)  # they chose where the next link goes
    current = set(stored.teams.all())
    stored.teams.remove(*(current - set(teams)))
    access_log_record(actor=actor, event=AccessEvent.UPDATE, objects=[stored])
    if role_waits:
        _role_request(actor=actor, user=stored, role=requested_role, previous_role=old_role)
    for team in teams:
        if team not in current:
            team_membership_request(actor=actor, team=team, user=stored)
    if email_changed and approval_account and stored.pk != actor.pk:
        # Whoever changes the address may be the one who receives the next link: the same as
        # "Toegang opnieuw instellen", with the actor as the requester of what waits. (Your
        # own address gives you nothing you do not have.)
        _access_reset(actor=actor, user=stored, reason="email_changed")
    elif email_changed and _activation_link_open(user=stored):
        _activation_send(user=stored)  # the unused link goes to the new address instead
    log.info("user_updated", user_id=stored.pk, by=actor.pk)
    return stored


def _check_teams(*, role: str, teams: list[Team]) -> None:
    """Team membership gives access to residents, so only roles with that access join teams."""
    if teams and role not in TEAM_MEMBER_ROLES:
        raise ValidationFailed(
            fields={
                "teams": _(
                    "Alleen professionals en teamleiders kunnen lid zijn van een team. "
                    "Kies een andere rol of zet de vinkjes bij de teams uit."
                )
            }
        )


@transaction.atomic(durable=True)
def user_disable(*, actor: User, user: User) -> None:
    if user.pk == actor.pk:
        raise ValidationFailed(
            _(
                "U kunt uw eigen account niet uitschakelen. "
                "Vraag een andere beheerder om dat te doen."
            )
        )
    User.objects.filter(pk=user.pk).update(is_active=False)
    # An unused link must not open the account once someone enables it again.
    ActivationToken.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    user_sessions_end(user=user)
    # What the account had typed is no longer anyone's to read back (docs/adr/0025).
    FormDraft.objects.filter(user=user).delete()
    access_log_record(actor=actor, event=AccessEvent.UPDATE, objects=[user], reason="disabled")
    log.info("user_disabled", user_id=user.pk, by=actor.pk)


@transaction.atomic(durable=True)
def user_enable(*, actor: User, user: User) -> None:
    """The account can sign in again; a role with access to residents (and every team it
    waits to join) waits for a second person's approval again, asked in `actor`'s name."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        return
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    access_log_record(actor=actor, event=AccessEvent.UPDATE, objects=[locked], reason="enabled")
    _access_rearm(actor=actor, user=locked)
    log.info("user_enabled", user_id=user.pk, by=actor.pk)


@transaction.atomic(durable=True)
def user_access_reset(*, actor: User, user: User) -> None:
    """A lost phone or password: the password and the authenticator stop working, every
    session ends and the holder gets a new one-time link at the address on the account. An
    account with person-level access (or approving rights) waits for a second person's
    approval again, so that whoever could change the address cannot take it over."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.email:
        raise ValidationFailed(
            _("Dit account heeft geen e-mailadres. Vul dat eerst in bij de gegevens.")
        )
    _access_reset(actor=actor, user=locked, reason="access_reset")


def _access_reset(*, actor: User, user: User, reason: str) -> None:
    """Part of the caller's transaction: password and authenticator stop working, every
    session ends, what gives access waits again in `actor`'s name (`_access_rearm`) and a new
    link goes to the address on the account."""
    TOTPDevice.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user_sessions_end(user=user)
    access_log_record(actor=actor, event=AccessEvent.UPDATE, objects=[user], reason=reason)
    _access_rearm(actor=actor, user=user)
    _activation_send(user=user, reset=True)
    log.info("user_access_reset", user_id=user.pk, by=actor.pk, reason=reason)


def _activation_link_open(*, user: User) -> bool:
    return ActivationToken.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


# -- form drafts (docs/adr/0025) ---------------------------------------------------------------

# A draft larger than this (as JSON) is not kept, and the user is told so.
FORM_DRAFT_MAX_CHARS = 200_000
# Never kept: the CSRF token, and anything that looks like a secret.
_DRAFT_SKIPPED_NAMES = frozenset({"csrfmiddlewaretoken"})
_DRAFT_SECRET_WORDS = ("password", "wachtwoord", "token", "secret")


class FormDraftOutcome(enum.Enum):
    KEPT = "kept"
    NOTHING_TYPED = "nothing_typed"
    TOO_LARGE = "too_large"


def form_draft_fields(data: QueryDict) -> dict[str, list[str]]:
    """The posted values worth keeping: every field the user typed, as posted (nothing cut),
    without the CSRF token, passwords and codes. Files are not in `data`."""
    return {
        name: data.getlist(name)
        for name in data
        if name not in _DRAFT_SKIPPED_NAMES
        and not any(word in name.lower() for word in _DRAFT_SECRET_WORDS)
    }


@transaction.atomic(durable=True)
def form_draft_keep(*, user: User, page: str, action: str, data: QueryDict) -> FormDraftOutcome:
    """Keep what `user` posted to `action` (from the form on `page`) when their session ended,
    replacing an earlier draft of that page. Nothing is logged but ids and sizes."""
    fields = form_draft_fields(data)
    if not any(value.strip() for values in fields.values() for value in values):
        return FormDraftOutcome.NOTHING_TYPED
    size = len(json.dumps(fields))
    if size > FORM_DRAFT_MAX_CHARS:
        log.info("form_draft_refused_too_large", user_id=user.pk, size=size)
        return FormDraftOutcome.TOO_LARGE
    now = timezone.now()
    FormDraft.objects.update_or_create(
        user=user,
        page=page,
        defaults={
            "action": action,
            "fields": fields,
            "created_at": now,
            "expires_at": now + datetime.timedelta(hours=settings.WIJK_FORM_DRAFT_HOURS),
        },
    )
    log.info("form_draft_kept", user_id=user.pk, fields=len(fields), size=size)
    return FormDraftOutcome.KEPT


@transaction.atomic(durable=True)
def form_drafts_at_login(*, user: User) -> list[str]:
    """The pages on which `user` has a draft waiting, after their expired drafts are gone."""
    FormDraft.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    return list(FormDraft.objects.filter(user=user).values_list("page", flat=True))


@transaction.atomic(durable=True)
def form_draft_take(*, user: User, page: str) -> FormDraft | None:
    """The unexpired draft of `user` for `page`, deleted as it is read back: it is shown once.
    The caller shows it only on the page the user has just been let in to."""
    draft = (
        FormDraft.objects.select_for_update()
        .filter(user=user, page=page, expires_at__gt=timezone.now())
        .first()
    )
    FormDraft.objects.filter(user=user, page=page).delete()
    if draft is not None:
        log.info("form_draft_restored", user_id=user.pk, draft_id=draft.pk)
    return draft


def form_draft_discard(*, user: User, page: str) -> None:
    """The form on `page` was saved: its draft is no longer needed."""
    FormDraft.objects.filter(user=user, page=page).delete()


@transaction.atomic(durable=True)
def form_drafts_purge() -> int:
    """Delete expired drafts and every draft of a disabled account; returns how many."""
    deleted, _by_model = FormDraft.objects.filter(
        Q(expires_at__lte=timezone.now()) | Q(user__is_active=False)
    ).delete()
    log.info("form_drafts_purged", count=deleted)
    return deleted
