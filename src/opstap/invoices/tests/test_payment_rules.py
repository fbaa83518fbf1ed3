"""Payment schedule per product code and the special cases (R-BILL-1 .. R-BILL-7, R-NET-7).

Each table row reads as: the trajectory facts, the day we ask, what can be invoiced (excl. VAT)
and, for what cannot, the reason code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from opstap.invoices.money import VatCode
from opstap.invoices.payment_rules import (
    Adjustment,
    EndReason,
    HoursEntry,
    InvoicedAmount,
    MilestoneKind,
    PaymentRuleError,
    Period,
    PlacementFacts,
    ProductCode,
    ReasonCode,
    RulesContext,
    TerminationReason,
    TrajectoryFacts,
    add_months,
    assess,
    ceiling_on,
    jobcoaching_quarters,
    pro_rata_proposal,
)

D = Decimal
K = MilestoneKind
R = ReasonCode

#: R-NET-7 ceiling: EUR 80.00 on 2021-10-01, indexed each 1 January (example percentages).
CEILINGS = (
    (date(2021, 10, 1), D("80.00")),
    (date(2022, 1, 1), D("82.00")),
    (date(2023, 1, 1), D("88.39")),
    (date(2024, 1, 1), D("92.00")),
)
CTX = RulesContext(ceiling_rates=CEILINGS)

BASE = TrajectoryFacts(
    product_code=ProductCode.SHORT_FIXED,
    order_date=date(2024, 1, 1),
    price=D("1000.00"),
    vat_code=VatCode.HIGH,
    intake_date=date(2024, 1, 5),
    start_date=date(2024, 1, 15),
    planned_end_date=date(2024, 12, 31),
)
COMPLETED = replace(
    BASE,
    actual_end_date=date(2024, 12, 31),
    end_reason=EndReason.COMPLETED,
    final_report_on=date(2025, 1, 10),
    handover_done=True,
    reported_on_time=True,
)
APPROVED = date(2024, 1, 12)


def amounts(facts: TrajectoryFacts, as_of: date) -> dict[MilestoneKind, Decimal]:
    return {m.kind: m.amount_excl for m in assess(facts, CTX, as_of=as_of).invoiceable}


def refusal_codes(facts: TrajectoryFacts, as_of: date) -> dict[MilestoneKind, ReasonCode]:
    return {r.kind: r.code for r in assess(facts, CTX, as_of=as_of).refused}


# ------------------------------------------------------------------------------------------
# R-BILL-1: the schedule of each product code
# ------------------------------------------------------------------------------------------

SCHEDULE = [
    # code 1: 0% at start, 100% after the final report
    pytest.param(BASE, date(2024, 2, 1), {}, {K.FINAL_REPORT: R.NOT_ENDED}, id="1-running-0pct"),
    pytest.param(
        replace(COMPLETED, final_report_on=None),
        date(2025, 1, 5),
        {},
        {K.FINAL_REPORT: R.FINAL_REPORT_MISSING},
        id="1-ended-no-report",
    ),
    pytest.param(
        COMPLETED, date(2025, 1, 10), {K.FINAL_REPORT: D("1000.00")}, {}, id="1-report-100pct"
    ),
    pytest.param(
        COMPLETED,
        date(2025, 1, 9),
        {},
        {K.FINAL_REPORT: R.FINAL_REPORT_MISSING},
        id="1-report-tomorrow",
    ),
    # code 2: same as code 1 (price from the approved quote)
    pytest.param(
        replace(COMPLETED, product_code=ProductCode.SHORT_VARIABLE, price=D("1234.56")),
        date(2025, 1, 10),
        {K.FINAL_REPORT: D("1234.56")},
        {},
        id="2-report-100pct",
    ),
    # code 3: 50% after plan approval, 50% after the final report
    pytest.param(
        replace(BASE, product_code=ProductCode.LONG_FIXED),
        date(2024, 2, 1),
        {},
        {K.PLAN_APPROVED: R.PLAN_NOT_APPROVED, K.FINAL_REPORT: R.NOT_ENDED},
        id="3-no-plan",
    ),
    pytest.param(
        replace(BASE, product_code=ProductCode.LONG_FIXED, plan_approved_on=APPROVED),
        date(2024, 2, 1),
        {K.PLAN_APPROVED: D("500.00")},
        {K.FINAL_REPORT: R.NOT_ENDED},
        id="3-plan-50pct",
    ),
    pytest.param(
        replace(COMPLETED, product_code=ProductCode.LONG_FIXED, plan_approved_on=APPROVED),
        date(2025, 1, 10),
        {K.PLAN_APPROVED: D("500.00"), K.FINAL_REPORT: D("500.00")},
        {},
        id="3-both-halves",
    ),
    pytest.param(
        replace(
            COMPLETED,
            product_code=ProductCode.LONG_FIXED,
            plan_approved_on=APPROVED,
            already_invoiced=(InvoicedAmount(K.PLAN_APPROVED, D("500.00")),),
        ),
        date(2025, 1, 10),
        {K.FINAL_REPORT: D("500.00")},
        {K.PLAN_APPROVED: R.DUPLICATE},
        id="3-plan-paid-final-left",
    ),
    # code 4: same as code 3; an odd cent goes half-up into the first half, the rest after
    pytest.param(
        replace(
            COMPLETED,
            product_code=ProductCode.LONG_VARIABLE,
            plan_approved_on=APPROVED,
            price=D("999.99"),
        ),
        date(2025, 1, 10),
        {K.PLAN_APPROVED: D("500.00"), K.FINAL_REPORT: D("499.99")},
        {},
        id="4-odd-cent",
    ),
]


@pytest.mark.parametrize(("facts", "as_of", "expected", "refused"), SCHEDULE)
def test_payment_schedule_per_product_code(
    facts: TrajectoryFacts,
    as_of: date,
    expected: dict[MilestoneKind, Decimal],
    refused: dict[MilestoneKind, ReasonCode],
) -> None:
    """R-BILL-1: codes 1/2 pay 0% at start and 100% after the final report; codes 3/4 pay 50%
    after plan approval and 50% after the final report."""
    assert amounts(facts, as_of) == expected
    assert refusal_codes(facts, as_of) == refused


def test_milestone_amounts_carry_vat_of_their_date() -> None:
    """R-BILL-1 / R-BILL-11: a milestone line has excl., VAT (by date) and incl. amounts."""
    facts = replace(COMPLETED, vat_code=VatCode.LOW)
    (milestone,) = assess(facts, CTX, as_of=date(2025, 1, 10)).invoiceable
    assert (milestone.amount_excl, milestone.vat, milestone.amount_incl) == (
        D("1000.00"),
        D("90.00"),
        D("1090.00"),
    )
    assert milestone.period == Period(date(2024, 1, 15), date(2024, 12, 31))


# ------------------------------------------------------------------------------------------
# R-BILL-7 / R-NET-7: jobcoaching per quarter in arrears, never above the ceiling of the day
# ------------------------------------------------------------------------------------------

JOBCOACHING = TrajectoryFacts(
    product_code=ProductCode.JOBCOACHING,
    order_date=date(2024, 1, 2),
    hourly_rate=D("80.00"),
    vat_code=VatCode.HIGH,
    start_date=date(2024, 1, 10),
    planned_end_date=date(2024, 12, 31),
    jobcoaching_hours=(
        HoursEntry(date(2024, 1, 15), D("2")),
        HoursEntry(date(2024, 2, 20), D("1.5")),
        HoursEntry(date(2024, 4, 15), D("3")),
    ),
)
Q1 = Period(date(2024, 1, 10), date(2024, 4, 9))
Q2 = Period(date(2024, 4, 10), date(2024, 7, 9))


@pytest.mark.parametrize(
    ("facts", "as_of", "expected", "refused"),
    [
        pytest.param(
            JOBCOACHING,
            date(2024, 4, 9),
            {},
            {Q1.start: R.QUARTER_NOT_ENDED},
            id="last-day-of-quarter-not-yet",
        ),
        pytest.param(
            JOBCOACHING,
            date(2024, 4, 10),
            {Q1.start: D("280.00")},
            {Q2.start: R.QUARTER_NOT_ENDED},
            id="quarter-in-arrears-3.5h-x-80",
        ),
        pytest.param(
            JOBCOACHING,
            date(2024, 7, 10),
            {Q1.start: D("280.00"), Q2.start: D("240.00")},
            {date(2024, 7, 10): R.QUARTER_NOT_ENDED},
            id="two-quarters",
        ),
        pytest.param(
            replace(
                JOBCOACHING,
                already_invoiced=(InvoicedAmount(K.JOBCOACHING_QUARTER, D("280"), Q1.start),),
            ),
            date(2024, 7, 10),
            {Q2.start: D("240.00")},
            {Q1.start: R.DUPLICATE, date(2024, 7, 10): R.QUARTER_NOT_ENDED},
            id="paid-quarter-not-twice",
        ),
        pytest.param(
            replace(JOBCOACHING, jobcoaching_hours=JOBCOACHING.jobcoaching_hours[2:]),
            date(2024, 4, 10),
            {},
            {Q1.start: R.NO_HOURS, Q2.start: R.QUARTER_NOT_ENDED},
            id="empty-quarter",
        ),
        pytest.param(
            replace(
                JOBCOACHING,
                actual_end_date=date(2024, 5, 31),
                end_reason=EndReason.TERMINATED_EARLY,
                termination_reason=TerminationReason.ACCEPTED_JOB,
            ),
            date(2024, 6, 1),
            {Q1.start: D("280.00"), Q2.start: D("240.00")},
            {},
            id="ended-mid-quarter-short-last-quarter",
        ),
    ],
)
def test_jobcoaching_quarterly_in_arrears(
    facts: TrajectoryFacts,
    as_of: date,
    expected: dict[date, Decimal],
    refused: dict[date, ReasonCode],
) -> None:
    """R-BILL-1 code 5 / R-BILL-7: each quarter in arrears with a logbook, hours x rate; a
    quarter can be invoiced only after it ended."""
    result = assess(facts, CTX, as_of=as_of)
    assert {m.period.start: m.amount_excl for m in result.invoiceable if m.period} == expected
    assert {r.period.start: r.code for r in result.refused if r.period} == refused


def test_jobcoaching_last_quarter_is_cut_at_the_end_date() -> None:
    """R-BILL-7: after an early end the last quarter runs to the end date."""
    facts = replace(
        JOBCOACHING, actual_end_date=date(2024, 5, 31), end_reason=EndReason.TERMINATED_EARLY
    )
    result = assess(facts, CTX, as_of=date(2024, 6, 1))
    assert [m.period for m in result.invoiceable] == [Q1, Period(Q2.start, date(2024, 5, 31))]


def test_jobcoaching_quarter_spanning_1_january_uses_each_days_ceiling() -> None:
    """R-BILL-7 / R-NET-7: the rate never exceeds the ceiling valid on the day worked, also in a
    quarter spanning the 1 January indexation (82.00 in 2022, 88.39 from 2023)."""
    facts = replace(
        JOBCOACHING,
        hourly_rate=D("85.00"),
        start_date=date(2022, 11, 15),
        order_date=date(2022, 11, 1),
        jobcoaching_hours=(
            HoursEntry(date(2022, 12, 10), D("10")),  # ceiling 82.00 < 85.00: capped
            HoursEntry(date(2023, 1, 10), D("10")),  # ceiling 88.39 > 85.00: own rate
        ),
    )
    result = assess(facts, CTX, as_of=date(2023, 2, 15))
    (quarter,) = result.invoiceable
    assert quarter.period == Period(date(2022, 11, 15), date(2023, 2, 14))
    assert [line.amounts.excl for line in quarter.lines] == [D("820.00"), D("850.00")]
    assert (quarter.amount_excl, quarter.vat, quarter.amount_incl) == (
        D("1670.00"),
        D("350.70"),
        D("2020.70"),
    )
    assert [n.code for n in quarter.notes] == [R.RATE_CAPPED]
    assert "€ 82,00" in quarter.notes[0].message


def test_jobcoaching_rate_above_ceiling_is_capped_with_reason() -> None:
    """R-NET-7: a rate above the ceiling is never paid; the excess is refused with a reason."""
    facts = replace(JOBCOACHING, hourly_rate=D("100.00"))  # 2024 ceiling: 92.00
    (quarter,) = assess(facts, CTX, as_of=date(2024, 4, 10)).invoiceable
    assert quarter.amount_excl == D("322.00")  # 3.5 h x 92.00
    assert quarter.notes[0].code is R.RATE_CAPPED


def test_jobcoaching_hours_outside_trajectory_are_refused() -> None:
    """R-BILL-7: only hours within the trajectory count."""
    facts = replace(
        JOBCOACHING,
        jobcoaching_hours=(*JOBCOACHING.jobcoaching_hours, HoursEntry(date(2024, 1, 5), D("4"))),
    )
    result = assess(facts, CTX, as_of=date(2024, 4, 10))
    quarter = result.find(K.JOBCOACHING_QUARTER, Q1.start)
    assert quarter is not None
    assert quarter.amount_excl == D("280.00")
    refusal = result.refusal(K.JOBCOACHING_QUARTER)
    assert refusal is not None
    assert refusal.code is R.HOURS_OUTSIDE_TRAJECTORY


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        pytest.param(replace(JOBCOACHING, hourly_rate=None), R.NO_HOURLY_RATE, id="no-rate"),
        pytest.param(replace(JOBCOACHING, start_date=None), R.NOT_STARTED, id="not-started"),
    ],
)
def test_jobcoaching_refusals(facts: TrajectoryFacts, code: ReasonCode) -> None:
    """R-BILL-7: no hourly rate or no start: nothing to invoice, with the reason."""
    assert refusal_codes(facts, date(2024, 6, 1)) == {K.JOBCOACHING_QUARTER: code}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2021, 10, 1), D("80.00"), id="first-day"),
        pytest.param(date(2021, 12, 31), D("80.00"), id="before-indexation"),
        pytest.param(date(2022, 1, 1), D("82.00"), id="indexed-1-january"),
    ],
)
def test_ceiling_valid_on_a_day(day: date, expected: Decimal) -> None:
    """R-NET-7: EUR 80.00 from 2021-10-01, indexed each 1 January."""
    assert ceiling_on(CEILINGS, day) == expected


def test_no_ceiling_before_reference_data_is_refused() -> None:
    """R-NET-7: the rules refuse to guess a ceiling."""
    with pytest.raises(PaymentRuleError, match="plafondtarief"):
        ceiling_on(CEILINGS, date(2021, 9, 30))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="leap-february"),
        pytest.param(date(2023, 11, 30), 3, date(2024, 2, 29), id="over-new-year"),
        pytest.param(date(2024, 1, 10), 12, date(2025, 1, 10), id="a-year"),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    """R-BILL-7: quarters are counted in months from the start date."""
    assert add_months(start, months) == expected


def test_quarters_from_month_end_do_not_drift() -> None:
    """R-BILL-7: every quarter is computed from the start date, so no day is lost or doubled."""
    quarters = jobcoaching_quarters(date(2024, 1, 31), date(2024, 12, 31))
    assert [(q.start, q.end) for q in quarters] == [
        (date(2024, 1, 31), date(2024, 4, 29)),
        (date(2024, 4, 30), date(2024, 7, 30)),
        (date(2024, 7, 31), date(2024, 10, 30)),
        (date(2024, 10, 31), date(2024, 12, 31)),
    ]


# ------------------------------------------------------------------------------------------
# R-BILL-3 klikgesprek, R-BILL-4 intake fee
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [pytest.param(c, id=f"code-{int(c)}") for c in ProductCode])
def test_klikgesprek_without_start_invoices_nothing(code: ProductCode) -> None:
    """R-BILL-3: a free introduction of at most 1 hour; no start means nothing to invoice."""
    facts = replace(
        BASE,
        product_code=code,
        hourly_rate=D("80.00"),
        start_date=None,
        actual_end_date=date(2024, 1, 8),
        end_reason=EndReason.NOT_STARTED_AFTER_KLIKGESPREK,
    )
    result = assess(facts, CTX, as_of=date(2024, 2, 1))
    assert result.invoiceable == ()
    assert {r.code for r in result.refused} == {R.KLIKGESPREK_FREE}
    assert K.KLIKGESPREK in {r.kind for r in result.refused}


INTAKE = replace(
    BASE,
    product_code=ProductCode.LONG_FIXED,
    intake_date=date(2023, 3, 1),
    start_date=None,
    actual_end_date=date(2023, 3, 2),
    end_reason=EndReason.NOT_STARTED_AFTER_INTAKE,
    non_start_report_on=date(2023, 3, 3),
)


@pytest.mark.parametrize(
    ("facts", "expected", "notes"),
    [
        pytest.param(INTAKE, D("441.95"), [], id="fixed-price-5h-x-ceiling-on-intake-date"),
        pytest.param(replace(INTAKE, intake_hours=D("3")), D("265.17"), [], id="3-hours"),
        pytest.param(
            replace(INTAKE, intake_hours=D("7")),
            D("441.95"),
            [R.INTAKE_HOURS_CAPPED],
            id="7-hours-capped-at-5",
        ),
        pytest.param(
            replace(INTAKE, product_code=ProductCode.JOBCOACHING, hourly_rate=D("75.00")),
            D("375.00"),
            [],
            id="hourly-product-own-rate",
        ),
        pytest.param(
            replace(INTAKE, product_code=ProductCode.JOBCOACHING, hourly_rate=D("95.00")),
            D("441.95"),
            [R.RATE_CAPPED],
            id="hourly-rate-above-ceiling",
        ),
    ],
)
def test_intake_fee_at_most_5_hours(
    facts: TrajectoryFacts, expected: Decimal, notes: list[ReasonCode]
) -> None:
    """R-BILL-4: after a targeted intake without start at most 5 hours, at the product's hourly
    rate or the jobcoaching ceiling (valid on the intake date for fixed-price products)."""
    result = assess(facts, CTX, as_of=date(2023, 3, 10))
    (fee,) = result.invoiceable
    assert fee.kind is K.INTAKE_FEE
    assert fee.amount_excl == expected
    assert [n.code for n in fee.notes] == notes
    assert {r.code for r in result.refused} == {R.NOT_STARTED}


def test_intake_fee_needs_the_non_start_report() -> None:
    """R-BILL-4: the provider reports the non-start in the organisation's format first."""
    facts = replace(INTAKE, non_start_report_on=None)
    assert refusal_codes(facts, date(2023, 3, 10))[K.INTAKE_FEE] is R.NON_START_REPORT_MISSING


