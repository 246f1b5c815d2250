"""Haarlem's wijken and buurten (CBS indeling as of 2016) and a first, editable grouping into
stadsdelen, loaded from the CSV files in wijk/areas/data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Municipality = apps.get_model("areas", "Municipality")
    District = apps.get_model("areas", "District")
    Wijk = apps.get_model("areas", "Wijk")
    Buurt = apps.get_model("areas", "Buurt")
    haarlem, _ = Municipality.objects.get_or_create(code="GM0392", defaults={"name": "Haarlem"})
    with (DATA / "stadsdelen_haarlem.csv").open(encoding="utf-8") as handle:
        district_of = {row["wijkcode"]: row["stadsdeel"] for row in csv.DictReader(handle)}
    districts = {
        name: District.objects.get_or_create(municipality=haarlem, name=name)[0]
        for name in sorted(set(district_of.values()))
    }
    with (DATA / "cbs_wijken_buurten_haarlem_2016.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            wijk, _ = Wijk.objects.get_or_create(
                code=row["wijkcode"],
                source_year=2016,
                defaults={
                    "name": row["wijknaam"],
                    "municipality": haarlem,
                    "district": districts.get(district_of.get(row["wijkcode"], "")),
                },
            )
            Buurt.objects.get_or_create(
                code=row["buurtcode"],
                source_year=2016,
                defaults={"name": row["buurtnaam"], "wijk": wijk},
            )


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
