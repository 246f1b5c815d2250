"""What each role may do: the one table the access gate and the views read.

- professional and team lead: person-level data of residents in their teams' wijken and of
  residents assigned to them; others only by breaking the glass with a recorded reason.
- management and municipality: aggregates only, never person-level data.
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
    "management": Gate(aggregates=True, team_counts=True, city_flows=True),
    "municipality": Gate(aggregates=True, city_flows=True),
    "administrator": Gate(manage=True),
}

# Team membership grants access to the team's residents: only roles with that access join teams.
TEAM_MEMBER_ROLES = frozenset(role for role, gate in GATES.items() if gate.person_level)


def gate_for(user: User | Any) -> Gate:
    """The gate of an authenticated, active, TOTP-verified staff user; NO_ACCESS otherwise."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or not is_verified():
        return NO_ACCESS
    return GATES.get(user.role, NO_ACCESS)
