"""Client import from the benefit administration (R-SEC-6): CSV or xlsx.

Two streaming passes over the file with constant memory per chunk (csv reader / openpyxl
read_only): first every row is validated (fields, 11-check, dates, duplicates in the file and
conflicts with the database) and *all* errors are collected per line and field in Dutch;
nothing goes further unless the whole file is valid — or, by explicit choice, only the valid
rows. The second pass stores the preview: one ImportChange per new or changed client, with
the old and new value of each changed field. An update changes only the columns the file
has, and an empty cell keeps the stored value (`[leeg]` clears). `import_commit` writes the
preview in one transaction; `import_undo` restores it as one action. Idempotent on the client
number. The column list below is documented in docs/import-clients.md.

One module per step (columns, parsing a row, the job and its preview, commit and undo,
describing the changes); callers import from this package, never from its modules.
"""

from __future__ import annotations

from .changes import FieldChange, describe_changes
from .columns import CLEAR, COLUMNS, HEADERS, Column, RowError
from .commit import ImportActionError, import_commit, import_undo
from .files import store_import_file
from .job import run_import
from .parsing import ImportFileError, Lookups, iter_rows, parse_date, parse_row
from .values import changed_fields, from_json, to_json

__all__ = [
    "CLEAR",
    "COLUMNS",
    "HEADERS",
    "Column",
    "FieldChange",
    "ImportActionError",
    "ImportFileError",
    "Lookups",
    "RowError",
    "changed_fields",
    "describe_changes",
    "from_json",
    "import_commit",
    "import_undo",
    "iter_rows",
    "parse_date",
    "parse_row",
    "run_import",
    "store_import_file",
    "to_json",
]
