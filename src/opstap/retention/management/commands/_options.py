"""What the retention commands share: the reference date `--today` (a module whose name
starts with `_` is not a command)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone


def add_today_argument(parser: Any) -> None:
    parser.add_argument("--today", help="peildatum jjjj-mm-dd (standaard vandaag)")


def today_of(options: dict[str, Any]) -> dt.date:
    """The reference date given as `--today`, or today; a bad date is a Dutch error."""
    try:
        return dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
    except ValueError as exc:
        raise CommandError("Geef de peildatum als jjjj-mm-dd.") from exc
