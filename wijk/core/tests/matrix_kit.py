"""Building blocks of the authorization matrix, shared by the core matrix and the rows each
app keeps in its own `tests/matrix.py` (ROWS, and optionally extra_objects(objects) that adds
the records its URLs need)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijk.accounts.models import Role

# Besides the visitor and every role: a system with an API client's token (wijk.api), which is
# no account and signs in to no page; `objects["api_client_http"]` is its client.
API_CLIENT = "api_client"
ROLES = ["anonymous", *[role.value for role in Role], API_CLIENT]
PUBLIC = "public"
ALLOW = "allow"
DENY = "deny"
PERSON_LEVEL = {"professional": ALLOW, "team_lead": ALLOW}
MANAGE = {"administrator": ALLOW}
TEAM_LEAD = {"team_lead": ALLOW}
STAFF = {role.value: ALLOW for role in Role}
# The API's endpoints: its clients only; a session of any role gets 401.
API = {API_CLIENT: ALLOW}


def row(allowed: dict[str, str]) -> dict[str, str]:
    return {role: allowed.get(role, DENY) for role in ROLES}


def public() -> dict[str, str]:
    return dict.fromkeys(ROLES, PUBLIC)


# URL name -> (expected per role, how to fill in its arguments from the fixtures)
Kwargs = Callable[[dict[str, Any]], dict[str, Any]]
NO_ARGS: Kwargs = lambda objects: {}  # noqa: E731
RESIDENT: Kwargs = lambda objects: {"pk": objects["resident"].pk}  # noqa: E731
