"""Authorization matrix rows of the feed's page (merged by
wijk/core/tests/test_authorization_matrix.py): the deliveries are management's to watch and to
start; everyone else gets 404."""

from __future__ import annotations

from wijk.core.tests.matrix_kit import ALLOW, NO_ARGS, Kwargs, row

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "feed:deliveries": (row({"management": ALLOW}), NO_ARGS),
}
