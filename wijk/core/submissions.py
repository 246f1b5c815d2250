"""A create form sent twice makes one record (ADR 0043).

A double click on "Opslaan", or a browser that sends the POST again, used to make a second
evaluation, case or letter. Every create form of wijk carries a hidden `submission_key`
(`wijk.core.forms.SubmissionKeyField`): a new UUID each time a page shows the form, the
posted one when the form comes back with its errors. The service that makes the record:

    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=Evaluation)
        ...  # the checks and writes of the service, with its access-log entry
        submission.made(evaluation)

`submission_claim` inserts the key for the acting user, first thing in the transaction. The
same user sending the same key again finds it taken: from the first request's committed row
(a repeat later on), or by waiting on the unique index until the first request commits (two
at once). Either way it raises `SubmittedBefore`, naming the record made the first time; the
second transaction, and everything it wrote, is rolled back. The view catches it and sends
the user to that record (`SUBMITTED_BEFORE` says why), never to an error page.

The key is bound to the user: another account sending the same key claims a key of its own,
so a replayed key tells nothing and leads nowhere. A key that named a record of another kind
(a hand-made request) is refused as a form that was not sent properly."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from wijk.core.errors import ValidationFailed
from wijk.core.forms import SubmissionForm
from wijk.core.models import FormSubmission

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from wijk.accounts.models import User

SUBMITTED_BEFORE = _("U had dit formulier al verstuurd. Het is één keer opgeslagen.")
NOT_SENT_PROPERLY = _(
    "Dit formulier is niet goed verstuurd. Laad de pagina opnieuw en probeer het nog eens."
)


class SubmittedBefore(Exception):
    """The acting user sent this form before; `record_id` is the record it made then."""

    def __init__(self, record_id: int) -> None:
        super().__init__(record_id)
        self.record_id = record_id


@dataclass(frozen=True)
class Submission:
    """A claimed key (or none: a form sent without one, a service called from code)."""

    row: FormSubmission | None

    def made(self, record: Model) -> None:
        """Name the record this sending made, at the end of the service's transaction."""
        if self.row is not None:
            self.row.object_id = record.pk
            self.row.save(update_fields=["object_id"])


def submission_claim(*, actor: User, key: uuid.UUID | None, model: type[Model]) -> Submission:
    """Claim `key` for `actor` inside the calling service's transaction, for a record of
    `model`; SubmittedBefore when the actor sent it before (see the module's docstring).
    Without a key nothing is claimed and nothing is refused."""
    if key is None:
        return Submission(row=None)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submission_claim belongs inside the service's transaction")
    label = model._meta.label_lower
    try:
        with transaction.atomic():
            row = FormSubmission.objects.create(user_id=actor.pk, key=key, model=label)
    except IntegrityError:
        earlier = (
            FormSubmission.objects.filter(
                user_id=actor.pk, key=key, model=label, object_id__isnull=False
            )
            .values_list("object_id", flat=True)
            .first()
        )
        if earlier is None:
            raise ValidationFailed(NOT_SENT_PROPERLY) from None
        raise SubmittedBefore(earlier) from None
    return Submission(row=row)


def submission_sent_before(*, actor: User, key: uuid.UUID | None) -> bool:
    """Whether `actor` sent the form with `key` before and it made its record: for a view
    whose form cannot be valid a second time (the first sending changed its choices: a reader
    added is no longer offered), so that it leads to the record instead of an error."""
    if key is None:
        return False
    return FormSubmission.objects.filter(
        user_id=actor.pk, key=key, object_id__isnull=False
    ).exists()


def post_sent_before(request: HttpRequest) -> bool:
    """Whether this request is a POST of a form the signed-in user sent before and that made
    its record (its `submission_key`): for a page that no longer takes the form once the
    first sending was saved (the household has its plan now, the investigation is finished),
    so that it leads to what the first sending made instead of to a refusal."""
    if request.method != "POST":
        return False
    sent = SubmissionForm(request.POST)
    key = sent.cleaned_data["submission_key"] if sent.is_valid() else None
    return submission_sent_before(actor=request.user, key=key)  # type: ignore[arg-type]
