"""A view's figures as a file: CSV (RFC 4180, UTF-8 with a byte-order mark so that a
spreadsheet reads the accents, a header row) and XLSX (openpyxl). The rows are the
indicators' own (wijk.monitoring.indicators.IndicatorRow): codes, not labels, so that a
download can be read back by a program; a status says what a missing value means.

Some texts are not codes: a stadsdeel's name (its code in the figures, ADR 0044) is typed by
an administrator. No text reaches a spreadsheet as a formula: in the CSV a text that a
spreadsheet would start a formula with (=, +, -, @, a tab or a return) gets an apostrophe in
front (OWASP's advice on CSV injection); in the XLSX every text is written as a string cell."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from wijk.monitoring.indicators import IndicatorRow

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER = (
    "indicator",
    "versie",
    "periode_eenheid",
    "periode_begin",
    "periode_einde",
    "niveau",
    "gebied",
    "indeling",
    "categorie",
    "waarde",
    "status",
)


def _values(row: IndicatorRow) -> tuple[object, ...]:
    return (
        row.indicator,
        row.version,
        row.period_unit,
        row.period_start,
        row.period_end,
        row.area_level,
        row.area_code,
        row.breakdown,
        row.category,
        row.value,
        row.status,
    )


# What a spreadsheet starts a formula with, in a cell of a CSV file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return str(value)


def _cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A text as a string cell (openpyxl makes a text that starts with "=" a formula)."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def download_csv(rows: Iterable[IndicatorRow]) -> bytes:
    out = io.BytesIO()
    write_csv(rows, out)
    return out.getvalue()


def write_csv(rows: Iterable[IndicatorRow], out: BinaryIO, *, header: bool = True) -> int:
    """Write `rows` to `out` as the CSV download (with its byte-order mark and header row
    when `header`), row by row: as many rows as they are, in constant memory. The rows
    written."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    if header:
        text.write("\ufeff")
        writer.writerow(HEADER)
    written = 0
    for row in rows:
        writer.writerow([_text(value) for value in _values(row)])
        written += 1
    text.detach()  # leaves `out` open for the caller
    return written


def download_xlsx(rows: Iterable[IndicatorRow]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("cijfers")
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append([_cell(sheet, value) for value in _values(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
