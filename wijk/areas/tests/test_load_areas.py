"""Loading CBS years of wijken and buurten from CSV, as operators do with `wijk load_areas`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijk.areas.models import Buurt, Wijk

pytestmark = pytest.mark.django_db

HEADER = "gemeentecode,wijkcode,wijknaam,buurtcode,buurtnaam\n"


def test_migration_loaded_haarlem_with_stadsdelen() -> None:
    assert Wijk.objects.filter(source_year=2016).count() == 21
    assert Buurt.objects.filter(source_year=2016).count() == 109
    assert set(Wijk.objects.values_list("district__name", flat=True)) == {
        "Centrum",
        "Noord",
        "Oost",
        "Zuid-West",
        "Schalkwijk",
    }
    spaarndam = Buurt.objects.get(code="BU03921702")
    assert spaarndam.wijk.name == "Spaarndam"


def test_a_new_cbs_year_loads_beside_the_old_and_keeps_the_stadsdeel(tmp_path: Path) -> None:
    csv = tmp_path / "cbs2024.csv"
    csv.write_text(
        HEADER
        + "GM0392,WK039201,Oude Stad,BU03920101,Stationsbuurt\n"
        + "GM0392,WK039201,Oude Stad,BU03920199,Nieuwe buurt\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("load_areas", "--file", str(csv), "--year", "2024", stdout=out)
    assert "1 wijken and 2 buurten added" in out.getvalue()
    assert Wijk.objects.filter(code="WK039201").count() == 2
    new = Wijk.objects.get(code="WK039201", source_year=2024)
    old = Wijk.objects.get(code="WK039201", source_year=2016)
    assert new.district == old.district
    assert Buurt.objects.filter(source_year=2016).count() == 109  # the old year is untouched

    again = io.StringIO()
    call_command("load_areas", "--file", str(csv), "--year", "2024", stdout=again)
    assert "0 wijken and 0 buurten added, 2 already present" in again.getvalue()


def test_a_file_without_the_cbs_columns_is_refused_and_loads_nothing(tmp_path: Path) -> None:
    csv = tmp_path / "wrong.csv"
    csv.write_text("code,naam\nWK039201,Oude Stad\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("load_areas", "--file", str(csv), "--year", "2025")
    assert not Wijk.objects.filter(source_year=2025).exists()


def test_a_bad_code_halfway_loads_nothing(tmp_path: Path) -> None:
    csv = tmp_path / "half.csv"
    csv.write_text(
        HEADER
        + "GM0392,WK039201,Oude Stad,BU03920101,Stationsbuurt\n"
        + "GM0392,XX,Kapot,YY,Kapot\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="line 3"):
        call_command("load_areas", "--file", str(csv), "--year", "2025")
    assert not Buurt.objects.filter(source_year=2025).exists()
