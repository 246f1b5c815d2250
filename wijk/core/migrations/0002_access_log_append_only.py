"""The access log is append-only: the database itself refuses UPDATE and DELETE on it."""

from django.db import migrations

TABLE = "core_accesslogentry"

POSTGRES_FORWARD = f"""
CREATE FUNCTION core_access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_access_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION core_access_log_refuse_change();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS core_access_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS core_access_log_refuse_change();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER core_access_log_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER core_access_log_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_access_log_no_update;",
    "DROP TRIGGER IF EXISTS core_access_log_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"No append-only trigger for the {vendor} database")


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
