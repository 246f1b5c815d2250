"""The request history moves onto wijk.core.workflow: `note` becomes the shared `reason`
(existing rows keep their seq and text), and the database refuses UPDATE and DELETE on it."""

from django.db import migrations

from wijk.core.workflow import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0004_unreached_attempts"),
    ]

    operations = [
        migrations.RenameField(
            model_name="requeststatuschange",
            old_name="note",
            new_name="reason",
        ),
        append_only("requests_requeststatuschange"),
    ]
