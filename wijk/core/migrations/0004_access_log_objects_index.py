"""On PostgreSQL, the objects an access-log entry names are indexed (GIN, jsonb_path_ops), so
a resident's access-log page finds the lists and searches that showed them. SQLite, the demo
database, has no such index and scans."""

from django.db import migrations

INDEX = "core_accesslog_objects"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON core_accesslogentry USING gin (objects_touched jsonb_path_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_access_log_head")]
    operations = [migrations.RunPython(create_index, drop_index)]
