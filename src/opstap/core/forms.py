"""The ONE translator of domain errors to Dutch form errors (views and forms use it)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from .errors import DomainError

__all__ = ["add_domain_error"]


def add_domain_error(
    form: forms.BaseForm, error: DomainError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on `form`: beside the field it names when the form has that
    field (after renaming through `fields`, e.g. ``{"to": "tot"}``), otherwise above the
    form. The message is the Dutch one of the error, unchanged."""
    name = error.field or None
    if name is not None and fields:
        name = fields.get(name, name)
    form.add_error(name if name in form.fields else None, error.message or str(error))
