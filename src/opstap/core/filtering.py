"""A list's optional filters (issue 13): the invoice and trajectory lists narrow their rows
by each filter the caller gave and ignore the others."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

__all__ = ["narrowed"]

_M = TypeVar("_M", bound=Model)


def narrowed(qs: QuerySet[_M], **lookups: object) -> QuerySet[_M]:
    """`qs` with each lookup that was given: an empty text, None or 0 (no id) means "any".

    Only for lookups on the row's own columns and foreign keys (one value per row), where
    one `filter()` is the same as one per lookup."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return qs.filter(**given) if given else qs
