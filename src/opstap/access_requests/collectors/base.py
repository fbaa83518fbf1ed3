"""The shape of the export: the subject, sections and columns, and how rows are read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from opstap.clients.models import Obstacle
from opstap.trajectories.models import STATE_CHOICES


def _state_labels() -> dict[str, str]:  # labels are lazy: read when a summary is written
    return {str(code): str(label) for code, label in STATE_CHOICES}


def _obstacle_labels() -> dict[str, str]:
    return {str(o.value): str(o.label) for o in Obstacle}


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
    #: What the readable summary shows instead of the stored value (the JSON keeps that):
    #: a label for a code the person cannot read ("care_duties", "quote_submitted").
    text: Callable[[Any], Any] | None = None


def _source_label(source: str) -> str:
    """Which part of Opstap wrote a timeline entry ("clients.demo" → "Klanten")."""
    try:
        return str(apps.get_app_config(source.split(".")[0]).verbose_name)
    except LookupError:
        return source


def _state_label(field: str) -> Callable[[Any], Any]:
    def text(obj: Any) -> Any:
        value = getattr(obj, field)
        return _state_labels().get(value, value) if value else value

    return text


#: Summary texts per (model, column) where the stored value is a code.
_SUMMARY_TEXT: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("clients.ClientEvent", "source"): lambda e: _source_label(e.source) if e.source else "",
    ("trajectories.TrajectoryEvent", "from_state"): _state_label("from_state"),
    ("trajectories.TrajectoryEvent", "to_state"): _state_label("to_state"),
    # the rule a deadline follows is an internal reference ("R-TRJ-3"); its label says it
    ("trajectories.Deadline", "rule"): lambda d: None,
}


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
        out.append(
            Column(
                path,
                label[:1].upper() + label[1:],
                text=_SUMMARY_TEXT.get((model_label, path)) or _list_choices(model, path),
            )
        )
    return tuple(out)


def _list_choices(model: type[models.Model], path: str) -> Callable[[Any], Any] | None:
    """The client's obstacles are a list of codes: their labels."""
    if path != "obstacles":
        return None

    def text(obj: Any) -> list[Any]:
        labels = _obstacle_labels()
        return [labels.get(str(v), v) for v in (getattr(obj, path) or [])]

    return text


def _rows_of(label: str, subject: Subject, *related: str) -> Iterator[Any]:
    """Rows of a model with a `client` key, read by label: these models live in apps at or
    above this one's layer (kpis, portal), which the export may read but not import."""
    qs = apps.get_model(label).objects.filter(client_id=subject.client_id)
    if related:
        qs = qs.select_related(*related)
    return _lazy(qs.order_by("pk"))


def _lazy(qs: Any) -> Iterator[Any]:
    return qs.iterator(chunk_size=CHUNK)
