"""Reads of the feed: the deliveries made (for the management pages and the schedule), the
reference tables a delivery carries, and the record-level rows that name no person (short
contacts, activity sessions). Nothing here reads person-level data."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from wijk.activities.models import ActivitySession
from wijk.areas.models import Wijk
from wijk.contacts.models import ShortContact
from wijk.feed.models import Delivery, DeliveryStatus
from wijk.feed.tables import Row
from wijk.monitoring.indicators import IndicatorRow, row_from_json
from wijk.monitoring.models import PublishedSet

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One delivery run as the management pages show it: no personal data."""

    pk: int
    day: datetime.date
    since: datetime.date | None
    kind: str
    formats: tuple[str, ...]
    records: bool
    status: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    attempts: int
    error: str
    manifest_sha256: str
    rows: int


def recent_deliveries(limit: int = 20) -> list[DeliveryRow]:
    """The newest delivery runs first, at most `limit`."""
    return [
        DeliveryRow(
            pk=delivery.pk,
            day=delivery.day,
            since=delivery.since,
            kind=delivery.kind,
            formats=tuple(delivery.formats),
            records=delivery.records,
            status=delivery.status,
            started_at=delivery.started_at,
            finished_at=delivery.finished_at,
            attempts=delivery.attempts,
            error=delivery.error,
            manifest_sha256=delivery.manifest_sha256,
            rows=sum(delivery.row_counts.values()),
        )
        for delivery in Delivery.objects.order_by("-started_at", "-pk")[:limit]
    ]


def last_successful_day(*, directory: Path) -> datetime.date | None:
    """The day of the newest delivery that succeeded into `directory`: where a scheduled
    incremental delivery starts (its `since`)."""
    return (
        Delivery.objects.filter(directory=str(directory.resolve()), status=DeliveryStatus.SUCCEEDED)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def wijk_rows() -> Iterator[Row]:
    """The wijken (CBS code, CBS year, name, stadsdeel), in key order."""
    yield from (
        Wijk.objects.order_by("code", "source_year")
        .values_list("code", "source_year", "name", "district__name")
        .iterator(chunk_size=CHUNK)
    )


def _published(since: datetime.date | None) -> Q:
    """The sets of an incremental delivery: those made (published or corrected) on or after
    `since`."""
    return Q() if since is None else Q(computed_at__date__gte=since)


def published_set_rows(*, since: datetime.date | None) -> Iterator[Row]:
    """The published sets without their figures, in key order (unit, start, number): unit,
    start, number, end, reason, computed at, threshold, row count, checksum."""
    yield from (
        PublishedSet.objects.filter(_published(since))
        .order_by("period_unit", "period_start", "number")
        .values_list(
            "period_unit",
            "period_start",
            "number",
            "period_end",
            "reason",
            "computed_at",
            "threshold",
            "row_count",
            "checksum",
        )
        .iterator(chunk_size=CHUNK)
    )


def published_figures(
    *, since: datetime.date | None
) -> Iterator[tuple[str, datetime.date, int, list[IndicatorRow]]]:
    """The figures of each published set, one set at a time in key order (unit, start,
    number): a set is one period's figures, so memory holds a few sets at most."""
    sets = (
        PublishedSet.objects.filter(_published(since))
        .order_by("period_unit", "period_start", "number")
        .values_list("period_unit", "period_start", "number", "rows")
        .iterator(chunk_size=2)
    )
    for unit, start, number, rows in sets:
        yield unit, start, number, [row_from_json(values) for values in rows]


# ---------------------------------------------------------------------------------------------
# The record-level part (docs/adr/0050): the rows that name no person. The person-level rows
# come from their apps' selectors (requests, trajectories, decisions).

# A session may be registered after the day it was held; an incremental delivery takes the
# sessions held in this many days before `since` again, so a late registration still arrives.
SESSION_LATE_DAYS = 31


def short_contacts_for_feed(
    *, since: datetime.date | None, first_day: datetime.date
) -> Iterator[Any]:
    """The short contacts (count-only, nobody named), in the order of registration (primary
    key), as named rows: pk (internal: the feed turns it into a pseudonym), contact_date,
    channel, life_domain, wijk_code. Full: those on or after `first_day`; incremental: those
    registered or held on or after `since`."""
    wanted = (
        Q(contact_date__gte=first_day)
        if since is None
        else Q(contact_date__gte=since) | Q(registered_at__date__gte=since)
    )
    return (
        ShortContact.objects.filter(wanted)
        .order_by("pk")
        .values_list(
            "pk",
            "contact_date",
            "channel__code",
            "life_domain__code",
            "wijk__code",
            named=True,
        )
        .iterator(chunk_size=CHUNK)
    )


def activity_sessions_for_feed(
    *, since: datetime.date | None, first_day: datetime.date
) -> Iterator[Any]:
    """The sessions of group activities with their attendance (counted without persons),
    in the order of registration (primary key), as named rows: pk, activity_id (internal ids
    that the feed turns into pseudonyms), held_on, theme, target_group, wijk_code,
    attendance_total, attendance_youth. Full: those held on or after `first_day`;
    incremental: those held on or after `since` less SESSION_LATE_DAYS."""
    start = first_day if since is None else since - datetime.timedelta(days=SESSION_LATE_DAYS)
    return (
        ActivitySession.objects.filter(held_on__gte=start)
        .order_by("pk")
        .values_list(
            "pk",
            "activity_id",
            "held_on",
            "activity__theme__code",
            "activity__target_group__code",
            "activity__wijk__code",
            "attendance_total",
            "attendance_youth",
            named=True,
        )
        .iterator(chunk_size=CHUNK)
    )
