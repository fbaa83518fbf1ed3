"""`manage.py audit_db_grants [--app-role opstap_app] [--apply]`: print (or, as the owner
role, apply) the PostgreSQL grants of the application role (docs/operations.md, R-SEC-2)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from opstap.audit.db_roles import grants_sql


class Command(BaseCommand):
    help = "Toon of zet de rechten van de applicatierol op PostgreSQL (na elke migrate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", default="opstap_app", help="Naam van de applicatierol.")
        parser.add_argument("--apply", action="store_true", help="Voer de SQL direct uit.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sql = grants_sql(options["app_role"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not options["apply"]:
            self.stdout.write(sql)
            return
        if connection.vendor != "postgresql":
            raise CommandError("Alleen voor PostgreSQL.")
        with connection.cursor() as cursor:
            cursor.execute(sql)
        self.stdout.write(self.style.SUCCESS(f"Rechten van {options['app_role']} gezet."))
