"""What the apps' viewsets share beyond DRF: the caller's rows and query parameters."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

__all__ = ["CallerQuerysetMixin", "int_param"]


def int_param(value: str | None) -> int | None:
    """A query parameter that names an id: its number, or None when it is empty or not a
    whole number (an unusable filter is then no filter)."""
    return int(value) if value and value.isdigit() else None


class CallerQuerysetMixin:
    """The rows of a viewset are the caller's (R-SEC-1): `caller_queryset()`, through the
    app's scoped selector. While drf-spectacular builds the schema there is no caller
    (`swagger_fake_view`): the class's empty `queryset` then."""

    queryset: Any

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            empty: QuerySet[Any] = self.queryset.none()
            return empty
        return self.caller_queryset()

    def caller_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError
