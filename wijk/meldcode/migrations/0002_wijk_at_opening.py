"""The wijk of the resident's address when a meldcode case was opened (ADR 0042): monitoring
counts by it. Cases opened before this field existed get the wijk of the address they have
now, the best that is known."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_from_address(apps, schema_editor):
    MeldcodeCase = apps.get_model("meldcode", "MeldcodeCase")
    Resident = apps.get_model("residents", "Resident")
    wijk = Resident.objects.filter(pk=OuterRef("resident_id")).values("address__buurt__wijk_id")
    MeldcodeCase.objects.filter(wijk_at_opening__isnull=True).update(
        wijk_at_opening_id=Subquery(wijk[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0002_load_haarlem"),
        ("residents", "0001_initial"),
        ("meldcode", "0001_meldcode_cases"),
    ]

    operations = [
        migrations.AddField(
            model_name="meldcodecase",
            name="wijk_at_opening",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.wijk",
                verbose_name="wijk bij opening",
            ),
        ),
        migrations.RunPython(fill_from_address, migrations.RunPython.noop),
    ]
