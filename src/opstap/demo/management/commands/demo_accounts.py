"""`manage.py demo_accounts`: print the demo accounts and the shared demo password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opstap.core.roles import ROLE_NAMES_NL
from opstap.demo.generator import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Toont de demo-accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        for username, first, last, roles in DEMO_USERS:
            names = ", ".join(ROLE_NAMES_NL[r] for r in roles)
            self.stdout.write(f"  {username:<16} {names:<32} {first} {last}")
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:{options['port']} en log in.")
