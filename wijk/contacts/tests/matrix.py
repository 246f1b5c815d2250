"""Authorization matrix rows of the count-only contacts (merged by
wijk/core/tests/test_authorization_matrix.py). Registering and tallying is work of a team's
members; the overview holds aggregates only: team leads, management and the municipality."""

from __future__ import annotations

from wijk.core.tests.matrix_kit import ALLOW, NO_ARGS, PERSON_LEVEL, Kwargs, row

AGGREGATES = {"team_lead": ALLOW, "management": ALLOW, "municipality": ALLOW}

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "contacts:register": (row(PERSON_LEVEL), NO_ARGS),
    "contacts:tally": (row(PERSON_LEVEL), NO_ARGS),
    "contacts:overview": (row(AGGREGATES), NO_ARGS),
}
