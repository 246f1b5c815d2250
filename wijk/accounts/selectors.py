"""Reads on accounts: who may decide on a change that gives access (docs/adr/0019), and the
pending changes a user may see."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import (
    AccessChange,
    AccessChangeKind,
    AccessChangeStatus,
    ActivationToken,
    Role,
    User,
)
from wijk.accounts.roles import GATES, gate_for
from wijk.areas.models import Wijk
from wijk.organisations.models import Team

# Roles a team lead may approve for their own team: person-level access and nothing more.
LEAD_APPROVABLE_ROLES = frozenset(
    role
    for role, gate in GATES.items()
    if gate.person_level and not (gate.review_break_glass or gate.oversee_teams or gate.manage)
)


# Changes about a team rather than an account: always a second administrator.
TEAM_KINDS = frozenset(
    {AccessChangeKind.TEAM_WIJKEN, AccessChangeKind.TEAM_ACTIVE, AccessChangeKind.TEAM_INTAKE}
)


@dataclass(frozen=True)
class Approvers:
    """Who may decide on pending changes: approved, active team leads per team (approved
    memberships only), approved active administrators, the teams each account is in or
    waits to join, and who may never decide about each account (`User.access_excluded`)."""

    administrators: frozenset[int]
    leads_by_team: dict[int, frozenset[int]]
    teams_by_subject: dict[int, frozenset[int]]
    excluded_by_subject: dict[int, frozenset[int]]


def _approvers(changes: list[AccessChange]) -> Approvers:
    """Four queries, however many changes."""
    administrators = frozenset(
        User.objects.filter(
            role=Role.ADMINISTRATOR, role_approved=True, is_active=True
        ).values_list("pk", flat=True)
    )
    leads: defaultdict[int, set[int]] = defaultdict(set)
    for user_id, team_id in User.objects.filter(
        role=Role.TEAM_LEAD, role_approved=True, is_active=True, teams__active=True
    ).values_list("pk", "teams"):
        leads[team_id].add(user_id)
    subjects = {change.subject_id for change in changes if change.subject_id is not None}
    teams: defaultdict[int, set[int]] = defaultdict(set)
    for user_id, team_id in Team.members.through.objects.filter(user_id__in=subjects).values_list(
        "user_id", "team_id"
    ):
        teams[user_id].add(team_id)
    for subject_id, team_id in AccessChange.objects.filter(
        subject_id__in=subjects,
        kind=AccessChangeKind.TEAM_MEMBER,
        status=AccessChangeStatus.PENDING,
    ).values_list("subject_id", "team_id"):
        teams[subject_id].add(team_id)
    excluded: defaultdict[int, set[int]] = defaultdict(set)
    for subject_id, user_id in User.access_excluded.through.objects.filter(
        from_user_id__in=subjects
    ).values_list("from_user_id", "to_user_id"):
        excluded[subject_id].add(user_id)
    return Approvers(
        administrators=administrators,
        leads_by_team={team: frozenset(users) for team, users in leads.items()},
        teams_by_subject={user: frozenset(team_ids) for user, team_ids in teams.items()},
        excluded_by_subject={user: frozenset(ids) for user, ids in excluded.items()},
    )


def _deciders(change: AccessChange, approvers: Approvers) -> tuple[frozenset[int], Promise]:
    """The accounts that may decide on the change, and whom it waits for in words. Never the
    requester, never the account the change is about, never anyone who may have held the
    account's link (`User.access_excluded`): nobody gives themselves access."""
    excluded = {change.requested_by_id, change.subject_id}
    excluded |= approvers.excluded_by_subject.get(change.subject_id or 0, frozenset())
    administrators = approvers.administrators - excluded
    by_admin = (administrators, _("een andere beheerder"))
    if change.kind in TEAM_KINDS:
        return by_admin
    if change.kind == AccessChangeKind.ROLE:
        if change.payload.get("role") not in LEAD_APPROVABLE_ROLES:
            return by_admin
        team_ids = approvers.teams_by_subject.get(change.subject_id or 0, frozenset())
    else:
        assert change.subject is not None
        if change.subject.role not in LEAD_APPROVABLE_ROLES:
            return by_admin
        team_ids = frozenset({change.team_id}) if change.team_id is not None else frozenset()
    leads = frozenset().union(
        *(approvers.leads_by_team.get(team_id, frozenset()) for team_id in team_ids)
    )
    leads -= excluded
    if leads:
        return leads, _("een teamleider van het team")
    return by_admin


