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
        rows = [
            (username, f"{first} {last}", " + ".join(ROLE_NAMES_NL[r] for r in roles))
            for username, first, last, roles in DEMO_USERS
        ]
        # Columns as wide as their longest entry; the role last, where a team lead's two roles
        # may run on (the names of 'werkgeversadviseur' and 'teamleider' fell out of line).
        user_width = max(len(r[0]) for r in rows)
        name_width = max(len(r[1]) for r in rows)
        self.stdout.write(f"  {'account':<{user_width}}  {'naam':<{name_width}}  rol")
        for username, name, roles in rows:
            self.stdout.write(f"  {username:<{user_width}}  {name:<{name_width}}  {roles}")
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:{options['port']} en log in.")
