"""The investigations' part of the one worklist (wijk.core.worklist, ADR 0037), registered in
InvestigationsConfig.ready(): investigations started and not finished, of open requests
("investigation"), due on the request's six-week deadline (Wmo 2015 art. 2.3.2)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.access import model_ref
from wijk.core.templatetags.table_rows import pk_url_builder
from wijk.core.worklist import Scope, WorkItem, WorkPart
from wijk.investigations.models import Investigation
from wijk.investigations.selectors import investigations_due_for_user


def investigation_work(*, user: User, scope: Scope, today: datetime.date, limit: int) -> WorkPart:
    """Mine: the unfinished investigations of the open requests assigned to the user; team:
    those of the requests of the user's active teams, whoever has them."""
    if not gate_for(user).person_level:
        return WorkPart(items=())
    team_scope = scope == "team"
    listed = investigations_due_for_user(user=user, team_scope=team_scope, limit=limit)
    detail_url = pk_url_builder("investigations:detail")
    items = [
        WorkItem(
            kind="investigation",
            due=row.due,
            title=gettext("Onderzoek bij hulpvraag %(reference)s afronden")
            % {"reference": row.reference},
            resident_name=row.resident_name,
            url=detail_url(row.pk),
            holder_name=row.holder_name,
            ref=model_ref(Investigation, row.pk),
        )
        for row in listed.rows
    ]
    return WorkPart(
        items=items,
        more=listed.more,
        # No list of its own: the worklist with this kind only (still at most `limit`).
        more_url=reverse("core:team_work" if team_scope else "core:work") + "?soort=investigation",
        more_label=gettext("Alleen de onderzoeken die nog niet zijn afgerond"),
    )