@dataclass(frozen=True)
class PendingChange:
    change: AccessChange
    description: str
    waits_for: Promise
    may_decide: bool


def access_change_describe(change: AccessChange, wijk_names: dict[int, str]) -> str:
    subject = change.subject.username if change.subject else ""
    if change.kind == AccessChangeKind.ROLE:
        role = Role(change.payload["role"]).label
        return str(_("Rol %(role)s voor %(username)s") % {"role": role, "username": subject})
    team = change.team.name if change.team else ""
    if change.kind == AccessChangeKind.TEAM_MEMBER:
        return str(_("%(username)s lid van team %(team)s") % {"username": subject, "team": team})
    if change.kind == AccessChangeKind.TEAM_ACTIVE:
        return str(_("Team %(team)s weer actief maken") % {"team": team})
    if change.kind == AccessChangeKind.TEAM_INTAKE:
        if change.payload.get("is_intake"):
            return str(_("Team %(team)s wordt intaketeam") % {"team": team})
        return str(_("Team %(team)s is geen intaketeam meer") % {"team": team})
    names = ", ".join(sorted(wijk_names.get(pk, str(pk)) for pk in change.payload["wijk_ids"]))
    return str(_("Wijken %(wijken)s voor team %(team)s") % {"wijken": names, "team": team})


def access_changes_pending_for(*, user: User) -> list[PendingChange]:
    """Pending changes: an administrator sees all of them (and may decide where the rules say
    so), a team lead only those they may decide on; nobody else any."""
    gate = gate_for(user)
    if not (gate.manage or gate.review_break_glass):
        return []
    changes = list(
        AccessChange.objects.filter(status=AccessChangeStatus.PENDING)
        .select_related("subject", "team", "requested_by")
        .order_by("requested_at", "pk")
    )
    return _pending(changes, user=user, show_all=gate.manage)


def _pending(changes: list[AccessChange], *, user: User, show_all: bool) -> list[PendingChange]:
    approvers = _approvers(changes)
    wijk_ids = {
        pk
        for change in changes
        if change.kind == AccessChangeKind.TEAM_WIJKEN
        for pk in change.payload.get("wijk_ids", [])
    }
    wijk_names = dict(Wijk.objects.filter(pk__in=wijk_ids).values_list("pk", "name"))
    rows = []
    for change in changes:
        deciders, waits_for = _deciders(change, approvers)
        may_decide = user.pk in deciders
        if may_decide or show_all:
            description = access_change_describe(change, wijk_names)
            rows.append(PendingChange(change, description, waits_for, may_decide))
    return rows


def access_change_get_for_decision(*, user: User, pk: int) -> PendingChange | None:
    """The pending change if `user` may decide on it; None if it is missing, decided, or not
    theirs to decide (one answer for all three)."""
    gate = gate_for(user)
    if not (gate.manage or gate.review_break_glass):
        return None
    change = (
        AccessChange.objects.filter(pk=pk, status=AccessChangeStatus.PENDING)
        .select_related("subject", "team", "requested_by")
        .first()
    )
    if change is None:
        return None
    rows = _pending([change], user=user, show_all=False)
    return rows[0] if rows else None


def access_changes_pending_of(
    *, subject: User | None = None, team: Team | None = None
) -> list[str]:
    """The pending changes about one account or one team, described: for the edit pages."""
    changes = AccessChange.objects.filter(status=AccessChangeStatus.PENDING).select_related(
        "subject", "team"
    )
    changes = changes.filter(subject=subject) if subject is not None else changes.filter(team=team)
    listed = list(changes.order_by("requested_at", "pk"))
    wijk_ids = {pk for change in listed for pk in change.payload.get("wijk_ids", [])}
    wijk_names = dict(Wijk.objects.filter(pk__in=wijk_ids).values_list("pk", "name"))
    return [access_change_describe(change, wijk_names) for change in listed]


def activation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def activation_link_latest(*, user: User) -> ActivationToken | None:
    """The newest link of the account: the approver sees the address it went to."""
    return ActivationToken.objects.filter(user=user).order_by("-created_at", "-pk").first()


def activation_token_user(*, token: str) -> User | None:
    """The account of an unused, unexpired activation link of an active account; else None."""
    found = (
        ActivationToken.objects.select_related("user")
        .filter(
            token_hash=activation_token_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    return found.user if found is not None else None
