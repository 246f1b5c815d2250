"""XML: one file a table, `xml/<table>.xml`, and the schema they follow, `xml/levering.xsd`,
generated from the table descriptions (so the same tables always give the same schema).

    <indicatoren dag="2026-12-07">
      <rij><indicator>bereik</indicator><versie>1</versie>...</rij>
    </indicatoren>

One element a field, in the order of the table; an empty value is left out (`minOccurs="0"`),
a required one never is. A code list is an enumeration, an integer range a min/max.
Every delivery validates each file against the schema before it is published
(`validate_xml`); the validation streams (xmlschema's lazy mode) and so does the writing.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

import xmlschema

from wijk.feed.tables import FeedDataError, FieldType, Row, TableSpec
from wijk.feed.writers.text import value_text

FOLDER = "xml"
XSD_NAME = "levering.xsd"
ROW = "rij"
DAY_ATTRIBUTE = "dag"
# Characters XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_XSD_TYPES = {
    FieldType.STRING: "xs:string",
    FieldType.INTEGER: "xs:long",
    FieldType.NUMBER: "xs:double",
    FieldType.DATE: "xs:date",
    FieldType.DATETIME: "xs:dateTime",
    FieldType.BOOLEAN: "xs:boolean",
}


def xml_path(table: TableSpec) -> str:
    return f"{FOLDER}/{table.name}.xml"


def xsd_path() -> str:
    return f"{FOLDER}/{XSD_NAME}"


def xsd_text(tables: Sequence[TableSpec]) -> str:
    """The schema of every table of a delivery: one global element a table."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">',
    ]
    for table in tables:
        lines += [
            f'  <xs:element name="{table.name}">',
            _documentation(f"{table.title}. {table.description}", indent=4),
            "    <xs:complexType>",
            "      <xs:sequence>",
            f'        <xs:element name="{ROW}" minOccurs="0" maxOccurs="unbounded">',
            "          <xs:complexType>",
            "            <xs:sequence>",
        ]
        for spec in table.fields:
            occurs = "" if spec.required else ' minOccurs="0"'
            restrictions = [
                f"<xs:enumeration value={quoteattr(code.value)}/>" for code in spec.codes
            ]
            if spec.minimum is not None:
                restrictions.append(f'<xs:minInclusive value="{spec.minimum}"/>')
            if spec.maximum is not None:
                restrictions.append(f'<xs:maxInclusive value="{spec.maximum}"/>')
            base = _XSD_TYPES[spec.type]
            if not restrictions:
                lines += [
                    f'              <xs:element name="{spec.name}" type="{base}"{occurs}>',
                    _documentation(spec.description, indent=16),
                    "              </xs:element>",
                ]
                continue
            lines += [
                f'              <xs:element name="{spec.name}"{occurs}>',
                _documentation(spec.description, indent=16),
                "                <xs:simpleType>",
                f'                  <xs:restriction base="{base}">',
                *(f"                    {restriction}" for restriction in restrictions),
                "                  </xs:restriction>",
                "                </xs:simpleType>",
                "              </xs:element>",
            ]
        lines += [
            "            </xs:sequence>",
            "          </xs:complexType>",
            "        </xs:element>",
            "      </xs:sequence>",
            f'      <xs:attribute name="{DAY_ATTRIBUTE}" type="xs:date" use="required"/>',
            "    </xs:complexType>",
            "  </xs:element>",
        ]
    lines.append("</xs:schema>")
    return "\n".join(lines) + "\n"


def _documentation(text: str, *, indent: int) -> str:
    pad = " " * indent
    return (
        f'{pad}<xs:annotation><xs:documentation xml:lang="nl">{escape(text)}'
        "</xs:documentation></xs:annotation>"
    )


def _xml_text(value: object) -> str:
    text = value_text(value)
    if _NOT_XML.search(text):
        raise FeedDataError("a text with a control character XML cannot hold")
    return escape(text, {"\r": "&#13;"})


class XmlTable:
    def __init__(self, directory: Path, table: TableSpec, day: datetime.date) -> None:
        self.path = directory / xml_path(table)
        self.path.parent.mkdir(exist_ok=True)
        self._table = table
        self._names = [spec.name for spec in table.fields]
        self._handle: BinaryIO = self.path.open("wb")
        self._handle.write(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<{table.name} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                f'xsi:noNamespaceSchemaLocation="{XSD_NAME}" '
                f'{DAY_ATTRIBUTE}="{day.isoformat()}">\n'
            ).encode()
        )

    def write(self, rows: Sequence[Row]) -> None:
        parts = []
        for row in rows:
            parts.append(f"  <{ROW}>")
            for name, value in zip(self._names, row, strict=True):
                if value is not None:
                    parts.append(f"<{name}>{_xml_text(value)}</{name}>")
            parts.append(f"</{ROW}>\n")
        self._handle.write("".join(parts).encode())

    def close(self) -> None:
        self._handle.write(f"</{self._table.name}>\n".encode())
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()


class XmlWriter:
    def __init__(self, directory: Path, tables: Sequence[TableSpec], day: datetime.date) -> None:
        self.directory = directory
        self.day = day
        schema = directory / xsd_path()
        schema.parent.mkdir(exist_ok=True)
        schema.write_text(xsd_text(tables), encoding="utf-8")

    def table(self, table: TableSpec) -> XmlTable:
        return XmlTable(self.directory, table, self.day)

    def finish(self) -> None:
        pass


def validate_xml(*, schema_file: Path, xml_file: Path, chunk_rows: int = 2000) -> None:
    """Raise xmlschema.XMLSchemaValidationError unless the file follows the schema.

    The file is read as a stream and validated `chunk_rows` rows at a time, each chunk as a
    whole document (the root element with its attributes and those rows): the root holds a
    sequence of rows only, so the chunks are valid exactly when the file is, and neither the
    file nor xmlschema's lazy mode (about three times slower) holds more than a chunk."""
    schema = xmlschema.XMLSchema(str(schema_file))
    depth = 0
    root: ElementTree.Element | None = None
    rows: list[ElementTree.Element] = []

    def check() -> None:
        assert root is not None
        document = ElementTree.Element(root.tag, root.attrib)
        document.text = root.text
        document.extend(rows)
        schema.validate(document)
        rows.clear()

    # The file is the one this delivery has just written, not input from outside.
    for event, element in ElementTree.iterparse(xml_file, events=("start", "end")):  # noqa: S314
        if event == "start":
            depth += 1
            if depth == 1:
                root = element
            continue
        depth -= 1
        if depth == 1 and root is not None:
            root.remove(element)
            rows.append(element)
            if len(rows) >= chunk_rows:
                check()
    check()
