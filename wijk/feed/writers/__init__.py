"""The writers of a delivery, one module per format, all streaming: a writer takes the rows of
a table in batches and never holds a whole table.

Each format writer opens one `TableWriter` per table (`table(spec)`), which takes batches of
rows (`write`) and is closed (`close`) before the next table starts; `finish` closes the
format's shared files. Every file is fsynced before `finish` returns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from wijk.feed.tables import Row, TableSpec


class TableWriter(Protocol):
    def write(self, rows: Sequence[Row]) -> None: ...

    def close(self) -> None: ...


class FormatWriter(Protocol):
    def table(self, table: TableSpec) -> TableWriter: ...

    def finish(self) -> None: ...


def fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
