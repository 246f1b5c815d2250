"""The requests' part of the one worklist (wijk.core.worklist, ADR 0037), registered in
RequestsConfig.ready(): open requests waiting for their first contact ("first_contact"), due
on the request's first-contact deadline (five working days after receipt)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.access import model_ref
from wijk.core.templatetags.table_rows import pk_url_builder
from wijk.core.worklist import Scope, WorkItem, WorkPart
from wijk.requests.models import HelpRequest
from wijk.requests.selectors import first_contacts_due_for_user

# How much of the question a worklist row shows (the request's page shows all of it).
TITLE_QUESTION_CHARS = 60


def first_contact_work(*, user: User, scope: Scope, today: datetime.date, limit: int) -> WorkPart:
    """Mine: the open requests assigned to the user without first contact; team: those of
    the user's active teams, whoever has them (nobody: the team's queue)."""
    if not gate_for(user).person_level:
        return WorkPart(items=())
    team_scope = scope == "team"
    listed = first_contacts_due_for_user(user=user, team_scope=team_scope, limit=limit)
    detail_url = pk_url_builder("requests:detail")
    items = [
        WorkItem(
            kind="first_contact",
            due=row.first_contact_due,
            title=gettext("Hulpvraag %(reference)s: %(question)s")
            % {
                "reference": row.reference,
                "question": Truncator(row.question).chars(TITLE_QUESTION_CHARS),
            },
            resident_name=row.resident_name,
            url=detail_url(row.pk),
            holder_name=row.assignee_name,
            ref=model_ref(HelpRequest, row.pk),
        )
        for row in listed.rows
    ]
    return WorkPart(
        items=items,
        more=listed.more,
        more_url=reverse("requests:team_worklist" if team_scope else "requests:worklist"),
        more_label=(
            gettext("Werklijst van hulpvragen van mijn teams")
            if team_scope
            else gettext("Mijn werklijst van hulpvragen")
        ),
    )
