"""The meldcode's part of the worklist (wijk.core.worklist): open cases with their next step
due, for their coordinator ("mine") and the team leads of their team ("team")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wijk.core.worklist import Scope, WorkPart
from wijk.meldcode.selectors import meldcode_worklist_for_user


def meldcode_work(*, user: Any, scope: Scope, today: dt.date, limit: int) -> WorkPart:
    return meldcode_worklist_for_user(user=user, scope=scope, today=today, limit=limit)
