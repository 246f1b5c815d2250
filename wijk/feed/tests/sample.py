"""Tables made up for the tests of the feed's machinery: every field type, a code list, a
range, empty values, and text that each format must escape."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from wijk.feed.content import DeliveryContent
from wijk.feed.tables import Code, Field, FieldType, Row, TableSpec

MOMENT = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
AWKWARD = ['comma, "quote"', "line\r\nbreak", "<tag> & ampersand", "één, ünïcödé ✓", "  spaces  "]

FIELDS = (
    Field("sleutel", FieldType.INTEGER, "Het volgnummer.", minimum=1),
    Field("soort", FieldType.STRING, "De soort.", codes=(Code("a", "soort a"), Code("b", "b"))),
    Field("tekst", FieldType.STRING, "Vrije tekst.", required=False),
    Field("aantal", FieldType.INTEGER, "Een aantal.", required=False, minimum=0, maximum=1000),
    Field("getal", FieldType.NUMBER, "Een getal.", required=False),
    Field("dag", FieldType.DATE, "Een dag."),
    Field("moment", FieldType.DATETIME, "Een moment.", required=False),
    Field("waar", FieldType.BOOLEAN, "Ja of nee."),
)


def sample_rows(count: int) -> Callable[[], Iterator[Row]]:
    def rows() -> Iterator[Row]:
        for number in range(1, count + 1):
            empty = number % 3 == 0
            yield (
                number,
                "a" if number % 2 else "b",
                None if empty else AWKWARD[number % len(AWKWARD)],
                None if empty else number % 1000,
                None if empty else number / 7,
                datetime.date(2026, 1, 1) + datetime.timedelta(days=number % 365),
                None
                if empty
                else MOMENT + datetime.timedelta(seconds=number, microseconds=number % 2),
                number % 2 == 0,
            )

    return rows


def sample_table(count: int = 25, *, name: str = "proef") -> TableSpec:
    return TableSpec(
        name=name,
        title="Proeftabel",
        description="Een tabel voor de tests.",
        fields=FIELDS,
        primary_key=("sleutel",),
        rows=sample_rows(count),
    )


def sample_content(count: int = 25) -> DeliveryContent:
    return DeliveryContent(
        tables=(sample_table(count), sample_table(3, name="klein")),
        definition_versions=(("bereik", 1),),
    )
