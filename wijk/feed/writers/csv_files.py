"""CSV: one file a table, `csv/<table>.csv`, as RFC 4180 has it: UTF-8 without a byte-order
mark, a header row with the field names, CRLF line endings, a field quoted when it holds a
comma, a quote or a line break. An empty field is an empty value (NULL)."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from wijk.feed.tables import Row, TableSpec
from wijk.feed.writers.text import value_text

FOLDER = "csv"


def csv_path(table: TableSpec) -> str:
    return f"{FOLDER}/{table.name}.csv"


class CsvTable:
    def __init__(self, directory: Path, table: TableSpec) -> None:
        self.path = directory / csv_path(table)
        self.path.parent.mkdir(exist_ok=True)
        self._handle: TextIO = self.path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._writer.writerow([spec.name for spec in table.fields])

    def write(self, rows: Sequence[Row]) -> None:
        self._writer.writerows(
            ["" if value is None else value_text(value) for value in row] for row in rows
        )

    def close(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()


class CsvWriter:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def table(self, table: TableSpec) -> CsvTable:
        return CsvTable(self.directory, table)

    def finish(self) -> None:
        pass