def test_intake_fee_only_once() -> None:
    """R-BILL-4 / R-BILL-10: the intake fee is not paid twice."""
    facts = replace(INTAKE, already_invoiced=(InvoicedAmount(K.INTAKE_FEE, D("441.95")),))
    assert amounts(facts, date(2023, 3, 10)) == {}
    assert refusal_codes(facts, date(2023, 3, 10))[K.INTAKE_FEE] is R.DUPLICATE


# ------------------------------------------------------------------------------------------
# R-BILL-5 early termination
# ------------------------------------------------------------------------------------------

TERMINATED = replace(
    BASE,
    start_date=date(2024, 1, 1),
    planned_end_date=date(2024, 12, 31),  # nominal 365 days
    actual_end_date=date(2024, 4, 1),  # elapsed 91 days
    end_reason=EndReason.TERMINATED_EARLY,
    termination_reason=TerminationReason.MOVE,
    final_report_on=date(2024, 4, 10),
    handover_done=True,
    reported_on_time=True,
)
PAID_HALF = (InvoicedAmount(K.PLAN_APPROVED, D("500.00")),)


@pytest.mark.parametrize(
    ("facts", "expected", "refused"),
    [
        pytest.param(
            TERMINATED,
            D("249.32"),
            {K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION},
            id="1000-x-91/365",
        ),
        pytest.param(
            replace(TERMINATED, actual_end_date=date(2025, 3, 1)),
            D("1000.00"),
            {K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION},
            id="capped-at-price",
        ),
        pytest.param(
            replace(TERMINATED, actual_end_date=date(2024, 1, 1)),
            None,
            {K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION, K.EARLY_TERMINATION: R.NOTHING_LEFT},
            id="zero-days",
        ),
        pytest.param(
            replace(
                TERMINATED,
                product_code=ProductCode.LONG_FIXED,
                plan_approved_on=APPROVED,
                already_invoiced=PAID_HALF,
            ),
            None,
            {K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION, K.EARLY_TERMINATION: R.NOTHING_LEFT},
            id="paid-more-than-pro-rata-never-below-zero",
        ),
        pytest.param(
            replace(
                TERMINATED,
                product_code=ProductCode.LONG_FIXED,
                plan_approved_on=APPROVED,
                actual_end_date=date(2024, 10, 1),  # 274 days -> 750.68
                already_invoiced=PAID_HALF,
            ),
            D("250.68"),
            {K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION},
            id="minus-what-was-paid",
        ),
        pytest.param(
            replace(TERMINATED, product_code=ProductCode.LONG_FIXED, plan_approved_on=APPROVED),
            D("249.32"),
            {
                K.PLAN_APPROVED: R.SUPERSEDED_BY_TERMINATION,
                K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION,
            },
            id="unpaid-plan-half-superseded",
        ),
        pytest.param(
            replace(TERMINATED, reported_on_time=False),
            None,
            {
                K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION,
                K.EARLY_TERMINATION: R.NOT_REPORTED_ON_TIME,
            },
            id="not-reported-on-time",
        ),
        pytest.param(
            replace(TERMINATED, final_report_on=None),
            None,
            {
                K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION,
                K.EARLY_TERMINATION: R.FINAL_REPORT_MISSING,
            },
            id="no-final-report",
        ),
        pytest.param(
            replace(TERMINATED, handover_done=False),
            None,
            {K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION, K.EARLY_TERMINATION: R.HANDOVER_MISSING},
            id="no-handover",
        ),
        pytest.param(
            replace(TERMINATED, termination_reason=None),
            None,
            {
                K.FINAL_REPORT: R.SUPERSEDED_BY_TERMINATION,
                K.EARLY_TERMINATION: R.TERMINATION_REASON_MISSING,
            },
            id="no-sub-reason",
        ),
    ],
)
def test_early_termination_pro_rata(
    facts: TrajectoryFacts, expected: Decimal | None, refused: dict[MilestoneKind, ReasonCode]
) -> None:
    """R-BILL-5: price x elapsed days / nominal days, capped at the price, minus what was already
    invoiced, never below zero; only with timely reports, a final report and a handover."""
    as_of = date(2025, 4, 1)
    got = amounts(facts, as_of)
    assert got == ({} if expected is None else {K.EARLY_TERMINATION: expected})
    assert refusal_codes(facts, as_of) == refused


