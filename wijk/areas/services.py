"""Loading CBS area data. A CBS year loads beside the years already present; wijken keep their
stadsdeel when a later year has the same wijk code, so an administrator groups once."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import structlog
from django.db import transaction

from wijk.areas.models import Buurt, District, Municipality, Wijk
from wijk.core.errors import ValidationFailed

log = structlog.get_logger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CBS_FILE = DATA_DIR / "cbs_wijken_buurten_haarlem_2016.csv"
DEFAULT_CBS_YEAR = 2016
DEFAULT_DISTRICT_FILE = DATA_DIR / "stadsdelen_haarlem.csv"
MUNICIPALITY_NAMES = {"GM0392": "Haarlem"}
REQUIRED_COLUMNS = {"gemeentecode", "wijkcode", "wijknaam", "buurtcode", "buurtnaam"}


@dataclass(frozen=True)
class LoadResult:
    wijken_created: int
    buurten_created: int
    unchanged: int


def areas_load_cbs(*, path: Path, source_year: int) -> LoadResult:
    """Load one CBS year of wijken and buurten from a CSV (gemeentecode, wijkcode, wijknaam,
    buurtcode, buurtnaam). Loading the same year again changes nothing."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise ValidationFailed(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        rows = list(reader)
    wijken_created = buurten_created = unchanged = 0
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            if not row["buurtcode"].startswith("BU") or not row["wijkcode"].startswith("WK"):
                raise ValidationFailed(f"{path.name} line {number}: not a CBS wijk/buurt code")
            municipality, _ = Municipality.objects.get_or_create(
                code=row["gemeentecode"],
                defaults={"name": MUNICIPALITY_NAMES.get(row["gemeentecode"], row["gemeentecode"])},
            )
            earlier = (
                Wijk.objects.filter(code=row["wijkcode"], source_year__lt=source_year)
                .order_by("-source_year")
                .first()
            )
            wijk, created = Wijk.objects.get_or_create(
                code=row["wijkcode"],
                source_year=source_year,
                defaults={
                    "name": row["wijknaam"],
                    "municipality": municipality,
                    "district": earlier.district if earlier else None,
                },
            )
            wijken_created += created
            _, created = Buurt.objects.get_or_create(
                code=row["buurtcode"],
                source_year=source_year,
                defaults={"name": row["buurtnaam"], "wijk": wijk},
            )
            buurten_created += created
            unchanged += not created
    log.info("areas_loaded", source_year=source_year, wijken=wijken_created, buurten=buurten_created)
    return LoadResult(wijken_created, buurten_created, unchanged)


def districts_load(*, path: Path, municipality_code: str = "GM0392") -> int:
    """Group wijken into stadsdelen from a CSV (wijkcode, stadsdeel), for every loaded year.
    Returns the number of wijken grouped."""
    municipality = Municipality.objects.get(code=municipality_code)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    grouped = 0
    with transaction.atomic():
        for row in rows:
            district, _ = District.objects.get_or_create(
                municipality=municipality, name=row["stadsdeel"]
            )
            grouped += Wijk.objects.filter(code=row["wijkcode"]).update(district=district)
    return grouped
