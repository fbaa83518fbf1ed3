"""What the apps' viewsets share beyond DRF: the caller's rows, query parameters, a request
body checked by its serializer and the rows a request body refers to."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request

from opstap.core.access import report_if_exists, scoped
from opstap.core.actor import Viewer

__all__ = ["CallerQuerysetMixin", "int_param", "valid_body", "visible_or_invalid"]

_M = TypeVar("_M", bound=Model)


def int_param(value: str | None) -> int | None:
    """A query parameter that names an id: its number, or None when it is empty or not a
    whole number (an unusable filter is then no filter)."""
    return int(value) if value and value.isdigit() else None


def valid_body(
    serializer_class: type[serializers.BaseSerializer[Any]], request: Request
) -> dict[str, Any]:
    """The request body as `serializer_class` validates it (its `validated_data`, a fresh
    dict the caller may pop from), or a 400 with the serializer's errors (problem+json)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def visible_or_invalid(
    user: Viewer,
    qs: QuerySet[_M],
    pk: object,
    *,
    field: str,
    noun: str,
    code: str = "does_not_exist",
) -> _M:
    """The row `pk` of `qs` that a request body refers to, if the caller may see it
    (`core.access.scoped`); otherwise a 400 naming `field` ("`noun` bestaat niet of u heeft
    er geen toegang toe.", `code` in `invalidParams`) that reads the same whether the row is
    missing or out of scope (R-SEC-1: existence is not leaked); an existing row out of scope
    is recorded as a denied access (R-SEC-2)."""
    row = scoped(user, qs).filter(pk=pk).first()
    if row is None:
        # Another party's row is a denied access, recorded as every out-of-scope read is
        # (R-SEC-2); a missing one is not. The answer reads the same either way.
        report_if_exists(user, qs, pk=pk)
        message = f"{noun} bestaat niet of u heeft er geen toegang toe."
        raise ValidationError({field: [ErrorDetail(message, code=code)]})
    return row


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
