"""What the monitoring pages show: the selectors' counts turned into figures, exact for the
consortium's team leads and management, without small numbers for the municipality
(wijk.core.disclosure, docs/adr/0011-monitoring-small-numbers.md). No queries here.

For the municipality every count belongs to one protected table of one calendar period:

- deadlines: per month, the requests received per wijk (people: one protected list), each
  wijk's split by deadline outcome shown with it (the team's work, not people; ADR 0028);
- inflow and outflow in unique residents: per month, the three parts (all wijken together);
- reach: per period, the wijken by part (and, separately, youth);
- reasons for inflow and outflow and handover destinations: per month or quarter, the wijken
  by reason; a year is the sum of its quarters;
- count-only contacts are not protected: they count conversations, not people (ADR 0028);
- evaluations of plans and of pgbs: per month of the date they were due, the evaluations due
  per wijk (people: one protected list), each wijk's split by what happened shown with it,
  as for the deadlines (ADR 0042);
- meldcode cases opened: per month, the wijken (one protected list), for every role.

A figure over more of these (a year, the last twelve months, a wijk over the whole period) is
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
    Figure,
    Share,
    derived,
    exact,
    protect_list,
    protect_people_split,
    protect_table,
    share,
    single,
)
from wijk.monitoring.selectors import (
    UNKNOWN_WIJK,
    CodeOption,
    ComplianceRow,
    ComplianceSum,
    DeadlineCounts,
    Flows,
    PartCounts,
    Period,
    PeriodUnit,
    ReasonCounts,
    WijkOption,
    compliance_overview,
    period_months,
)
from wijk.monitoring.sources import CountRow, DueRow

# A place in a set of protected tables: (period start, wijk code or None for all wijken,
# column key or None for the row's total).
type Place = tuple[datetime.date, str | None, str | None]


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


def _protect_grid(
    starts: Iterable[datetime.date],
    rows: Sequence[str],
    columns: Sequence[str],
    value: Callable[[datetime.date, str, str], int],
    *,
    row_total: Callable[[datetime.date, str], int] | None = None,
    groups: Sequence[Sequence[int]] | None = None,
    suppress: bool,
) -> dict[Place, Figure]:
    """One protected table per period start: `rows` by `columns`, with totals."""
    figures: dict[Place, Figure] = {}
    for start in starts:
        table = protect_table(
            [[value(start, row, column) for column in columns] for row in rows],
            row_totals=None if row_total is None else [row_total(start, row) for row in rows],
            groups=groups,
            suppress=suppress,
        )
        for r, row in enumerate(rows):
            for c, column in enumerate(columns):
                figures[(start, row, column)] = table.cells[r][c]
            figures[(start, row, None)] = table.row_totals[r]
        for c, column in enumerate(columns):
            figures[(start, None, column)] = table.column_totals[c]
        figures[(start, None, None)] = table.total
    return figures


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


def _canonical_starts(period: Period, unit: str) -> list[datetime.date]:
    """The starts of the protected periods (months or quarters) that make up `period`."""
    months = period.months
    if unit == PeriodUnit.MONTH:
        return months
    return months[::3]


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


_DEADLINE_COLUMNS = (
    *("fc_met", "fc_not_met", "fc_not_judged"),
    *("s_met", "s_not_met", "s_not_judged"),
    *("i_met", "i_not_met", "i_not_judged"),
)


def _deadline_values(row: ComplianceRow | None) -> dict[str, int]:
    if row is None:
        return dict.fromkeys(_DEADLINE_COLUMNS, 0)
    values = [
        count
        for deadline in row.deadlines
        for count in (deadline.met, deadline.not_met, deadline.not_judged)
    ]
    return dict(zip(_DEADLINE_COLUMNS, values, strict=True))


def _received(row: ComplianceRow | None) -> int:
    return row.received if row is not None else 0


def compliance_display(
    rows: list[ComplianceRow],
    *,
    months: int,
    today: datetime.date,
    exact_counts: bool,
    wijken: list[WijkOption],
    wijk: str | None,
    detail_limit: int,
) -> ComplianceDisplay:
    """The deadlines page's figures. Exact: the rows of `deadline_compliance` as asked for.
    Protected: `rows` must be per month and wijk for every wijk (never filtered on one: the
    filter `wijk` is applied here, after protecting the whole city's table of each month)."""
    if exact_counts:
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

    month_list = period_months(today, months)
    by_key = {(row.month, row.wijk_code): row for row in rows}
    names = {row.wijk_code: row.wijk_name for row in rows}
    places = wijk_rows(wijken, names)
    codes = [place.code for place in places]
    # Per month, the requests received per wijk count people (one resident each); met, not
    # met and not judged split them by the team's work (docs/adr/0028).
    figures: dict[Place, Figure] = {}
    for month in month_list:
        table = protect_people_split(
            [
                [
                    _deadline_values(by_key.get((month, code)))[column]
                    for column in _DEADLINE_COLUMNS
                ]
                for code in codes
            ],
            row_totals=[_received(by_key.get((month, code))) for code in codes],
            groups=[[0, 1, 2], [3, 4, 5], [6, 7, 8]],
        )
        for r, code in enumerate(codes):
            for c, column in enumerate(_DEADLINE_COLUMNS):
                figures[(month, code, column)] = table.cells[r][c]
            figures[(month, code, None)] = table.row_totals[r]
        for c, column in enumerate(_DEADLINE_COLUMNS):
            figures[(month, None, column)] = table.column_totals[c]
        figures[(month, None, None)] = table.total

    def at(month: datetime.date, code: str | None) -> ComplianceFigures:
        cell = [figures[(month, code, column)] for column in _DEADLINE_COLUMNS]
        return ComplianceFigures(
            received=figures[(month, code, None)],
            first_contact=DeadlineFigures(*cell[:3]),
            support=DeadlineFigures(*cell[3:6]),
            investigation=DeadlineFigures(*cell[6:]),
        )

    chosen = selected_wijk(wijk)
    by_month = [(month, at(month, chosen)) for month in month_list]
    shown_codes = codes if chosen is None else [chosen]
    received = {row.wijk_code for row in rows if row.received}
    by_wijk = [
        (
            WijkOption(code=place.code, name=names.get(place.code, place.name)),
            _derived_compliance([at(month, place.code) for month in month_list]),
        )
        for place in places
        if place.code in shown_codes and place.code in received
    ]
    detail = [
        ComplianceDetail(
            month=month,
            team_name="",
            wijk_code=place.code,
            wijk_name=names.get(place.code, place.name),
            figures=at(month, place.code),
        )
        for month in month_list
        for place in places
        if place.code in shown_codes and _received(by_key.get((month, place.code)))
    ]
    return ComplianceDisplay(
        total=_derived_compliance([figures for _month, figures in by_month]),
        by_month=by_month,
        by_team=[],
        by_wijk=by_wijk,
        rows=detail if len(detail) <= detail_limit else None,
    )


# ---------------------------------------------------------------------------------------------
# Inflow and outflow in unique residents, per month


@dataclass(frozen=True, slots=True)
class PartFigures:
    total: Figure
    sociale_basis: Figure
    sociaal_wijkteam: Figure
    aanvullende_ondersteuning: Figure
    youth: Figure


_PARTS = ("sociale_basis", "sociaal_wijkteam", "aanvullende_ondersteuning")


def part_figures(counts: PartCounts, *, exact_counts: bool) -> PartFigures:
    """One period's unique residents: the parts add up (as a reader would take them) to the
    total; youth stands alone."""
    protected = protect_list(
        [getattr(counts, part) for part in _PARTS], total=counts.total, suppress=not exact_counts
    )
    sociale_basis, sociaal_wijkteam, aanvullende_ondersteuning = protected.cells
    return PartFigures(
        total=protected.total,
        sociale_basis=sociale_basis,
        sociaal_wijkteam=sociaal_wijkteam,
        aanvullende_ondersteuning=aanvullende_ondersteuning,
        youth=single(counts.youth, suppress=not exact_counts),
    )


def _derived_parts(parts: Sequence[PartFigures], counts: PartCounts) -> PartFigures:
    """Unique residents over several periods: shown where every period's figure is."""
    return PartFigures(
        **{
            name: derived((getattr(part, name) for part in parts), value=getattr(counts, name))
            for name in ("total", *_PARTS, "youth")
        }
    )


@dataclass(frozen=True, slots=True)
class FlowsDisplay:
    inflow: PartFigures
    outflow: PartFigures
    inflow_months: list[tuple[datetime.date, PartFigures]]
    outflow_months: list[tuple[datetime.date, PartFigures]]


def flows_display(flows: Flows, *, exact_counts: bool) -> FlowsDisplay:
    inflow = [(m.month, part_figures(m.inflow, exact_counts=exact_counts)) for m in flows.months]
    outflow = [(m.month, part_figures(m.outflow, exact_counts=exact_counts)) for m in flows.months]
    return FlowsDisplay(
        inflow=_derived_parts([figures for _month, figures in inflow], flows.inflow),
        outflow=_derived_parts([figures for _month, figures in outflow], flows.outflow),
        inflow_months=inflow,
        outflow_months=outflow,
    )


# ---------------------------------------------------------------------------------------------
# Reach


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A labelled row of figures, one per period."""

    label: str | Promise
    figures: list[Figure]


@dataclass(frozen=True, slots=True)
class ReachDisplay:
    periods: list[Period]
    wijk: WijkOption | None  # the wijk the first table is about; None: all wijken
    parts: list[FigureRow]  # unique residents: in total, per part, youth
    contacts: FigureRow  # count-only contacts, beside the residents
    per_wijk: list[tuple[WijkOption | None, list[Figure]]]  # None: all wijken


def reach_display(
    periods: list[Period],
    *,
    residents: Mapping[tuple[datetime.date, str], PartCounts],
    contacts: Mapping[tuple[datetime.date, str], int],
    wijken: list[WijkOption],
    wijk: str | None,
    exact_counts: bool,
) -> ReachDisplay:
    """Per period: each wijk's unique residents by part is one table, youth one list; the
    contacts count conversations, not people, and are shown exactly (ADR 0028)."""
    places = wijk_rows(wijken, (code for _start, code in residents), (c for _m, c in contacts))
    codes = [place.code for place in places]
    starts = [period.start for period in periods]
    empty = PartCounts()

    def count(start: datetime.date, code: str) -> PartCounts:
        return residents.get((start, code), empty)

    table = _protect_grid(
        starts,
        codes,
        _PARTS,
        lambda start, code, part: getattr(count(start, code), part),
        row_total=lambda start, code: count(start, code).total,
        suppress=not exact_counts,
    )
    youth = _protect_lists(
        starts, codes, lambda start, code: count(start, code).youth, suppress=not exact_counts
    )
    months = sorted({month for period in periods for month in period.months})
    # Contacts count conversations, not people: shown as they are (ADR 0028).
    contact_figures = _protect_lists(
        months, codes, lambda month, code: contacts.get((month, code), 0), suppress=False
    )
    chosen = selected_wijk(wijk)

    def contacts_in(period: Period, code: str | None) -> Figure:
        return derived(contact_figures[(month, code)] for month in period.months)

    rows: list[tuple[str | Promise, Callable[[datetime.date], Figure]]] = [
        (_("Unieke inwoners, alle onderdelen"), lambda start: table[(start, chosen, None)]),
        (_("Sociale Basis"), lambda start: table[(start, chosen, "sociale_basis")]),
        (_("Sociaal Wijkteam"), lambda start: table[(start, chosen, "sociaal_wijkteam")]),
        (
            _("Aanvullende Ondersteuning"),
            lambda start: table[(start, chosen, "aanvullende_ondersteuning")],
        ),
        (_("Waarvan jeugd"), lambda start: youth[(start, chosen)]),
    ]
    return ReachDisplay(
        periods=periods,
        wijk=next((place for place in places if place.code == chosen), None),
        parts=[FigureRow(label, [pick(start) for start in starts]) for label, pick in rows],
        contacts=FigureRow(
            _("Korte contacten (aantal contacten)"),
            [contacts_in(period, chosen) for period in periods],
        ),
        per_wijk=[
            *((place, [table[(start, place.code, None)] for start in starts]) for place in places),
            (None, [table[(start, None, None)] for start in starts]),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Reasons for inflow and outflow, and handover destinations


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
    *,
    counts: ReasonCounts,
    unit: str,
    wijken: list[WijkOption],
    wijk: str | None,
    exact_counts: bool,
) -> ReasonsDisplay:
    """The reasons page's figures. `counts` are per `unit` (month or quarter); each of its
    periods is one table per kind (wijken by reason); a year adds up its quarters."""
    keys = [*counts.inflow, *counts.outflow, *counts.handover]
    places = wijk_rows(wijken, (key[1] for key in keys))
    codes = [place.code for place in places]
    starts = sorted({start for period in periods for start in _canonical_starts(period, unit)})
    chosen = selected_wijk(wijk)

    def table(
        options: list[CodeOption],
        values: dict[tuple[datetime.date, str, str], int],
        total_label: str | Promise,
    ) -> tuple[ReasonTable, dict[Place, Figure]]:
        columns = [option.code for option in options]
        grid = _protect_grid(
            starts,
            codes,
            columns,
            lambda start, code, column: values.get((start, code, column), 0),
            suppress=not exact_counts,
        )

        def over(period: Period, code: str | None, column: str | None) -> Figure:
            return derived(grid[(start, code, column)] for start in _canonical_starts(period, unit))

        rows = [
            FigureRow(option.name, [over(period, chosen, option.code) for period in periods])
            for option in options
        ]
        total = FigureRow(total_label, [over(period, chosen, None) for period in periods])
        per_place: dict[Place, Figure] = {
            (period.start, code, None): over(period, code, None)
            for period in periods
            for code in [*codes, None]
        }
        return ReasonTable(rows=rows, total=total), per_place

    inflow, inflow_places = table(counts.inflow_reasons, counts.inflow, _("Alle redenen samen"))
    outflow, outflow_places = table(counts.outflow_reasons, counts.outflow, _("Alle redenen samen"))
    handover, _handover_places = table(
        counts.destinations, counts.handover, _("Met warme overdracht samen")
    )
    return ReasonsDisplay(
        periods=periods,
        wijk=next((place for place in places if place.code == chosen), None),
        inflow=inflow,
        outflow=outflow,
        handover=handover,
        per_wijk=[
            (
                place,
                [
                    (
                        inflow_places[(period.start, code, None)],
                        outflow_places[(period.start, code, None)],
                    )
                    for period in periods
                ],
            )
            for place, code in [*((place, place.code) for place in places), (None, None)]
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
    exact_counts: bool,
    wijken: list[WijkOption],
    wijk: str | None,
    teams: Mapping[int, str],
    detail_limit: int,
) -> EvaluationDisplay:
    """Evaluations on time, per month of the date they were due, per team (exact only) and
    per wijk. Exact: the rows as they are, filtered on the wijk. Protected: per month, the
    evaluations due per wijk count people (one household each) and are one protected list;
    their split by what happened is the team's work, shown where the wijk's count is and
    hidden whole where it is not (`protect_people_split`, ADR 0028). The wijk filter picks
    rows of the whole city's table, after protecting it."""
    month_list = period_months(today, months)
    chosen = selected_wijk(wijk)
    if exact_counts:
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

    places = wijk_rows(wijken, (row.wijk_code for row in rows))
    codes = [place.code for place in places]
    counts: dict[tuple[datetime.date, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        cell = counts[(row.month, row.wijk_code)]
        for index, name in enumerate(_OUTCOMES):
            cell[index] += getattr(row, name)
    figures: dict[tuple[datetime.date, str | None], EvaluationFigures] = {}
    for month in month_list:
        cells = [counts.get((month, code), [0, 0, 0, 0]) for code in codes]
        table = protect_people_split(
            cells, row_totals=[sum(cell) for cell in cells], groups=[[0, 1, 2, 3]]
        )
        for r, code in enumerate(codes):
            figures[(month, code)] = EvaluationFigures(table.row_totals[r], *table.cells[r])
        figures[(month, None)] = EvaluationFigures(table.total, *table.column_totals)
    by_month = [(month, figures[(month, chosen)]) for month in month_list]
    counted = {row.wijk_code for row in rows if row.due}
    due_in = {key: sum(cell) for key, cell in counts.items()}
    detail = [
        EvaluationDetail(
            month=month,
            team_name="",
            wijk_code=place.code,
            wijk_name=place.name,
            figures=figures[(month, place.code)],
        )
        for month in month_list
        for place in places
        if (chosen is None or place.code == chosen) and due_in.get((month, place.code), 0)
    ]
    return EvaluationDisplay(
        rows=detail if len(detail) <= detail_limit else None,
        total=_derived_evaluations([month_figures for _month, month_figures in by_month]),
        by_month=by_month,
        by_team=[],
        by_wijk=[
            (place, _derived_evaluations([figures[(month, place.code)] for month in month_list]))
            for place in places
            if place.code in counted and (chosen is None or place.code == chosen)
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
