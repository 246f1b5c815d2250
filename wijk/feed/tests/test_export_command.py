"""`wijk export` as operators run it: the delivery it writes, and plain errors for bad
arguments (a CommandError, never a traceback)."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import duckdb
import frictionless
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wijk.areas.models import Wijk
from wijk.feed.models import Delivery
from wijk.monitoring.indicators import definitions, indicator_codes
from wijk.monitoring.quality import quality_summary
from wijk.monitoring.selectors import Period

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_export_writes_the_aggregated_tables_with_their_dictionary(tmp_path: Path) -> None:
    said = export("--out", str(tmp_path), "--day", "2026-12-07", "--format", "csv")
    folder = tmp_path / "2026-12-07"
    assert f"Delivery 2026-12-07 written to {folder}" in said
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["csv"]
    assert manifest["kind"] == "full"
    assert manifest["records"] is False
    assert manifest["tables"]["wijken"] == Wijk.objects.count() > 0
    assert manifest["tables"]["definities"] == len(definitions())
    # The data-quality summary travels with every delivery: each check for the city and for
    # every wijk and the unknown wijk.
    checks = {count.check for count in quality_summary(datetime.date(2026, 12, 7))}
    assert manifest["tables"]["datakwaliteit"] == len(checks) * (Wijk.objects.count() + 2)
    # The months, quarters and years since the contract began (1 July 2022; eight calendar
    # years at most), each with the whole city: 2022-2026, 2022 Q3 - 2026 Q4, 2022-07 - 2026-12.
    city_rows = duckdb.sql(
        "SELECT periode_soort, count(DISTINCT periode_begin) FROM read_csv(?)"
        " WHERE gebied_niveau = 'stad' AND indicator = 'bereik' GROUP BY ALL ORDER BY 1",
        params=[str(folder / "csv" / "indicatoren.csv")],
    ).fetchall()
    assert city_rows == [("jaar", 5), ("kwartaal", 2 + 4 * 4), ("maand", 6 + 4 * 12)]
    assert {entry["indicator"] for entry in manifest["definition_versions"]} == set(
        indicator_codes()
    )
    assert Delivery.objects.get().status == "succeeded"


def test_export_defaults_to_the_feed_directory_and_every_format(tmp_path: Path, settings) -> None:
    settings.FEED_DIR = tmp_path / "feed"
    today = timezone.localdate()
    export("--since", (today - datetime.timedelta(days=40)).isoformat())
    folder = tmp_path / "feed" / today.isoformat()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["csv", "xml", "sql", "parquet"]
    assert manifest["kind"] == "incremental"
    # Only the periods that end after --since: this month and the one before, their quarter(s)
    # and year(s).
    starts = duckdb.sql(
        "SELECT DISTINCT periode_soort, periode_begin FROM read_parquet(?) ORDER BY ALL",
        params=[str(folder / "parquet" / "indicatoren.parquet")],
    ).fetchall()
    assert all(
        Period(start=start, unit=unit).end > today - datetime.timedelta(days=40)
        for unit, start in starts
    )
    assert ("maand", today.replace(day=1)) in starts
    assert frictionless.validate(str(folder / "datapackage.json")).valid


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv,pdf"], "Unknown format pdf: choose from csv, xml, sql, parquet."),
        (["--format", ","], "--format needs at least one of csv, xml, sql, parquet."),
        (["--since", "2026-13-01"], "--since '2026-13-01' is not a date: write YYYY-MM-DD."),
        (["--day", "yesterday"], "--day 'yesterday' is not a date: write YYYY-MM-DD."),
        (["--day", "2999-01-01"], "--day 2999-01-01 is in the future."),
        (
            ["--day", "2026-12-01", "--since", "2026-12-02"],
            "--since must not be after the delivery day.",
        ),
        (["--records"], "needs a recorded legal basis: set WIJK_FEED_RECORDS_LEGAL_BASIS"),
    ],
)
def test_bad_arguments_give_a_plain_error(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        export("--out", str(tmp_path), *args)
    assert message in str(raised.value)
    assert not Delivery.objects.exists()
    assert not any(path.name[0].isdigit() for path in tmp_path.iterdir())


def test_an_output_path_that_is_a_file_gives_a_plain_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CommandError, match="is not a directory"):
        export("--out", str(target))


def test_published_sets_travel_with_the_delivery(tmp_path: Path) -> None:
    from wijk.monitoring.services import published_set_make

    today = timezone.localdate()
    period = Period(
        start=(today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1), unit="maand"
    )
    made = published_set_make(period=period, actor=None, today=today)
    export("--out", str(tmp_path), "--since", today.isoformat(), "--format", "csv,xml")
    folder = tmp_path / today.isoformat()
    sets = duckdb.sql(
        "SELECT periode_soort, periode_begin, nummer, aantal_regels, controlegetal"
        " FROM read_csv(?)",
        params=[str(folder / "csv" / "gepubliceerde_sets.csv")],
    ).fetchall()
    assert sets == [("maand", period.start, 1, made.row_count, made.checksum)]
    (figures,) = duckdb.sql(
        "SELECT count(*), count(DISTINCT indicator) FROM read_csv(?)"
        " WHERE periode_begin = ? AND nummer = 1",
        params=[str(folder / "csv" / "gepubliceerde_cijfers.csv"), period.start],
    ).fetchall()
    assert figures == (made.row_count, len({row["indicator"] for row in made.rows}))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["gepubliceerde_cijfers"] == made.row_count
