"""What a delivery holds: the one registry of its tables.

By default a delivery holds aggregates only: the indicators with small-number protection, the
definitions they were computed under, the wijken their area codes refer to, and the published
sets (the frozen figures of ended periods, with their corrections). With `records` it adds
the pseudonymised record-level part (`wijk.feed.records`, docs/adr/0050). The tables are
described here against the shapes of `wijk.monitoring.indicators` (`Definition`,
`IndicatorRow`), which computes every figure; the feed adds nothing to a figure.

Which periods a delivery holds (docs/adr/0049): a full delivery every month, quarter
and year that has begun before the delivery day, from January seven years before the
delivery's year (eight calendar years); an incremental one only those that end after `since`
(a period that holds a day on or after `since` may have changed), and the published sets made
on or after `since`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.utils import translation

from wijk.core.pseudonyms import pseudonym_key
from wijk.feed.records import RecordSource, record_tables
from wijk.feed.selectors import published_figures, published_set_rows, wijk_rows
from wijk.feed.tables import Code, Field, FieldType, Row, TableSpec
from wijk.monitoring import indicators
from wijk.monitoring.indicators import Definition, IndicatorRow
from wijk.monitoring.quality import quality_summary
from wijk.monitoring.selectors import Period, PeriodUnit, period_of

FULL_DELIVERY_YEARS = 8
# The value of an indicator's area, breakdown or category where the figure is not split:
# an empty text cannot be told from an empty value in CSV.
TOTAL = "totaal"


@dataclass(frozen=True)
class DeliveryContent:
    tables: tuple[TableSpec, ...]
    # The definition versions the figures were computed under: (indicator, version), sorted.
    definition_versions: tuple[tuple[str, int], ...] = ()
    # The fingerprint of the pseudonym key of the record-level part (not the key): "" without
    # that part (docs/adr/0050).
    pseudonym_key_id: str = ""


def delivery_content(
    *, day: datetime.date, since: datetime.date | None, records: bool
) -> DeliveryContent:
    """The tables of the delivery of `day`: the figures as they stand on that day, and with
    `records` the pseudonymised record-level part (docs/adr/0050; the caller has checked its
    legal basis and key)."""
    periods = delivery_periods(day=day, since=since)
    found = indicators.definitions()
    versions = sorted(
        {
            (code, indicators.definition_for(code, period.start).version)
            for code in indicators.indicator_codes()
            for period in periods
        }
    )

    def rows_for_periods(batch: Sequence[Period]) -> Iterator[IndicatorRow]:
        # The municipality's figures: a published (frozen) set for a period that has one.
        return indicators.municipality_rows(periods=batch, today=day)

    record_part: tuple[TableSpec, ...] = ()
    key_id = ""
    if records:
        key = pseudonym_key(settings.PSEUDONYM_KEY)
        key_id = key.key_id
        record_part = record_tables(
            RecordSource(key=key, since=since, first_day=indicators.CONTRACT_START)
        )
    return DeliveryContent(
        tables=(
            definitions_table(lambda: found),
            indicators_table(
                periods=periods,
                rows_for_periods=rows_for_periods,
                codes=tuple(
                    Code(code, str(indicators.definition_for(code, day).title))
                    for code in sorted(indicators.indicator_codes())
                ),
            ),
            wijken_table(),
            published_sets_table(since=since),
            published_figures_table(since=since),
            quality_table(day=day),
            *record_part,
        ),
        definition_versions=tuple(versions),
        pseudonym_key_id=key_id,
    )


def quality_table(*, day: datetime.date) -> TableSpec:
    """The data-quality report's summary (seed 002 §8.2), as the municipality may see it: per
    check, how many records fail it on the delivery day, in the city and per wijk."""

    def rows() -> Iterator[Row]:
        with translation.override("nl"):
            found = quality_summary(day)
            ordered = sorted(found, key=lambda c: (c.check, c.area_level, c.area_code or TOTAL))
            for count in ordered:
                yield (
                    count.check,
                    str(count.category),
                    count.area_level,
                    count.area_code or TOTAL,
                    count.value,
                    count.status,
                )

    return TableSpec(
        name="datakwaliteit",
        title="Datakwaliteit",
        description=(
            "Hoeveel gegevens op de dag van de levering een controle niet doorstaan: "
            "ontbrekende, onjuiste, laat vastgelegde en mogelijk dubbele gegevens, voor de hele "
            "stad en per wijk, met bescherming van kleine aantallen. De teamleiders verbeteren "
            "de gegevens; zie de pagina Datakwaliteit in wijk."
        ),
        fields=(
            Field("controle", FieldType.STRING, "De code van de controle."),
            Field("soort", FieldType.STRING, "Volledig, juist, op tijd of dubbel."),
            Field(
                "gebied_niveau",
                FieldType.STRING,
                "Het niveau van het gebied.",
                codes=(Code("stad", "de hele gemeente"), Code("wijk", "een wijk")),
            ),
            Field(
                "gebied_code",
                FieldType.STRING,
                "De CBS-code van de wijk, 'onbekend' zonder bekende wijk, of 'totaal' voor de "
                "hele stad.",
            ),
            Field(
                "aantal",
                FieldType.INTEGER,
                "Het aantal gegevens; leeg als het is afgeschermd (zie status).",
                required=False,
                minimum=0,
            ),
            Field(
                "status",
                FieldType.STRING,
                "Of het aantal getoond of afgeschermd is.",
                codes=STATUS_CODES,
            ),
        ),
        primary_key=("controle", "gebied_niveau", "gebied_code"),
        rows=rows,
    )


def delivery_periods(*, day: datetime.date, since: datetime.date | None) -> list[Period]:
    """The periods of a delivery, in the order of the indicators' key: by unit name, then by
    start. None before the contract: a full delivery starts at the period of each unit that
    holds the contract's first day."""
    first = datetime.date(day.year - FULL_DELIVERY_YEARS + 1, 1, 1)
    periods = []
    for unit in sorted(PeriodUnit.ALL):
        start = max(first, period_of(unit, indicators.CONTRACT_START).start)
        while start < day:
            period = Period(start=start, unit=unit)
            if since is None or period.end > since:
                periods.append(period)
            start = period.end
    return periods