@pytest.mark.parametrize("reason", [pytest.param(r, id=r.value) for r in TerminationReason])
def test_every_termination_sub_reason_settles_pro_rata(reason: TerminationReason) -> None:
    """R-BILL-5: move, drop-out, accepted job and circumstances outside the provider's control."""
    facts = replace(TERMINATED, termination_reason=reason)
    assert amounts(facts, date(2024, 5, 1)) == {K.EARLY_TERMINATION: D("249.32")}


def test_all_missing_conditions_are_listed() -> None:
    """R-BILL-5: the refusal names every missing condition, not just the first."""
    facts = replace(TERMINATED, reported_on_time=False, handover_done=False, final_report_on=None)
    refusal = assess(facts, CTX, as_of=date(2024, 5, 1)).refusal(K.EARLY_TERMINATION)
    assert refusal is not None
    assert [r.code for r in refusal.reasons] == [
        R.NOT_REPORTED_ON_TIME,
        R.FINAL_REPORT_MISSING,
        R.HANDOVER_MISSING,
    ]


@pytest.mark.parametrize(
    ("adjusted", "expected", "notes"),
    [
        pytest.param(D("300.00"), D("300.00"), [R.ADJUSTED], id="raised-with-reason"),
        pytest.param(D("0.00"), None, [], id="set-to-zero"),
        pytest.param(
            D("2000.00"), D("1000.00"), [R.ADJUSTED, R.ADJUSTMENT_CAPPED], id="capped-at-price"
        ),
    ],
)
def test_case_manager_adjusts_the_proposal_with_a_reason(
    adjusted: Decimal, expected: Decimal | None, notes: list[ReasonCode]
) -> None:
    """R-BILL-5: the case manager may adjust the proposal, always with a reason, never above
    what is left of the price."""
    facts = replace(TERMINATED, termination_adjustment=Adjustment(adjusted, "extra inzet"))
    result = assess(facts, CTX, as_of=date(2024, 5, 1))
    milestone = result.find(K.EARLY_TERMINATION)
    if expected is None:
        assert milestone is None
        return
    assert milestone is not None
    assert milestone.amount_excl == expected
    assert [n.code for n in milestone.notes] == notes
    assert "extra inzet" in milestone.notes[0].message


