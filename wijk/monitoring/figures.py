"""What the monitoring pages show.

Reach, inflow and outflow and their reasons are indicators: their pages show the rows of
wijk.monitoring.indicators as the role reads them on the dashboard (docs/adr/0044, 0052):
management the consortium's exact figures, the municipality its own, protected and, for a
period that was published, as published. Nothing is counted or protected here for them.

The deadlines page is not (yet) read from the indicators (docs/adr/0052): its counts per team
are the consortium's own organisation, and it counts the investigation deadline and the
meldcode, which are no indicators. Its selectors' counts are turned into figures here, exact
for the consortium's team leads and management, without small numbers for the municipality
(wijk.core.disclosure, docs/adr/0011-monitoring-small-numbers.md). No queries here. For the
municipality every count belongs to one protected table of one calendar month:

- deadlines: the requests received per wijk (people: one protected list), each wijk's split by
  deadline outcome shown with it (the team's work, not people; ADR 0028);
- evaluations of plans and of pgbs: per month of the date they were due, the evaluations due
  per wijk (people: one protected list), each wijk's split by what happened shown with it,
  as for the deadlines (ADR 0042);
- meldcode cases opened: per month, the wijken (one protected list), for every role.

A figure over more of these (the last twelve months, a wijk over the whole period) is
`derived`: shown only when all its parts are, so it tells nothing they do not. A wijk filter
picks rows of the whole city's tables, so that the same count is hidden or shown whichever
way it is asked for.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.core.disclosure import (
    HIDDEN,
    SMALL,
    Figure,
    Share,
    derived,
    exact,
    protect_list,
    share,
)
from wijk.monitoring.indicators import (
    AREA_CITY,
    AREA_WIJK,
    UNKNOWN_AREA,
    IndicatorRow,
    category_names,
)
from wijk.monitoring.selectors import (
    UNKNOWN_WIJK,
    ComplianceRow,
    ComplianceSum,
    DeadlineCounts,
    Period,
    WijkOption,
    compliance_overview,
    period_months,
)
from wijk.monitoring.sources import CountRow, DueRow


def wijk_rows(wijken: Iterable[WijkOption], *codes: Iterable[str]) -> list[WijkOption]:
    """The rows of a table per wijk: every wijk, any other code the counts hold, and the
    unknown wijk ("") last."""
    rows = {wijk.code: wijk for wijk in wijken if wijk.code}
    for keys in codes:
        for code in keys:
            if code and code not in rows:
                rows[code] = WijkOption(code=code, name=code)
    return [*(rows[code] for code in sorted(rows)), WijkOption(code="", name="")]


def selected_wijk(value: str | None) -> str | None:
    """The wijk code a filter value stands for: None for all wijken, "" for the unknown."""
    if not value:
        return None
    return "" if value == UNKNOWN_WIJK else value


def _protect_lists(
    starts: Iterable[datetime.date],
    rows: Sequence[str],
    value: Callable[[datetime.date, str], int],
    *,
    suppress: bool,
) -> dict[tuple[datetime.date, str | None], Figure]:
    """One protected list per period start: a count per row and their total (None)."""
    figures: dict[tuple[datetime.date, str | None], Figure] = {}
    for start in starts:
        protected = protect_list([value(start, row) for row in rows], suppress=suppress)
        for row, figure in zip(rows, protected.cells, strict=True):
            figures[(start, row)] = figure
        figures[(start, None)] = protected.total
    return figures


# ---------------------------------------------------------------------------------------------
# Deadline compliance


@dataclass(frozen=True, slots=True)
class DeadlineFigures:
    met: Figure
    not_met: Figure
    not_judged: Figure

    @property
    def judged(self) -> Figure:
        return derived([self.met, self.not_met])

    @property
    def share(self) -> Share:
        return share(self.met, self.not_met)


@dataclass(frozen=True, slots=True)
class ComplianceFigures:
    received: Figure
    first_contact: DeadlineFigures
    support: DeadlineFigures
    investigation: DeadlineFigures

    @property
    def deadlines(self) -> tuple[DeadlineFigures, DeadlineFigures, DeadlineFigures]:
        return self.first_contact, self.support, self.investigation


@dataclass(frozen=True, slots=True)
class ComplianceDetail:
    """One row of the detail table: a month, a team (or "" per wijk only) and a wijk."""

    month: datetime.date
    team_name: str
    wijk_code: str
    wijk_name: str
    figures: ComplianceFigures


@dataclass(frozen=True, slots=True)
class ComplianceDisplay:
    total: ComplianceFigures
    by_month: list[tuple[datetime.date, ComplianceFigures]]
    by_team: list[tuple[str, ComplianceFigures]]
    by_wijk: list[tuple[WijkOption, ComplianceFigures]]
    rows: list[ComplianceDetail] | None  # None: more than the detail limit


def _exact_deadline(counts: DeadlineCounts) -> DeadlineFigures:
    return DeadlineFigures(
        met=exact(counts.met), not_met=exact(counts.not_met), not_judged=exact(counts.not_judged)
    )


def _exact_compliance(counts: ComplianceSum | ComplianceRow) -> ComplianceFigures:
    return ComplianceFigures(
        received=exact(counts.received),
        first_contact=_exact_deadline(counts.first_contact),
        support=_exact_deadline(counts.support),
        investigation=_exact_deadline(counts.investigation),
    )


def _derived_compliance(parts: Sequence[ComplianceFigures]) -> ComplianceFigures:
    def deadline(pick: Callable[[ComplianceFigures], DeadlineFigures]) -> DeadlineFigures:
        return DeadlineFigures(
            met=derived(pick(part).met for part in parts),
            not_met=derived(pick(part).not_met for part in parts),
            not_judged=derived(pick(part).not_judged for part in parts),
        )

    return ComplianceFigures(
        received=derived(part.received for part in parts),
        first_contact=deadline(lambda part: part.first_contact),
        support=deadline(lambda part: part.support),
        investigation=deadline(lambda part: part.investigation),
    )


def compliance_display(
    rows: list[ComplianceRow],
    *,
    months: int,
    today: datetime.date,
    detail_limit: int,
) -> ComplianceDisplay:
    """The deadlines page's exact figures (team leads and management): the rows of
    `deadline_compliance` as asked for. The municipality's are the indicators'
    (`compliance_from_indicators`)."""
    overview = compliance_overview(rows, months=months, today=today)
    shown = [
        ComplianceDetail(
            month=row.month,
            team_name=row.team_name,
            wijk_code=row.wijk_code,
            wijk_name=row.wijk_name,
            figures=_exact_compliance(row),
        )
        for row in rows
    ]
    return ComplianceDisplay(
        total=_exact_compliance(overview.total),
        by_month=[(month, _exact_compliance(total)) for month, total in overview.by_month],
        by_team=[(name, _exact_compliance(total)) for name, total in overview.by_team],
        by_wijk=[(option, _exact_compliance(total)) for option, total in overview.by_wijk],
        rows=shown if len(shown) <= detail_limit else None,
    )


# ---------------------------------------------------------------------------------------------
# Pages that show indicators: reach, inflow and outflow, their reasons (docs/adr/0052)
#
# Their figures are the indicators' rows (wijk.monitoring.indicators), as the role reads them
# on the dashboard and, for the municipality, in the delivery: nothing is counted or
# protected here, so that a figure is the same number wherever it is shown.


class IndicatorFigures:
    """The rows of some indicators, looked up by indicator, period, area and category."""

    def __init__(self, rows: Iterable[IndicatorRow]) -> None:
        self.rows = list(rows)
        self._index = {
            (row.indicator, row.period_start, row.area_level, row.area_code, row.category): row
            for row in self.rows
        }

    def figure(
        self, code: str, period: Period, area: tuple[str, str], category: str = ""
    ) -> Figure:
        """The figure as the role may see it; 0 where the rows have none (a category that had
        no codes yet in a published set, an area that was not known then)."""
        row = self._index.get((code, period.start, *area, category))
        if row is None or row.status == "shown":
            return Figure(row.value if row is not None else 0)
        return SMALL if row.status == "small" else HIDDEN

    def categories(self, code: str) -> list[str]:
        """The categories of indicator `code`'s breakdown, in the rows' order."""
        return list(
            dict.fromkeys(r.category for r in self.rows if r.indicator == code and r.category)
        )

    def wijken(self, code: str) -> list[str]:
        """The wijk codes of indicator `code`'s rows, in their order (the unknown wijk last)."""
        return list(
            dict.fromkeys(
                r.area_code for r in self.rows if r.indicator == code and r.area_level == AREA_WIJK
            )
        )


