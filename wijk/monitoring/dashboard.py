"""The dashboard: one indicator over time, the areas compared, and its breakdown, read from
wijk.monitoring.indicators (the one place where figures are computed) and drawn as SVG charts
with the same figures as tables (docs/adr/0044).

Who sees which figures (docs/adr/0044):
- management: the consortium's figures, exact (nothing hidden), computed now;
- team leads and the municipality: the municipality's figures: small numbers protected, and
  for a period that was published the published set, as it was delivered.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wijk.monitoring.charts import BarChart, Point, bar_chart, column_chart
from wijk.monitoring.indicators import (
    AREA_CITY,
    AREA_DISTRICT,
    AREA_LEVELS,
    AREA_WIJK,
    UNKNOWN_AREA,
    Definition,
    IndicatorRow,
    category_names,
    definition_for,
    indicator_rows,
    municipality_rows,
)
from wijk.monitoring.selectors import Period, recent_periods, wijk_districts, wijk_options


@dataclass(frozen=True, slots=True)
class Area:
    """A place the figures are about: the city, a stadsdeel or a wijk. `key` is the filter's
    value: "" for the city, "stadsdeel:<name>", "wijk:<code>"."""

    level: str
    code: str
    name: str

    @property
    def key(self) -> str:
        return "" if self.level == AREA_CITY else f"{self.level}:{self.code}"


def areas() -> list[Area]:
    """The city, its stadsdelen and its wijken (the unknown wijk last), in that order."""
    districts = wijk_districts()
    found = [Area(AREA_CITY, "", _("Haarlem, hele stad"))]
    found += [
        Area(AREA_DISTRICT, name, _("Stadsdeel %(name)s") % {"name": name})
        for name in sorted({name for name in districts.values() if name})
    ]
    found += [
        Area(AREA_WIJK, option.code, f"{option.name} ({option.code})") for option in wijk_options()
    ]
    found.append(Area(AREA_WIJK, UNKNOWN_AREA, _("Wijk onbekend")))
    return found


@dataclass(frozen=True, slots=True)
class Labelled:
    label: str
    point: Point


@dataclass(frozen=True, slots=True)
class Dashboard:
    definition: Definition
    exact: bool
    area: Area
    comparison_level: str
    periods: list[Period]  # oldest first
    trend: list[Labelled]
    trend_chart: BarChart
    latest: Period
    comparison: list[Labelled]
    comparison_chart: BarChart
    breakdown: list[Labelled]  # the latest period's categories, for the area
    breakdown_name: str
    rows: list[IndicatorRow]  # every row the view was drawn from (the download)


def role_rows(
    *,
    periods: Sequence[Period],
    codes: Sequence[str],
    exact: bool,
    today: datetime.date,
    levels: Sequence[str] = AREA_LEVELS,
) -> list[IndicatorRow]:
    """The figures a role reads, on the dashboard and on every other monitoring page that
    shows an indicator (docs/adr/0044, 0052): `exact`, the consortium's figures computed now
    (management); otherwise the municipality's: protected, and for a period that was
    published its published set, as it was delivered (team leads, the municipality)."""
    if exact:
        return list(
            indicator_rows(periods=periods, codes=codes, levels=levels, exact=True, today=today)
        )
    return list(municipality_rows(periods=periods, codes=codes, levels=levels, today=today))


def _point(row: IndicatorRow | None, label: str) -> Point:
    if row is None:
        return Point(label=label, value=0, status="shown")
    return Point(label=label, value=row.value, status=row.status)


def dashboard(
    *,
    code: str,
    unit: str,
    count: int,
    area_key: str,
    comparison_level: str,
    exact: bool,
    today: datetime.date,
) -> Dashboard:
    periods = sorted(recent_periods(unit, count, today))
    latest = periods[-1]
    known = areas()
    area = next((a for a in known if a.key == area_key), known[0])
    rows = role_rows(periods=periods, codes=[code], exact=exact, today=today)
    definition = definition_for(code, latest.start)
    index = {
        (row.period_start, row.area_level, row.area_code, row.breakdown, row.category): row
        for row in rows
    }

    def total(period: Period, place: Area) -> Point:
        key = (period.start, place.level, place.code, "", "")
        return _point(index.get(key), period.short_label)

    trend = [Labelled(str(period.label), total(period, area)) for period in periods]
    compared = [a for a in known if a.level == comparison_level]
    comparison = [
        Labelled(
            a.name,
            _point(index.get((latest.start, a.level, a.code, "", "")), a.name),
        )
        for a in compared
    ]
    breakdown_name = definition.breakdowns[0] if definition.breakdowns else ""
    names = category_names(breakdown_name) if breakdown_name else {}
    breakdown = [
        Labelled(names.get(row.category, row.category), _point(row, row.category))
        for row in rows
        if row.period_start == latest.start
        and (row.area_level, row.area_code) == (area.level, area.code)
        and row.breakdown
    ]
    title = str(definition.title)
    return Dashboard(
        definition=definition,
        exact=exact,
        area=area,
        comparison_level=comparison_level,
        periods=periods,
        trend=trend,
        trend_chart=column_chart(
            [item.point for item in trend],
            title=_("%(title)s, %(area)s, per periode") % {"title": title, "area": area.name},
            what=_("Staafdiagram van %(title)s in %(area)s over %(count)d perioden")
            % {"title": title, "area": area.name, "count": len(periods)},
        ),
        latest=latest,
        comparison=comparison,
        comparison_chart=bar_chart(
            [item.point for item in comparison],
            title=_("%(title)s per gebied, %(period)s") % {"title": title, "period": latest.label},
            what=_("Staafdiagram van %(title)s per gebied in %(period)s")
            % {"title": title, "period": latest.label},
        ),
        breakdown=breakdown,
        breakdown_name=breakdown_name,
        rows=rows,
    )
