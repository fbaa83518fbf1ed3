"""Invariants of the payment rules, checked with hypothesis (R-BILL-1, R-BILL-5, R-BILL-10)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from opstap.invoices.money import ZERO, VatCode
from opstap.invoices.payment_rules import (
    PRICE_MILESTONES,
    Adjustment,
    EndReason,
    InvoicedAmount,
    ProductCode,
    RulesContext,
    TerminationReason,
    TrajectoryFacts,
    assess,
)

CTX = RulesContext()
START = date(2024, 1, 1)

prices = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
fixed_codes = st.sampled_from(
    [
        ProductCode.SHORT_FIXED,
        ProductCode.SHORT_VARIABLE,
        ProductCode.LONG_FIXED,
        ProductCode.LONG_VARIABLE,
    ]
)


@st.composite
def trajectories(draw: st.DrawFn, *, with_adjustment: bool) -> TrajectoryFacts:
    nominal = draw(st.integers(1, 500))
    ending = draw(st.sampled_from([None, EndReason.COMPLETED, EndReason.TERMINATED_EARLY]))
    ended_after = draw(st.integers(0, 700))
    price = draw(prices)
    adjustment = None
    if with_adjustment and ending is EndReason.TERMINATED_EARLY and draw(st.booleans()):
        cents = draw(st.integers(0, 10_000_000))
        adjustment = Adjustment(Decimal(cents) / 100, "aangepast na overleg")
    return TrajectoryFacts(
        product_code=draw(fixed_codes),
        order_date=START - timedelta(days=10),
        price=price,
        vat_code=draw(st.sampled_from(list(VatCode))),
        plan_approved_on=draw(st.one_of(st.none(), st.dates(START, START + timedelta(600)))),
        start_date=START,
        planned_end_date=START + timedelta(days=nominal),
        actual_end_date=None if ending is None else START + timedelta(days=ended_after),
        end_reason=ending,
        termination_reason=TerminationReason.DROP_OUT if ending else None,
        termination_adjustment=adjustment,
        final_report_on=draw(st.one_of(st.none(), st.dates(START, START + timedelta(800)))),
        handover_done=draw(st.booleans()),
        reported_on_time=draw(st.booleans()),
    )


def invoice_over_time(facts: TrajectoryFacts, days: list[int], take: list[bool]) -> Decimal:
    """Walk through time; on each day invoice (some of) what the rules allow; return the total."""
    for offset, accept in zip(sorted(days), take, strict=False):
        result = assess(facts, CTX, as_of=START + timedelta(days=offset))
        for milestone in result.invoiceable:
            if accept and milestone.kind in PRICE_MILESTONES:
                paid = InvoicedAmount(milestone.kind, milestone.amount_excl)
                facts = replace(facts, already_invoiced=(*facts.already_invoiced, paid))
        total = sum((i.amount_excl for i in facts.already_invoiced), ZERO)
        assert facts.price is not None
        assert total <= facts.price
    return sum((i.amount_excl for i in facts.already_invoiced), ZERO)


@settings(max_examples=300, deadline=None)
@given(
    facts=trajectories(with_adjustment=False),
    days=st.lists(st.integers(0, 900), min_size=1, max_size=8),
    take=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_fixed_price_trajectory_never_exceeds_its_price(
    facts: TrajectoryFacts, days: list[int], take: list[bool]
) -> None:
    """R-BILL-1 / R-BILL-5 (property): whatever sequence of milestones and terminations, the
    total ever approved for a fixed-price trajectory never exceeds its price."""
    assert facts.price is not None
    total = invoice_over_time(facts, days, take)
    assert total <= facts.price


@settings(max_examples=300, deadline=None)
@given(
    facts=trajectories(with_adjustment=True),
    days=st.lists(st.integers(0, 900), min_size=1, max_size=8),
    take=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_adjusted_terminations_never_exceed_the_price(
    facts: TrajectoryFacts, days: list[int], take: list[bool]
) -> None:
    """R-BILL-5 (property): even a case manager's adjustment never makes the total exceed the
    price (an adjustment is capped at what is left)."""
    assert facts.price is not None
    assert invoice_over_time(facts, days, take) <= facts.price


@settings(max_examples=200, deadline=None)
@given(facts=trajectories(with_adjustment=False))
def test_completed_trajectory_pays_exactly_the_price(facts: TrajectoryFacts) -> None:
    """R-BILL-1 (property): a completed trajectory with plan approval and final report pays
    exactly its price, to the cent (the second half is the rest, not a rounded half)."""
    facts = replace(
        facts,
        end_reason=EndReason.COMPLETED,
        actual_end_date=START + timedelta(days=100),
        plan_approved_on=START,
        final_report_on=START + timedelta(days=105),
    )
    assert invoice_over_time(facts, [2, 110], [True, True]) == facts.price


@settings(max_examples=200, deadline=None)
@given(facts=trajectories(with_adjustment=False), day=st.integers(0, 900))
def test_nothing_invoiced_twice(facts: TrajectoryFacts, day: int) -> None:
    """R-BILL-10 (property): once invoiced, a milestone is never offered again."""
    as_of = START + timedelta(days=day)
    first = assess(facts, CTX, as_of=as_of)
    paid = tuple(InvoicedAmount(m.kind, m.amount_excl) for m in first.invoiceable)
    again = assess(replace(facts, already_invoiced=paid), CTX, as_of=as_of)
    assert not {m.kind for m in again.invoiceable} & {m.kind for m in first.invoiceable}
