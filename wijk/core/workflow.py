"""One lifecycle mechanism for every app that has one (requests, trajectories, …).

An app keeps its states and its transition table in its own `workflow.py`, and its history
table as a concrete subclass of `StatusHistory`. It describes the three together, with the
queryset that holds its visibility rule, in one `Workflow`; `Workflow.transition` then does
what every status change needs, in this order and nowhere else:

1. lock the record through the visibility rule (`select_for_update` on `visible(actor)`), so
   a record the actor may not see is missing (`NotFoundError`), exactly as when reading it;
2. check the step against the app's table (`TransitionRefused`, one error for every app);
3. let the calling service check and set its own fields on the locked record (`apply`);
4. append the history row with the next sequence number and move the record's status;
5. write one access-log entry naming the record, the history row and whatever `apply` wrote.

The history is append-only: each table gets the database trigger of `append_only`, as the
access log has, so UPDATE and DELETE on it are refused by the database itself.

Who holds a record (a request's professional, a trajectory's coordinator) is not a status:
an app that hands its records out names the holder field and a concrete `AssignmentHistory`
in its `Workflow`, and `Workflow.reassign` changes the holder, appends the history row and
writes the access-log entry, inside the calling service's transaction, after `lock`.

This module knows no app: the foundation must not depend on person-level apps. The caller is
the app's service, which checks the role's gate and holds the outermost, durable transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import migrations, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, TransitionRefused, ValidationFailed
from wijk.core.models import AccessEvent

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

REASON_MAX_LENGTH = 200  # as the message in Workflow.transition says


class StatusHistory(models.Model):
    """One row per status a record has had: append-only, numbered per record from 1.

    A concrete subclass adds the foreign key to its record, names it in `subject_field`, and
    declares the unique constraint on (that field, seq); it may narrow `status` to its
    choices. `by` is empty only for a step taken by no user (the public form's receipt)."""

    subject_field: ClassVar[str]

    seq = models.PositiveIntegerField()
    status = models.CharField(max_length=16)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True


ASSIGNMENT_REASON_MAX_LENGTH = 1000


class AssignmentHistory(models.Model):
    """One row per change of who holds a record (a request's professional, a trajectory's
    coordinator): append-only, like StatusHistory, and written by `Workflow.reassign` only.

    A concrete subclass adds the foreign key to its record and names it in `subject_field`.
    `assignee` is empty when the record went back to its team's queue, `previous` when nobody
    had it before; `reason` is free text the person who changed it gave (where asked)."""

    subject_field: ClassVar[str]

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=ASSIGNMENT_REASON_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Workflow[S: models.Model]:
    """An app's lifecycle: its states, its transition table (state → allowed next states),
    its history model, the queryset that holds its visibility rule, and how the record is
    named in a message ("de hulpvraag"). The record keeps its current state in `status`."""

    states: type[models.TextChoices]
    transitions: Mapping[str, frozenset[str]]
    initial: str
    history: type[StatusHistory]
    visible: Callable[[Any], models.QuerySet[S]]
    noun: str | Promise
    resident_field: str = "resident_id"
    # Who holds the record: its user field and the history of changes to it (reassign).
    holder_field: str = ""
    assignments: type[AssignmentHistory] | None = None

    def lock(self, *, subject: S, actor: Any) -> S:
        """The record, locked until the transaction ends, if the actor may see it; otherwise
        the same NotFoundError as for a record that does not exist."""
        locked = self.visible(actor).select_for_update(of=("self",)).filter(pk=subject.pk).first()
        if locked is None:
            raise NotFoundError
        return locked

    def start(self, *, subject: S, by: Any) -> StatusHistory:
        """The first history row of a record just created in its initial state."""
        assert getattr(subject, "status") == self.initial  # noqa: B009
        return self.history._default_manager.create(
            **{self.history.subject_field: subject}, seq=1, status=self.initial, by=by
        )

    def allowed(self, *, source: str, to: str) -> bool:
        return to in self.transitions.get(source, frozenset())

    def transition(
        self,
        *,
        subject: S,
        to: str,
        actor: Any,
        reason: str = "",
        apply: Callable[[S], Iterable[models.Model]] | None = None,
        fields: Sequence[str] = (),
    ) -> S:
        """Move `subject` to `to` for `actor` (see the module docstring), inside the calling
        service's transaction. `apply` gets the locked record after the step is allowed: it
        may refuse with ValidationFailed, set the `fields` it names, and return the other
        rows it wrote, which the access-log entry names too. Returns the locked record."""
        reason = " ".join(reason.split())
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationFailed(
                fields={"reason": str(_("Schrijf de toelichting in hooguit 200 tekens."))}
            )
        with transaction.atomic():
            locked = self.lock(subject=subject, actor=actor)
            source = str(getattr(locked, "status"))  # noqa: B009
            if not self.allowed(source=source, to=str(to)):
                message = _("Deze stap kan niet: %(subject)s heeft nu de status %(status)s.") % {
                    "subject": self.noun,
                    "status": str(self.states(source).label).lower(),
                }
                raise TransitionRefused(message, fields={"to": message})
            touched = list(apply(locked)) if apply is not None else []
            history = self.history._default_manager
            last = history.filter(**{self.history.subject_field: locked}).aggregate(
                last=Max("seq")
            )["last"]
            change = history.create(
                **{self.history.subject_field: locked},
                seq=(last or 0) + 1,
                status=str(to),
                by=actor,
                reason=reason,
            )
            setattr(locked, "status", str(to))  # noqa: B010
            locked.save(update_fields=["status", *fields])
            access_log_record(
                actor=actor,
                event=AccessEvent.UPDATE,
                resident_id=getattr(locked, self.resident_field),
                objects=[locked, change, *touched],
            )
        return locked

    def reassign(
        self,
        *,
        subject: S,
        to: Any | None,
        actor: Any,
        reason: str = "",
        touched: Iterable[models.Model] = (),
        fields: Sequence[str] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> AssignmentHistory:
        """Give the record, locked by `lock` inside the calling service's transaction, to the
        user `to` (None: back to the team's queue): set its holder field, append the
        assignment history row and write one access-log entry naming the record, the row and
        the other rows the service wrote (`touched`). The service checks who may do this and
        to whom; a change to whom it already has is not a change and is not called for.
        A holder that is not a user (a plan's external coordinator) is the record's `fields`,
        which the service set on the locked record, and the history row's `extra` fields."""
        assert self.assignments is not None and self.holder_field
        previous_id = getattr(subject, f"{self.holder_field}_id")
        setattr(subject, self.holder_field, to)
        subject.save(update_fields=[self.holder_field, *fields])
        change = self.assignments._default_manager.create(
            **{self.assignments.subject_field: subject},
            assignee=to,
            previous_id=previous_id,
            by=actor,
            reason=reason,
            **(extra or {}),
        )
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            resident_id=getattr(subject, self.resident_field),
            objects=[subject, change, *touched],
        )
        return change


# -- the database guard -------------------------------------------------------------------------


def _guard_sql(table: str) -> tuple[list[str], list[str]]:
    return (
        [
            f"""CREATE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the history is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;""",
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();""",
        ],
        [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_refuse_change();",
        ],
    )


def _sqlite_guard_sql(table: str) -> tuple[list[str], list[str]]:
    return (
        [
            f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
    BEGIN SELECT RAISE(ABORT, 'the history is append-only: {op} refused'); END;"""
            for op in ("UPDATE", "DELETE")
        ],
        [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")],
    )


def append_only(table: str) -> migrations.RunPython:
    """A migration operation that makes the database refuse UPDATE and DELETE on a history
    table, as wijk.core migration 0002 does for the access log."""

    def statements(vendor: str) -> tuple[list[str], list[str]]:
        if vendor == "postgresql":
            return _guard_sql(table)
        if vendor == "sqlite":
            return _sqlite_guard_sql(table)
        raise RuntimeError(f"No append-only trigger for the {vendor} database")

    def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in statements(schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement)

    def reverse(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in statements(schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement)

    return migrations.RunPython(forward, reverse)
