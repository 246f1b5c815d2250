"""The data dictionary that travels with every delivery: a Frictionless data package
(`datapackage.json`: every table, field, type, code list, constraint and primary key, and the
CSV file each table is in, with its size and SHA-256) and the same as a page for people
(`woordenboek.html`, plain Dutch). Both are built from the table descriptions alone, so they
never disagree with the files."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from wijk.feed.tables import Field, FieldType, TableSpec
from wijk.feed.writers.csv_files import csv_path

DATAPACKAGE = "datapackage.json"
DICTIONARY_PAGE = "woordenboek.html"

TYPE_WORDS = {
    FieldType.STRING: "tekst",
    FieldType.INTEGER: "geheel getal",
    FieldType.NUMBER: "getal",
    FieldType.DATE: "datum (JJJJ-MM-DD)",
    FieldType.DATETIME: "moment (ISO 8601, UTC)",
    FieldType.BOOLEAN: "ja/nee (true/false)",
}


def json_text(document: Mapping[str, Any]) -> str:
    """JSON as every file of a delivery writes it: sorted keys, so the same content gives the
    same bytes."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def datapackage(
    *,
    tables: Sequence[TableSpec],
    day: datetime.date,
    csv_files: Mapping[str, tuple[int, str]],
) -> dict[str, Any]:
    """The data package of a delivery; `csv_files` gives each CSV file's (bytes, sha256)."""
    return {
        "profile": "tabular-data-package",
        "name": f"wijk-levering-{day.isoformat()}",
        "title": f"Levering van wijk, {day.isoformat()}",
        "description": (
            "Gegevens van het sociaal wijkteam voor de gemeente Haarlem. Elke tabel staat als "
            "CSV-bestand in de map csv; dezelfde tabellen staan in de andere mappen als XML, "
            "SQL en Parquet."
        ),
        "version": day.isoformat(),
        "resources": [_resource(table, *csv_files[csv_path(table)]) for table in tables],
    }


def _resource(table: TableSpec, size: int, sha256: str) -> dict[str, Any]:
    return {
        "profile": "tabular-data-resource",
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "path": csv_path(table),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": size,
        "hash": f"sha256:{sha256}",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
        "schema": {
            "fields": [_field(spec) for spec in table.fields],
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        },
    }


def _field(spec: Field) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": spec.required}
    if spec.codes:
        constraints["enum"] = [code.value for code in spec.codes]
    if spec.minimum is not None:
        constraints["minimum"] = spec.minimum
    if spec.maximum is not None:
        constraints["maximum"] = spec.maximum
    described: dict[str, Any] = {
        "name": spec.name,
        "type": str(spec.type),
        "description": spec.description,
        "constraints": constraints,
    }
    if spec.type is FieldType.BOOLEAN:
        described["trueValues"] = ["true"]
        described["falseValues"] = ["false"]
    if spec.codes:
        described["categories"] = [
            {"value": code.value, "label": code.label} for code in spec.codes
        ]
    return described


def dictionary_page(
    *,
    tables: Sequence[TableSpec],
    day: datetime.date,
    manifest_name: str,
    records: bool,
    legal_basis: str = "",
    pseudonym_method: str = "",
    pseudonym_key_id: str = "",
) -> str:
    """The data dictionary for people: one table a delivery table, in Dutch. With the
    record-level part it states the legal basis and the pseudonymisation (not the key)."""
    with translation.override("nl"):
        return render_to_string(
            "feed/woordenboek.html",
            {
                "day": day,
                "manifest_name": manifest_name,
                "records": records,
                "legal_basis": legal_basis,
                "pseudonym_method": pseudonym_method,
                "pseudonym_key_id": pseudonym_key_id,
                "tables": [
                    {
                        "table": table,
                        "fields": [
                            {
                                "field": spec,
                                "type": TYPE_WORDS[spec.type],
                                "key": spec.name in table.primary_key,
                            }
                            for spec in table.fields
                        ],
                    }
                    for table in tables
                ],
            },
        )
