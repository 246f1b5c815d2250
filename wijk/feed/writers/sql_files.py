"""SQL: every table in one SQLite database file, `sql/levering.sqlite`, and the same as a plain
SQL script, `sql/levering.sql` (CREATE TABLE and INSERT statements in one transaction), for
any SQL database.

The columns carry declared types (TEXT, INTEGER, DOUBLE PRECISION, DATE, TIMESTAMP, BOOLEAN),
NOT NULL for required fields, a CHECK for a code list or a range, and the primary key. Dates
and moments are ISO 8601 text (moments in UTC with a Z), booleans 1 and 0 (TRUE and FALSE in
the script).

The database file is written fresh by one connection, in one transaction, with a fixed page
size and no journal, from rows in primary-key order: the same rows give the same bytes (tested).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from wijk.feed.tables import Field, FieldType, Row, TableSpec
from wijk.feed.writers import fsync_file
from wijk.feed.writers.text import value_text

FOLDER = "sql"
DATABASE = f"{FOLDER}/levering.sqlite"
SCRIPT = f"{FOLDER}/levering.sql"
PAGE_SIZE = 4096

SQL_TYPES = {
    FieldType.STRING: "TEXT",
    FieldType.INTEGER: "INTEGER",
    FieldType.NUMBER: "DOUBLE PRECISION",
    FieldType.DATE: "DATE",
    FieldType.DATETIME: "TIMESTAMP",
    FieldType.BOOLEAN: "BOOLEAN",
}


def create_table(table: TableSpec) -> str:
    columns = [_column(spec) for spec in table.fields]
    columns.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    body = ",\n  ".join(columns)
    return f"CREATE TABLE {table.name} (\n  {body}\n);"


def _column(spec: Field) -> str:
    parts = [spec.name, SQL_TYPES[spec.type]]
    if spec.required:
        parts.append("NOT NULL")
    if spec.codes:
        codes = ", ".join(_literal(code.value) for code in spec.codes)
        parts.append(f"CHECK ({spec.name} IN ({codes}))")
    if spec.minimum is not None:
        parts.append(f"CHECK ({spec.name} >= {spec.minimum})")
    if spec.maximum is not None:
        parts.append(f"CHECK ({spec.name} <= {spec.maximum})")
    return " ".join(parts)


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return value_text(value)
    return "'" + value_text(value).replace("'", "''") + "'"


def _stored(value: object) -> object:
    """The value as the database file holds it."""
    if value is None or isinstance(value, int | float | str):
        return value  # a bool is an int: 1 or 0
    return value_text(value)


class SqlTable:
    def __init__(self, writer: SqlWriter, table: TableSpec) -> None:
        self._writer = writer
        # Table and field names are checked identifiers (wijk.feed.tables), never data.
        names = ", ".join(spec.name for spec in table.fields)
        marks = ", ".join("?" for _ in table.fields)
        self._insert = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608
        self._script_insert = f"INSERT INTO {table.name} ({names}) VALUES ("  # noqa: S608
        statement = create_table(table)
        writer.connection.execute(statement)
        writer.script.write(f"\n{statement}\n")

    def write(self, rows: Sequence[Row]) -> None:
        self._writer.connection.executemany(
            self._insert, ([_stored(value) for value in row] for row in rows)
        )
        self._writer.script.write(
            "".join(
                f"{self._script_insert}{', '.join(_literal(value) for value in row)});\n"
                for row in rows
            )
        )

    def close(self) -> None:
        pass


class SqlWriter:
    def __init__(self, directory: Path) -> None:
        self.database = directory / DATABASE
        self.database.parent.mkdir(exist_ok=True)
        self.script_path = directory / SCRIPT
        self.connection = sqlite3.connect(self.database, isolation_level=None)
        self.connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("PRAGMA synchronous = OFF")
        self.connection.execute("BEGIN")
        self.script: TextIO = self.script_path.open("w", encoding="utf-8", newline="\n")
        self.script.write("BEGIN TRANSACTION;\n")

    def table(self, table: TableSpec) -> SqlTable:
        return SqlTable(self, table)

    def finish(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()
        fsync_file(self.database)
        self.script.write("\nCOMMIT;\n")
        self.script.flush()
        os.fsync(self.script.fileno())
        self.script.close()
