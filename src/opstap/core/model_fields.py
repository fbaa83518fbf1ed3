"""Column declarations that recur across the apps' models, declared once (issue 13).

Each helper returns exactly the field the apps declared by hand, so the columns, and with them
the migrations, stay the same: an optional date or moment, an optional amount or number of
hours, an amount in euros (12 digits, 2 decimals), a reference to another row (many-to-one or
one-to-one), a reference to the user who did something and the state of a row.

A reference to a model class keeps its precise type for mypy (the row, or the row or None when
the column is nullable); a reference by name ("app.Model", to avoid an import cycle) is typed
`Any`, as django-stubs can resolve such a name only for a field declared in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, overload

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

__all__ = [
    "amount_field",
    "optional_date",
    "optional_datetime",
    "optional_decimal",
    "reference",
    "single_reference",
    "status_field",
    "user_reference",
]

_M = TypeVar("_M", bound=models.Model)

OptionalDate: TypeAlias = "models.DateField[str | dt.date | Combinable | None, dt.date | None]"
OptionalDateTime: TypeAlias = (
    "models.DateTimeField[str | dt.datetime | dt.date | Combinable | None, dt.datetime | None]"
)
OptionalDecimal: TypeAlias = (
    "models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]"
)
Amount: TypeAlias = "models.DecimalField[str | float | Decimal | Combinable, Decimal]"
UserReference: TypeAlias = "models.ForeignKey[Any, Any]"
Status: TypeAlias = "models.CharField[str | int | Combinable, str]"
OnDelete: TypeAlias = Callable[..., None]


def optional_date(verbose_name: StrOrPromise, help_text: StrOrPromise = "") -> OptionalDate:
    """A date that stays empty until what it records happens (or is known)."""
    return models.DateField(verbose_name, null=True, blank=True, help_text=help_text)


def optional_datetime(verbose_name: StrOrPromise, help_text: StrOrPromise = "") -> OptionalDateTime:
    """A moment that stays empty until what it records happens."""
    return models.DateTimeField(verbose_name, null=True, blank=True, help_text=help_text)


def optional_decimal(
    verbose_name: StrOrPromise,
    help_text: StrOrPromise,
    *,
    max_digits: int = 10,
    validators: list[MinValueValidator] | None = None,
) -> OptionalDecimal:
    """An optional amount excl. VAT (or number of hours), two decimals."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=validators or [],
        help_text=help_text,
    )


def amount_field(verbose_name: StrOrPromise, help_text: StrOrPromise = "") -> Amount:
    """An amount in euros: up to 12 digits, cents (`core.money` rounds to them)."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, help_text=help_text)


@overload
def reference(
    to: type[_M],
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = ...,
    *,
    related_name: str,
    on_delete: OnDelete = ...,
    null: Literal[False] = ...,
    blank: bool | None = ...,
) -> models.ForeignKey[_M, _M]: ...
@overload
def reference(
    to: type[_M],
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = ...,
    *,
    related_name: str,
    on_delete: OnDelete = ...,
    null: Literal[True],
    blank: bool | None = ...,
) -> models.ForeignKey[_M | None, _M | None]: ...
@overload
def reference(
    to: str,
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = ...,
    *,
    related_name: str,
    on_delete: OnDelete = ...,
    null: bool = ...,
    blank: bool | None = ...,
) -> models.ForeignKey[Any, Any]: ...
def reference(
    to: type[models.Model] | str,
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = "",
    *,
    related_name: str,
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
    blank: bool | None = None,
) -> models.ForeignKey[Any, Any]:
    """A many-to-one reference to another row: protected by default, so that what refers to a
    row keeps it; `null` makes it optional (and, unless `blank` says otherwise, blank too)."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        help_text=help_text,
        null=null,
        blank=null if blank is None else blank,
    )


@overload
def single_reference(
    to: type[_M],
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = ...,
    *,
    related_name: str,
    on_delete: OnDelete = ...,
    null: Literal[False] = ...,
    blank: bool | None = ...,
) -> models.OneToOneField[_M, _M]: ...
@overload
def single_reference(
    to: type[_M],
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = ...,
    *,
    related_name: str,
    on_delete: OnDelete = ...,
    null: Literal[True],
    blank: bool | None = ...,
) -> models.OneToOneField[_M | None, _M | None]: ...
@overload
def single_reference(
    to: str,
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = ...,
    *,
    related_name: str,
    on_delete: OnDelete = ...,
    null: bool = ...,
    blank: bool | None = ...,
) -> models.OneToOneField[Any, Any]: ...
def single_reference(
    to: type[models.Model] | str,
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = "",
    *,
    related_name: str,
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
    blank: bool | None = None,
) -> models.OneToOneField[Any, Any]:
    """A one-to-one reference to another row (at most one row refers to it); otherwise as
    `reference`."""
    return models.OneToOneField(
        to,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        help_text=help_text,
        null=null,
        blank=null if blank is None else blank,
    )


def user_reference(
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = "",
    *,
    related_name: str,
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
    blank: bool = False,
) -> UserReference:
    """The user who did something (created, decided, recorded ...): protected by default, so
    that who did it stays known; `null`/`on_delete` as the column was declared (here `blank`
    does not follow `null`)."""
    return reference(
        settings.AUTH_USER_MODEL,
        verbose_name,
        help_text,
        related_name=related_name,
        on_delete=on_delete,
        null=null,
        blank=blank,
    )


def status_field(
    default: models.TextChoices, help_text: StrOrPromise = "", *, max_length: int = 10
) -> Status:
    """The state of a row ("status"), one of the choices `default` belongs to and starting at
    `default`."""
    return models.CharField(
        _("status"),
        max_length=max_length,
        choices=type(default).choices,
        default=default,
        help_text=help_text,
    )
