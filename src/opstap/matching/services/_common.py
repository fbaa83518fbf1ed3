"""Shared checks and input parsing of the matching services (not public)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from opstap.clients.models import Client
from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.dutch import parse_date, too_long
from opstap.core.errors import InvalidInputError, PermissionDeniedError
from opstap.core.roles import Perm

#: A start date may lie at most this far ahead (a typing error otherwise).
MAX_DAYS_AHEAD = 366


class MatchingError(InvalidInputError):
    """Invalid input for matching; the message is Dutch, `field` names the input."""


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.has_opstap_perm(perm):
        raise PermissionDeniedError("U heeft geen recht op deze handeling.")


def _require_client(actor: Actor, client: Client) -> None:
    """The client must be within the actor's scope (R-SEC-1); otherwise as if unknown."""
    if not scoped(actor, Client.objects.filter(pk=client.pk)).exists():
        raise PermissionDeniedError("Deze klant valt niet binnen uw scope.")


def _same_org(actor: Actor, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise PermissionDeniedError("Dit hoort niet bij uw organisatie.")


def _text(value: Any, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise MatchingError(f"Vul {label} in.", field=field)
    if len(text) > max_length:
        raise MatchingError(too_long(label, max_length), field=field)
    return text


def _skill_list(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        text = str(item).strip().lower()
        if not text:
            continue
        if len(text) > 60:
            raise MatchingError(too_long("een vaardigheid", 60), field=field)
        if text not in out:
            out.append(text)
    if len(out) > 30:
        raise MatchingError("Noem hoogstens 30 vaardigheden.", field=field)
    return out


def _int(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise MatchingError(f"Vul bij {label} een geheel getal in.", field=field) from exc
    if not low <= number <= high:
        raise MatchingError(
            f"{label[:1].upper()}{label[1:]} ligt tussen {low} en {high}.", field=field
        )
    return number


def _choice(value: Any, allowed: Iterable[str], *, field: str, label: str) -> str:
    text = str(value or "").strip()
    if text not in set(allowed):
        raise MatchingError(f"Kies een geldige waarde bij {label}.", field=field)
    return text


def _date(value: Any, *, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except (TypeError, ValueError) as exc:
        raise MatchingError(f"Vul bij {label} een datum in als dd-mm-jjjj.", field=field) from exc
