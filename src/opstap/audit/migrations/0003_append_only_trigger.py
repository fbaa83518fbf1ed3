"""R-SEC-2: the audit trail is append-only at the database.

PostgreSQL: a BEFORE UPDATE OR DELETE row trigger raises, so not even the ORM, a raw query or
a database console (as the application role) can change or delete a record.
SQLite (demo, quick tests): a BEFORE UPDATE trigger raises. DELETE is left to the model guard
on SQLite only, because Django's test flush empties tables with DELETE there (PostgreSQL
flushes with TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION opstap_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'De audittrail is alleen-toevoegen: % is niet toegestaan (R-SEC-2)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;
CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION opstap_audit_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS opstap_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS audit_auditrecord_no_update
BEFORE UPDATE ON audit_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'De audittrail is alleen-toevoegen: UPDATE is niet toegestaan (R-SEC-2)');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS audit_auditrecord_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD, params=None)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_real_actor")]

    operations = [migrations.RunPython(forward, reverse)]
