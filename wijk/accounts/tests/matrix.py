"""Authorization matrix rows for the activation link (public: the token is the key) and the
approval pages (team leads and administrators, each for the changes they may decide on)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijk.accounts.models import ActivationToken, Role
from wijk.accounts.selectors import activation_token_hash
from wijk.accounts.services import team_membership_request
from wijk.core.tests.matrix_kit import ALLOW, NO_ARGS, STAFF, Kwargs, public, row

APPROVERS = {"team_lead": ALLOW, "administrator": ALLOW}
TOKEN = "matrix-activation-token-0123456789"

ACTIVATION: Kwargs = lambda objects: {"token": TOKEN}  # noqa: E731
CHANGE: Kwargs = lambda objects: {"pk": objects["access_change"].pk}  # noqa: E731

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "accounts:activate": (public(), ACTIVATION),
    "accounts:stay": (row(STAFF), NO_ARGS),
    "accounts:access_change_list": (row(APPROVERS), NO_ARGS),
    "accounts:access_change_decide": (row(APPROVERS), CHANGE),
}


def extra_objects(objects: dict[str, Any]) -> None:
    """A newcomer waiting to join the matrix team, asked for by an administrator who is not the
    one signed in (so the team's lead, or the signed-in administrator, may decide), and an
    unused activation link of that newcomer."""
    requester = objects["make_user"](Role.ADMINISTRATOR)
    newcomer = objects["make_user"](Role.PROFESSIONAL)
    objects["access_change"] = team_membership_request(
        actor=requester, team=objects["team"], user=newcomer
    )
    now = timezone.now()
    ActivationToken.objects.create(
        user=newcomer,
        token_hash=activation_token_hash(TOKEN),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )
