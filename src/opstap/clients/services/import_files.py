"""Housekeeping of client import files, for the daily retention run (docs/import-clients.md,
"Where the file lives, and for how long")."""

from __future__ import annotations

import datetime as dt


def client_import_files_remove_stale(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Remove the import files left in the legacy folder that no import needs any more
    (`clients.importer.files.remove_stale_import_files`); how many (`dry_run`: would go)."""
    # The importer imports this package: read it when called, not when loaded.
    from opstap.clients.importer.files import remove_stale_import_files

    return remove_stale_import_files(now=now, dry_run=dry_run)
