"""PostgreSQL roles for the audit trail (R-SEC-2): the application runs as a role that owns
nothing, so it can neither TRUNCATE the audit table nor disable its append-only trigger
(both need ownership or the TRUNCATE privilege). It may call `opstap_audit_link` (migration
0007), which links and appends records with the caller's own rights (SECURITY INVOKER: INSERT
on the audit table, the chain heads), so it gives no UPDATE or DELETE of a record. Migrations
run as the owner role. The SQL below is the one in docs/operations.md (a test keeps them the
same and proves the effect)."""

from __future__ import annotations

import re

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grants_sql(app_role: str = "opstap_app") -> str:
    """The grants the owner gives the application role after every `migrate` (idempotent)."""
    if not _ROLE.match(app_role):
        raise ValueError("Ongeldige rolnaam.")
    return f"""GRANT USAGE ON SCHEMA public TO {app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditrecord FROM {app_role};
GRANT EXECUTE ON FUNCTION opstap_audit_link(text[], text[]) TO {app_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app_role};"""  # noqa: S608