def chosen_area(wijk: str | None) -> tuple[str, str]:
    """The area a wijk filter's value stands for: the city ("" or None), the unknown wijk, or
    a wijk by its code."""
    return (AREA_WIJK, wijk) if wijk else (AREA_CITY, "")


def _wijk_option(code: str, names: Mapping[str, str]) -> WijkOption:
    """A wijk as the tables name it; the unknown wijk has the empty code."""
    if code == UNKNOWN_AREA:
        return WijkOption(code="", name="")
    return WijkOption(code=code, name=names.get(code, code))


def _chosen_wijk(wijk: str | None, wijken: Iterable[WijkOption]) -> WijkOption | None:
    return None if not wijk else _wijk_option(wijk, {w.code: w.name for w in wijken})


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A labelled row of figures, one per period."""

    label: str | Promise
    figures: list[Figure]


@dataclass(frozen=True, slots=True)
class PartFigures:
    """One period's unique residents in all parts together and per part, and (where the
    indicator exists) of them youth."""

    total: Figure
    sociale_basis: Figure
    sociaal_wijkteam: Figure
    aanvullende_ondersteuning: Figure
    youth: Figure | None


_PARTS = ("sociale_basis", "sociaal_wijkteam", "aanvullende_ondersteuning")
FLOW_CODES = {"instroom": "instroom_jeugd", "uitstroom": "uitstroom_jeugd"}


@dataclass(frozen=True, slots=True)
class FlowsDisplay:
    periods: list[Period]  # newest first
    wijk: WijkOption | None  # None: all wijken
    youth: bool  # whether the youth indicators exist
    inflow: list[tuple[Period, PartFigures]]
    outflow: list[tuple[Period, PartFigures]]


def flows_display(
    periods: list[Period],
    figures: IndicatorFigures,
    *,
    youth: bool,
    wijken: list[WijkOption],
    wijk: str | None,
) -> FlowsDisplay:
    """Inflow and outflow in unique residents per period: the indicators `instroom` and
    `uitstroom` by part, and `instroom_jeugd`, `uitstroom_jeugd` where they exist."""
    area = chosen_area(wijk)

    def parts(code: str, period: Period) -> PartFigures:
        return PartFigures(
            total=figures.figure(code, period, area),
            **{part: figures.figure(code, period, area, part) for part in _PARTS},
            youth=figures.figure(FLOW_CODES[code], period, area) if youth else None,
        )

    return FlowsDisplay(
        periods=periods,
        wijk=_chosen_wijk(wijk, wijken),
        youth=youth,
        inflow=[(period, parts("instroom", period)) for period in periods],
        outflow=[(period, parts("uitstroom", period)) for period in periods],
    )


REACH_CODES = ("bereik", "bereik_jeugd", "korte_contacten")


@dataclass(frozen=True, slots=True)
class ReachDisplay:
    periods: list[Period]
    wijk: WijkOption | None  # the wijk the first table is about; None: all wijken
    parts: list[FigureRow]  # unique residents: in total, per part, youth
    contacts: FigureRow  # count-only contacts, beside the residents
    per_wijk: list[tuple[WijkOption | None, list[Figure]]]  # None: all wijken


def reach_display(
    periods: list[Period],
    figures: IndicatorFigures,
    *,
    wijken: list[WijkOption],
    wijk: str | None,
) -> ReachDisplay:
    """Reach per period: the indicators `bereik` (by part), `bereik_jeugd` and, beside them,
    never added, `korte_contacten` (contacts, not people)."""
    area = chosen_area(wijk)
    names = {option.code: option.name for option in wijken}

    def row(label: str | Promise, code: str, category: str = "") -> FigureRow:
        return FigureRow(
            label, [figures.figure(code, period, area, category) for period in periods]
        )

    return ReachDisplay(
        periods=periods,
        wijk=_chosen_wijk(wijk, wijken),
        parts=[
            row(_("Unieke inwoners, alle onderdelen"), "bereik"),
            row(_("Sociale Basis"), "bereik", "sociale_basis"),
            row(_("Sociaal Wijkteam"), "bereik", "sociaal_wijkteam"),
            row(_("Aanvullende Ondersteuning"), "bereik", "aanvullende_ondersteuning"),
            row(_("Waarvan jeugd"), "bereik_jeugd"),
        ],
        contacts=row(_("Korte contacten (aantal contacten)"), "korte_contacten"),
        per_wijk=[
            *(
                (
                    _wijk_option(code, names),
                    [figures.figure("bereik", period, (AREA_WIJK, code)) for period in periods],
                )
                for code in figures.wijken("bereik")
            ),
            (None, [figures.figure("bereik", period, (AREA_CITY, "")) for period in periods]),
        ],
    )


REASON_CODES = ("instroom_reden", "uitstroom_reden", "overdrachten")


@dataclass(frozen=True, slots=True)
class ReasonTable:
    """Per reason (or destination) a row of figures, one per period, and their total row."""

    rows: list[FigureRow]
    total: FigureRow


@dataclass(frozen=True, slots=True)
class ReasonsDisplay:
    periods: list[Period]
    wijk: WijkOption | None
    inflow: ReasonTable
    outflow: ReasonTable
    handover: ReasonTable
    # per wijk (None: all wijken), per period: (inflow, outflow)
    per_wijk: list[tuple[WijkOption | None, list[tuple[Figure, Figure]]]]


def reasons_display(
    periods: list[Period],
    figures: IndicatorFigures,
    *,
    wijken: list[WijkOption],
    wijk: str | None,
) -> ReasonsDisplay:
    """Inflow and outflow by reason and warm handovers by destination, per period: the
    indicators `instroom_reden`, `uitstroom_reden` and `overdrachten`, in trajectories."""
    area = chosen_area(wijk)
    names = {option.code: option.name for option in wijken}

    def table(code: str, breakdown: str, total_label: str | Promise) -> ReasonTable:
        labels = category_names(breakdown)
        return ReasonTable(
            rows=[
                FigureRow(
                    labels.get(category, category),
                    [figures.figure(code, period, area, category) for period in periods],
                )
                for category in figures.categories(code)
            ],
            total=FigureRow(
                total_label, [figures.figure(code, period, area) for period in periods]
            ),
        )

    def both(place: tuple[str, str]) -> list[tuple[Figure, Figure]]:
        return [
            (
                figures.figure("instroom_reden", period, place),
                figures.figure("uitstroom_reden", period, place),
            )
            for period in periods
        ]

    return ReasonsDisplay(
        periods=periods,
        wijk=_chosen_wijk(wijk, wijken),
        inflow=table("instroom_reden", "reden", _("Alle redenen samen")),
        outflow=table("uitstroom_reden", "reden", _("Alle redenen samen")),
        handover=table("overdrachten", "bestemming", _("Met warme overdracht samen")),
        per_wijk=[
            *(
                (_wijk_option(code, names), both((AREA_WIJK, code)))
                for code in figures.wijken("instroom_reden")
            ),
            (None, both((AREA_CITY, ""))),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Evaluations on time (plans, pgbs) and the meldcode count, given by their apps
# (wijk.monitoring.sources, docs/adr/0042-evaluations-on-time-in-monitoring.md)

_OUTCOMES = ("on_time", "late", "not_held", "not_judged")


@dataclass(frozen=True, slots=True)
class EvaluationFigures:
    """Evaluations due (in a month, of a team or a wijk), split by what happened: held on or
    before the date, held after it, not held while the date has passed, or not to be judged
    yet. The share on time leaves out those not judged."""

    due: Figure
    on_time: Figure
    late: Figure
    not_held: Figure
    not_judged: Figure

    @property
    def not_met(self) -> Figure:
        return derived([self.late, self.not_held])

    @property
    def judged(self) -> Figure:
        return derived([self.on_time, self.late, self.not_held])

    @property
    def share(self) -> Share:
        return share(self.on_time, self.not_met)

    @property
    def outcomes(self) -> tuple[Figure, Figure, Figure, Figure]:
        return self.on_time, self.late, self.not_held, self.not_judged


@dataclass(frozen=True, slots=True)
class EvaluationDetail:
    """One row of the detail table: a month, a team (or "" per wijk only) and a wijk."""

    month: datetime.date
    team_name: str
    wijk_code: str
    wijk_name: str
    figures: EvaluationFigures


@dataclass(frozen=True, slots=True)
class EvaluationDisplay:
    total: EvaluationFigures
    by_month: list[tuple[datetime.date, EvaluationFigures]]
    by_team: list[tuple[str, EvaluationFigures]]  # empty: per wijk only
    by_wijk: list[tuple[WijkOption, EvaluationFigures]]
    rows: list[EvaluationDetail] | None  # None: more than the detail limit


def _exact_evaluations(rows: Iterable[DueRow]) -> EvaluationFigures:
    sums = dict.fromkeys(_OUTCOMES, 0)
    for row in rows:
        for name in _OUTCOMES:
            sums[name] += getattr(row, name)
    return EvaluationFigures(
        due=exact(sum(sums.values())), **{name: exact(value) for name, value in sums.items()}
    )


def _derived_evaluations(parts: Sequence[EvaluationFigures]) -> EvaluationFigures:
    return EvaluationFigures(
        **{name: derived(getattr(part, name) for part in parts) for name in ("due", *_OUTCOMES)}
    )


def _named(wijken: Iterable[WijkOption], code: str) -> WijkOption:
    return next((w for w in wijken if w.code == code), WijkOption(code=code, name=code))


def evaluations_display(
    rows: Sequence[DueRow],
    *,
    months: int,
    today: datetime.date,
    wijken: list[WijkOption],
    wijk: str | None,
    teams: Mapping[int, str],
    detail_limit: int,
) -> EvaluationDisplay:
    """Evaluations on time, exact (team leads and management): per month of the date they
    were due, per team and per wijk, the rows as they are, filtered on the wijk. The
    municipality's are the indicators' (`evaluations_from_indicators`)."""
    month_list = period_months(today, months)
    chosen = selected_wijk(wijk)
    shown = [row for row in rows if chosen is None or row.wijk_code == chosen]
    per_team: dict[str, list[DueRow]] = defaultdict(list)
    per_wijk: dict[str, list[DueRow]] = defaultdict(list)
    per_month: dict[datetime.date, list[DueRow]] = defaultdict(list)
    for row in shown:
        per_team[teams.get(row.team_id, "")].append(row)
        per_wijk[row.wijk_code].append(row)
        per_month[row.month].append(row)
    exact_detail = [
        EvaluationDetail(
            month=row.month,
            team_name=teams.get(row.team_id, ""),
            wijk_code=row.wijk_code,
            wijk_name=_named(wijken, row.wijk_code).name if row.wijk_code else "",
            figures=_exact_evaluations([row]),
        )
        for row in shown
        if row.due
    ]
    # newest month first, then by team name, then by wijk code with the unknown wijk last
    exact_detail.sort(key=lambda row: (row.team_name, not row.wijk_code, row.wijk_code))
    exact_detail.sort(key=lambda row: row.month, reverse=True)
    return EvaluationDisplay(
        rows=exact_detail if len(exact_detail) <= detail_limit else None,
        total=_exact_evaluations(shown),
        by_month=[(month, _exact_evaluations(per_month[month])) for month in month_list],
        by_team=[(name, _exact_evaluations(per_team[name])) for name in sorted(per_team)]
        if teams
        else [],
        by_wijk=[
            (_named(wijken, code) if code else WijkOption("", ""), _exact_evaluations(found))
            for code, found in sorted(per_wijk.items(), key=lambda item: (not item[0], item[0]))
        ],
    )


@dataclass(frozen=True, slots=True)
class CountDisplay:
    """A count of records started (meldcode cases opened): per month and per wijk, never
    per team, and never below 5 for anyone."""

    total: Figure
    by_month: list[tuple[datetime.date, Figure]]
    by_wijk: list[tuple[WijkOption, Figure]]


def count_display(
    rows: Sequence[CountRow],
    *,
    months: int,
    today: datetime.date,
    wijken: list[WijkOption],
    wijk: str | None,
) -> CountDisplay:
    """Per month, the count per wijk is one protected list (primary and secondary
    suppression, the whole city as its total), whatever the role: the meldcode is the most
    sensitive record wijk holds (ADR 0039, 0042). A wijk over the period and the period's
    total are `derived`: shown only when every month is. The teams are added up."""
    month_list = period_months(today, months)
    places = wijk_rows(wijken, (row.wijk_code for row in rows))
    codes = [place.code for place in places]
    counts: dict[tuple[datetime.date, str], int] = defaultdict(int)
    for row in rows:
        counts[(row.month, row.wijk_code)] += row.count
    grid = _protect_lists(
        month_list, codes, lambda month, code: counts.get((month, code), 0), suppress=True
    )
    chosen = selected_wijk(wijk)
    by_month = [(month, grid[(month, chosen)]) for month in month_list]
    counted = {row.wijk_code for row in rows if row.count}
    return CountDisplay(
        total=derived(figure for _month, figure in by_month),
        by_month=by_month,
        by_wijk=[
            (place, derived(grid[(month, place.code)] for month in month_list))
            for place in places
            if place.code in counted and (chosen is None or place.code == chosen)
        ],
    )


# ---------------------------------------------------------------------------------------------
# The deadlines page for the municipality: the indicators' figures (docs/adr/0052)

DEADLINE_CODES = ("termijn_eerste_contact", "termijn_ondersteuning", "termijn_onderzoek")
EVALUATION_CODES = {"plan_evaluation": "evaluaties_plan", "pgb_evaluation": "evaluaties_pgb"}
_DEADLINE_OUTCOMES = ("met", "not_met", "not_judged")


def _places(
    figures: IndicatorFigures, code: str, wijken: list[WijkOption], area: tuple[str, str]
) -> list[tuple[tuple[str, str], WijkOption]]:
    """The wijken of indicator `code` as areas with their names: all, or the chosen one."""
    names = {option.code: option.name for option in wijken}
    return [
        ((AREA_WIJK, code_), _wijk_option(code_, names))
        for code_ in figures.wijken(code)
        if area == (AREA_CITY, "") or area == (AREA_WIJK, code_)
    ]


def _counted(
    figures: IndicatorFigures, code: str, months: list[Period], area: tuple[str, str]
) -> bool:
    """Whether the area has a count in one of the months (a figure not shown is never 0)."""
    return any(
        not (figure.shown and figure.value == 0)
        for figure in (figures.figure(code, month, area) for month in months)
    )


@dataclass(frozen=True, slots=True)
class _Split[F]:
    """An indicator's figures per month (newest first), per wijk over the months and per
    month and wijk (the wijken with a count only), for the city or the chosen wijk."""

    total: F
    by_month: list[tuple[datetime.date, F]]
    by_wijk: list[tuple[WijkOption, F]]
    detail: list[tuple[datetime.date, WijkOption, F]]


def _split[F](
    code: str,
    months: list[Period],
    figures: IndicatorFigures,
    *,
    wijken: list[WijkOption],
    wijk: str | None,
    at: Callable[[Period, tuple[str, str]], F],
    over: Callable[[Sequence[F]], F],
) -> _Split[F]:
    """`at` gives the figures of a month and area; `over` adds up months (`derived`). The
    wijken listed are those with a count of `code` (a figure not shown is never 0)."""
    area = chosen_area(wijk)
    places = _places(figures, code, wijken, area)
    by_month = [(month.start, at(month, area)) for month in months]
    return _Split(
        total=over([month_figures for _month, month_figures in by_month]),
        by_month=by_month,
        by_wijk=[
            (option, over([at(month, place) for month in months]))
            for place, option in places
            if _counted(figures, code, months, place)
        ],
        detail=[
            (month.start, option, at(month, place))
            for month in months
            for place, option in places
            if _counted(figures, code, [month], place)
        ],
    )


def compliance_from_indicators(
    months: list[Period],
    figures: IndicatorFigures,
    *,
    wijken: list[WijkOption],
    wijk: str | None,
    detail_limit: int,
) -> ComplianceDisplay:
    """The deadlines page's figures for the municipality, per month (newest first) and wijk:
    the indicators `termijn_eerste_contact` (its total: the requests received),
    `termijn_ondersteuning` and `termijn_onderzoek` (of the requests with an investigation).
    A wijk or the whole period adds up its months (`derived`)."""

    def deadline(code: str, month: Period, place: tuple[str, str]) -> DeadlineFigures:
        return DeadlineFigures(
            *(figures.figure(code, month, place, outcome) for outcome in _DEADLINE_OUTCOMES)
        )

    def at(month: Period, place: tuple[str, str]) -> ComplianceFigures:
        first_contact, support, investigation = DEADLINE_CODES
        return ComplianceFigures(
            received=figures.figure(first_contact, month, place),
            first_contact=deadline(first_contact, month, place),
            support=deadline(support, month, place),
            investigation=deadline(investigation, month, place),
        )

    split = _split(
        DEADLINE_CODES[0],
        months,
        figures,
        wijken=wijken,
        wijk=wijk,
        at=at,
        over=_derived_compliance,
    )
    detail = [
        ComplianceDetail(month, "", option.code, option.name, month_figures)
        for month, option, month_figures in split.detail
    ]
    return ComplianceDisplay(
        total=split.total,
        by_month=split.by_month,
        by_team=[],
        by_wijk=split.by_wijk,
        rows=detail if len(detail) <= detail_limit else None,
    )


def evaluations_from_indicators(
    code: str,
    months: list[Period],
    figures: IndicatorFigures,
    *,
    wijken: list[WijkOption],
    wijk: str | None,
    detail_limit: int,
) -> EvaluationDisplay:
    """Evaluations on time for the municipality, per month of the date they were due
    (newest first) and wijk: the indicator `code` (`evaluaties_plan`, `evaluaties_pgb`)."""

    def at(month: Period, place: tuple[str, str]) -> EvaluationFigures:
        return EvaluationFigures(
            figures.figure(code, month, place),
            *(figures.figure(code, month, place, outcome) for outcome in _OUTCOMES),
        )

    split = _split(
        code, months, figures, wijken=wijken, wijk=wijk, at=at, over=_derived_evaluations
    )
    detail = [
        EvaluationDetail(month, "", option.code, option.name, month_figures)
        for month, option, month_figures in split.detail
    ]
    return EvaluationDisplay(
        total=split.total,
        by_month=split.by_month,
        by_team=[],
        by_wijk=split.by_wijk,
        rows=detail if len(detail) <= detail_limit else None,
    )
