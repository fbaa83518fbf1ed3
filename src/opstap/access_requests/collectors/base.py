"""The shape of the export: the subject, sections and columns, and how rows are read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

CHUNK = 500

#: Document kinds whose files the client receives in the export: plan, reports, requests
#: about them, the handover note. A quote is the provider's commercial offer to the
#: organisation: its data are in the JSON, its file is not.
CLIENT_DOCUMENT_KINDS = frozenset(
    {
        "plan",
        "progress_report",
        "extension_request",
        "return_request",
        "final_report",
        "handover_note",
    }
)


@dataclass(frozen=True)
class Subject:
    """The client the export is about."""

    client_id: int
    organisation_id: int
    organisation_name: str


@dataclass(frozen=True)
class Column:
    path: str
    label: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: str  # app_label.ModelName of the rows
    intro: str
    columns: tuple[Column, ...]
    rows: Callable[[Subject], Iterable[Any]]


def _label(model: type[models.Model], path: str) -> str:
    first = path.split(".")[0]
    try:
        field = model._meta.get_field(first)
    except FieldDoesNotExist:
        return first
    return str(getattr(field, "verbose_name", first))


def _columns(model_label: str, *paths: str | tuple[str, str]) -> tuple[Column, ...]:
    model = apps.get_model(model_label)
    out = []
    for item in paths:
        path, label = item if isinstance(item, tuple) else (item, _label(model, item))
        out.append(Column(path, label[:1].upper() + label[1:]))
    return tuple(out)


def _rows_of(label: str, subject: Subject, *related: str) -> Iterator[Any]:
    """Rows of a model with a `client` key, read by label: these models live in apps at or
    above this one's layer (kpis, portal), which the export may read but not import."""
    qs = apps.get_model(label).objects.filter(client_id=subject.client_id)
    if related:
        qs = qs.select_related(*related)
    return _lazy(qs.order_by("pk"))


def _lazy(qs: Any) -> Iterator[Any]:
    return qs.iterator(chunk_size=CHUNK)