def wijken_table() -> TableSpec:
    return TableSpec(
        name="wijken",
        title="Wijken",
        description=(
            "De wijken van de gemeente volgens de indeling van het CBS, met het stadsdeel "
            "waartoe wijk ze rekent. Een wijkcode in de tabel indicatoren staat hier."
        ),
        fields=(
            Field("wijkcode", FieldType.STRING, "De CBS-code van de wijk (WK en zes cijfers)."),
            Field("cbs_jaar", FieldType.INTEGER, "Het jaar van de CBS-indeling.", minimum=1900),
            Field("naam", FieldType.STRING, "De naam van de wijk."),
            Field(
                "stadsdeel",
                FieldType.STRING,
                "Het stadsdeel waartoe de wijk hoort; leeg als dat (nog) niet is vastgelegd.",
                required=False,
            ),
        ),
        primary_key=("wijkcode", "cbs_jaar"),
        rows=wijk_rows,
    )


DEFINITION_FIELDS = (
    Field("code", FieldType.STRING, "De vaste code van de indicator."),
    Field("versie", FieldType.INTEGER, "Het nummer van deze versie van de definitie.", minimum=1),
    Field("geldig_vanaf", FieldType.DATE, "De eerste dag waarop deze versie geldt."),
    Field("titel", FieldType.STRING, "De naam van de indicator."),
    Field("beschrijving", FieldType.STRING, "Wat telt, vanaf welke datum, welke gegevens."),
    Field("eenheid", FieldType.STRING, "Wat er geteld wordt, bijvoorbeeld inwoners of contacten."),
    Field(
        "uitsplitsingen",
        FieldType.STRING,
        "De uitsplitsingen naast het gebied, met komma's ertussen; leeg als er geen zijn.",
        required=False,
    ),
    Field(
        "optelbaar",
        FieldType.BOOLEAN,
        "Of de maanden samen het kwartaal en het jaar geven (bij unieke inwoners niet: wie in "
        "twee maanden hulp had, telt in het jaar één keer).",
    ),
)


