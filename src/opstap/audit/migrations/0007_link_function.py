"""Issue 18 (R-SEC-2): one audit write is one statement on PostgreSQL.

Linking records in the hash chain took four round trips besides the INSERT (BEGIN, the chain
head read FOR UPDATE, its UPDATE, COMMIT). `opstap_audit_link(chains, contents)` does the head's
part inside the INSERT statement that `audit.services` sends: for each chain of the call, in a
fixed order (byte order of the key, as Python's `sorted`), it creates the head if missing,
locks it, gives each of the chain's rows (in the call's order) its position, previous hash and
`row_hash = sha256(prev_hash || '\\n' || content)` in hex, and advances the head. `content` is
the record's canonical JSON that Python computed (`audit.chain.canonical`), so the hashes are
those of `chain.row_hash_of`. The function returns one row per input row (`o_n` = its index).

SECURITY INVOKER: it runs with the caller's rights (the application role may INSERT audit rows
and SELECT/INSERT/UPDATE chain heads; it gains nothing). SQLite keeps the Python path; no model
state changes.
"""

from django.db import migrations

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION opstap_audit_link(p_chains text[], p_contents text[])
RETURNS TABLE (o_n integer, o_chain text, o_position bigint, o_prev text, o_hash text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    v_chain text;
    v_length bigint;
    v_prev text;
    v_count integer := coalesce(cardinality(p_chains), 0);
BEGIN
    IF v_count <> coalesce(cardinality(p_contents), 0) THEN
        RAISE EXCEPTION 'opstap_audit_link: % ketens voor % regels', v_count,
            coalesce(cardinality(p_contents), 0);
    END IF;
    FOR v_chain IN
        SELECT DISTINCT c COLLATE "C" FROM unnest(p_chains) AS c ORDER BY 1
    LOOP
        INSERT INTO audit_auditchainhead (chain, length, last_hash)
            VALUES (v_chain, 0, repeat('0', 64)) ON CONFLICT (chain) DO NOTHING;
        SELECT h.length, h.last_hash INTO STRICT v_length, v_prev
            FROM audit_auditchainhead h WHERE h.chain = v_chain FOR UPDATE;
        FOR i IN 1 .. v_count LOOP
            CONTINUE WHEN p_chains[i] <> v_chain;
            v_length := v_length + 1;
            o_n := i;
            o_chain := v_chain;
            o_position := v_length;
            o_prev := v_prev;
            o_hash := encode(sha256(convert_to(v_prev || E'\n' || p_contents[i], 'UTF8')), 'hex');
            RETURN NEXT;
            v_prev := o_hash;
        END LOOP;
        UPDATE audit_auditchainhead h SET length = v_length, last_hash = v_prev
            WHERE h.chain = v_chain;
    END LOOP;
END;
$$;
"""
PG_REVERSE = "DROP FUNCTION IF EXISTS opstap_audit_link(text[], text[]);"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_partition_by_month")]

    operations = [migrations.RunPython(forward, reverse)]
