"""Writes on organisations and teams. A team's members are the staff who see its residents,
so only roles with access to person-level data can be members; a new member and a new wijk of
a team take effect only when a second person approves them (docs/adr/0019), and so do making
an inactive team active again (its members see its residents again) and changing a team's
intake flag (public sign-ups go to another team); taking a member or wijk away and making a
team inactive take effect at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import structlog
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.accounts.roles import TEAM_MEMBER_ROLES
from wijk.accounts.services import (
    team_active_request,
    team_active_withdraw,
    team_intake_request,
    team_intake_withdraw,
    team_membership_request,
    team_wijken_request,
)
from wijk.core.audit import access_log_record
from wijk.core.errors import ValidationFailed
from wijk.core.models import AccessEvent
from wijk.organisations.models import Organisation, Team

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.areas.models import Wijk

log = structlog.get_logger(__name__)


@transaction.atomic(durable=True)
def organisation_create(
    *, actor: User, name: str, kind: str, kvk_number: str = "", active: bool = True
) -> Organisation:
    organisation = Organisation(name=name, kind=kind, kvk_number=kvk_number, active=active)
    organisation.full_clean()
    organisation.save()
    log.info("organisation_created", organisation_id=organisation.pk, by=actor.pk)
    return organisation


@transaction.atomic(durable=True)
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    kind: str,
    kvk_number: str,
    active: bool,
) -> Organisation:
    organisation.name = name
    organisation.kind = kind
    organisation.kvk_number = kvk_number
    organisation.active = active
    organisation.full_clean()
    organisation.save()
    log.info("organisation_updated", organisation_id=organisation.pk, by=actor.pk)
    return organisation


def _check_members(members: list[User]) -> None:
    refused = [member.username for member in members if member.role not in TEAM_MEMBER_ROLES]
    if refused:
        raise ValidationFailed(
            fields={
                "members": (
                    _(
                        "Alleen professionals en teamleiders kunnen lid zijn van een team. "
                        "Dat geldt niet voor: %(usernames)s."
                    )
                    % {"usernames": ", ".join(refused)}
                )
            }
        )


@transaction.atomic(durable=True)
def team_create(
    *,
    actor: User,
    name: str,
    organisation: Organisation,
    is_intake: bool = False,
    active: bool = True,
    wijken: Iterable[Wijk] = (),
    members: Iterable[User] = (),
) -> Team:
    members = list(members)
    _check_members(members)
    team = Team(name=name, organisation=organisation, is_intake=False, active=active)
    team.full_clean()
    team.save()
    access_log_record(actor=actor, event=AccessEvent.CREATE, objects=[team])
    if is_intake:
        team_intake_request(actor=actor, team=team, is_intake=True)
    team_wijken_request(actor=actor, team=team, wijken=wijken)
    for member in members:
        team_membership_request(actor=actor, team=team, user=member)
    log.info("team_created", team_id=team.pk, by=actor.pk)
    return team


@transaction.atomic(durable=True)
def team_update(
    *,
    actor: User,
    team: Team,
    name: str,
    organisation: Organisation,
    is_intake: bool,
    active: bool,
    wijken: Iterable[Wijk],
    members: Iterable[User],
) -> Team:
    members = list(members)
    _check_members(members)
    stored = Team.objects.select_for_update().get(pk=team.pk)  # the form wrote onto `team`
    team.name = name
    team.organisation = organisation
    team.is_intake = stored.is_intake  # a change waits for a second person
    team.active = active and stored.active  # becoming active again waits too
    team.full_clean()
    team.save()
    wijken = list(wijken)
    current_wijken = set(team.wijken.all())
    team.wijken.remove(*(current_wijken - set(wijken)))
    current_members = set(team.members.all())
    team.members.remove(*(current_members - set(members)))
    access_log_record(actor=actor, event=AccessEvent.UPDATE, objects=[team])
    if active and not stored.active:
        team_active_request(actor=actor, team=team)
    else:
        team_active_withdraw(actor=actor, team=team)
    if is_intake != stored.is_intake:
        team_intake_request(actor=actor, team=team, is_intake=is_intake)
    else:
        team_intake_withdraw(actor=actor, team=team)
    team_wijken_request(
        actor=actor, team=team, wijken=[wijk for wijk in wijken if wijk not in current_wijken]
    )
    for member in members:
        if member not in current_members:
            team_membership_request(actor=actor, team=team, user=member)
    log.info("team_updated", team_id=team.pk, by=actor.pk)
    return team
