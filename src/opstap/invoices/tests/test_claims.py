"""Checking incoming invoices against the rules (R-BILL-2, R-BILL-10, R-TRJ-3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from opstap.invoices.money import VatCode
from opstap.invoices.payment_rules import (
    EndReason,
    HoursEntry,
    InvoiceClaim,
    InvoicedAmount,
    MilestoneKind,
    ProductCode,
    ReasonCode,
    RulesContext,
    Status,
    TrajectoryFacts,
    check_claim,
    find_duplicates,
)

D = Decimal
K = MilestoneKind
R = ReasonCode
CTX = RulesContext()

FACTS = TrajectoryFacts(
    product_code=ProductCode.LONG_FIXED,
    order_date=date(2024, 1, 1),
    price=D("1000.00"),
    vat_code=VatCode.HIGH,
    plan_approved_on=date(2024, 1, 12),
    start_date=date(2024, 1, 15),
    planned_end_date=date(2024, 6, 30),
    actual_end_date=date(2024, 6, 30),
    end_reason=EndReason.COMPLETED,
    final_report_on=date(2024, 7, 5),
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
FINAL_CLAIM = replace(
    PLAN_CLAIM,
    invoice_number="F-2024-002",
    invoice_date=date(2024, 7, 10),
    milestone=K.FINAL_REPORT,
)


@pytest.mark.parametrize(
    ("claim", "facts", "status", "codes"),
    [
        pytest.param(PLAN_CLAIM, FACTS, Status.GREEN, [], id="plan-half-matches"),
        pytest.param(FINAL_CLAIM, FACTS, Status.GREEN, [], id="final-half-matches"),
        pytest.param(
            replace(PLAN_CLAIM, amount_excl=D("400.00"), vat=D("84.00"), amount_incl=D("484.00")),
            FACTS,
            Status.ORANGE,
            [R.AMOUNT_BELOW_ALLOWED],
            id="below-allowed-ok-but-look",
        ),
        pytest.param(
            replace(PLAN_CLAIM, amount_excl=D("600.00"), vat=D("126.00"), amount_incl=D("726.00")),
            FACTS,
            Status.RED,
            [R.AMOUNT_ABOVE_ALLOWED],
            id="above-allowed",
        ),
        pytest.param(
            replace(PLAN_CLAIM, vat=D("45.00"), amount_incl=D("545.00")),
            FACTS,
            Status.ORANGE,
            [R.VAT_DIFFERS],
            id="vat-differs",
        ),
        pytest.param(
            replace(PLAN_CLAIM, amount_incl=D("600.00")),
            FACTS,
            Status.RED,
            [R.AMOUNTS_INCONSISTENT],
            id="excl-plus-vat-not-incl",
        ),
        pytest.param(
            replace(PLAN_CLAIM, client_surname=" "),
            FACTS,
            Status.RED,
            [R.FIELD_MISSING],
            id="no-surname",
        ),
        pytest.param(
            replace(PLAN_CLAIM, client_number=""),
            FACTS,
            Status.RED,
            [R.FIELD_MISSING],
            id="no-client-number",
        ),
        pytest.param(
            replace(PLAN_CLAIM, period_start=None, period_end=None),
            FACTS,
            Status.RED,
            [R.PERIOD_MISSING],
            id="long-trajectory-needs-period",
        ),
        pytest.param(
            replace(
                PLAN_CLAIM,
                period_start=None,
                period_end=None,
                milestone=K.FINAL_REPORT,
                invoice_date=date(2024, 7, 10),
                amount_excl=D("1000.00"),
                vat=D("210.00"),
                amount_incl=D("1210.00"),
            ),
            replace(FACTS, product_code=ProductCode.SHORT_FIXED),
            Status.GREEN,
            [],
            id="short-trajectory-no-period-needed",
        ),
        pytest.param(
            replace(FINAL_CLAIM, invoice_date=date(2024, 7, 2)),
            FACTS,
            Status.RED,
            [R.FINAL_REPORT_MISSING],
            id="final-before-report",
        ),
        pytest.param(
            replace(PLAN_CLAIM, invoice_date=date(2024, 1, 10)),
            FACTS,
            Status.RED,
            [R.PLAN_NOT_APPROVED],
            id="plan-before-approval",
        ),
        pytest.param(
            PLAN_CLAIM,
            replace(FACTS, already_invoiced=(InvoicedAmount(K.PLAN_APPROVED, D("500.00")),)),
            Status.RED,
            [R.DUPLICATE],
            id="already-paid-dubbel",
        ),
        pytest.param(
            replace(FINAL_CLAIM, invoice_date=date(2024, 7, 30)),
            FACTS,
            Status.GREEN,
            [],
            id="30th-day-after-end-in-time",
        ),
        pytest.param(
            replace(FINAL_CLAIM, invoice_date=date(2024, 7, 31)),
            FACTS,
            Status.ORANGE,
            [R.INVOICE_LATE],
            id="31st-day-late",
        ),
        pytest.param(
            replace(PLAN_CLAIM, milestone=K.PLACEMENT_FEE, period_start=date(2024, 3, 1)),
            FACTS,
            Status.RED,
            [R.NO_MATCHING_MILESTONE],
            id="no-such-milestone",
        ),
        pytest.param(
            replace(
                PLAN_CLAIM,
                milestone=K.KLIKGESPREK,
                amount_excl=D("80.00"),
                vat=D("16.80"),
                amount_incl=D("96.80"),
                invoice_date=date(2024, 1, 20),
                # the period of this trajectory, which ended on 10 Jan
                period_start=date(2024, 1, 2),
                period_end=date(2024, 1, 10),
            ),
            replace(
                FACTS,
                start_date=None,
                actual_end_date=date(2024, 1, 10),
                end_reason=EndReason.NOT_STARTED_AFTER_KLIKGESPREK,
            ),
            Status.RED,
            [R.KLIKGESPREK_FREE],
            id="klikgesprek-claim",
        ),
    ],
)
def test_check_claim(
    claim: InvoiceClaim, facts: TrajectoryFacts, status: Status, codes: list[ReasonCode]
) -> None:
    """R-BILL-2 / R-TRJ-3: an invoice matches a milestone the rules allow on its date, for at
    most the allowed amount, with surname, client number, amounts and (for trajectories longer
    than 3 months) the period; late invoices go orange, the rest is refused with the reason."""
    verdict = check_claim(claim, facts, CTX)
    assert verdict.status is status
    assert list(verdict.codes) == codes


def test_claim_for_a_jobcoaching_quarter_matches_by_period() -> None:
    """R-BILL-2 / R-BILL-7: a jobcoaching invoice names the quarter it is for."""
    facts = TrajectoryFacts(
        product_code=ProductCode.JOBCOACHING,
        order_date=date(2024, 1, 2),
        hourly_rate=D("80.00"),
        vat_code=VatCode.EXEMPT,
        start_date=date(2024, 1, 10),
        jobcoaching_hours=(HoursEntry(date(2024, 2, 1), D("2.25")),),
    )
    claim = replace(
        PLAN_CLAIM,
        milestone=K.JOBCOACHING_QUARTER,
        invoice_date=date(2024, 4, 12),
        period_start=date(2024, 1, 10),
        period_end=date(2024, 4, 9),
        amount_excl=D("180.00"),
        vat=D("0.00"),
        amount_incl=D("180.00"),
    )
    assert check_claim(claim, facts, CTX).status is Status.GREEN
    wrong_period = replace(claim, period_start=date(2024, 4, 10), period_end=date(2024, 7, 9))
    assert check_claim(wrong_period, facts, CTX).codes == (R.QUARTER_NOT_ENDED,)


def test_claim_repeating_an_earlier_claim_is_red() -> None:
    """R-BILL-10: the same provider, client and milestone twice is held as 'dubbel'."""
    again = replace(PLAN_CLAIM, invoice_number="F-2024-009")
    verdict = check_claim(again, FACTS, CTX, earlier_claims=[PLAN_CLAIM])
    assert verdict.status is Status.RED
    assert verdict.codes == (R.DUPLICATE,)


def test_find_duplicates() -> None:
    """R-BILL-10: duplicates are same provider, client, milestone or period; first one wins."""
    q1 = replace(PLAN_CLAIM, milestone=K.JOBCOACHING_QUARTER, period_start=date(2024, 1, 10))
    q2 = replace(q1, invoice_number="F-2", period_start=date(2024, 4, 10))
    claims = [
        PLAN_CLAIM,
        replace(PLAN_CLAIM, invoice_number="F-DUP", period_start=date(2024, 2, 1)),
        replace(PLAN_CLAIM, provider_ref="prov-b"),  # other provider: not a duplicate
        replace(PLAN_CLAIM, client_number="C-2002"),  # other client: not a duplicate
        FINAL_CLAIM,  # other milestone: not a duplicate
        q1,
        q2,  # other quarter: not a duplicate
        replace(q1, invoice_number="F-Q1-AGAIN"),
    ]
    found = find_duplicates(claims)
    assert [(d.claim.invoice_number, d.original.invoice_number) for d in found] == [
        ("F-DUP", "F-2024-001"),
        ("F-Q1-AGAIN", "F-2024-001"),
    ]
    assert find_duplicates([]) == ()


@pytest.mark.parametrize(
    ("period", "facts", "refused"),
    [
        pytest.param((date(2024, 1, 15), date(2024, 6, 30)), FACTS, False, id="start-to-end"),
        pytest.param((date(2024, 1, 1), date(2024, 6, 30)), FACTS, False, id="from-the-order"),
        pytest.param((date(2023, 12, 31), date(2024, 6, 30)), FACTS, True, id="before-order"),
        pytest.param((date(2024, 1, 15), date(2024, 7, 1)), FACTS, True, id="after-the-end"),
        pytest.param((date(2025, 1, 15), date(2025, 6, 30)), FACTS, True, id="another-year"),
        pytest.param((date(2024, 6, 30), date(2024, 1, 15)), FACTS, True, id="ends-before-start"),
        pytest.param(
            (date(2024, 1, 15), date(2024, 6, 30)),
            replace(FACTS, actual_end_date=date(2024, 5, 31)),
            False,
            id="ended-early-the-planned-period-was-invoiced-before",
        ),
        pytest.param(
            (date(2024, 1, 15), date(2024, 7, 15)),
            replace(FACTS, actual_end_date=date(2024, 7, 15)),
            False,
            id="ended-after-the-planned-end",
        ),
        pytest.param(
            (date(2024, 1, 15), date(2024, 7, 16)),
            replace(FACTS, actual_end_date=date(2024, 7, 15)),
            True,
            id="after-the-later-actual-end",
        ),
        pytest.param(
            (date(2024, 1, 15), date(2024, 6, 30)),
            replace(FACTS, actual_end_date=None, end_reason=None, final_report_on=None),
            False,
            id="running-until-the-planned-end",
        ),
    ],
)
def test_the_stated_period_is_checked_against_the_trajectory(
    period: tuple[date, date], facts: TrajectoryFacts, refused: bool
) -> None:
    """R-BILL-2: the period on an invoice of a trajectory longer than 3 months is read against
    the record (order date, the later of planned and actual end), not taken as typed: a
    period of another year or beyond the end is red and named, so the books never hold a
    period the trajectory did not run."""
    claim = replace(PLAN_CLAIM, period_start=period[0], period_end=period[1])
    verdict = check_claim(claim, facts, CTX)
    assert (R.PERIOD_OUTSIDE_TRAJECTORY in verdict.codes) is refused
    if refused:
        assert verdict.status is Status.RED
        message = next(r.message for r in verdict.reasons if r.code is R.PERIOD_OUTSIDE_TRAJECTORY)
        assert f"{period[0]:%d-%m-%Y}" in message and "R-BILL" not in message
