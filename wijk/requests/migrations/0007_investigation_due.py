"""The six-week deadline of the investigation (Wmo 2015 art. 2.3.2): a new column, filled for
every existing request from its moment of receipt as wijk.requests.deadlines computes it
(the local date of receipt in TIME_ZONE, plus 42 calendar days), then made required."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

# As wijk.requests.deadlines.INVESTIGATION_CALENDAR_DAYS when this migration was written.
DAYS = 42


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # One statement, however many requests: the local date of receipt plus six weeks.
        schema_editor.execute(
            "UPDATE requests_helprequest SET investigation_due = "
            "(received_at AT TIME ZONE %s)::date + %s::integer",
            [settings.TIME_ZONE, DAYS],
        )
        return
    # SQLite (the demo) has no time zones: per request, in Python.
    zone = ZoneInfo(settings.TIME_ZONE)
    help_request = apps.get_model("requests", "HelpRequest")
    batch = []
    for row in help_request.objects.only("pk", "received_at").iterator(chunk_size=2000):
        row.investigation_due = row.received_at.astimezone(zone).date() + datetime.timedelta(
            days=DAYS
        )
        batch.append(row)
        if len(batch) == 2000:
            help_request.objects.bulk_update(batch, ["investigation_due"])
            batch = []
    help_request.objects.bulk_update(batch, ["investigation_due"])


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0006_assignment_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="investigation_due",
            field=models.DateField(null=True, verbose_name="onderzoek afgerond uiterlijk"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="helprequest",
            name="investigation_due",
            field=models.DateField(verbose_name="onderzoek afgerond uiterlijk"),
        ),
    ]
