"""Reads of area data shared by other apps (no person-level data here)."""

from __future__ import annotations

from django.db.models import Max

from wijk.areas.models import Wijk


def wijk_newest_year() -> int | None:
    """The newest CBS year loaded: teams and new registrations use its wijken."""
    year: int | None = Wijk.objects.aggregate(year=Max("source_year"))["year"]
    return year