def definitions_table(definitions: Callable[[], Iterable[Definition]]) -> TableSpec:
    def rows() -> Iterator[Row]:
        with translation.override("nl"):
            found = sorted(definitions(), key=lambda item: (item.code, item.version))
            for definition in found:
                yield (
                    definition.code,
                    definition.version,
                    definition.valid_from,
                    str(definition.title),
                    str(definition.description),
                    str(definition.unit),
                    ",".join(definition.breakdowns) or None,
                    definition.additive,
                )

    return TableSpec(
        name="definities",
        title="Definities van de indicatoren",
        description=(
            "Elke versie van de definitie van elke indicator: wat er geteld wordt en vanaf "
            "wanneer. Een cijfer in de tabel indicatoren noemt de versie waarmee het is berekend."
        ),
        fields=DEFINITION_FIELDS,
        primary_key=("code", "versie"),
        rows=rows,
    )


STATUS_CODES = (
    Code("hidden", "verborgen, zodat een klein aantal niet is terug te rekenen"),
    Code("shown", "getoond"),
    Code("small", "kleiner dan de drempel voor kleine aantallen (1 tot de drempel)"),
)
INDICATOR_FIELDS = (
    Field(
        "periode_soort",
        FieldType.STRING,
        "De soort periode.",
        codes=(
            Code(PeriodUnit.YEAR, "jaar"),
            Code(PeriodUnit.QUARTER, "kwartaal"),
            Code(PeriodUnit.MONTH, "maand"),
        ),
    ),
    Field("periode_begin", FieldType.DATE, "De eerste dag van de periode."),
    Field("indicator", FieldType.STRING, "De code van de indicator (zie de tabel definities)."),
    Field(
        "gebied_niveau",
        FieldType.STRING,
        "Het niveau van het gebied.",
        codes=(
            Code("stad", "de hele gemeente"),
            Code("stadsdeel", "een stadsdeel"),
            Code("wijk", "een wijk"),
        ),
    ),
    Field(
        "gebied_code",
        FieldType.STRING,
        "De code van het gebied: de CBS-code van de wijk (zie de tabel wijken), de naam van "
        "het stadsdeel, 'onbekend' als het gebied niet bekend is, of 'totaal' voor de hele stad.",
    ),
    Field(
        "uitsplitsing",
        FieldType.STRING,
        "Naar wat het cijfer is uitgesplitst (bijvoorbeeld onderdeel, reden, leeftijdsgroep), "
        "of 'totaal' als het niet is uitgesplitst.",
    ),
    Field(
        "categorie",
        FieldType.STRING,
        "De categorie binnen de uitsplitsing, of 'totaal'.",
    ),
    Field(
        "versie", FieldType.INTEGER, "De versie van de definitie waarmee is gerekend.", minimum=1
    ),
    Field("periode_einde", FieldType.DATE, "De eerste dag na de periode."),
    Field(
        "waarde",
        FieldType.INTEGER,
        "Het aantal; leeg als het is afgeschermd (zie status).",
        required=False,
        minimum=0,
    ),
    Field(
        "status", FieldType.STRING, "Of het aantal getoond of afgeschermd is.", codes=STATUS_CODES
    ),
)


def indicators_table(
    *,
    periods: Sequence[Period],
    rows_for_periods: Callable[[Sequence[Period]], Iterable[IndicatorRow]],
    codes: tuple[Code, ...] = (),
) -> TableSpec:
    """The figures of `periods` (in key order: by unit, then start), computed one unit and
    year at a time and sorted in memory: a year's months of every indicator, area and
    category are bounded by the number of areas and categories, not by the number of
    residents, so memory stays flat whatever the city's size."""

    def rows() -> Iterator[Row]:
        for _unit_and_year, batch in groupby(periods, key=lambda p: (p.unit, p.start.year)):
            found = (_indicator_row(row) for row in rows_for_periods(list(batch)))
            yield from sorted(found, key=_key)

    return TableSpec(
        name="indicatoren",
        title="Indicatoren",
        description=(
            "Elk cijfer per periode, gebied en categorie, met bescherming van kleine aantallen: "
            "een aantal kleiner dan de drempel en een aantal waaruit dat is terug te rekenen "
            "staan er niet in. Unieke inwoners en deelnames aan activiteiten staan naast "
            "elkaar en mogen niet worden opgeteld."
        ),
        fields=tuple(
            replace(spec, codes=codes) if spec.name == "indicator" else spec
            for spec in INDICATOR_FIELDS
        ),
        primary_key=(
            "periode_soort",
            "periode_begin",
            "indicator",
            "gebied_niveau",
            "gebied_code",
            "uitsplitsing",
            "categorie",
        ),
        rows=rows,
    )


