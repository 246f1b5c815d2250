"""Parquet: one file a table, `parquet/<table>.parquet`, with an explicit schema (string,
int64, float64, date32, timestamp in microseconds UTC, bool; required fields not nullable)
and each field's Dutch description in its metadata. Rows are written as they come, one row
group a batch, so a table is never held in memory; the same rows give the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]  # no stubs
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from wijk.feed.tables import FieldType, Row, TableSpec
from wijk.feed.writers import fsync_file

FOLDER = "parquet"

ARROW_TYPES: dict[FieldType, pa.DataType] = {
    FieldType.STRING: pa.string(),
    FieldType.INTEGER: pa.int64(),
    FieldType.NUMBER: pa.float64(),
    FieldType.DATE: pa.date32(),
    FieldType.DATETIME: pa.timestamp("us", tz="UTC"),
    FieldType.BOOLEAN: pa.bool_(),
}


def parquet_path(table: TableSpec) -> str:
    return f"{FOLDER}/{table.name}.parquet"


def arrow_schema(table: TableSpec) -> pa.Schema:
    return pa.schema(
        [
            pa.field(
                spec.name,
                ARROW_TYPES[spec.type],
                nullable=not spec.required,
                metadata={"description": spec.description},
            )
            for spec in table.fields
        ],
        metadata={"title": table.title, "description": table.description},
    )


class ParquetTable:
    def __init__(self, directory: Path, table: TableSpec) -> None:
        self.path = directory / parquet_path(table)
        self.path.parent.mkdir(exist_ok=True)
        self._schema = arrow_schema(table)
        self._writer = pq.ParquetWriter(
            self.path, self._schema, compression="zstd", write_statistics=True
        )

    def write(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        columns = zip(*rows, strict=True)
        arrays = [
            pa.array(column, type=field.type)
            for column, field in zip(columns, self._schema, strict=True)
        ]
        self._writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self._schema))

    def close(self) -> None:
        self._writer.close()
        fsync_file(self.path)


class ParquetWriter:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def table(self, table: TableSpec) -> ParquetTable:
        return ParquetTable(self.directory, table)

    def finish(self) -> None:
        pass
