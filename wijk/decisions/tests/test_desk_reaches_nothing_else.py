"""The decision desk's column of the authorization matrix: deny on every page except its own
queue pages and the pages every staff member has (the start page, staying signed in). The
matrix itself checks each cell against the running application; this checks the column
(ADR 0040)."""

from __future__ import annotations

from wijk.accounts.models import Role
from wijk.core.tests.matrix_kit import ALLOW, PUBLIC
from wijk.core.tests.test_authorization_matrix import MATRIX
from wijk.decisions.tests.matrix import ROWS

DESK = Role.MUNICIPALITY_DECISIONS.value
STAFF_ROLES = [role.value for role in Role]


def test_the_desk_is_allowed_only_its_own_pages_and_the_staff_pages() -> None:
    allowed = {name for name, (expected, _kwargs) in MATRIX.items() if expected[DESK] == ALLOW}
    own = {name for name, (expected, _kwargs) in ROWS.items() if expected[DESK] == ALLOW}
    every_staff = {
        name
        for name, (expected, _kwargs) in MATRIX.items()
        if all(expected[role] in (ALLOW, PUBLIC) for role in STAFF_ROLES)
    }
    assert own == {"decisions:queue", "decisions:desk_case", "decisions:desk_draft"}
    assert allowed - every_staff == own
    for name in every_staff - own:
        assert not name.startswith(("residents:", "plans:", "letters:", "investigations:"))
    for name in own:
        expected = MATRIX[name][0]
        assert all(expected[role] != ALLOW for role in STAFF_ROLES if role != DESK), name