@pytest.mark.parametrize(
    ("amount", "reason"),
    [pytest.param(D("10"), "  ", id="no-reason"), pytest.param(D("-1"), "x", id="negative")],
)
def test_adjustment_without_reason_is_refused(amount: Decimal, reason: str) -> None:
    """R-BILL-5: an adjustment needs a reason and cannot be negative."""
    with pytest.raises(PaymentRuleError):
        Adjustment(amount, reason)


def test_pro_rata_needs_dates() -> None:
    """R-BILL-5: the rules refuse to guess a nominal duration."""
    with pytest.raises(PaymentRuleError):
        pro_rata_proposal(replace(TERMINATED, planned_end_date=None))


def test_termination_settlement_only_once() -> None:
    """R-BILL-5 / R-BILL-10: the settlement is not paid twice."""
    facts = replace(
        TERMINATED, already_invoiced=(InvoicedAmount(K.EARLY_TERMINATION, D("249.32")),)
    )
    assert amounts(facts, date(2024, 5, 1)) == {}
    assert refusal_codes(facts, date(2024, 5, 1))[K.EARLY_TERMINATION] is R.DUPLICATE


# ------------------------------------------------------------------------------------------
# R-BILL-6 placement fee
# ------------------------------------------------------------------------------------------

PLACED = replace(
    COMPLETED,
    start_date=date(2024, 1, 1),
    actual_end_date=date(2024, 6, 30),
    final_report_on=date(2024, 7, 5),
    placements=(
        PlacementFacts(
            start=date(2024, 6, 1),
            contract_months=6,
            hours_per_week=D(24),
            probation_end=date(2024, 7, 31),
        ),
    ),
)
PLACEMENT = PLACED.placements[0]


