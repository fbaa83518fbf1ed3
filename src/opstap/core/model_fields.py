"""Column declarations that recur across the apps' models, declared once (issue 13).

Each helper returns exactly the field the apps declared by hand, so the columns, and with them
the migrations, stay the same: an optional date or moment, an optional amount or number of
hours, an amount in euros (12 digits, 2 decimals), a reference to the user who did something
and the state of a row; and `Validity`, the abstract base of reference data that holds from one
day until another (or until further notice).

References to other rows stay declared in place (`models.ForeignKey("app.Model", ...)`): only
there can django-stubs resolve the model named, so the attribute keeps its precise type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .money import VAT_CODE_LABELS_NL, VatCode

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

__all__ = [
    "Validity",
    "amount_field",
    "optional_date",
    "optional_datetime",
    "optional_decimal",
    "optional_user",
    "status_field",
    "user_reference",
    "vat_code_field",
]

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


def user_reference(
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = "",
    *,
    related_name: str,
    on_delete: Any = models.PROTECT,
    null: bool = False,
    blank: bool = False,
) -> UserReference:
    """The user who did something (created, decided, recorded ...): protected by default, so
    that who did it stays known; `null`/`on_delete` as the column was declared."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        help_text=help_text,
        null=null,
        blank=blank,
    )


def optional_user(
    verbose_name: StrOrPromise,
    help_text: StrOrPromise = "",
    *,
    on_delete: Any = models.PROTECT,
) -> UserReference:
    """The user who did something that may not have happened yet (decided, ended ...), or that
    nobody did (the system): may be empty, and not listed from the user's side (related name
    "+"). `on_delete=models.SET_NULL` where the row outlives the user's account."""
    return user_reference(
        verbose_name, help_text, related_name="+", on_delete=on_delete, null=True, blank=True
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


def vat_code_field(help_text: StrOrPromise, *, default: VatCode | None = VatCode.HIGH) -> Status:
    """A VAT category (R-BILL-11): exempt, low or high; with a default for a product and the
    trajectory ordered from it, without one for a row of the VAT table."""
    extra: dict[str, Any] = {} if default is None else {"default": default.value}
    return models.CharField(
        _("btw-tarief"),
        max_length=10,
        choices=[(code.value, label) for code, label in VAT_CODE_LABELS_NL.items()],
        help_text=help_text,
        **extra,
    )


class Validity(models.Model):
    """Abstract base of rows that hold for a period: from the first day, through the last day
    or, left empty, until further notice (reference data, configuration per period). Which row
    holds on a day is the reading code's business."""

    valid_from = models.DateField(
        _("geldig vanaf"), help_text=_("Eerste dag waarop dit gegeven geldt.")
    )
    valid_until = optional_date(
        _("geldig tot en met"), _("Laatste dag waarop dit gegeven geldt; leeg = onbeperkt.")
    )

    class Meta:
        abstract = True
