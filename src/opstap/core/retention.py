"""The registry of anonymisers (R-SEC-4): each app that keeps data about a client registers,
in its `AppConfig.ready`, how that data is anonymised once the client's dossier is past its
retention term. The retention app (`opstap.retention`) applies them without importing the
apps above it (the portal, for one), as `register_scope` does for access.

An `Anonymiser` names a model, the lookup from the model to the client's id, and what to do
with its personal data:

- `texts`: free texts; a non-empty text becomes `PLACEHOLDER`, an empty one stays empty (so
  a count of "has a remark" is the same before and after);
- `clear`: fields set to a fixed value;
- `json_lists`: JSON lists of free text; a non-empty list becomes `[PLACEHOLDER]` (so "has
  agreements" stays true), an empty one stays empty;
- `json_keys`: JSON objects keyed by field name (a change log); the keys named here (the
  identifying fields) are removed, every other key (hours, dates, codes) stays;
- `files`: file fields whose file is deleted and whose name is emptied;
- `custom`: a function of the client ids for what the declarative fields cannot say (the
  client row itself: BSN, names, address). It returns the number of rows it changed.

Every anonymiser belongs to a `kind` of record, whose term and action (anonymise, or delete
the document content) are reference data in the retention app. Pure registry: no ORM here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

PLACEHOLDER = "[geanonimiseerd]"

#: The identifying fields of a client, as they appear as keys in change logs (timeline
#: events, import changes): removed from those logs by retention.
IDENTIFYING_KEYS = frozenset(
    {
        "bsn",
        "client_number",
        "first_name",
        "last_name_prefix",
        "last_name",
        "name",
        "street_address",
        "postcode",
        "city",
        "email",
        "phone",
        "telephone",
        "address",
    }
)


class RecordKind(StrEnum):
    """Kinds of record with their own retention term (defaults in docs/retention.md)."""

    DOSSIER = "dossier"  # the client's identity, contact data and the free texts about them
    DOCUMENTS = "documents"  # plans, reports, uploads, contracts: the files
    FINANCIAL = "financial"  # invoices, credit notes, claims: the personal data on them
    # The name and address of a person without a dossier who asked for access (AVG art. 15):
    # no client to hang a term on, so the term runs from the answer (`AgedAnonymiser`).
    ACCESS_REQUESTS = "access_requests"


@dataclass(frozen=True)
class Anonymiser:
    model: str  # "app_label.ModelName"
    client_path: str  # e.g. "client_id", "trajectory__client_id"
    kind: RecordKind
    texts: tuple[str, ...] = ()
    clear: Mapping[str, Any] = field(default_factory=dict)
    json_lists: tuple[str, ...] = ()
    json_keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    custom: Callable[[Sequence[int]], int] | None = None
    description: str = ""


_ANONYMISERS: list[Anonymiser] = []


def register_anonymiser(anonymiser: Anonymiser) -> Anonymiser:
    """Register (once per model and kind; a second registration replaces the first)."""
    return _register(_ANONYMISERS, anonymiser)


def anonymisers(kind: RecordKind | None = None) -> list[Anonymiser]:
    return _of_kind(_ANONYMISERS, kind)


@dataclass(frozen=True)
class AgedAnonymiser:
    """Personal data not about a client (so no dossier closes for it): its free texts are
    anonymised once `date_field` lies a whole term before the reference day. `filter` (field
    lookups) selects the rows it applies to; the row itself stays. Applied per organisation
    (`organisation_id`) by the retention run, with its dry run; idempotent (a text already
    anonymised is left alone)."""

    model: str  # "app_label.ModelName"
    kind: RecordKind
    date_field: str  # when the term starts, a DateTimeField (e.g. "answered_at")
    filter: Mapping[str, Any] = field(default_factory=dict)
    texts: tuple[str, ...] = ()
    object_type: str = ""  # the audit record's object type of each anonymised row
    description: str = ""


_AGED: list[AgedAnonymiser] = []


def register_aged_anonymiser(anonymiser: AgedAnonymiser) -> AgedAnonymiser:
    """Register (once per model and kind; a second registration replaces the first)."""
    return _register(_AGED, anonymiser)


def aged_anonymisers(kind: RecordKind | None = None) -> list[AgedAnonymiser]:
    return _of_kind(_AGED, kind)


_A = TypeVar("_A", Anonymiser, AgedAnonymiser)


def _register(registry: list[_A], anonymiser: _A) -> _A:
    """Put `anonymiser` in `registry`, in the place of one of the same model and kind."""
    for i, existing in enumerate(registry):
        if existing.model == anonymiser.model and existing.kind == anonymiser.kind:
            registry[i] = anonymiser
            return anonymiser
    registry.append(anonymiser)
    return anonymiser


def _of_kind(registry: list[_A], kind: RecordKind | None) -> list[_A]:
    return [a for a in registry if kind is None or a.kind == kind]


def scrub(text: str | None) -> str:
    """A free text after anonymisation: empty stays empty, anything else the placeholder."""
    return PLACEHOLDER if text else (text or "")
