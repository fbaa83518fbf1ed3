"""Credit notes and netting (R-BILL-8)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.invoices.money import ZERO, vat_line
from opstap.invoices.rules.credit_notes import (
    CreditNoteAmounts,
    CreditNoteError,
    InvoiceAmounts,
    check_credit_note,
    net_total,
    net_totals_by_trajectory_and_provider,
    remaining_on_invoice,
)

D = Decimal


def invoice(number: str, excl: str, trajectory: str = "T1", provider: str = "P1") -> InvoiceAmounts:
    line = vat_line(D(excl), D(21))
    return InvoiceAmounts(number, trajectory, provider, line.excl, line.vat, line.incl)


def credit(number: str, invoice_number: str, excl: str) -> CreditNoteAmounts:
    line = vat_line(D(excl), D(21))
    return CreditNoteAmounts(number, invoice_number, line.excl, line.vat, line.incl)


def test_partial_credit_note_nets_the_total() -> None:
    """R-BILL-8: a (partial) credit note is linked to its invoice and netted in the totals."""
    invoices = [invoice("F1", "500.00"), invoice("F2", "500.00")]
    totals = net_total(invoices, [credit("C1", "F1", "100.00")])
    assert (totals.excl, totals.vat, totals.incl) == (D("900.00"), D("189.00"), D("1089.00"))
    left = remaining_on_invoice(invoices[0], [credit("C1", "F1", "100.00")])
    assert left.excl == D("400.00")


@pytest.mark.parametrize(
    ("existing", "new", "message"),
    [
        pytest.param([], credit("C1", "F1", "500.01"), "hoger dan", id="more-than-invoice"),
        pytest.param(
            [credit("C1", "F1", "300.00")],
            credit("C2", "F1", "200.01"),
            "hoger dan",
            id="more-than-left-after-earlier-credit",
        ),
        pytest.param([], credit("C1", "F9", "1.00"), "hoort bij", id="other-invoice"),
        pytest.param(
            [], CreditNoteAmounts("C1", "F1", D("-1"), D(0), D("-1")), "positief", id="negative"
        ),
        pytest.param(
            [], CreditNoteAmounts("C1", "F1", D("10"), D("2"), D("13")), "is niet", id="sums"
        ),
    ],
)
def test_credit_note_never_exceeds_what_the_invoice_still_has(
    existing: list[CreditNoteAmounts], new: CreditNoteAmounts, message: str
) -> None:
    """R-BILL-8: a credit note can never exceed what its invoice still has."""
    with pytest.raises(CreditNoteError, match=message):
        check_credit_note(new, invoice("F1", "500.00"), existing)


def test_full_credit_is_allowed_once() -> None:
    """R-BILL-8: crediting the whole invoice is fine; a further cent is not."""
    full = credit("C1", "F1", "500.00")
    check_credit_note(full, invoice("F1", "500.00"))
    with pytest.raises(CreditNoteError):
        net_total([invoice("F1", "500.00")], [full, credit("C2", "F1", "0.01")])


def test_unknown_invoice_is_refused() -> None:
    """R-BILL-8: a credit note is always linked to a known invoice."""
    with pytest.raises(CreditNoteError, match="onbekende factuur"):
        net_total([invoice("F1", "10.00")], [credit("C1", "F2", "1.00")])
    with pytest.raises(CreditNoteError, match="onbekende factuur"):
        net_totals_by_trajectory_and_provider([], [credit("C1", "F2", "1.00")])


def test_totals_per_trajectory_and_provider_net_credits() -> None:
    """R-BILL-8: totals per trajectory and provider always net the credit notes."""
    invoices = [
        invoice("F1", "500.00", "T1", "P1"),
        invoice("F2", "250.00", "T1", "P1"),
        invoice("F3", "800.00", "T2", "P2"),
    ]
    totals = net_totals_by_trajectory_and_provider(
        invoices, [credit("C1", "F2", "250.00"), credit("C2", "F3", "100.00")]
    )
    assert {key: t.excl for key, t in totals.items()} == {
        ("T1", "P1"): D("500.00"),
        ("T2", "P2"): D("700.00"),
    }


cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@given(
    data=st.lists(
        st.tuples(cents, st.lists(st.integers(0, 100), max_size=4)), min_size=1, max_size=6
    )
)
def test_credits_net_out(data: list[tuple[Decimal, list[int]]]) -> None:
    """R-BILL-8 (property): invoices - credits == net, and no invoice ever goes negative."""
    invoices: list[InvoiceAmounts] = []
    notes: list[CreditNoteAmounts] = []
    for n, (amount, percentages) in enumerate(data):
        inv = invoice(f"F{n}", str(amount))
        invoices.append(inv)
        for m, pct in enumerate(percentages):
            left = remaining_on_invoice(inv, notes)
            part = vat_line(left.excl * pct / 100, D(21))
            if part.vat > left.vat or part.incl > left.incl:
                # the rounded VAT of a part may not fit what is left: such a note is refused
                note = CreditNoteAmounts("X", inv.number, part.excl, part.vat, part.incl)
                with pytest.raises(CreditNoteError):
                    check_credit_note(note, inv, notes)
                continue
            notes.append(CreditNoteAmounts(f"C{n}-{m}", inv.number, part.excl, part.vat, part.incl))
    totals = net_total(invoices, notes)
    assert totals.excl == sum((i.excl for i in invoices), ZERO) - sum((c.excl for c in notes), ZERO)
    assert totals.incl == totals.excl + totals.vat
    for inv in invoices:
        left = remaining_on_invoice(inv, notes)
        assert left.excl >= 0
        assert left.vat >= 0
        assert left.incl >= 0
