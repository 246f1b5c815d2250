"""Bar charts drawn on the server as SVG: the geometry here, the drawing in
monitoring/_bar_chart.html. No script, no library: the figures are in the page as an SVG with a
title and a description, and the same figures follow as a table (docs/adr/0044).

A count that is not shown ("< 5", "verborgen") gets no bar, only its label at the axis, so that
the picture tells no more than the table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext

from wijk.core.disclosure import current_threshold

# The drawing's own units (the SVG scales to the width of the page).
WIDTH = 720
BAR_GAP = 0.25  # share of a bar's slot left empty
LABEL_WIDTH = 230  # horizontal chart: room for the area names
VALUE_ROOM = 70  # room right of the longest bar for its value
ROW_HEIGHT = 28
COLUMN_CHART_HEIGHT = 240
AXIS_ROOM = 56  # below a column chart: the period labels


@dataclass(frozen=True, slots=True)
class Point:
    """One figure to draw: its label, its value when shown, and its status otherwise."""

    label: str
    value: int | None
    status: str  # "shown", "small", "hidden"

    @property
    def text(self) -> str:
        if self.status == "shown":
            return str(self.value)
        if self.status == "small":
            return gettext("< %(threshold)d") % {"threshold": current_threshold()}
        return gettext("verborgen")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str  # the value as read aloud and written beside the bar
    shown: bool
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    horizontal: bool
    bars: list[Bar]
    ticks: list[Tick]
    axis_start: float
    axis_end: float


def _nice_top(value: int) -> int:
    """The axis' end: 1, 2 or 5 times a power of ten, at least `value`."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if top * step >= value:
                return top * step
        top *= 10


def _ticks(top: int) -> list[int]:
    step = _nice_top(max(1, top // 4)) if top >= 4 else 1
    return list(range(0, top + 1, step))


def _description(points: Sequence[Point], what: str | Promise) -> str:
    shown = [p for p in points if p.status == "shown" and p.value is not None]
    parts = [f"{p.label}: {p.text}" for p in points]
    summary = ""
    if shown:
        high = max(shown, key=lambda p: p.value or 0)
        low = min(shown, key=lambda p: p.value or 0)
        summary = gettext(
            "Hoogste: %(high)s (%(high_value)s). Laagste: %(low)s (%(low_value)s). "
        ) % {
            "high": high.label,
            "high_value": high.text,
            "low": low.label,
            "low_value": low.text,
        }
    return f"{what}. {summary}" + "; ".join(parts) + "."


def column_chart(points: Sequence[Point], *, title: str, what: str | Promise) -> BarChart:
    """Vertical bars from left to right (a trend over periods, oldest first)."""
    top = _nice_top(max([p.value or 0 for p in points] + [1]))
    plot_left, plot_top = 48.0, 16.0
    plot_height = COLUMN_CHART_HEIGHT - plot_top - AXIS_ROOM
    base = plot_top + plot_height
    slot = (WIDTH - plot_left - 8) / max(1, len(points))
    bars = []
    for index, point in enumerate(points):
        height = plot_height * (point.value or 0) / top if point.status == "shown" else 0.0
        x = plot_left + index * slot + slot * BAR_GAP / 2
        width = slot * (1 - BAR_GAP)
        bars.append(
            Bar(
                label=point.label,
                text=point.text,
                shown=point.status == "shown",
                x=round(x, 1),
                y=round(base - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label_x=round(x + width / 2, 1),
                label_y=round(base + 18, 1),
                text_x=round(x + width / 2, 1),
                text_y=round(base - height - 4, 1),
            )
        )
    ticks = [Tick(round(base - plot_height * v / top, 1), str(v)) for v in _ticks(top)]
    return BarChart(
        title=title,
        description=_description(points, what),
        width=WIDTH,
        height=COLUMN_CHART_HEIGHT,
        horizontal=False,
        bars=bars,
        ticks=ticks,
        axis_start=plot_left,
        axis_end=base,
    )


def bar_chart(points: Sequence[Point], *, title: str, what: str | Promise) -> BarChart:
    """Horizontal bars from top to bottom (areas compared in one period)."""
    top = _nice_top(max([p.value or 0 for p in points] + [1]))
    plot_left = float(LABEL_WIDTH)
    plot_width = WIDTH - plot_left - VALUE_ROOM
    height = ROW_HEIGHT * len(points) + 32
    bars = []
    for index, point in enumerate(points):
        length = plot_width * (point.value or 0) / top if point.status == "shown" else 0.0
        y = 8 + index * ROW_HEIGHT + ROW_HEIGHT * BAR_GAP / 2
        thickness = ROW_HEIGHT * (1 - BAR_GAP)
        bars.append(
            Bar(
                label=point.label,
                text=point.text,
                shown=point.status == "shown",
                x=plot_left,
                y=round(y, 1),
                width=round(length, 1),
                height=round(thickness, 1),
                label_x=round(plot_left - 8, 1),
                label_y=round(y + thickness / 2 + 5, 1),
                text_x=round(plot_left + length + 6, 1),
                text_y=round(y + thickness / 2 + 5, 1),
            )
        )
    ticks = [Tick(round(plot_left + plot_width * v / top, 1), str(v)) for v in _ticks(top)]
    return BarChart(
        title=title,
        description=_description(points, what),
        width=WIDTH,
        height=height,
        horizontal=True,
        bars=bars,
        ticks=ticks,
        axis_start=plot_left,
        axis_end=height - 24,
    )
