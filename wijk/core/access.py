"""The access gate's moves that every selector makes, written once: get a visible record or
refuse, log a read, log a list shown, log a refusal.

Each helper takes the queryset or model it is about; the access-log object references
("app_label.model:pk") are built here and nowhere else. The queryset passed in already holds
the app's visibility rule (`Model.objects.visible_to(user)`): this module knows no
person-level app, it only applies the one answer for missing and forbidden records
(NotFoundError, ADR 0004) and writes the access log (wijk.core.audit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet

from wijk.core.audit import access_log_record, object_ref
from wijk.core.audit import model_ref as model_ref  # selectors take every helper from here
from wijk.core.errors import NotFoundError
from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome

if TYPE_CHECKING:
    from wijk.accounts.models import User


def refs_with_resident(objects: Iterable[Model], *, field: str = "resident") -> list[str]:
    """Each record followed by the resident it belongs to (its foreign key `field`, read by
    id, so nothing more is loaded); records without a resident name only themselves."""
    refs: list[str] = []
    for obj in objects:
        refs.append(object_ref(obj))
        resident_id = getattr(obj, f"{field}_id")
        if resident_id is not None:
            related = obj._meta.get_field(field).related_model
            assert isinstance(related, type)
            refs.append(model_ref(related, resident_id))
    return refs


def log_refusal(
    *,
    user: User,
    event: AccessEvent,
    model: type[Model] | None = None,
    pk: object = None,
    resident_id: int | None = None,
) -> None:
    """A refused access: to record `pk` of `model`, or (without them) to a list or page. The
    entry survives the rollback of the request's transaction (see wijk.core.audit)."""
    access_log_record(
        actor=user,
        event=event,
        resident_id=resident_id,
        objects=[model_ref(model, pk)] if model is not None and pk is not None else [],
        outcome=AccessOutcome.REFUSED,
    )


def require_or_refuse(
    allowed: bool, *, user: User, event: AccessEvent = AccessEvent.SEARCH
) -> None:
    """Refuse (logged, NotFoundError) unless `allowed`: for the role checks in front of a
    list or a page of person-level data."""
    if not allowed:
        log_refusal(user=user, event=event)
        raise NotFoundError


def log_read(
    *,
    user: User,
    objects: Iterable[Model | str],
    resident_id: int | None = None,
    event: AccessEvent = AccessEvent.READ,
    reason: str = "",
    flagged: bool = False,
) -> None:
    """A successful access to the records in `objects` (instances, or `model_ref`s), about
    the resident `resident_id`, in the caller's transaction."""
    access_log_record(
        actor=user,
        event=event,
        resident_id=resident_id,
        objects=objects,
        reason=reason,
        flagged=flagged,
    )


def log_list(
    *,
    user: User,
    objects: Iterable[Model | str],
    event: AccessEvent = AccessEvent.SEARCH,
    reason: str = "",
) -> None:
    """One entry for a list shown (or a search made), naming every record on it (instances,
    `model_ref`s or `refs_with_resident`), in the caller's transaction. `reason` tells such
    entries apart where they are counted (the duplicate check, ADR 0017)."""
    access_log_record(actor=user, event=event, objects=objects, reason=reason)


def visible_or_refuse[M: Model](
    *, queryset: QuerySet[M], pk: int, user: User, event: AccessEvent = AccessEvent.READ
) -> M:
    """Record `pk` of `queryset` (which holds the visibility rule), or a logged refusal and
    NotFoundError: the same answer for a record that is missing and one that may not be
    seen. The read itself is not logged: the caller does that with `log_read` once it knows
    everything it shows (or uses `get_visible_or_refuse`)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        log_refusal(user=user, event=event, model=queryset.model, pk=pk)
        raise NotFoundError
    return obj


def get_visible_or_refuse[M: Model](
    *,
    queryset: QuerySet[M],
    pk: int,
    user: User,
    event: AccessEvent = AccessEvent.READ,
    resident_field: str | None = "resident",
) -> M:
    """`visible_or_refuse`, and the read logged: the record and, by `resident_field` (its
    foreign key to the resident it is about, None for none), that resident."""
    obj = visible_or_refuse(queryset=queryset, pk=pk, user=user, event=event)
    if resident_field is None:
        log_read(user=user, objects=[obj], event=event)
    else:
        log_read(
            user=user,
            objects=refs_with_resident([obj], field=resident_field),
            resident_id=getattr(obj, f"{resident_field}_id"),
            event=event,
        )
    return obj


# Apps whose records are written to the access log like any other, but never shown in an
# overview of it: that such a record exists is itself what must not be told (the meldcode,
# ADR 0039). Each app seals itself in its AppConfig.ready, so this module names none.
_SEALED_APPS: set[str] = set()


def access_log_seal(app_label: str) -> None:
    """Keep every access-log entry that names a record of `app_label` out of the overviews
    (`overview_entries`). The entries are written, chained and verified as every entry; only
    reading the log itself (the audit, `wijk audit`) shows them."""
    _SEALED_APPS.add(app_label)


def overview_entries(entries: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
    """`entries` without the ones naming a record of a sealed app: for every page that lists
    access-log entries to people (the resident's "who looked at this file"), whoever reads
    it, so that the list never hints at a sealed record. An entry names its records as
    "app_label.model:pk" in a JSON list: the text of the list holds `"app_label.`."""
    for label in sorted(_SEALED_APPS):
        entries = entries.exclude(objects_touched__icontains=f'"{label}.')
    return entries