def placed(**changes: object) -> TrajectoryFacts:
    return replace(PLACED, placements=(replace(PLACEMENT, **changes),))


@pytest.mark.parametrize(
    ("facts", "as_of", "refused"),
    [
        pytest.param(PLACED, date(2024, 8, 15), None, id="6-months-24h-after-probation"),
        pytest.param(PLACED, date(2024, 8, 1), None, id="day-after-probation"),
        pytest.param(PLACED, date(2024, 8, 30), None, id="30th-day-after-probation"),
        pytest.param(placed(contract_months=None), date(2024, 8, 15), None, id="permanent"),
        pytest.param(
            placed(hours_per_week=D(16), client_hour_restriction=D(16)),
            date(2024, 8, 15),
            None,
            id="restricted-hours-met",
        ),
        pytest.param(
            placed(probation_end=None), date(2024, 6, 20), None, id="no-probation-from-start"
        ),
        pytest.param(
            placed(start=date(2024, 7, 20), probation_end=None),
            date(2024, 8, 1),
            None,
            id="directly-after-trajectory",
        ),
        pytest.param(PLACED, date(2024, 7, 31), [R.PROBATION_RUNNING], id="probation-running"),
        pytest.param(PLACED, date(2024, 8, 31), [R.PLACEMENT_CLAIM_LATE], id="late-claim"),
        pytest.param(
            placed(contract_months=5), date(2024, 8, 15), [R.PLACEMENT_TOO_SHORT], id="5-months"
        ),
        pytest.param(
            placed(hours_per_week=D(20)),
            date(2024, 8, 15),
            [R.PLACEMENT_TOO_FEW_HOURS],
            id="20h",
        ),
        pytest.param(
            placed(hours_per_week=D(12), client_hour_restriction=D(16)),
            date(2024, 8, 15),
            [R.PLACEMENT_TOO_FEW_HOURS],
            id="below-restricted-hours",
        ),
        pytest.param(
            placed(hours_per_week=D(20), client_hour_restriction=D(30)),
            date(2024, 8, 15),
            [R.PLACEMENT_TOO_FEW_HOURS],
            id="restriction-above-24-still-24",
        ),
        pytest.param(
            placed(contract_received=False),
            date(2024, 8, 15),
            [R.CONTRACT_MISSING],
            id="no-contract",
        ),
        pytest.param(
            placed(ended_during_probation=True),
            date(2024, 8, 15),
            [R.PROBATION_FAILED],
            id="probation-failed",
        ),
        pytest.param(
            placed(start=date(2024, 9, 15), probation_end=None),
            date(2024, 9, 20),
            [R.PLACEMENT_NOT_CONNECTED],
            id="not-directly-after",
        ),
        pytest.param(
            replace(
                PLACED,
                already_invoiced=(InvoicedAmount(K.PLACEMENT_FEE, D(500), date(2024, 6, 1)),),
            ),
            date(2024, 8, 15),
            [R.DUPLICATE],
            id="second-claim-same-placement",
        ),
    ],
)
def test_placement_fee(
    facts: TrajectoryFacts, as_of: date, refused: list[ReasonCode] | None
) -> None:
    """R-BILL-6: EUR 500 excl. VAT once per placement of >= 6 months and >= 24 h/week (or the
    restricted hours), during or directly after the trajectory, claimed within 30 days after
    any probation period, with the employment contract."""
    result = assess(facts, CTX, as_of=as_of)
    start = facts.placements[0].start
    fee = result.find(K.PLACEMENT_FEE, start)
    if refused is None:
        assert fee is not None
        assert (fee.amount_excl, fee.vat, fee.amount_incl) == (
            D("500.00"),
            D("105.00"),
            D("605.00"),
        )
    else:
        assert fee is None
        refusal = result.refusal(K.PLACEMENT_FEE, start)
        assert refusal is not None
        assert [r.code for r in refusal.reasons] == refused


