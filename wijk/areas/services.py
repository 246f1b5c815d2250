"""Writes on areas: loading CBS area data, and the stadsdelen an administrator edits.

A CBS year loads beside the years already present; wijken keep their stadsdeel when a later
year has the same wijk code, so an administrator groups once."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import structlog
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.areas.models import Buurt, District, Municipality, Wijk
from wijk.core.errors import ValidationFailed

if TYPE_CHECKING:
    from wijk.accounts.models import User

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
            municipality, _created = Municipality.objects.get_or_create(
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
            _buurt, created = Buurt.objects.get_or_create(
                code=row["buurtcode"],
                source_year=source_year,
                defaults={"name": row["buurtnaam"], "wijk": wijk},
            )
            buurten_created += created
            unchanged += not created
    log.info(
        "areas_loaded", source_year=source_year, wijken=wijken_created, buurten=buurten_created
    )
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
            district, _created = District.objects.get_or_create(
                municipality=municipality, name=row["stadsdeel"]
            )
            grouped += Wijk.objects.filter(code=row["wijkcode"]).update(district=district)
    return grouped


@transaction.atomic(durable=True)
def wijk_set_district(*, actor: User, wijk: Wijk, district: District | None) -> Wijk:
    """Put a wijk in a stadsdeel of its own gemeente, or in none."""
    if district is not None and district.municipality_id != wijk.municipality_id:
        raise ValidationFailed(
            fields={"district": _("Kies een stadsdeel van de gemeente waar de wijk in ligt.")}
        )
    wijk.district = district
    wijk.save(update_fields=["district"])
    log.info(
        "wijk_district_set",
        wijk_id=wijk.pk,
        district_id=district.pk if district else None,
        by=actor.pk,
    )
    return wijk


def _check_district_name(*, municipality: Municipality, name: str, exclude_pk: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationFailed(fields={"name": _("Vul de naam van het stadsdeel in.")})
    taken = District.objects.filter(municipality=municipality, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed(
            fields={"name": _("Er is al een stadsdeel met de naam %(name)s.") % {"name": name}}
        )
    return name


@transaction.atomic(durable=True)
def district_create(*, actor: User, municipality: Municipality, name: str) -> District:
    name = _check_district_name(municipality=municipality, name=name, exclude_pk=None)
    district = District.objects.create(municipality=municipality, name=name)
    log.info("district_created", district_id=district.pk, by=actor.pk)
    return district


@transaction.atomic(durable=True)
def district_rename(*, actor: User, district: District, name: str) -> District:
    district.name = _check_district_name(
        municipality=district.municipality, name=name, exclude_pk=district.pk
    )
    district.save(update_fields=["name"])
    log.info("district_renamed", district_id=district.pk, by=actor.pk)
    return district
