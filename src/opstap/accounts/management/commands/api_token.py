"""`manage.py api_token`: bearer tokens of application and provider systems (R-SEC-3).

api_token USERNAME [--name NAME] [--days N]   issue a token and print it once
api_token --list [USERNAME]                   tokens with last use, expiry and state
api_token --rotate PREFIX [--overlap-hours H] replace a token (old one works H more hours)
api_token --revoke PREFIX                     revoke a token now
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opstap.accounts.models import ApiToken, User
from opstap.accounts.services import (
    AccountError,
    api_token_issue,
    api_token_revoke,
    api_token_rotate,
)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else "nooit"


class Command(BaseCommand):
    help = "API-tokens: uitgeven (eenmalig getoond), tonen, roteren en intrekken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="Token via manage.py api_token")
        parser.add_argument("--days", type=int, default=None, help="Geldig (dagen).")
        parser.add_argument("--list", action="store_true", help="Toon de tokens.")
        parser.add_argument("--rotate", metavar="PREFIX", help="Vervang dit token.")
        parser.add_argument("--overlap-hours", type=int, default=24)
        parser.add_argument("--revoke", metavar="PREFIX", help="Trek dit token in.")

    def _token(self, prefix: str) -> ApiToken:
        tokens = list(ApiToken.objects.filter(prefix=prefix).select_related("user")[:2])
        if len(tokens) != 1:
            raise CommandError(f"Geen (eenduidig) token met prefix '{prefix}'.")
        return tokens[0]

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["list"]:
                self._list(options["username"])
            elif options["rotate"]:
                _new, key = api_token_rotate(
                    token=self._token(options["rotate"]),
                    overlap_hours=options["overlap_hours"],
                    days=options["days"],
                )
                self.stdout.write(key)
            elif options["revoke"]:
                token = api_token_revoke(token=self._token(options["revoke"]))
                self.stdout.write(f"Ingetrokken: {token.name} ({token.prefix}…)")
            else:
                if not options["username"]:
                    raise CommandError("Geef een gebruikersnaam (of --list/--rotate/--revoke).")
                try:
                    user = User.objects.get(username=options["username"])
                except User.DoesNotExist as exc:
                    raise CommandError(f"Gebruiker '{options['username']}' bestaat niet.") from exc
                _token, key = api_token_issue(user=user, name=options["name"], days=options["days"])
                self.stdout.write(key)
        except AccountError as exc:
            raise CommandError(str(exc)) from exc

    def _list(self, username: str | None) -> None:
        now = timezone.now()
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = (
                "ingetrokken" if t.revoked_at else ("geldig" if t.is_valid_at(now) else "verlopen")
            )
            self.stdout.write(
                f"{t.prefix}…  {t.user.username:<20} {t.name:<30} {state:<11} "
                f"laatst gebruikt: {_when(t.last_used_at)}  verloopt: {_when(t.expires_at)}"
            )
