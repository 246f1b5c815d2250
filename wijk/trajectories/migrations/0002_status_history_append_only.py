"""The trajectory history moves onto wijk.core.workflow: the database refuses UPDATE and
DELETE on it."""

from django.db import migrations

from wijk.core.workflow import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0001_initial"),
    ]

    operations = [
        append_only("trajectories_trajectorystatuschange"),
    ]
