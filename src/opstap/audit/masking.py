"""Secrets never enter the audit trail's recorded changes (R-SEC-2), whatever a caller passes:
`clean_changes` masks them. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["clean_changes", "is_secret"]

# Never store these in `changes`, whatever a caller passes (R-SEC-2: the trail holds no
# secrets). A field whose name contains one of `_SECRET_FIELDS` is masked, in English and in
# Dutch; `_SECRET_WORDS` only as a whole word of the name (snake_case, camelCase, kebab-case),
# since in a compound they name no secret: a cost-split key (`verdeelsleutel`), a claim key
# (`claimsleutel`), a confidentiality agreement (`geheimhouding`). Personal data is no secret
# (an IBAN, a BSN are recorded and shown to those who may see them).
_SECRET_FIELDS = frozenset(
    {
        "password",
        "token",
        "key_hash",
        "secret",
        "otp",
        "document",
        "wachtwoord",
        "pincode",
        "toegangscode",
        "inlogcode",
        "verificatiecode",
        "herstelcode",
    }
)
_SECRET_WORDS = frozenset(
    {"geheim", "geheime", "sleutel", "apisleutel", "toegangssleutel", "privesleutel", "pin"}
)
_NAME_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_MASK = "***"


def is_secret(field: object) -> bool:
    name = str(field)
    lowered = name.lower()
    if any(secret in lowered for secret in _SECRET_FIELDS):
        return True
    return any(word.lower() in _SECRET_WORDS for word in _NAME_WORD.findall(name))


def clean_changes(changes: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if changes is None:
        return None
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if is_secret(field):
            cleaned[field] = _MASK
        elif isinstance(value, Mapping):
            cleaned[field] = clean_changes(value)  # a nested change ({"after": {...}})
        else:
            cleaned[field] = value
    return cleaned