def test_placement_fee_is_not_indexed() -> None:
    """R-BILL-6: the fee stays EUR 500 whatever the ceiling indexation."""
    ctx = RulesContext(ceiling_rates=(*CEILINGS, (date(2024, 1, 1), D("120.00"))))
    fee = assess(PLACED, ctx, as_of=date(2024, 8, 15)).find(K.PLACEMENT_FEE, PLACEMENT.start)
    assert fee is not None
    assert fee.amount_excl == D("500.00")


def test_one_fee_per_placement_two_placements_two_fees() -> None:
    """R-BILL-6: one fee per placement."""
    second = replace(PLACEMENT, start=date(2024, 6, 15), probation_end=date(2024, 7, 31))
    facts = replace(PLACED, placements=(PLACEMENT, second))
    result = assess(facts, CTX, as_of=date(2024, 8, 15))
    assert [
        m.period.start for m in result.invoiceable if m.kind is K.PLACEMENT_FEE and m.period
    ] == [
        date(2024, 6, 1),
        date(2024, 6, 15),
    ]


def test_every_reason_code_is_documented() -> None:
    """R-BILL-2: every refusal reason code appears in docs/payment-rules.md."""
    doc = Path(__file__).resolve().parents[4] / "docs" / "payment-rules.md"
    text = doc.read_text(encoding="utf-8")
    missing = [code.value for code in ReasonCode if f"`{code.value}`" not in text]
    assert missing == []


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"price": D("-1")}, id="negative-price"),
        pytest.param({"hourly_rate": D("-80")}, id="negative-rate"),
        pytest.param({"intake_hours": D("-2")}, id="negative-intake-hours"),
    ],
)
def test_negative_inputs_are_refused(changes: dict[str, Decimal]) -> None:
    """R-BILL-11: the rules refuse nonsense amounts instead of guessing."""
    with pytest.raises(PaymentRuleError, match="negatief"):
        replace(BASE, **changes)


