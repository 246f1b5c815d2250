"""The access log's chain is keyed: each entry names the key (by id) that made its hash; entries
written before have none (docs/adr/0006-access-log.md). The head row is guarded like the log:
the database refuses DELETE, an UPDATE that does not move it from the link it names to the
next (writing it back unchanged is allowed), and a TRUNCATE that would leave the log without
its head."""

from django.db import migrations, models

HEAD = "core_accessloghead"
ENTRIES = "core_accesslogentry"

POSTGRES_FORWARD = f"""
CREATE FUNCTION core_access_log_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the access log head only moves forward: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Writing the row back unchanged is harmless (a test runner restoring its data does).
    IF NEW IS DISTINCT FROM OLD
       AND (NEW.id <> OLD.id OR NEW.prev_hash IS DISTINCT FROM OLD.entry_hash) THEN
        RAISE EXCEPTION 'the access log head only moves forward: UPDATE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER core_access_log_head_forward_only
    BEFORE UPDATE OR DELETE ON {HEAD}
    FOR EACH ROW EXECUTE FUNCTION core_access_log_head_guard();

-- TRUNCATE of the head alone is refused; together with the log (an empty log starts again
-- from the genesis hash, as the test runner's flush does) it is allowed. AFTER TRUNCATE
-- triggers run once every table of the statement has been emptied.
CREATE FUNCTION core_access_log_head_truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {ENTRIES}) THEN
        RAISE EXCEPTION 'the access log head only moves forward: TRUNCATE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER core_access_log_head_no_truncate
    AFTER TRUNCATE ON {HEAD}
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_log_head_truncate_guard();
"""  # noqa: S608  (table names are constants)
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS core_access_log_head_no_truncate ON {HEAD};
DROP FUNCTION IF EXISTS core_access_log_head_truncate_guard();
DROP TRIGGER IF EXISTS core_access_log_head_forward_only ON {HEAD};
DROP FUNCTION IF EXISTS core_access_log_head_guard();
"""
SQLITE_FORWARD = [
    # Adding key_id makes SQLite copy the log into a new table, which loses migration 0002's
    # triggers: they are made again.
    f"""CREATE TRIGGER IF NOT EXISTS core_access_log_no_update BEFORE UPDATE ON {ENTRIES}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS core_access_log_no_delete BEFORE DELETE ON {ENTRIES}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END;""",
    f"""CREATE TRIGGER core_access_log_head_forward_only BEFORE UPDATE ON {HEAD}
    WHEN (NEW.id <> OLD.id OR NEW.prev_hash IS NOT OLD.entry_hash)
     AND NOT (NEW.id = OLD.id AND NEW.prev_hash IS OLD.prev_hash
              AND NEW.entry_hash IS OLD.entry_hash)
    BEGIN SELECT RAISE(ABORT, 'the access log head only moves forward: UPDATE refused'); END;""",
    f"""CREATE TRIGGER core_access_log_head_no_delete BEFORE DELETE ON {HEAD}
    WHEN EXISTS (SELECT 1 FROM {ENTRIES})
    BEGIN SELECT RAISE(ABORT, 'the access log head only moves forward: DELETE refused'); END;""",  # noqa: S608, E501
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_access_log_head_forward_only;",
    "DROP TRIGGER IF EXISTS core_access_log_head_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"No guard for the access log head on the {vendor} database")


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_access_events_for_grants")]
    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(forward, reverse),
    ]
