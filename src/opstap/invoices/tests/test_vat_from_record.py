"""The VAT an invoice must carry comes from the record (R-BILL-11): the product's VAT category,
recorded by the contract manager and kept by the trajectory at its order; never from what the
provider states on the invoice. Before, every trajectory expected 21 %."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.money import VatCode
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.providers import services as provider_services
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import END, REPORT, make_product, submit

pytestmark = pytest.mark.django_db

#: The second half of a € 2.500,00 code-3 price: excl., and incl. at 0 % and at 21 %.
HALF = Decimal("1250.00")


def _done(
    provider: Provider,
    provider_user: User,
    client: Client,
    walk: Callable[..., Trajectory],
    vat_code: str,
) -> Trajectory:
    product = make_product(provider, 3, vat_code=vat_code)
    return walk(
        product, provider_user, client, until="final_report_received", end_on=END, report_on=REPORT
    )


def _final(provider_user: User, trajectory: Trajectory, vat: str) -> Invoice:
    return submit(
        provider_user,
        trajectory,
        vat=Decimal(vat),
        amount_incl=HALF + Decimal(vat),
    )


def test_an_exempt_product_expects_no_vat(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> None:
    """R-BILL-11: a provider exempt from VAT invoices € 1.250,00 without VAT: it passes. The
    same invoice with 21 % VAT is caught."""
    trajectory = _done(contracted_a, provider_user_a, client_k, walk, VatCode.EXEMPT)
    assert trajectory.vat_code == VatCode.EXEMPT
    exempt = _final(provider_user_a, trajectory, "0.00")
    assert exempt.verdict == "green", exempt.reasons
    assert exempt.lines.get().vat_code == VatCode.EXEMPT


def test_an_exempt_product_refuses_vat_the_provider_adds(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> None:
    """R-BILL-11: 21 % VAT on an exempt trajectory is not what the record says."""
    trajectory = _done(contracted_a, provider_user_a, client_k, walk, VatCode.EXEMPT)
    taxed = _final(provider_user_a, trajectory, "262.50")
    assert taxed.verdict != "green"
    assert "btw" in " ".join(str(r) for r in taxed.reasons).lower()


def test_a_high_rate_product_still_expects_21_percent(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> None:
    """R-BILL-11: the default category is the high rate; an invoice without VAT is caught."""
    trajectory = _done(contracted_a, provider_user_a, client_k, walk, VatCode.HIGH)
    assert _final(provider_user_a, trajectory, "262.50").verdict == "green"
    assert _final(provider_user_a, trajectory, "0.00").verdict != "green"


def test_the_trajectory_keeps_the_category_of_its_order(
    contracted_a: Provider,
    contract_manager: User,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> None:
    """R-BILL-11: a product that becomes exempt after the order does not change what the
    trajectory ordered before expects."""
    trajectory = _done(contracted_a, provider_user_a, client_k, walk, VatCode.HIGH)
    provider_services.product_update(
        actor=contract_manager,
        product=trajectory.product,
        changes={"vat_code": VatCode.EXEMPT},
    )
    trajectory.refresh_from_db()
    assert trajectory.product.vat_code == VatCode.EXEMPT
    assert trajectory.vat_code == VatCode.HIGH
    assert _final(provider_user_a, trajectory, "262.50").verdict == "green"


def test_an_unknown_category_is_refused(contracted_a: Provider) -> None:
    with pytest.raises(provider_services.ProviderError, match="btw-tarief") as caught:
        make_product(contracted_a, 3, vat_code="zero")
    assert caught.value.field == "vat_code"


def test_a_placement_fee_on_an_exempt_trajectory_carries_no_vat(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> None:
    """R-BILL-6, R-BILL-11: the € 500 placement fee follows the trajectory's category."""
    trajectory = _done(contracted_a, provider_user_a, client_k, walk, VatCode.EXEMPT)
    claim = services.placement_fee_claim_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        invoice_number="B-1",
        invoice_date=dt.date(2026, 8, 10),
        employer="Bakkerij Jansen",
        placement_start=dt.date(2026, 7, 1),
        hours_per_week=Decimal(32),
        contract_months=12,
    )
    assert (claim.invoice.amount_excl, claim.invoice.vat) == (Decimal("500.00"), Decimal("0.00"))
