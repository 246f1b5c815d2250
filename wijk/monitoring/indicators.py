"""The indicators: every figure the municipality receives, defined and computed in one place.

The dashboard, the daily feed (`wijk export`), the API and the contract reports read the
figures from here, so that they never disagree (docs/adr/0044). Each indicator has a written
definition (what counts, from which dates, which records), shown beside it, and a version with
the day from which it holds: the definitions are agreed with the municipality and will change.
A period is computed under the version in force on its first day; a figure always carries the
version it was computed under.

The figures come out as rows in one long shape (`IndicatorRow`): one indicator, one period, one
area (the city, a stadsdeel or a wijk), one category of one breakdown (a part, a reason, an age
band, ...), and the count as the reader may see it: shown, "< 5" or hidden (wijk.core.disclosure,
with the threshold of the setting SMALL_NUMBER_THRESHOLD). No row names a person.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wijk.core.disclosure import (
    HIDDEN,
    SMALL,
    Figure,
    derived,
    protect_list,
    protect_people_split,
    protect_table,
)
from wijk.monitoring.models import PublishedSet
from wijk.monitoring.selectors import (
    UNKNOWN_WIJK,
    WAITING_BANDS,
    ZRM_CHANGES,
    PartCounts,
    Period,
    PeriodUnit,
    all_team_ids,
    attendance_per_wijk,
    code_keys,
    code_labels,
    codes_in_use,
    compliance_per_wijk,
    contacts_per_wijk,
    inflow_per_wijk,
    latest_published_sets,
    outflow_per_wijk,
    period_span,
    reach_per_wijk,
    reason_counts,
    referrals_per_wijk,
    waiting_times_per_wijk,
    wijk_districts,
    zrm_changes_per_wijk,
)
from wijk.monitoring.sources import due_rows
from wijk.trajectories.workflow import HandoverDestination

type StrOrPromise = str | Promise


@dataclass(frozen=True, slots=True)
class Definition:
    """One version of an indicator's definition."""

    code: str  # stable key: "reach", "inflow", ...
    version: int
    valid_from: datetime.date
    title: StrOrPromise  # Dutch, as shown beside the figure (translated when read)
    description: StrOrPromise  # Dutch: what counts, from which dates, which records
    unit: StrOrPromise  # what one counts: "inwoners", "trajecten", "contacten", ...
    # Breakdowns the indicator has besides the area: "" (none, the total), "part", "reason", ...
    breakdowns: tuple[str, ...]
    # Whether the counts of the indicator's months add up to its quarter and year (contacts,
    # trajectories started); unique residents do not (one resident in two months counts once).
    additive: bool


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One figure, as the municipality may see it. `value` is None unless `status` is
    "shown"; a count of 1 to threshold - 1 has status "small", a count hidden so that a small
    one cannot be worked out has status "hidden"."""

    indicator: str
    version: int
    period_unit: str  # "maand", "kwartaal", "jaar"
    period_start: datetime.date
    period_end: datetime.date  # the first day after the period
    area_level: str  # "stad", "stadsdeel", "wijk"
    area_code: str  # "" for the city; the CBS code of the stadsdeel or wijk; "onbekend"
    breakdown: str  # "" for the total, else the breakdown's name ("part", "reason", ...)
    category: str  # "" for the total, else the category's code
    value: int | None
    status: str  # "shown", "small", "hidden"


# ---------------------------------------------------------------------------------------------
# How an indicator's counts are protected


class Protection(StrEnum):
    # Unique residents (or requests: one resident each) per period: a table of wijken by
    # category with the unique totals per wijk, protected per period (primary and secondary).
    PEOPLE = "people"
    # People per month split by what happened to them (a deadline met or not): the team's
    # work, not who they are. The months' totals per wijk are one protected list; a wijk's
    # split is shown where its total is (ADR 0028). Longer periods add up their months.
    PEOPLE_SPLIT = "people_split"
    # Records per month (trajectories by reason): a table per month; longer periods add up
    # their months and are shown only where every month is.
    COUNT = "count"
    # Contacts and visits, not people: shown as they are (ADR 0028).
    EXACT = "exact"


AREA_CITY, AREA_DISTRICT, AREA_WIJK = "stad", "stadsdeel", "wijk"
AREA_LEVELS = (AREA_CITY, AREA_DISTRICT, AREA_WIJK)
UNKNOWN_AREA = UNKNOWN_WIJK  # the area code of counts without a known wijk


@dataclass(frozen=True, slots=True)
class Counts:
    """The counts of one indicator per base period (the period itself, or its months for the
    indicators that add up) and wijk code ("" unknown): one count per category (none without
    a breakdown) and the row's total (for unique residents not the sum of the categories)."""

    categories: list[str]
    cells: dict[tuple[datetime.date, str], list[int]]
    totals: dict[tuple[datetime.date, str], int]
    # For a part of another indicator's residents (youth reach of reach): that indicator's
    # exact totals, so that no difference of the two gives a small count away (ADR 0051).
    whole: dict[tuple[datetime.date, str], int] | None = None


