"""What each role may do: the one table the access gate and the views read.

- professional and team lead: person-level data of residents in their teams' wijken and of
  residents assigned to them; others only by breaking the glass with a recorded reason.
- management and municipality: aggregates only, never person-level data.
- municipality's decision desk (Wmo-besluiten): no person-level data of any resident except
  what the consortium placed in the desk's queue: the draft decision, the signed plan version
  and the investigation report of each case placed (docs/adr/0040).
- administrator: manages accounts, areas, reference lists, organisations and teams; no
  person-level data (see docs/adr/0004-access-model.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wijk.accounts.models import User


@dataclass(frozen=True)
class Gate:
    person_level: bool = False
    break_glass: bool = False
    review_break_glass: bool = False
    # Overviews of everything the user's teams have open (team leads).
    oversee_teams: bool = False
    manage: bool = False
    # Counts and shares per team, wijk and month: never a person.
    aggregates: bool = False
    # Which aggregate pages (monitoring): counts per team, and the city's inflow and outflow.
    team_counts: bool = False
    city_flows: bool = False
    # Aggregates over every team; without it, over the user's own active teams only.
    all_teams: bool = False
    # The municipality's decision desk: the cases placed in its queue, and nothing else of a
    # resident (docs/adr/0040). Not person-level access: no file, no search, no team.
    decision_desk: bool = False


NO_ACCESS = Gate()

GATES: dict[str, Gate] = {
    "professional": Gate(person_level=True, break_glass=True),
    "team_lead": Gate(
        person_level=True,
        break_glass=True,
        review_break_glass=True,
        oversee_teams=True,
        aggregates=True,
        team_counts=True,
    ),
    "management": Gate(aggregates=True, team_counts=True, city_flows=True, all_teams=True),
    "municipality": Gate(aggregates=True, city_flows=True, all_teams=True),
    "administrator": Gate(manage=True),
    "municipality_decisions": Gate(decision_desk=True),
}

# Team membership grants access to the team's residents: only roles with that access join teams.
TEAM_MEMBER_ROLES = frozenset(role for role, gate in GATES.items() if gate.person_level)

# Roles that give person-level access (the decision desk reaches the person data of its queue),
# or the right to approve changes that do: giving one to an account takes effect only once a
# second person approves it (docs/adr/0019, 0040).
APPROVAL_ROLES = frozenset(
    role for role, gate in GATES.items() if gate.person_level or gate.decision_desk or gate.manage
)
# Who decides on such changes: team leads for their teams, administrators otherwise.
APPROVER_ROLES = frozenset(
    role for role, gate in GATES.items() if gate.review_break_glass or gate.manage
)


def role_change_needs_approval(*, old_role: str, new_role: str, old_approved: bool) -> bool:
    """Whether moving an account from `old_role` to `new_role` waits for a second person: when
    the new role is one of APPROVAL_ROLES and gives something the old one (if approved) did not."""
    if new_role not in APPROVAL_ROLES:
        return False
    if not old_approved and old_role in APPROVAL_ROLES:
        return True
    old, new = GATES.get(old_role, NO_ACCESS), GATES[new_role]
    return any(getattr(new, name) and not getattr(old, name) for name in Gate.__dataclass_fields__)


def gate_for(user: User | Any) -> Gate:
    """The gate of an authenticated, active, TOTP-verified staff user; NO_ACCESS otherwise."""
    if not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or not is_verified():
        return NO_ACCESS
    return account_gate(user)


def account_gate(user: User | None) -> Gate:
    """The gate an account's role gives, without a signed-in session: for work done in the
    background on behalf of the person who asked for it (wijk.core.background), checked when
    the work runs. An inactive account, or a role waiting for approval, gets NO_ACCESS."""
    if user is None or not user.is_active:
        return NO_ACCESS
    if user.role in APPROVAL_ROLES and not user.role_approved:
        return NO_ACCESS  # waiting for a second person's approval (docs/adr/0019)
    return GATES.get(user.role, NO_ACCESS)
