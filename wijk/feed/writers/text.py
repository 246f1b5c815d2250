"""One way to write a value as text, shared by the CSV, XML and SQL writers: ISO 8601 dates,
moments in UTC with a Z, booleans as true/false, numbers as Python writes them back exactly."""

from __future__ import annotations

import datetime
import math

from wijk.feed.tables import FeedDataError


def value_text(value: object) -> str:
    """The text of a non-empty value (None is handled by each format)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return moment_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FeedDataError("a number that is not finite")
        return repr(value)
    return str(value)


def moment_text(value: datetime.datetime) -> str:
    utc = value.astimezone(datetime.UTC)
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return utc.strftime(pattern)
