"""The invoice check as providers use it, not as it was designed: dates typed on the invoice
that contradict the record, a deadline on a weekend or a holiday, VAT inflated on a lower
amount (R-TRJ-3, R-BILL-2, R-BILL-6, R-BILL-11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.invoices import services
from opstap.invoices.money import VatCode
from opstap.invoices.payment_rules import (
    EndReason,
    InvoiceClaim,
    MilestoneKind,
    PlacementFacts,
    ProductCode,
    ReasonCode,
    RulesContext,
    Status,
    TrajectoryFacts,
    check_claim,
)
from opstap.trajectories import deadlines as dl
from opstap.trajectories.models import Trajectory

D = Decimal
K = MilestoneKind
R = ReasonCode
CTX = RulesContext()


def _completed(end: date) -> TrajectoryFacts:
    """A code-1 trajectory (EUR 1,000) completed on `end`, final report the same day."""
    return TrajectoryFacts(
        product_code=ProductCode.SHORT_FIXED,
        order_date=end - dt.timedelta(days=80),
        price=D("1000.00"),
        vat_code=VatCode.HIGH,
        start_date=end - dt.timedelta(days=60),
        planned_end_date=end,
        actual_end_date=end,
        end_reason=EndReason.COMPLETED,
        final_report_on=end,
        invoice_due_on=dl.due_date(dl.DeadlineKind.INVOICE, end),
    )


def _final_claim(invoice_date: date, **changes: object) -> InvoiceClaim:
    claim = InvoiceClaim(
        provider_ref="prov-a",
        client_number="C-1001",
        client_surname="Jansen",
        invoice_number="F-1",
        invoice_date=invoice_date,
        milestone=K.FINAL_REPORT,
        amount_excl=D("1000.00"),
        vat=D("210.00"),
        amount_incl=D("1210.00"),
    )
    return replace(claim, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("end", "invoiced", "late"),
    [
        # Day 30 is a Thursday: the next day is late.
        pytest.param(date(2026, 6, 30), date(2026, 7, 30), False, id="day-30-weekday"),
        pytest.param(date(2026, 6, 30), date(2026, 7, 31), True, id="day-31-weekday"),
        # Day 30 is Saturday 30 May 2026: the period runs to Monday 1 June (Atw art. 1).
        pytest.param(date(2026, 4, 30), date(2026, 6, 1), False, id="day-30-saturday"),
        pytest.param(date(2026, 4, 30), date(2026, 6, 2), True, id="after-the-monday"),
        # Day 30 is Christmas Day 2026 (a Friday): Boxing Day and the weekend follow.
        pytest.param(date(2026, 11, 25), date(2026, 12, 28), False, id="day-30-christmas"),
        # Day 30 is King's Day 2026 (a Monday): Tuesday 28 April still counts.
        pytest.param(date(2026, 3, 28), date(2026, 4, 28), False, id="day-30-kingsday"),
    ],
)
def test_invoice_deadline_rolls_over_weekends_and_holidays(
    end: date, invoiced: date, late: bool
) -> None:
    """R-TRJ-3: "invoice at the latest 30 days after the end"; a period that ends on a
    non-working day runs to the next working day (Atw art. 1), as the trajectory's own
    invoice deadline says. The claim check counted plain days: an invoice on the Monday after a
    day 30 on Saturday was flagged late (orange) while the deadline list said it was in time."""
    verdict = check_claim(_final_claim(invoiced), _completed(end), CTX)
    assert (R.INVOICE_LATE in verdict.codes) is late


@given(end=st.dates(min_value=date(2015, 1, 1), max_value=date(2100, 12, 31)))
def test_invoice_late_exactly_after_the_deadline_rule(end: date) -> None:
    """R-TRJ-3: the claim check and the deadline rule (`deadlines.DeadlineKind.INVOICE`) agree
    on the last day for every end date: on the due day in time, the day after late."""
    due = dl.due_date(dl.DeadlineKind.INVOICE, end)
    facts = _completed(end)
    assert R.INVOICE_LATE not in check_claim(_final_claim(due), facts, CTX).codes
    after = due + dt.timedelta(days=1)
    assert R.INVOICE_LATE in check_claim(_final_claim(after), facts, CTX).codes


def test_late_invoice_judged_on_the_day_it_was_received() -> None:
    """R-TRJ-3, facts from the record: an invoice that reached the organisation 60 days after
    the end, dated by the provider 10 days after the end, was not late: the check read the
    date the provider typed. The day of receipt (the record) decides."""
    end = date(2026, 6, 30)
    claim = _final_claim(date(2026, 7, 10), received_on=date(2026, 8, 29))
    verdict = check_claim(claim, _completed(end), CTX)
    assert verdict.status is Status.ORANGE
    assert R.INVOICE_LATE in verdict.codes
    message = next(r.message for r in verdict.reasons if r.code is R.INVOICE_LATE)
    assert "ontvangen op 29-08-2026" in message


PLACEMENT = PlacementFacts(
    start=date(2026, 6, 1),
    contract_months=12,
    hours_per_week=D(32),
    probation_end=date(2026, 6, 30),
)


def _fee_claim(invoice_date: date, received_on: date | None) -> InvoiceClaim:
    return InvoiceClaim(
        provider_ref="prov-a",
        client_number="C-1001",
        client_surname="Jansen",
        invoice_number="F-FEE",
        invoice_date=invoice_date,
        milestone=K.PLACEMENT_FEE,
        amount_excl=D("500.00"),
        vat=D("105.00"),
        amount_incl=D("605.00"),
        period_start=PLACEMENT.start,
        period_end=PLACEMENT.start,
        received_on=received_on,
    )


@pytest.mark.parametrize(
    ("invoice_date", "received_on", "late"),
    [
        pytest.param(date(2026, 7, 15), date(2026, 7, 15), False, id="in-window"),
        pytest.param(date(2026, 7, 15), date(2026, 7, 30), False, id="received-last-day"),
        # Dated inside the window, received two weeks after it closed.
        pytest.param(date(2026, 7, 15), date(2026, 8, 14), True, id="back-dated"),
    ],
)
def test_placement_fee_window_judged_on_receipt(
    invoice_date: date, received_on: date, late: bool
) -> None:
    """R-BILL-6: the fee is claimed within 30 days after the probation period (here 1-30 July
    2026). A claim received on 14 August with an invoice date of 15 July was green: the window
    was judged on the date the provider typed. It is judged on the day of receipt."""
    facts = replace(_completed(date(2026, 12, 31)), placements=(PLACEMENT,))
    facts = replace(facts, start_date=date(2026, 5, 1), actual_end_date=None, end_reason=None)
    verdict = check_claim(_fee_claim(invoice_date, received_on), facts, CTX)
    assert (R.PLACEMENT_CLAIM_LATE in verdict.codes) is late
    assert (verdict.status is Status.RED) is late


FACTS3 = TrajectoryFacts(
    product_code=ProductCode.LONG_FIXED,
    order_date=date(2024, 1, 1),
    price=D("1000.00"),
    vat_code=VatCode.HIGH,
    plan_approved_on=date(2024, 1, 12),
    start_date=date(2024, 1, 15),
    planned_end_date=date(2024, 6, 30),
)
PLAN_CLAIM = InvoiceClaim(
    provider_ref="prov-a",
    client_number="C-1001",
    client_surname="Jansen",
    invoice_number="F-2024-001",
    invoice_date=date(2024, 2, 1),
    milestone=K.PLAN_APPROVED,
    amount_excl=D("500.00"),
    vat=D("105.00"),
    amount_incl=D("605.00"),
    period_start=date(2024, 1, 15),
    period_end=date(2024, 6, 30),
)


@pytest.mark.parametrize(
    ("excl", "vat", "status", "codes"),
    [
        # A lower amount with its own VAT: allowed, look.
        pytest.param("400.00", "84.00", Status.ORANGE, [R.AMOUNT_BELOW_ALLOWED], id="lower"),
        # A lower amount with VAT of 50%: the VAT was never compared.
        pytest.param(
            "400.00",
            "200.00",
            Status.ORANGE,
            [R.AMOUNT_BELOW_ALLOWED, R.VAT_DIFFERS],
            id="lower-vat-inflated",
        ),
        # ... and with so much VAT that more than the allowed amount incl. VAT is asked.
        pytest.param(
            "499.00",
            "200.00",
            Status.RED,
            [R.AMOUNT_ABOVE_ALLOWED],
            id="lower-excl-higher-incl",
        ),
        # The right amount with more VAT than due: more than allowed incl. VAT.
        pytest.param("500.00", "110.00", Status.RED, [R.AMOUNT_ABOVE_ALLOWED], id="vat-above"),
        # The right amount with less VAT (an exempt or low-rate provider): look.
        pytest.param("500.00", "45.00", Status.ORANGE, [R.VAT_DIFFERS], id="vat-below"),
    ],
)
def test_vat_is_checked_whatever_the_amount(
    excl: str, vat: str, status: Status, codes: list[ReasonCode]
) -> None:
    """R-BILL-11, R-BILL-2: only what the rules allow can be paid. A provider who invoiced a
    little less than allowed (excl. VAT) with inflated VAT was orange for the lower amount
    only: the VAT was not compared and the clerk, told the amount was lower, approved more
    incl. VAT than allowed. The VAT is compared with the VAT due on the amount invoiced, and
    an amount incl. VAT above the allowed one is red."""
    claim = replace(PLAN_CLAIM, amount_excl=D(excl), vat=D(vat), amount_incl=D(excl) + D(vat))
    verdict = check_claim(claim, FACTS3, CTX)
    assert verdict.status is status
    assert [c for c in verdict.codes if c in codes] == codes


@given(
    excl=st.decimals(min_value=D("0.01"), max_value=D("500.00"), places=2),
    vat=st.decimals(min_value=D("0.00"), max_value=D("500.00"), places=2),
)
def test_never_approvable_above_the_allowed_amount_incl_vat(excl: Decimal, vat: Decimal) -> None:
    """R-BILL-2, R-BILL-11: whatever the split between amount and VAT, a claim that is not red
    never asks more incl. VAT than the rules allow."""
    claim = replace(PLAN_CLAIM, amount_excl=excl, vat=vat, amount_incl=excl + vat)
    verdict = check_claim(claim, FACTS3, CTX)
    assert verdict.allowed is not None
    if verdict.status is not Status.RED:
        assert claim.amount_incl <= verdict.allowed.amount_incl


# --------------------------------------------------------------------------------------------
# Through the services
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_back_dated_placement_fee_is_late_through_the_service(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-6: the placement started 1 June 2026 with probation to 30 June; the window closed
    on 30 July. The provider claims on 14 August (today) with an invoice dated 20 July: red,
    too late; the record's day of receipt decides, not the typed invoice date."""
    fee = services.placement_fee_claim_submit(
        actor=provider_user_a,
        trajectory=code3_done,
        invoice_number="F-FEE-1",
        invoice_date=dt.date(2026, 7, 20),
        employer="Bakkerij Jansen",
        placement_start=dt.date(2026, 6, 1),
        hours_per_week=Decimal("32"),
        contract_months=12,
        probation_end=dt.date(2026, 6, 30),
        contract=SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
    )
    fee.invoice.refresh_from_db()
    assert fee.invoice.verdict == "red"
    assert "bemiddelingsfee_te_laat" in [r["code"] for r in fee.invoice.reasons]