def test_negative_logbook_hours_are_refused() -> None:
    """R-BILL-7: a logbook line has zero or more hours."""
    with pytest.raises(PaymentRuleError, match="negatief"):
        HoursEntry(date(2024, 1, 1), D("-1"))


# ------------------------------------------------------------------------------------------
# Issue 12: explicit price terms (R-BILL-4, R-BILL-7), facts from dated events, the stored
# invoice check (moved from invoices.services)
# ------------------------------------------------------------------------------------------

JOB = replace(
    BASE,
    product_code=ProductCode.JOBCOACHING,
    price=None,
    hourly_rate=D("72.50"),
    start_date=date(2024, 1, 10),
    planned_end_date=date(2024, 12, 31),
)
JOB_Q1_START = date(2024, 1, 10)


def _hours(*pairs: tuple[date, str]) -> tuple[HoursEntry, ...]:
    return tuple(HoursEntry(day, D(h)) for day, h in pairs)


@pytest.mark.parametrize(
    ("terms", "earlier", "expected", "note"),
    [
        # 10 h x agreed € 72.50 (below the € 92 ceiling of 2024): exactly hours x rate.
        ({}, (), D("725.00"), None),
        # 40 agreed hours, none used yet: all 10 paid.
        ({"agreed_hours": D("40")}, (), D("725.00"), None),
        # 40 agreed, 36 paid in an earlier quarter: only 4 of the 10 hours are paid.
        ({"agreed_hours": D("40")}, ((D("36"), D("2610.00")),), D("290.00"),
         R.HOURS_ABOVE_AGREED),
        # Budget cap € 2900, € 2610 paid before: € 290 left.
        ({"budget_cap": D("2900.00")}, ((None, D("2610.00")),), D("290.00"), R.BUDGET_REACHED),
        # Both caps: the tighter one decides (hours: 2 left = € 145).
        ({"agreed_hours": D("40"), "budget_cap": D("5000.00")}, ((D("38"), D("2755.00")),),
         D("145.00"), R.HOURS_ABOVE_AGREED),
    ],
)  # fmt: skip
def test_jobcoaching_pays_hours_times_agreed_rate_within_the_terms(
    terms: dict[str, Decimal],
    earlier: tuple[tuple[Decimal | None, Decimal], ...],
    expected: Decimal,
    note: ReasonCode | None,
) -> None:
    """R-BILL-7, R-BILL-1 (issue 12): a quarter pays hours x the agreed rate (never the
    ceiling when the rate is lower), and never beyond the agreed hours or the budget cap."""
    facts = replace(
        JOB,
        **terms,
        jobcoaching_hours=_hours((date(2024, 5, 1), "6"), (date(2024, 6, 1), "4")),
        already_invoiced=tuple(
            InvoicedAmount(K.JOBCOACHING_QUARTER, amount, period_start=JOB_Q1_START, hours=hours)
            for hours, amount in earlier
        ),
    )
    assessment = assess(facts, CTX, as_of=date(2024, 7, 15))
    quarter = assessment.find(K.JOBCOACHING_QUARTER, date(2024, 4, 10))
    assert quarter is not None
    assert quarter.amount_excl == expected
    assert [n.code for n in quarter.notes] == ([note] if note else [])


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (D("72.50"), D("362.50")),  # the trajectory's own hourly rate: 5 x 72.50
        (D("95.00"), D("460.00")),  # above the 2024 ceiling of € 92: 5 x 92
        (None, D("460.00")),  # fixed price, no hourly rate: 5 x the ceiling (€ 92, 2024)
    ],
)
def test_intake_fee_reads_the_hourly_rate_of_the_terms(
    rate: Decimal | None, expected: Decimal
) -> None:
    """R-BILL-4 (issue 12): at most 5 hours at the hourly rate of the price terms, capped at
    the ceiling valid on the intake day; without an hourly rate at that ceiling."""
    facts = replace(
        BASE,
        hourly_rate=rate,
        intake_date=date(2024, 1, 5),
        actual_end_date=date(2024, 1, 8),
        end_reason=EndReason.NOT_STARTED_AFTER_INTAKE,
        non_start_report_on=date(2024, 1, 9),
        intake_hours=D("6"),
    )
    assert amounts(facts, date(2024, 1, 10))[K.INTAKE_FEE] == expected


