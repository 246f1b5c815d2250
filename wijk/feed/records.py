"""The pseudonymised record-level part of a delivery (docs/adr/0050): requests, trajectories,
short contacts, activity sessions and decision facts, one row a record.

What a row holds, and what it never holds:

- A resident is a keyed pseudonym (`inwoner`, wijk.core.pseudonyms: HMAC-SHA256 with
  WIJK_PSEUDONYM_KEY), the same in every table and every delivery under the same key; a
  record is a keyed pseudonym of its own (`verzoek_id`, `traject_id`, ...), never an
  internal id that could be joined back.
- The age band in the year of the record's first day, counted in years
  (wijk.monitoring.age_bands) instead of the birth date, the CBS code of the wijk instead of
  the address, and the day of each event (the deadlines are in days); a moment becomes its
  day in Dutch time.
- Codes from the lists and from the workflows, never free text: no name, BSN, question,
  reason, note, draft, amount or reference.

Every table streams: its selector reads the database in chunks in the order of
registration (the internal primary key, so reruns give the same bytes), and each row is
mapped here one at a time. The pseudonyms are computed here, in Python, from the internal ids
the selectors return; the ids are dropped here and never leave the process, and the key is
never sent to the database (a query parameter would show in its logs, wijk.core.pseudonyms).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone, translation

from wijk.core.pseudonyms import (
    PSEUDONYM_CHARS,
    RESIDENT,
    PseudonymKey,
    optional_pseudonym,
    pseudonym,
)
from wijk.decisions.selectors import decision_cases_for_feed
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.feed.selectors import activity_sessions_for_feed, short_contacts_for_feed
from wijk.feed.tables import Code, Field, FieldType, Row, TableSpec
from wijk.monitoring.age_bands import AGE_BANDS, age_band
from wijk.requests.selectors import help_requests_for_feed
from wijk.requests.workflow import Outcome, RequestStatus
from wijk.trajectories.selectors import trajectories_for_feed
from wijk.trajectories.workflow import Part, TrajectoryStatus

# How the manifest and the dictionary name the method (never the key).
PSEUDONYM_METHOD = (
    f"HMAC-SHA256 (RFC 2104) met een sleutel die alleen wijk heeft, over '<soort>:<intern "
    f"nummer>', de eerste {PSEUDONYM_CHARS} hexadecimale tekens"
)


@dataclass(frozen=True, slots=True)
class RecordSource:
    """Where the rows of the record tables come from: the selectors, given the key and the
    period."""

    key: PseudonymKey
    since: datetime.date | None
    first_day: datetime.date


def _codes(choices: type[models.TextChoices]) -> tuple[Code, ...]:
    with translation.override("nl"):
        return tuple(Code(str(value), str(label)) for value, label in choices.choices)


def _pseudonym_field(name: str, description: str, *, required: bool = True) -> Field:
    return Field(name, FieldType.STRING, description, required=required)


_RESIDENT = _pseudonym_field(
    "inwoner",
    "Het pseudoniem van de inwoner: in elke tabel en elke levering hetzelfde voor dezelfde "
    "inwoner, zonder dat daaruit is af te leiden wie het is.",
)
_AGE_BAND = Field(
    "leeftijdsgroep",
    FieldType.STRING,
    "De leeftijdsgroep van de inwoner in het jaar van de eerste dag van het gegeven, in hele "
    "jaren (dat jaar min het geboortejaar; geen geboortedatum).",
    required=False,
    codes=tuple(Code(band.code, band.label) for band in AGE_BANDS),
)
_WIJK = Field(
    "wijkcode",
    FieldType.STRING,
    "De CBS-code van de wijk (zie de tabel wijken); leeg als de wijk niet bekend is.",
    required=False,
)


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localdate(moment)


def _band(born: datetime.date | None, on: datetime.date) -> str | None:
    """The age band in the year of `on` (age = that year minus the birth year), not on the
    day: the same pseudonym in two records on either side of a birthday would otherwise give
    the birth date away to the day; by years, a change of band tells the birth year only."""
    if born is None:
        return None
    return age_band(born=datetime.date(born.year, 1, 1), on=datetime.date(on.year, 1, 1))


def _mapped(
    rows: Callable[[], Iterator[Any]], build: Callable[[Any], Row]
) -> Callable[[], Iterator[Row]]:
    def stream() -> Iterator[Row]:
        for row in rows():
            yield build(row)

    return stream


def requests_table(source: RecordSource) -> TableSpec:
    def build(row: Any) -> Row:
        received = timezone.localdate(row.received_at)
        return (
            pseudonym(source.key, "verzoek", row.pk),
            optional_pseudonym(source.key, RESIDENT, row.resident_id),
            _band(row.resident__date_of_birth, received),
            row.wijk_code,
            received,
            row.channel__code,
            row.referrer_type__code,
            row.status,
            row.first_contact_due,
            _day(row.first_contact_at),
            row.support_due,
            row.investigation_due,
            row.outcome or None,
            _day(row.outcome_at),
        )

    return TableSpec(
        name="verzoeken",
        title="Hulpvragen (per hulpvraag, gepseudonimiseerd)",
        description=(
            "Elke hulpvraag met haar termijnen en uitkomst, zonder naam, adres, BSN of de tekst "
            "van de vraag. Volledige levering: de hulpvragen vanaf het begin van de opdracht "
            "en die nog open zijn; levering met wijzigingen: de hulpvragen die sinds die datum "
            "zijn ontvangen, gecontacteerd, afgerond of van status veranderd."
        ),
        fields=(
            _pseudonym_field("verzoek_id", "Het pseudoniem van de hulpvraag."),
            _pseudonym_field(
                "inwoner",
                f"{_RESIDENT.description} Leeg als de hulpvraag nog bij geen inwoner hoort.",
                required=False,
            ),
            _AGE_BAND,
            _WIJK,
            Field("ontvangen_op", FieldType.DATE, "De dag waarop de hulpvraag binnenkwam."),
            Field("kanaal", FieldType.STRING, "De code van het kanaal (codelijst kanaal)."),
            Field(
                "verwijzer_soort",
                FieldType.STRING,
                "De code van de soort verwijzer; leeg zonder verwijzer.",
                required=False,
            ),
            Field(
                "status",
                FieldType.STRING,
                "De status van de hulpvraag.",
                codes=_codes(RequestStatus),
            ),
            Field(
                "eerste_contact_uiterlijk", FieldType.DATE, "De termijn voor het eerste contact."
            ),
            Field(
                "eerste_contact_op",
                FieldType.DATE,
                "De dag van het eerste contact; leeg als dat er nog niet was.",
                required=False,
            ),
            Field(
                "ondersteuning_uiterlijk",
                FieldType.DATE,
                "De termijn waarbinnen ondersteuning beschikbaar moet zijn.",
            ),
            Field(
                "onderzoek_uiterlijk",
                FieldType.DATE,
                "De termijn voor het onderzoek (Wmo 2015 art. 2.3.2), als dat nodig is.",
            ),
            Field(
                "uitkomst",
                FieldType.STRING,
                "De uitkomst; leeg zolang de hulpvraag open is.",
                required=False,
                codes=_codes(Outcome),
            ),
            Field(
                "afgerond_op",
                FieldType.DATE,
                "De dag waarop de hulpvraag is afgerond; leeg zolang zij open is.",
                required=False,
            ),
        ),
        primary_key=("verzoek_id",),
        rows=_mapped(
            lambda: help_requests_for_feed(since=source.since, first_day=source.first_day),
            build,
        ),
        records=True,
    )


def trajectories_table(source: RecordSource) -> TableSpec:
    def build(row: Any) -> Row:
        return (
            pseudonym(source.key, "traject", row.pk),
            pseudonym(source.key, RESIDENT, row.resident_id),
            _band(row.resident__date_of_birth, row.inflow_date),
            row.resident__address__buurt__wijk__code,
            optional_pseudonym(source.key, "verzoek", row.help_request_id),
            row.part,
            row.inflow_date,
            row.inflow_reason__code,
            row.primary_life_domain__code,
            row.youth_support,
            row.status,
            row.outflow_date,
            row.outflow_reason__code,
        )

    return TableSpec(
        name="trajecten",
        title="Trajecten (per traject, gepseudonimiseerd)",
        description=(
            "Elk ondersteuningstraject met instroom, uitstroom en hun redenen, zonder naam, "
            "adres, BSN of vrije tekst. Volledige levering: de trajecten vanaf het begin van de "
            "opdracht en die nog lopen; levering met wijzigingen: de trajecten die sinds die "
            "datum zijn vastgelegd, begonnen, beëindigd of van status veranderd."
        ),
        fields=(
            _pseudonym_field("traject_id", "Het pseudoniem van het traject."),
            _RESIDENT,
            _AGE_BAND,
            Field(
                "wijkcode",
                FieldType.STRING,
                "De CBS-code van de wijk van het adres van de inwoner (zie de tabel wijken); "
                "leeg als die niet bekend is.",
                required=False,
            ),
            _pseudonym_field(
                "verzoek_id",
                "Het pseudoniem van de hulpvraag waaruit het traject voortkwam (zie de tabel "
                "verzoeken); leeg als er geen is.",
                required=False,
            ),
            Field(
                "onderdeel", FieldType.STRING, "Het onderdeel van de opdracht.", codes=_codes(Part)
            ),
            Field("instroom_op", FieldType.DATE, "De dag van de instroom (eerste betrokkenheid)."),
            Field("instroomreden", FieldType.STRING, "De code van de reden van instroom."),
            Field(
                "leefgebied",
                FieldType.STRING,
                "De code van het belangrijkste leefgebied; leeg als het niet is vastgelegd.",
                required=False,
            ),
            Field(
                "jeugd", FieldType.BOOLEAN, "Of het ondersteuning voor jongeren of hun ouders is."
            ),
            Field(
                "status",
                FieldType.STRING,
                "De status van het traject.",
                codes=_codes(TrajectoryStatus),
            ),
            Field(
                "uitstroom_op",
                FieldType.DATE,
                "De dag van de uitstroom; leeg zolang het traject loopt.",
                required=False,
            ),
            Field(
                "uitstroomreden",
                FieldType.STRING,
                "De code van de reden van uitstroom; leeg zolang het traject loopt.",
                required=False,
            ),
        ),
        primary_key=("traject_id",),
        rows=_mapped(
            lambda: trajectories_for_feed(since=source.since, first_day=source.first_day),
            build,
        ),
        records=True,
    )


def contacts_table(source: RecordSource) -> TableSpec:
    def build(row: Any) -> Row:
        return (
            pseudonym(source.key, "contact", row.pk),
            row.contact_date,
            row.channel__code,
            row.life_domain__code,
            row.wijk__code,
        )

    return TableSpec(
        name="korte_contacten",
        title="Korte contacten (per contact, zonder persoon)",
        description=(
            "Elk kort contact: alleen geteld, er is geen inwoner bij vastgelegd, dus ook geen "
            "pseudoniem. Volledige levering: vanaf het begin van de opdracht; levering met "
            "wijzigingen: de contacten die sinds die datum zijn geweest of vastgelegd."
        ),
        fields=(
            _pseudonym_field("contact_id", "Het pseudoniem van het contact."),
            Field("datum", FieldType.DATE, "De dag van het contact."),
            Field("kanaal", FieldType.STRING, "De code van het kanaal."),
            Field("onderwerp", FieldType.STRING, "De code van het leefgebied waarover het ging."),
            _WIJK,
        ),
        primary_key=("contact_id",),
        rows=_mapped(
            lambda: short_contacts_for_feed(since=source.since, first_day=source.first_day),
            build,
        ),
        records=True,
    )


def sessions_table(source: RecordSource) -> TableSpec:
    def build(row: Any) -> Row:
        return (
            pseudonym(source.key, "bijeenkomst", row.pk),
            pseudonym(source.key, "activiteit", row.activity_id),
            row.held_on,
            row.activity__theme__code,
            row.activity__target_group__code,
            row.activity__wijk__code,
            row.attendance_total,
            row.attendance_youth,
        )

    return TableSpec(
        name="bijeenkomsten",
        title="Bijeenkomsten van activiteiten (met aantallen deelnemers)",
        description=(
            "Elke bijeenkomst van een groepsactiviteit met het aantal deelnemers, geteld zonder "
            "personen. Deelnames zijn geen unieke inwoners en tellen niet op bij het bereik. "
            "Levering met wijzigingen: de bijeenkomsten vanaf 31 dagen voor die datum (een "
            "bijeenkomst wordt soms later vastgelegd)."
        ),
        fields=(
            _pseudonym_field("bijeenkomst_id", "Het pseudoniem van de bijeenkomst."),
            _pseudonym_field(
                "activiteit_id",
                "Het pseudoniem van de activiteit: bijeenkomsten van dezelfde activiteit hebben "
                "hetzelfde.",
            ),
            Field("datum", FieldType.DATE, "De dag van de bijeenkomst."),
            Field(
                "thema",
                FieldType.STRING,
                "De code van het thema; leeg als het niet is vastgelegd.",
                required=False,
            ),
            Field(
                "doelgroep",
                FieldType.STRING,
                "De code van de doelgroep; leeg als die niet is vastgelegd.",
                required=False,
            ),
            _WIJK,
            Field("deelnemers", FieldType.INTEGER, "Het aantal deelnemers.", minimum=0),
            Field(
                "waarvan_jongeren",
                FieldType.INTEGER,
                "Hoeveel van de deelnemers jongeren waren.",
                minimum=0,
            ),
        ),
        primary_key=("bijeenkomst_id",),
        rows=_mapped(
            lambda: activity_sessions_for_feed(since=source.since, first_day=source.first_day),
            build,
        ),
        records=True,
    )


def decisions_table(source: RecordSource) -> TableSpec:
    def build(row: Any) -> Row:
        placed = timezone.localdate(row.placed_at)
        return (
            pseudonym(source.key, "besluit", row.pk),
            pseudonym(source.key, RESIDENT, row.resident_id),
            _band(row.resident__date_of_birth, placed),
            row.resident__address__buurt__wijk__code,
            row.kind,
            row.status,
            placed,
            row.decided_on,
            row.outcome or None,
            row.starts_on,
            row.ends_on,
            row.next_evaluation_on,
        )

    return TableSpec(
        name="besluiten",
        title="Besluiten (per zaak, gepseudonimiseerd)",
        description=(
            "Elke zaak van de beschikkingentafel van de gemeente: soort, data en uitkomst, "
            "zonder tekst, bedrag of kenmerk. Volledige levering: de zaken vanaf het begin van "
            "de opdracht, nog niet besloten of nog lopend; levering met wijzigingen: de zaken "
            "die sinds die datum zijn voorgelegd, besloten of van status veranderd."
        ),
        fields=(
            _pseudonym_field("besluit_id", "Het pseudoniem van de zaak."),
            _RESIDENT,
            _AGE_BAND,
            Field(
                "wijkcode",
                FieldType.STRING,
                "De CBS-code van de wijk van het adres van de inwoner; leeg als die niet bekend "
                "is.",
                required=False,
            ),
            Field(
                "soort",
                FieldType.STRING,
                "Waarom de beschikking nodig is.",
                codes=_codes(DecisionKind),
            ),
            Field(
                "status", FieldType.STRING, "De status van de zaak.", codes=_codes(DecisionStatus)
            ),
            Field(
                "voorgelegd_op",
                FieldType.DATE,
                "De dag waarop de zaak aan de gemeente is voorgelegd.",
            ),
            Field(
                "besluit_op",
                FieldType.DATE,
                "De dag van het besluit; leeg zolang er geen is.",
                required=False,
            ),
            Field(
                "uitkomst",
                FieldType.STRING,
                "Het besluit; leeg zolang er geen is.",
                required=False,
                codes=_codes(DecisionOutcome),
            ),
            Field("ingangsdatum", FieldType.DATE, "De ingangsdatum.", required=False),
            Field("einddatum", FieldType.DATE, "De einddatum.", required=False),
            Field(
                "volgende_evaluatie_op",
                FieldType.DATE,
                "De dag van de volgende evaluatie van het pgb.",
                required=False,
            ),
        ),
        primary_key=("besluit_id",),
        rows=_mapped(
            lambda: decision_cases_for_feed(since=source.since, first_day=source.first_day),
            build,
        ),
        records=True,
    )


def record_tables(source: RecordSource) -> tuple[TableSpec, ...]:
    """The record-level tables, in the order a delivery writes them."""
    return (
        requests_table(source),
        trajectories_table(source),
        contacts_table(source),
        sessions_table(source),
        decisions_table(source),
    )
