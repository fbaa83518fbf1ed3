"""Choices and field helpers shared by the trajectories tables (not public)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.expressions import Combinable

from opstap.clients.models import ROTONDE_LABELS_NL
from opstap.trajectories.workflow import ACTION_LABELS_NL, STATE_LABELS_NL

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


STATE_CHOICES = [(state.value, label) for state, label in STATE_LABELS_NL.items()]
ACTION_CHOICES = [(action.value, label) for action, label in ACTION_LABELS_NL.items()] + [
    ("order", "Traject besteld"),
    ("document", "Document ingediend"),
    ("absence", "Verzuim gemeld"),
    ("outcome", "Resultaat vastgelegd"),
    ("appointment", "Afspraak gepland"),
    ("attendance", "Aanwezigheid vastgelegd"),
    ("document_share", "Document gedeeld met de klant"),
    ("document_unshare", "Document niet meer gedeeld met de klant"),
    ("submit_revised_quote", "Herziene offerte ingediend"),
    ("approve_revised_quote", "Herziene offerte goedgekeurd"),
    ("reject_revised_quote", "Herziene offerte afgewezen"),
]
ROTONDE_CHOICES = [(exit_.value, label) for exit_, label in ROTONDE_LABELS_NL.items()]


OptionalDate: TypeAlias = "models.DateField[str | dt.date | Combinable | None, dt.date | None]"
OptionalDecimal: TypeAlias = (
    "models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]"
)


def _optional_date(verbose_name: StrOrPromise, help_text: StrOrPromise) -> OptionalDate:
    """A date that stays empty until its step happens."""
    return models.DateField(verbose_name, null=True, blank=True, help_text=help_text)


def _optional_decimal(
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