_key = itemgetter(0, 1, 2, 3, 4, 5, 6)  # the primary key: the first seven fields
_PERIOD_UNIT = INDICATOR_FIELDS[0]
_PERIOD_START = INDICATOR_FIELDS[1]
_SET_NUMBER = Field(
    "nummer", FieldType.INTEGER, "Het nummer van de set: 1, of hoger na een correctie.", minimum=1
)


def published_sets_table(*, since: datetime.date | None) -> TableSpec:
    return TableSpec(
        name="gepubliceerde_sets",
        title="Gepubliceerde sets",
        description=(
            "De cijfers van een afgelopen periode zoals ze geleverd zijn, vastgelegd. Een "
            "correctie is een nieuwe set van dezelfde periode met een hoger nummer en een reden; "
            "de eerdere set blijft. Bij een levering met wijzigingen: de sets die sinds die "
            "datum zijn gemaakt."
        ),
        fields=(
            _PERIOD_UNIT,
            _PERIOD_START,
            _SET_NUMBER,
            Field("periode_einde", FieldType.DATE, "De eerste dag na de periode."),
            Field(
                "reden",
                FieldType.STRING,
                "Waarom de cijfers zijn gecorrigeerd; leeg bij de eerste set.",
                required=False,
            ),
            Field("berekend_op", FieldType.DATETIME, "Wanneer de cijfers zijn berekend."),
            Field(
                "drempel",
                FieldType.INTEGER,
                "De drempel voor kleine aantallen waarmee de cijfers zijn afgeschermd.",
                minimum=1,
            ),
            Field("aantal_regels", FieldType.INTEGER, "Het aantal cijfers in de set.", minimum=0),
            Field(
                "controlegetal",
                FieldType.STRING,
                "SHA-256 van de cijfers van de set, zoals wijk die heeft vastgelegd.",
            ),
        ),
        primary_key=("periode_soort", "periode_begin", "nummer"),
        rows=lambda: (
            (*row[:4], row[4] or None, *row[5:]) for row in published_set_rows(since=since)
        ),
    )


def published_figures_table(*, since: datetime.date | None) -> TableSpec:
    def rows() -> Iterator[Row]:
        for unit, start, number, figures in published_figures(since=since):
            found = (_indicator_row(row) for row in figures)
            for row in sorted(found, key=_key):
                yield (unit, start, number, *row[2:])

    return TableSpec(
        name="gepubliceerde_cijfers",
        title="Cijfers van de gepubliceerde sets",
        description=(
            "Elk cijfer van elke gepubliceerde set, zoals het is geleverd; dezelfde kolommen als "
            "de tabel indicatoren, met het nummer van de set."
        ),
        fields=(_PERIOD_UNIT, _PERIOD_START, _SET_NUMBER, *INDICATOR_FIELDS[2:]),
        primary_key=(
            "periode_soort",
            "periode_begin",
            "nummer",
            "indicator",
            "gebied_niveau",
            "gebied_code",
            "uitsplitsing",
            "categorie",
        ),
        rows=rows,
    )


def _indicator_row(row: IndicatorRow) -> Row:
    return (
        row.period_unit,
        row.period_start,
        row.indicator,
        row.area_level,
        row.area_code or TOTAL,
        row.breakdown or TOTAL,
        row.category or TOTAL,
        row.version,
        row.period_end,
        row.value,
        row.status,
    )
