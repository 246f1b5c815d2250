"""The data-quality report's figures (seed 002 §8.2, docs/adr/0047-the-data-quality-report.md):
per check, how many records fail it, for the whole city and per wijk. Counts only, never a
record: the checks and their counting live in the apps that own the records
(`wijk.core.quality`); this module lays the counts out as one table and protects it.

`quality_summary(today)` needs no user: the daily feed carries its rows in every delivery.
By default the table is protected as everything the municipality sees is (primary and
secondary suppression, `wijk.core.disclosure`): each record is about one resident, so a
count of 1 to 4 in a wijk could point at one. `exact=True` gives the consortium's own view
(management).

A check whose count is the sum of figures the municipality sees elsewhere, each protected on
its own, is never given to it (SUMS_OF_PROTECTED_FIGURES): every request without a buurt is
one of the unknown wijk's requests in the month it came in (the deadline figures, per month
and wijk), so their count of all time, less the months shown, would tell the month hidden;
likewise the running trajectories of residents without an address (inflow less outflow).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from wijk.core.disclosure import HIDDEN, Figure, protect_table
from wijk.core.quality import QualityCheck, city_counts, quality_checks
from wijk.monitoring.selectors import UNKNOWN_WIJK, WijkOption, wijk_options

AREA_CITY, AREA_WIJK = "stad", "wijk"

# Checks whose count the municipality could work out from protected figures of its own, month
# by month in the wijk "onbekend" (wijk.monitoring.indicators): the requests without a buurt
# are those of the deadline figures; the running trajectories of residents without an
# address are those that began there (inflow by reason) less those that ended (outflow by
# reason). Every count of them but 0 is hidden from it.
SUMS_OF_PROTECTED_FIGURES = frozenset(
    {"request_without_buurt", "trajectory_resident_without_address"}
)


@dataclass(frozen=True, slots=True)
class QualityCount:
    """How many records fail one check, in the city (`area_level` "stad", `area_code` "")
    or in one wijk (its CBS code, or "onbekend" for records without a known wijk). `value`
    is None unless `status` is "shown" ("small": 1 to the threshold - 1; "hidden": hidden so
    that a small count cannot be worked out)."""

    check: str
    category: str
    area_level: str
    area_code: str
    value: int | None
    status: str


@dataclass(frozen=True, slots=True)
class QualityFigures:
    """One check's figures as a page shows them: the city's and one per wijk code."""

    check: QualityCheck
    city: Figure
    per_wijk: dict[str, Figure]


def _table(
    today: datetime.date, *, exact: bool
) -> tuple[list[QualityCheck], list[str], list[QualityFigures]]:
    checks = quality_checks()
    wijk_codes = [option.code for option in wijk_options()] + [UNKNOWN_WIJK]
    found = city_counts(today=today)
    cells = [
        [found.get((check.code, "" if code == UNKNOWN_WIJK else code), 0) for code in wijk_codes]
        for check in checks
    ]
    if not checks:
        return checks, wijk_codes, []
    table = protect_table(cells, suppress=not exact)
    figures = [
        QualityFigures(
            check=check,
            city=table.row_totals[index],
            per_wijk=dict(zip(wijk_codes, table.cells[index], strict=True)),
        )
        for index, check in enumerate(checks)
    ]
    if not exact:
        figures = [
            _hidden(row) if row.check.code in SUMS_OF_PROTECTED_FIGURES else row for row in figures
        ]
    return checks, wijk_codes, figures


def _hidden(row: QualityFigures) -> QualityFigures:
    """A check's figures with every count but 0 hidden: each is a total of figures shown
    elsewhere, and a total reads "verborgen", never "< 5" (an upper bound on its parts,
    ADR 0011). Hiding more than the table's protection does gives nothing away."""

    def figure(shown: Figure) -> Figure:
        return shown if shown.shown and shown.value == 0 else HIDDEN

    return QualityFigures(
        check=row.check,
        city=figure(row.city),
        per_wijk={code: figure(value) for code, value in row.per_wijk.items()},
    )


def quality_figures(today: datetime.date, *, exact: bool) -> list[QualityFigures]:
    """Per check (in the report's order) the city's figure and the wijken's, protected
    unless `exact`."""
    return _table(today, exact=exact)[2]


def quality_summary(
    today: datetime.date | None = None, *, exact: bool = False
) -> list[QualityCount]:
    """Per check: the city's count, then one per wijk (by CBS code, "onbekend" last), as the
    municipality may see them unless `exact`. No user, no record, no person."""
    today = today or timezone.localdate()
    rows: list[QualityCount] = []
    for figures in quality_figures(today, exact=exact):
        areas = [(AREA_CITY, "", figures.city)] + [
            (AREA_WIJK, code, figure) for code, figure in figures.per_wijk.items()
        ]
        rows += [
            QualityCount(
                check=figures.check.code,
                category=str(figures.check.category),
                area_level=level,
                area_code=code,
                value=figure.value if figure.shown else None,
                status=str(figure.status),
            )
            for level, code, figure in areas
        ]
    return rows


def wijk_name(wijken: list[WijkOption], code: str | None) -> str | None:
    """The name of the wijk `code` among `wijken`, or None."""
    return next((option.name for option in wijken if option.code == code), None)
