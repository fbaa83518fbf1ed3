"""Regenerate the permission matrix in docs/access.md from roles.py (R-SEC-1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opstap.accounts.matrix import docs_path, updated_document


class Command(BaseCommand):
    help = "Schrijf de rechtenmatrix in docs/access.md opnieuw uit roles.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Alleen controleren; fout als verouderd."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = docs_path()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        new = updated_document(current)
        if options["check"]:
            if new != current:
                raise CommandError(f"{path} is verouderd: draai `manage.py access_matrix`.")
            self.stdout.write("docs/access.md is actueel.")
            return
        path.write_text(new, encoding="utf-8")
        self.stdout.write(f"{path} bijgewerkt.")
