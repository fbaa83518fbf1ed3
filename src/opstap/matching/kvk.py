"""KvK numbers (Handelsregister), as pure checks.

A KvK number is exactly 8 digits (KVK: "een uniek 8-cijferig nummer"; a sequence number
without a check digit, so no elfproef is applied: KVK does not promise one). A branch
number (vestigingsnummer) is exactly 12 digits. Spaces and dots people type are removed;
anything else is refused with a Dutch message. `00000000` is not a number KVK issues.
"""

from __future__ import annotations

import re

__all__ = ["KvkError", "normalise_kvk", "normalise_vestigingsnummer"]

_SEPARATORS = re.compile(r"[\s.]")


class KvkError(ValueError):
    """A number that is not a KvK or branch number; the message is Dutch."""


def _digits(raw: str, length: int, label: str) -> str:
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        raise KvkError(f"Vul het {label} in.")
    if not value.isascii() or not value.isdigit():
        raise KvkError(f"Een {label} bestaat alleen uit cijfers.")
    if len(value) != length:
        raise KvkError(f"Een {label} heeft precies {length} cijfers (nu {len(value)}).")
    if set(value) == {"0"}:
        raise KvkError(f"{label[:1].upper()}{label[1:]} {value} bestaat niet.")
    return value


def normalise_kvk(raw: str) -> str:
    """The 8-digit KvK number, or KvkError."""
    return _digits(raw, 8, "KvK-nummer")


def normalise_vestigingsnummer(raw: str) -> str:
    """The 12-digit branch number, or KvkError."""
    return _digits(raw, 12, "vestigingsnummer")