# Counts that several indicators read (reach and youth reach, the three request deadlines, the
# reasons and handovers, ...), asked once per call of `indicator_rows` or `municipality_rows`:
# by the selector's name and its arguments.
type Memo = dict[tuple[object, ...], Any]
type Counter = Callable[[list[Period], datetime.date, Memo], Counts]


def _shared[T](memo: Memo, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave before for `key` in this `memo`."""
    if key not in memo:
        memo[key] = compute()
    found: T = memo[key]
    return found


@dataclass(frozen=True, slots=True)
class Computation:
    protection: Protection
    count: Counter


def _months_of(periods: Sequence[Period]) -> list[Period]:
    return sorted(
        {Period(start=month, unit=PeriodUnit.MONTH) for p in periods for month in p.months}
    )


_PART_CATEGORIES = ("sociale_basis", "sociaal_wijkteam", "aanvullende_ondersteuning")


def _parts(found: Mapping[tuple[datetime.date, str], PartCounts]) -> Counts:
    return Counts(
        categories=list(_PART_CATEGORIES),
        cells={key: [getattr(c, name) for name in _PART_CATEGORIES] for key, c in found.items()},
        totals={key: counts.total for key, counts in found.items()},
    )


def _single(found: Mapping[tuple[datetime.date, str], int]) -> Counts:
    return Counts(categories=[], cells={key: [] for key in found}, totals=dict(found))


_PEOPLE: dict[str, Callable[[list[Period]], dict[tuple[datetime.date, str], PartCounts]]] = {
    "reach": reach_per_wijk,
    "inflow": inflow_per_wijk,
    "outflow": outflow_per_wijk,
}


def _people(kind: str, youth: bool = False) -> Counter:
    """Unique residents (`_PEOPLE[kind]`): by part, or those in youth support."""

    def count(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
        found = _shared(memo, (kind, *periods), lambda: _PEOPLE[kind](periods))
        if youth:
            single = _single({key: counts.youth for key, counts in found.items()})
            whole = {key: counts.total for key, counts in found.items()}
            return dataclasses.replace(single, whole=whole)
        return _parts(found)

    return count


def _count_attendance(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    span = period_span(periods)
    found = _shared(memo, ("attendance", *span), lambda: attendance_per_wijk(*span))
    return _single({key: total for key, (total, _youth) in found.items()})


def _count_attendance_youth(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    span = period_span(periods)
    found = _shared(memo, ("attendance", *span), lambda: attendance_per_wijk(*span))
    return _single({key: youth for key, (_total, youth) in found.items()})


def _count_contacts(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    return _single(contacts_per_wijk(*period_span(periods)))


def _waiting_times(
    periods: list[Period], today: datetime.date, memo: Memo
) -> dict[tuple[datetime.date, str], list[int]]:
    """The waiting list by waiting time: `wachtlijst` is its sum, `wachttijd` its bands."""
    return _shared(
        memo, ("waiting", today, *periods), lambda: waiting_times_per_wijk(periods, today=today)
    )


def _count_waiting(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    found = _waiting_times(periods, today, memo)
    return _single({key: sum(bands) for key, bands in found.items()})


def _count_waiting_times(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    found = _waiting_times(periods, today, memo)
    return Counts(
        categories=[band for band, _days in WAITING_BANDS],
        cells=found,
        totals={key: sum(bands) for key, bands in found.items()},
    )


def _count_referrals(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    start, end = period_span(periods)
    found = referrals_per_wijk(start, end)
    columns = codes_in_use(
        "out_of_scope_provisions", since=start, used={code for _m, _w, code in found}
    )
    cells = {
        (month, wijk): [found.get((month, wijk, column), 0) for column in columns]
        for month, wijk, _code in found
    }
    return Counts(
        categories=columns, cells=cells, totals={key: sum(row) for key, row in cells.items()}
    )


def _count_zrm_changes(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
    start, end = period_span(periods)
    found = zrm_changes_per_wijk(start, end)
    domains = codes_in_use(
        "life_domains", since=start, used={domain for _m, _w, domain in found.per_domain}
    )
    width = len(ZRM_CHANGES)
    cells = {key: [0] * (len(domains) * width) for key in found.trajectories}
    for (month, wijk, domain), changes in found.per_domain.items():
        at = domains.index(domain) * width
        cells[(month, wijk)][at : at + width] = changes
    return Counts(
        categories=[f"{domain}:{change}" for domain in domains for change in ZRM_CHANGES],
        cells=cells,
        totals=dict(found.trajectories),
    )


def _reasons(kind: str) -> Counter:
    def count(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
        start, end = period_span(periods)
        found = _shared(
            memo,
            ("reasons", start, end),
            lambda: reason_counts(unit=PeriodUnit.MONTH, start=start, end=end),
        )
        if kind == "destination":
            options, values = found.destinations, found.handover
            keys = {option.code: option.code for option in options}
        else:
            options = found.inflow_reasons if kind == "inflow" else found.outflow_reasons
            values = found.inflow if kind == "inflow" else found.outflow
            keys = code_keys("inflow_reasons", "outflow_reasons")
        columns = [option.code for option in options]
        cells: dict[tuple[datetime.date, str], list[int]] = {}
        for month, wijk in {(month, wijk) for month, wijk, _code in values}:
            cells[(month, wijk)] = [values.get((month, wijk, column), 0) for column in columns]
        return Counts(
            categories=[keys.get(column, column) for column in columns],
            cells=cells,
            totals={key: sum(row) for key, row in cells.items()},
        )

    return count


_DEADLINE_OUTCOMES = ("met", "not_met", "not_judged")


def _deadline(name: str) -> Counter:
    def count(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
        cells: dict[tuple[datetime.date, str], list[int]] = {}
        span = period_span(periods)
        rows = _shared(
            memo, ("compliance", today, *span), lambda: compliance_per_wijk(*span, today=today)
        )
        for row in rows:
            counts = getattr(row, name)
            # The investigation's deadline counts the requests whose investigation was
            # started; the other deadlines every request received.
            counted = row.investigations if name == "investigation" else row.received
            not_judged = counted - counts.met - counts.not_met
            cells[(row.month, row.wijk_code)] = [counts.met, counts.not_met, not_judged]
        return Counts(
            categories=list(_DEADLINE_OUTCOMES),
            cells=cells,
            totals={key: sum(row) for key, row in cells.items()},
        )

    return count


_DUE_OUTCOMES = ("on_time", "late", "not_held", "not_judged")


def _due(kind: str) -> Counter:
    def count(periods: list[Period], today: datetime.date, memo: Memo) -> Counts:
        start, end = period_span(periods)
        teams = _shared(memo, ("teams",), all_team_ids)
        rows = due_rows(kind, start=start, end=end, team_ids=teams, today=today)
        cells: dict[tuple[datetime.date, str], list[int]] = {}
        for row in rows or []:
            cell = cells.setdefault((row.month, row.wijk_code), [0, 0, 0, 0])
            for index, outcome in enumerate(_DUE_OUTCOMES):
                cell[index] += getattr(row, outcome)
        return Counts(
            categories=list(_DUE_OUTCOMES),
            cells=cells,
            totals={key: sum(row) for key, row in cells.items()},
        )

    return count


# ---------------------------------------------------------------------------------------------
# The definitions

CONTRACT_START = datetime.date(2022, 7, 1)


def _join(*parts: StrOrPromise) -> StrOrPromise:
    """Sentences joined, still translated when read (not when this module is imported)."""
    return format_lazy("{}" * len(parts), *parts)


_PARTS_TEXT = _(
    " Per onderdeel: Sociale Basis, Sociaal Wijkteam en Aanvullende Ondersteuning; een inwoner"
    " met trajecten in twee onderdelen telt in elk onderdeel één keer en in het totaal één keer."
)
_WIJK_TEXT = _(
    " De wijk is die van het huidige adres van de inwoner; zonder bekend adres: 'onbekend'."
)

DEFINITIONS: tuple[tuple[Definition, Computation], ...] = (
    (
        Definition(
            code="bereik",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Bereik: unieke inwoners in ondersteuning"),
            description=_join(
                _(
                    "Het aantal verschillende inwoners met een traject dat in de periode liep: "
                    "begonnen (datum eerste betrokkenheid) vóór het einde van de periode en niet "
                    "geëindigd vóór het begin ervan. Hulpvragen zonder traject en korte contacten "
                    "tellen hier niet mee."
                ),
                _PARTS_TEXT,
                _WIJK_TEXT,
            ),
            unit=_("inwoners"),
            breakdowns=("onderdeel",),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _people("reach")),
    ),
    (
        Definition(
            code="bereik_jeugd",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Bereik jeugd: unieke inwoners in ondersteuning voor jongeren en ouders"),
            description=_join(
                _(
                    "Van het bereik: de verschillende inwoners met een traject voor jongeren "
                    "en hun ouders dat in de periode liep."
                ),
                _WIJK_TEXT,
            ),
            unit=_("inwoners"),
            breakdowns=(),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _people("reach", youth=True)),
    ),
    (
        Definition(
            code="deelnames",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Deelnames aan activiteiten"),
            description=_(
                "Het aantal deelnames aan bijeenkomsten van activiteiten in de periode, zoals "
                "de organisator ze telde, in de wijk van de activiteit. Deelnames zijn geen "
                "personen: wie tien keer komt, telt tien keer. Niet optellen bij het bereik."
            ),
            unit=_("deelnames"),
            breakdowns=(),
            additive=True,
        ),
        Computation(Protection.EXACT, _count_attendance),
    ),
    (
        Definition(
            code="deelnames_jeugd",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Deelnames van jongeren aan activiteiten"),
            description=_(
                "Van de deelnames: die van jongeren, zoals de organisator ze telde. Geen personen."
            ),
            unit=_("deelnames"),
            breakdowns=(),
            additive=True,
        ),
        Computation(Protection.EXACT, _count_attendance_youth),
    ),
    (
        Definition(
            code="instroom",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Instroom: unieke inwoners van wie ondersteuning begon"),
            description=_join(
                _(
                    "Het aantal verschillende inwoners met een traject waarvan de datum van eerste "
                    "betrokkenheid in de periode valt."
                ),
                _PARTS_TEXT,
                _WIJK_TEXT,
            ),
            unit=_("inwoners"),
            breakdowns=("onderdeel",),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _people("inflow")),
    ),
    (
        Definition(
            code="uitstroom",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Uitstroom: unieke inwoners van wie ondersteuning eindigde"),
            description=_join(
                _(
                    "Het aantal verschillende inwoners met een traject waarvan de einddatum in de "
                    "periode valt."
                ),
                _PARTS_TEXT,
                _WIJK_TEXT,
            ),
            unit=_("inwoners"),
            breakdowns=("onderdeel",),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _people("outflow")),
    ),
    (
        Definition(
            code="instroom_jeugd",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Instroom jeugd: unieke inwoners van wie ondersteuning voor jongeren begon"),
            description=_join(
                _(
                    "Van de instroom: de verschillende inwoners met een traject voor jongeren en "
                    "hun ouders waarvan de datum van eerste betrokkenheid in de periode valt."
                ),
                _WIJK_TEXT,
            ),
            unit=_("inwoners"),
            breakdowns=(),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _people("inflow", youth=True)),
    ),
    (
        Definition(
            code="uitstroom_jeugd",
            version=1,
            valid_from=CONTRACT_START,
            title=_(
                "Uitstroom jeugd: unieke inwoners van wie ondersteuning voor jongeren eindigde"
            ),
            description=_join(
                _(
                    "Van de uitstroom: de verschillende inwoners met een traject voor jongeren en "
                    "hun ouders waarvan de einddatum in de periode valt."
                ),
                _WIJK_TEXT,
            ),
            unit=_("inwoners"),
            breakdowns=(),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _people("outflow", youth=True)),
    ),
    (
        Definition(
            code="instroom_reden",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Instroom naar reden"),
            description=_join(
                _(
                    "Het aantal trajecten dat in de periode begon, naar de reden van instroom "
                    "(standaardlijst). Trajecten, geen personen: een inwoner met twee trajecten "
                    "telt twee keer."
                ),
                _WIJK_TEXT,
            ),
            unit=_("trajecten"),
            breakdowns=("reden",),
            additive=True,
        ),
        Computation(Protection.COUNT, _reasons("inflow")),
    ),
    (
        Definition(
            code="uitstroom_reden",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Uitstroom naar reden"),
            description=_join(
                _(
                    "Het aantal trajecten dat in de periode eindigde, naar de reden of het "
                    "resultaat (standaardlijst). Trajecten, geen personen."
                ),
                _WIJK_TEXT,
            ),
            unit=_("trajecten"),
            breakdowns=("reden",),
            additive=True,
        ),
        Computation(Protection.COUNT, _reasons("outflow")),
    ),
    (
        Definition(
            code="overdrachten",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Warme overdrachten naar bestemming"),
            description=_join(
                _(
                    "Het aantal trajecten dat in de periode eindigde met een warme overdracht, "
                    "naar de bestemming van de overdracht."
                ),
                _WIJK_TEXT,
            ),
            unit=_("trajecten"),
            breakdowns=("bestemming",),
            additive=True,
        ),
        Computation(Protection.COUNT, _reasons("destination")),
    ),
    (
        Definition(
            code="doorverwijzingen",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Doorverwijzingen naar voorziening"),
            description=_(
                "Het aantal hulpvragen dat in de periode werd afgesloten met een verwijzing naar "
                "een voorziening buiten de opdracht, naar die voorziening (standaardlijst). Naar "
                "de datum van afsluiten en de wijk van de buurt van de hulpvraag. Hulpvragen, "
                "geen personen. Warme overdrachten aan het einde van een traject tellen hier niet "
                "mee: die staan bij de overdrachten."
            ),
            unit=_("hulpvragen"),
            breakdowns=("voorziening",),
            additive=True,
        ),
        Computation(Protection.COUNT, _count_referrals),
    ),
    (
        Definition(
            code="korte_contacten",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Korte contacten (informatie en advies)"),
            description=_(
                "Het aantal korte contacten in de periode, naar de datum van het contact en de "
                "wijk die erbij is vastgelegd. Contacten, geen personen."
            ),
            unit=_("contacten"),
            breakdowns=(),
            additive=True,
        ),
        Computation(Protection.EXACT, _count_contacts),
    ),
    (
        Definition(
            code="wachtlijst",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Wachtlijst aan het einde van de periode"),
            description=_(
                "Het aantal hulpvragen dat vóór het einde van de periode binnenkwam en toen nog "
                "niet was afgesloten (voor de lopende periode: vandaag). In de wijk van de buurt "
                "van de hulpvraag."
            ),
            unit=_("hulpvragen"),
            breakdowns=(),
            additive=False,
        ),
        Computation(Protection.PEOPLE, _count_waiting),
    ),
    (
        Definition(
            code="wachttijd",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Wachtlijst naar wachttijd"),
            description=_(
                "De wachtlijst aan het einde van de periode (zoals bij de wachtlijst), naar hoe "
                "lang de hulpvraag toen wachtte: het aantal dagen van de dag van ontvangst tot de "
                "laatste dag van de periode (voor de lopende periode: vandaag). Korter dan 2 "
                "weken, 2 tot 4 weken, 4 tot 8 weken, 8 weken of langer. Na 4 weken is de termijn "
                "voor ondersteuning voorbij. Samen zijn de groepen de wachtlijst."
            ),
            unit=_("hulpvragen"),
            breakdowns=("wachttijd",),
            additive=False,
        ),
        Computation(Protection.PEOPLE_SPLIT, _count_waiting_times),
    ),
    (
        Definition(
            code="termijn_eerste_contact",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Eerste contact binnen de termijn"),
            description=_(
                "Van de hulpvragen die in de periode binnenkwamen: eerste contact op of vóór de "
                "vijfde werkdag na ontvangst (gehaald), daarna (niet gehaald), of nog niet te "
                "beoordelen. Naar de maand van ontvangst en de wijk van de buurt van de "
                "hulpvraag."
            ),
            unit=_("hulpvragen"),
            breakdowns=("uitkomst",),
            additive=True,
        ),
        Computation(Protection.PEOPLE_SPLIT, _deadline("first_contact")),
    ),
    (
        Definition(
            code="termijn_ondersteuning",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Ondersteuning binnen vier weken"),
            description=_(
                "Van de hulpvragen die in de periode binnenkwamen: afgesloten met een antwoord "
                "(ondersteuning gestart, informatie gegeven, doorverwezen) binnen vier weken na "
                "ontvangst (gehaald), later of nog open na vier weken (niet gehaald), of nog "
                "niet te beoordelen."
            ),
            unit=_("hulpvragen"),
            breakdowns=("uitkomst",),
            additive=True,
        ),
        Computation(Protection.PEOPLE_SPLIT, _deadline("support")),
    ),
    (
        Definition(
            code="termijn_onderzoek",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Onderzoek binnen zes weken"),
            description=_(
                "Van de hulpvragen die in de periode binnenkwamen en waarvoor een onderzoek "
                "(keukentafelgesprek) is gestart: het onderzoek afgerond uiterlijk zes weken na "
                "de dag van ontvangst (gehaald); later afgerond, of niet afgerond terwijl de zes "
                "weken voorbij zijn en de hulpvraag nog open is of na de zes weken werd afgesloten "
                "(niet gehaald); of nog niet te beoordelen (de zes weken lopen nog, of de "
                "hulpvraag werd binnen de zes weken afgesloten). Hulpvragen zonder onderzoek "
                "(kort advies) tellen niet mee. Naar de maand van ontvangst en de wijk van de "
                "buurt van de hulpvraag."
            ),
            unit=_("hulpvragen"),
            breakdowns=("uitkomst",),
            additive=True,
        ),
        Computation(Protection.PEOPLE_SPLIT, _deadline("investigation")),
    ),
    (
        Definition(
            code="evaluaties_plan",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Evaluaties van het ondersteuningsplan op tijd"),
            description=_join(
                _(
                    "De evaluaties van ondersteuningsplannen met een evaluatiedatum in de periode: "
                    "op of vóór die datum gehouden, later gehouden, niet gehouden terwijl de datum "
                    "voorbij is, of nog niet te beoordelen."
                ),
                _WIJK_TEXT,
            ),
            unit=_("evaluaties"),
            breakdowns=("uitkomst",),
            additive=True,
        ),
        Computation(Protection.PEOPLE_SPLIT, _due("plan_evaluation")),
    ),
    (
        Definition(
            code="evaluaties_pgb",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Evaluaties van het pgb op tijd"),
            description=_join(
                _(
                    "De evaluaties van persoonsgebonden budgetten met een evaluatiedatum in de "
                    "periode, op dezelfde manier geteld als die van de ondersteuningsplannen."
                ),
                _WIJK_TEXT,
            ),
            unit=_("evaluaties"),
            breakdowns=("uitkomst",),
            additive=True,
        ),
        Computation(Protection.PEOPLE_SPLIT, _due("pgb_evaluation")),
    ),
    (
        Definition(
            code="zrm_verandering",
            version=1,
            valid_from=CONTRACT_START,
            title=_("Verandering in de ZRM-scores tussen begin en einde"),
            description=_join(
                _(
                    "Van de trajecten die in de periode eindigden (einddatum) met een ZRM bij het "
                    "begin en een ZRM bij het einde: per leefgebied het aantal trajecten waarvan "
                    "de score bij het einde hoger (beter), gelijk of lager (slechter) was dan bij "
                    "het begin. Per leefgebied telt de eerste ZRM van het moment 'begin' en de "
                    "laatste van het moment 'einde' die het leefgebied scoren; een leefgebied "
                    "zonder beide scores telt niet mee. Het totaal is het aantal trajecten met "
                    "op minstens één leefgebied beide scores, geen optelling van de "
                    "leefgebieden. Trajecten, geen personen."
                ),
                _WIJK_TEXT,
            ),
            unit=_("trajecten"),
            breakdowns=("leefgebied",),
            additive=True,
        ),
        Computation(Protection.COUNT, _count_zrm_changes),
    ),
)


def definitions() -> list[Definition]:
    """Every version of every indicator's definition, in the order of the list."""
    return [definition for definition, _computation in DEFINITIONS]


def in_force(versions: Sequence[Definition], day: datetime.date) -> Definition:
    """The version in force on `day`: the newest that holds from that day or earlier; the
    first version for a day before it (the figures from before the contract)."""
    ordered = sorted(versions, key=lambda d: (d.valid_from, d.version))
    holding = [d for d in ordered if d.valid_from <= day]
    return holding[-1] if holding else ordered[0]


def definition_for(code: str, day: datetime.date) -> Definition:
    """The version of indicator `code` in force on `day` (KeyError: no such indicator)."""
    versions = [d for d in definitions() if d.code == code]
    if not versions:
        raise KeyError(code)
    return in_force(versions, day)


def indicator_codes() -> list[str]:
    return list(dict.fromkeys(definition.code for definition in definitions()))


def _computation(definition: Definition) -> Computation:
    return next(c for d, c in DEFINITIONS if d == definition)


# ---------------------------------------------------------------------------------------------
# Computing and protecting


type Place = tuple[datetime.date, str | None, int | None]  # base start, wijk (None: all), column


def _protect(
    protection: Protection, counts: Counts, starts: Sequence[datetime.date], wijken: list[str]
) -> dict[Place, Figure]:
    """One protected table (or list) per base period: wijken by category."""
    width = len(counts.categories)
    figures: dict[Place, Figure] = {}
    for start in starts:
        cells = [counts.cells.get((start, code), [0] * width) for code in wijken]
        totals = [counts.totals.get((start, code), 0) for code in wijken]
        suppress = protection is not Protection.EXACT
        if protection is Protection.PEOPLE_SPLIT:
            table = protect_people_split(
                cells, row_totals=totals, groups=[list(range(width))], suppress=suppress
            )
        elif width:
            table = protect_table(cells, row_totals=totals, suppress=suppress)
        else:
            wholes = None
            if counts.whole is not None:
                wholes = [counts.whole.get((start, code), 0) for code in wijken]
            listed = protect_list(totals, suppress=suppress, wholes=wholes)
            for code, figure in zip(wijken, listed.cells, strict=True):
                figures[(start, code, None)] = figure
            figures[(start, None, None)] = listed.total
            continue
        for r, code in enumerate(wijken):
            for c in range(width):
                figures[(start, code, c)] = table.cells[r][c]
            figures[(start, code, None)] = table.row_totals[r]
        for c in range(width):
            figures[(start, None, c)] = table.column_totals[c]
        figures[(start, None, None)] = table.total
    return figures


def _status(figure: Figure) -> tuple[int | None, str]:
    return (figure.value if figure.shown else None), str(figure.status)


def _row(
    code: str, version: int, period: Period, place: tuple[str, str, str, str], figure: Figure
) -> IndicatorRow:
    """The row of one figure; `place` is (area level, area code, breakdown, category)."""
    level, area, breakdown, category = place
    value, status = _status(figure)
    return IndicatorRow(
        indicator=code,
        version=version,
        period_unit=period.unit,
        period_start=period.start,
        period_end=period.end,
        area_level=level,
        area_code=area,
        breakdown=breakdown,
        category=category,
        value=value,
        status=status,
    )


_NOT_SHOWN = {"small": SMALL, "hidden": HIDDEN}


def indicator_rows(
    *,
    periods: Sequence[Period],
    codes: Sequence[str] | None = None,
    levels: Sequence[str] = AREA_LEVELS,
    exact: bool = False,
    today: datetime.date | None = None,
    memo: Memo | None = None,
) -> Iterator[IndicatorRow]:
    """The figures of the indicators `codes` (None: all) for each of `periods`, at each of
    the area `levels`, as the municipality may see them (`exact`: the consortium's own view,
    nothing hidden). Each period under the definition in force on its first day. Counts that
    several indicators read are asked once (`memo`: shared with the caller's other calls of
    the same moment, as `municipality_rows` does).

    Protection (wijk.core.disclosure): per base period one table of the wijken (and the
    unknown wijk) by category. A stadsdeel adds up its wijken and the longer periods of
    the indicators that add up (months into quarters and years) add up their months: such a
    sum is shown only when every part is (`derived`), so that no difference between two
    published figures gives a hidden one away. Rows come in a fixed order: by indicator, then
    period, level, area, breakdown and category."""
    today = today or timezone.localdate()
    periods = sorted(set(periods))
    if not periods:
        return
    if any(period.start > today for period in periods):
        raise ValueError("a period that has not begun has no figures")
    districts = wijk_districts()
    memo = {} if memo is None else memo
    chosen = indicator_codes() if codes is None else list(codes)
    for code in chosen:
        by_version: dict[Definition, list[Period]] = {}
        for period in periods:
            by_version.setdefault(definition_for(code, period.start), []).append(period)
        for definition, own in by_version.items():
            yield from _rows_of(
                definition, own, districts, levels, exact=exact, today=today, memo=memo
            )


def _rows_of(
    definition: Definition,
    periods: list[Period],
    districts: Mapping[str, str],
    levels: Sequence[str],
    *,
    exact: bool,
    today: datetime.date,
    memo: Memo,
) -> Iterator[IndicatorRow]:
    computation = _computation(definition)
    base = _months_of(periods) if definition.additive else periods
    yield from rows_from_counts(
        definition=definition,
        protection=Protection.EXACT if exact else computation.protection,
        counts=computation.count(base, today, memo),
        periods=periods,
        districts=districts,
        levels=levels,
    )


def rows_from_counts(
    *,
    definition: Definition,
    protection: Protection,
    counts: Counts,
    periods: Sequence[Period],
    districts: Mapping[str, str],
    levels: Sequence[str] = AREA_LEVELS,
) -> Iterator[IndicatorRow]:
    """The rows of one indicator from its counts (per base period: the periods themselves,
    or their months for an indicator that adds up): protected, then put together per area
    and period. `districts` gives each known wijk's stadsdeel ("" none)."""
    by_month = definition.additive
    base = _months_of(periods) if by_month else list(periods)
    known = sorted(districts)
    extra = sorted({wijk for _start, wijk in counts.totals if wijk and wijk not in districts})
    wijken = [*known, *extra, ""]
    figures = _protect(protection, counts, [p.start for p in base], wijken)
    width = len(counts.categories)
    breakdown = definition.breakdowns[0] if definition.breakdowns else ""

    def over(period: Period, wijk: str | None, column: int | None) -> Figure:
        if not by_month:
            return figures[(period.start, wijk, column)]
        return derived(figures[(month, wijk, column)] for month in period.months)

    areas: list[tuple[str, str, list[str | None]]] = []
    if AREA_CITY in levels:
        areas.append((AREA_CITY, "", [None]))
    if AREA_DISTRICT in levels:
        for name in sorted({name for name in districts.values() if name}):
            areas.append((AREA_DISTRICT, name, [code for code in known if districts[code] == name]))
    if AREA_WIJK in levels:
        areas.extend((AREA_WIJK, code or UNKNOWN_AREA, [code]) for code in wijken)
    columns: list[tuple[str, str, int | None]] = [("", "", None)]
    columns += [(breakdown, counts.categories[c], c) for c in range(width)]
    for period in sorted(periods):
        for level, area, members in areas:
            for name, category, column in columns:
                parts = [over(period, member, column) for member in members]
                yield _row(
                    definition.code,
                    definition.version,
                    period,
                    (level, area, name, category),
                    derived(parts),
                )


# ---------------------------------------------------------------------------------------------
# Published sets: what the municipality received for a period, frozen (monitoring.services)


def row_to_json(row: IndicatorRow) -> dict[str, Any]:
    values = dataclasses.asdict(row)
    for name in ("period_start", "period_end"):
        values[name] = values[name].isoformat()
    return values


def row_from_json(values: dict[str, Any]) -> IndicatorRow:
    return IndicatorRow(
        **{
            **values,
            "period_start": datetime.date.fromisoformat(values["period_start"]),
            "period_end": datetime.date.fromisoformat(values["period_end"]),
        }
    )


def rows_checksum(rows: list[dict[str, Any]]) -> str:
    """SHA-256 of the rows as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def municipality_rows(
    *,
    periods: Sequence[Period],
    codes: Sequence[str] | None = None,
    levels: Sequence[str] = AREA_LEVELS,
    today: datetime.date | None = None,
    fresh: bool = False,
) -> Iterator[IndicatorRow]:
    """The municipality's figures: for a period with a published set, the newest set's rows
    (what was delivered, whatever happened to the records since); for any other period, the
    figures computed now. In the order of `indicator_rows`. `fresh`: the periods' own sets
    are passed over (what a new set of them is made of; their months' sets still count)."""
    today = today or timezone.localdate()
    ordered = sorted(set(periods))
    published = {} if fresh else latest_published_sets(ordered)
    # A quarter or year without a set of its own, of an indicator that adds up, whose months
    # were published in part: the sum of its months as the municipality has them (published,
    # or computed now), never counted anew, or it less its published months would tell what
    # was registered for them since (a late registration: one resident, in one wijk).
    longer = [p for p in ordered if p not in published and p.unit != PeriodUnit.MONTH]
    month_sets = latest_published_sets(_months_of(longer)) if longer else {}
    frozen_index = _FrozenIndex(levels)
    memo: Memo = {}
    for code in indicator_codes() if codes is None else list(codes):
        summed = [
            period
            for period in longer
            if definition_for(code, period.start).additive
            and any(Period(month, PeriodUnit.MONTH) in month_sets for month in period.months)
        ]
        open_periods = [p for p in ordered if p not in published and p not in summed]
        # The periods without a set are counted together (each is protected on its own).
        computed: dict[Period, list[IndicatorRow]] = {}
        if open_periods:
            for row in indicator_rows(
                periods=open_periods, codes=[code], levels=levels, today=today, memo=memo
            ):
                key = Period(start=row.period_start, unit=row.period_unit)
                computed.setdefault(key, []).append(row)
        month_rows: dict[datetime.date, list[IndicatorRow]] = {}
        if summed:
            months = [month for month in _months_of(summed) if month.start <= today]
            live = [month for month in months if month not in month_sets]
            if live:
                for row in indicator_rows(
                    periods=live, codes=[code], levels=levels, today=today, memo=memo
                ):
                    month_rows.setdefault(row.period_start, []).append(row)
            for month in months:
                if (month_set := month_sets.get(month)) is not None:
                    month_rows[month.start] = list(frozen_index.rows(month_set, code))
        for period in ordered:
            frozen = published.get(period)
            if period in summed:
                parts = [month_rows.get(month, []) for month in period.months]
                yield from _summed_rows(code, period, parts)
            elif frozen is None:
                yield from computed.get(period, [])
            else:
                yield from frozen_index.rows(frozen, code)


class _FrozenIndex:
    """The rows of published sets by indicator, at `levels`: each set's JSON is scanned once,
    however many indicators are asked of it (the index keeps positions, not second copies)."""

    def __init__(self, levels: Sequence[str]) -> None:
        self._levels = set(levels)
        self._sets: dict[int, dict[str, list[int]]] = {}

    def rows(self, published: PublishedSet, code: str) -> Iterator[IndicatorRow]:
        """The rows of indicator `code` in `published`, in the set's order."""
        by_code = self._sets.get(published.pk)
        if by_code is None:
            by_code = self._sets[published.pk] = {}
            for position, values in enumerate(published.rows):
                if values["area_level"] in self._levels:
                    by_code.setdefault(values["indicator"], []).append(position)
        for position in by_code.get(code, []):
            yield row_from_json(published.rows[position])


def _summed_rows(
    code: str, period: Period, months: Sequence[Sequence[IndicatorRow]]
) -> Iterator[IndicatorRow]:
    """The rows of `period` as the sums of its months' rows (a month not begun has none): each
    shown only when every month's is (`derived`). A figure missing from a month is 0 there (a
    category that had no codes yet, an area that was not known)."""
    figures: dict[tuple[str, str, str, str], list[Figure]] = {}
    for index, rows in enumerate(months):
        for row in rows:
            key = (row.area_level, row.area_code, row.breakdown, row.category)
            figure = Figure(row.value) if row.status == "shown" else _NOT_SHOWN[row.status]
            figures.setdefault(key, [Figure(0)] * index).append(figure)
        for parts in figures.values():
            if len(parts) == index:
                parts.append(Figure(0))
    version = definition_for(code, period.start).version
    for place, parts in figures.items():
        yield _row(code, version, period, place, derived(parts))


# ---------------------------------------------------------------------------------------------
# Names of the breakdowns' categories, for people (the rows carry codes)

_CATEGORY_NAMES: dict[str, dict[str, StrOrPromise]] = {
    "onderdeel": {
        "sociale_basis": _("Sociale Basis"),
        "sociaal_wijkteam": _("Sociaal Wijkteam"),
        "aanvullende_ondersteuning": _("Aanvullende Ondersteuning"),
    },
    "uitkomst": {
        "met": _("gehaald"),
        "not_met": _("niet gehaald"),
        "not_judged": _("nog niet te beoordelen"),
        "on_time": _("op tijd"),
        "late": _("te laat gehouden"),
        "not_held": _("niet gehouden"),
    },
    "bestemming": {str(value): label for value, label in HandoverDestination.choices},
    "wachttijd": {
        "tot_2_weken": _("korter dan 2 weken"),
        "2_tot_4_weken": _("2 tot 4 weken"),
        "4_tot_8_weken": _("4 tot 8 weken"),
        "8_weken_of_langer": _("8 weken of langer"),
    },
}
_ZRM_CHANGE_NAMES: dict[str, StrOrPromise] = {
    "beter": _("beter"),
    "gelijk": _("gelijk"),
    "slechter": _("slechter"),
}
BREAKDOWN_NAMES: dict[str, StrOrPromise] = {
    "onderdeel": _("onderdeel"),
    "reden": _("reden"),
    "bestemming": _("bestemming"),
    "uitkomst": _("uitkomst"),
    "wachttijd": _("wachttijd"),
    "voorziening": _("voorziening"),
    "leefgebied": _("leefgebied en verandering"),
}


def category_names(breakdown: str) -> dict[str, str]:
    """The names of the categories of `breakdown`, by code."""
    if breakdown == "reden":
        return code_labels("inflow_reasons", "outflow_reasons")
    if breakdown == "voorziening":
        return code_labels("out_of_scope_provisions")
    if breakdown == "leefgebied":
        return {
            f"{code}:{change}": f"{label}: {name}"
            for code, label in code_labels("life_domains").items()
            for change, name in _ZRM_CHANGE_NAMES.items()
        }
    return {code: str(name) for code, name in _CATEGORY_NAMES.get(breakdown, {}).items()}