def test_facts_from_events_reads_the_dated_history() -> None:
    """R-BILL-1 (issue 12): the facts come from price terms and dated events; the latest
    extension sets the planned end; an early termination carries its reason."""
    from opstap.invoices.payment_rules import (
        DatedEvent,
        EventKind,
        PriceBasis,
        PriceTerms,
        facts_from_events,
    )

    facts = facts_from_events(
        product_code=ProductCode.LONG_FIXED,
        terms=PriceTerms(PriceBasis.FIXED, price=D("2500.00")),
        events=[
            DatedEvent(EventKind.ORDERED, date(2024, 1, 1)),
            DatedEvent(EventKind.STARTED, date(2024, 2, 1), planned_end=date(2024, 8, 1)),
            DatedEvent(EventKind.EXTENDED, date(2024, 6, 1), planned_end=date(2024, 10, 1)),
            DatedEvent(
                EventKind.TERMINATED_EARLY,
                date(2024, 7, 1),
                termination_reason=TerminationReason.MOVE,
            ),
            DatedEvent(EventKind.HANDED_OVER, date(2024, 7, 3)),
        ],
    )
    assert (facts.price, facts.hourly_rate, facts.planned_end_date) == (
        D("2500.00"),
        None,
        date(2024, 10, 1),
    )
    assert (facts.end_reason, facts.termination_reason, facts.handover_done) == (
        EndReason.TERMINATED_EARLY,
        TerminationReason.MOVE,
        True,
    )


@pytest.mark.parametrize(
    "kinds",
    [
        pytest.param([], id="no-order"),
        pytest.param(["ordered", "completed", "terminated_early"], id="two-ends"),
    ],
)
def test_facts_from_events_refuses_an_impossible_history(kinds: list[str]) -> None:
    """R-TRJ-2: a history without an order, or with two ends, is refused, not guessed."""
    from opstap.invoices.payment_rules import (
        DatedEvent,
        EventKind,
        PriceBasis,
        PriceTerms,
        facts_from_events,
    )

    with pytest.raises(PaymentRuleError):
        facts_from_events(
            product_code=ProductCode.SHORT_FIXED,
            terms=PriceTerms(PriceBasis.FIXED, price=D("1000.00")),
            events=[DatedEvent(EventKind(k), date(2024, 1, 1)) for k in kinds],
        )


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        pytest.param({"record_client_surname": "Anders"}, R.CLIENT_MISMATCH, id="client"),
        pytest.param(
            {"line_totals": ((D("900.00"), D("189.00")),)}, R.LINES_INCONSISTENT, id="lines"
        ),
        pytest.param({"invoiced_rate": D("95.00")}, None, id="rate-not-hourly-milestone"),
    ],
)
def test_check_invoice_adds_the_stored_invoice_checks(
    stored: dict[str, object], code: ReasonCode | None
) -> None:
    """R-BILL-2, R-BILL-11 (issue 13 via 12): the checks only a stored invoice allows live in
    the pure module: the stated client must be the record's, the lines must add up."""
    from opstap.invoices.payment_rules import InvoiceClaim, Status, StoredInvoice, check_invoice

    claim = InvoiceClaim(
        provider_ref="1",
        client_number="K1",
        client_surname="Klant",
        invoice_number="F-1",
        invoice_date=date(2025, 1, 12),
        milestone=K.FINAL_REPORT,
        amount_excl=D("1000.00"),
        vat=D("210.00"),
        amount_incl=D("1210.00"),
    )
    base = {"claim": claim, "record_client_number": "K1", "record_client_surname": "Klant"}
    verdict = check_invoice(StoredInvoice(**{**base, **stored}), COMPLETED, CTX)  # type: ignore[arg-type]
    if code is None:
        assert verdict.status is Status.GREEN
    else:
        assert verdict.status is Status.RED and code in verdict.codes


def test_check_invoice_refuses_an_hourly_rate_above_the_ceiling() -> None:
    """R-NET-7, R-BILL-7: the hourly rate stated on a jobcoaching invoice above the ceiling
    of the period's first day is red."""
    from opstap.invoices.payment_rules import InvoiceClaim, StoredInvoice, check_invoice

    claim = InvoiceClaim(
        provider_ref="1",
        client_number="K1",
        client_surname="Klant",
        invoice_number="F-2",
        invoice_date=date(2024, 7, 15),
        milestone=K.JOBCOACHING_QUARTER,
        amount_excl=D("725.00"),
        vat=D("152.25"),
        amount_incl=D("877.25"),
        period_start=date(2024, 4, 10),
        period_end=date(2024, 7, 9),
    )
    facts = replace(JOB, jobcoaching_hours=_hours((date(2024, 5, 1), "10")))
    verdict = check_invoice(
        StoredInvoice(claim, "K1", "Klant", invoiced_rate=D("95.00")), facts, CTX
    )
    assert R.RATE_ABOVE_CEILING in verdict.codes
