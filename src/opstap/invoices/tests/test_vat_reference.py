"""VAT rates are reference data by date (R-BILL-11), editable without a code change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opstap.invoices.models import VatRateRow
from opstap.invoices.money import DEFAULT_VAT_RATES, vat_percentage_on
from opstap.invoices.services import rules_context, vat_rates

pytestmark = pytest.mark.django_db


def test_vat_table_is_seeded_with_the_defaults() -> None:
    """R-BILL-11: the migration seeds 0% exempt, 6%→9% low and 21% high, by date."""
    seeded = {(r.code, r.valid_from, r.percentage) for r in vat_rates()}
    assert seeded == {(str(r.code), r.valid_from, r.percentage) for r in DEFAULT_VAT_RATES}


def test_a_new_rate_row_applies_from_its_date_only(org) -> None:  # type: ignore[no-untyped-def]
    """R-BILL-11: a rate change is a new dated row; earlier dates keep the old rate."""
    VatRateRow.objects.create(code="low", valid_from=dt.date(2027, 1, 1), percentage=Decimal(11))
    rates = rules_context(org.pk).vat_rates
    assert vat_percentage_on(rates, "low", dt.date(2026, 12, 31)) == Decimal(9)
    assert vat_percentage_on(rates, "low", dt.date(2027, 1, 1)) == Decimal(11)
