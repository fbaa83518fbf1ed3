"""`manage.py api_token USERNAME [--name NAME]`: issue a bearer token and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opstap.accounts.models import User
from opstap.accounts.services import AccountError, api_token_issue


class Command(BaseCommand):
    help = "Geeft een API-token uit voor een gebruiker en drukt het eenmalig af."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Token via manage.py api_token")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"Gebruiker '{options['username']}' bestaat niet.") from exc
        try:
            _token, key = api_token_issue(user=user, name=options["name"])
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(key)
