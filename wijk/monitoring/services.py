"""Publishing a period's figures: the set delivered to the municipality, frozen
(docs/adr/0044). Writes only what the indicators computed; nothing here reads a person."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijk.core.disclosure import current_threshold
from wijk.monitoring.indicators import municipality_rows, row_to_json, rows_checksum
from wijk.monitoring.models import PublishedSet
from wijk.monitoring.selectors import Period, latest_published_sets

if TYPE_CHECKING:
    from wijk.accounts.models import User

log = structlog.get_logger(__name__)

REASON_MIN_WORDS = 3


class PublishRefused(Exception):
    """Why a set cannot be published, in plain Dutch."""


def published_set_make(
    *,
    period: Period,
    actor: User | None,
    reason: str = "",
    today: datetime.date | None = None,
) -> PublishedSet:
    """Freeze the municipality's figures of a period that has ended. When the latest set of
    the period holds the same figures, that set is the answer and nothing is written (a rerun
    of a delivery publishes nothing twice). Different figures make a correction: a new set
    with the next number, which needs a reason of a few words; the earlier set stays."""
    today = today or timezone.localdate()
    if period.end > today:
        raise PublishRefused(_("Een periode wordt pas gepubliceerd als ze voorbij is."))
    # A quarter or year of an indicator that adds up is the sum of its months as they were
    # published, never counted anew: it less its published months would tell a late
    # registration (one resident, in one wijk and month).
    found = municipality_rows(periods=[period], today=today, fresh=True)
    rows = [row_to_json(row) for row in found]
    checksum = rows_checksum(rows)
    latest = (
        PublishedSet.objects.filter(period_unit=period.unit, period_start=period.start)
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.checksum == checksum:
        return latest
    reason = " ".join(reason.split())
    if latest is not None and len(reason.split()) < REASON_MIN_WORDS:
        raise PublishRefused(
            _(
                "De cijfers van deze periode zijn al gepubliceerd en nu anders. Schrijf in een "
                "paar woorden waarom ze gecorrigeerd worden."
            )
        )
    versions: dict[str, int] = {}
    for row in rows:
        versions.setdefault(row["indicator"], row["version"])
    try:
        with transaction.atomic():
            made = PublishedSet.objects.create(
                period_unit=period.unit,
                period_start=period.start,
                period_end=period.end,
                number=1 if latest is None else latest.number + 1,
                reason=reason if latest is not None else "",
                computed_at=timezone.now(),
                published_by=actor,
                threshold=current_threshold(),
                versions=versions,
                rows=rows,
                row_count=len(rows),
                checksum=checksum,
            )
    except IntegrityError:
        # Another process published the period at the same moment: its set is the answer
        # when it holds the same figures.
        latest = (
            PublishedSet.objects.filter(period_unit=period.unit, period_start=period.start)
            .order_by("-number")
            .first()
        )
        if latest is not None and latest.checksum == checksum:
            return latest
        raise
    log.info(
        "published_set_made",
        published_set_id=made.pk,
        period_unit=period.unit,
        period_start=period.start.isoformat(),
        number=made.number,
        user_id=getattr(actor, "pk", None),
    )
    return made


def published_sets_ensure(*, periods: Iterable[Period], today: datetime.date) -> int:
    """Publish each of `periods` that has ended and has no set yet (the first delivery of a
    period freezes it); a period with a set keeps it, even when the records changed since (a
    correction needs a person and a reason: `published_set_make`). The number of sets made."""
    ended = [period for period in periods if period.end <= today]
    have = latest_published_sets(ended, with_rows=False)
    made = 0
    for period in ended:
        if period not in have:
            published_set_make(period=period, actor=None, today=today)
            made += 1
    return made
