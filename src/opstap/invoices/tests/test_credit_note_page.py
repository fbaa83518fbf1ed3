"""Finance pages: the clerk registers a credit note on the invoice page (R-BILL-8) and reads
the payment batch in the house style; a placement fee's probation cannot end before the work
began (R-BILL-6). Credit notes existed only in the API; the clerk who finds a wrongly paid
invoice had no way to record one in the browser. A refusal keeps what was typed; an amount of
nothing is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.invoices import services
from opstap.invoices.models import CreditNote, Invoice
from opstap.invoices.rules.credit_notes import (
    CreditNoteAmounts,
    CreditNoteError,
    InvoiceAmounts,
    check_new_credit_note,
)
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import END, REPORT, make_product, submit, web_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    clerk: User,
) -> Invoice:
    trajectory = walk(
        make_product(contracted_a, 3),
        provider_user_a,
        client_k,
        until="final_report_received",
        end_on=END,
        report_on=REPORT,
    )
    return services.invoice_approve(actor=clerk, invoice=submit(provider_user_a, trajectory))


CREDIT = {
    "number": "C-1",
    "credit_date": "2026-08-14",
    "reason": "Dubbel betaald uur",
    "amount_excl": "100,00",
    "vat": "21,00",
    "amount_incl": "121,00",
}


def test_clerk_registers_a_credit_note_on_the_invoice_page(approved: Invoice, clerk: User) -> None:
    """R-BILL-8: the approved invoice's page offers the credit note; posting it links a
    partial credit to the invoice, audited, and the page lists it."""
    web = web_as(clerk)
    assert "Creditnota vastleggen" in web.get(f"/facturen/{approved.pk}/").content.decode()
    response = web.post(f"/facturen/{approved.pk}/crediteren/", CREDIT)
    assert response.status_code == 302
    note = CreditNote.objects.get(invoice=approved)
    assert (note.number, note.amount_excl, note.vat, note.amount_incl) == (
        "C-1",
        Decimal("100.00"),
        Decimal("21.00"),
        Decimal("121.00"),
    )
    assert AuditRecord.objects.filter(
        object_type="invoice", object_id=str(approved.pk), action="create"
    ).exists()
    assert "C-1" in web.get(f"/facturen/{approved.pk}/").content.decode()


def test_a_credit_above_what_the_invoice_has_is_refused_and_the_input_kept(
    approved: Invoice, clerk: User
) -> None:
    """R-BILL-8: never more than the invoice still has; the refusal is on the page with the
    typed amounts still in the boxes."""
    data = {**CREDIT, "amount_excl": "9.000,00", "vat": "1.890,00", "amount_incl": "10.890,00"}
    response = web_as(clerk).post(f"/facturen/{approved.pk}/crediteren/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert not CreditNote.objects.exists()
    assert "hoger dan wat factuur" in page
    assert 'value="10.890,00"' in page


def test_the_provider_gets_no_credit_note_form_nor_the_action(
    approved: Invoice, provider_user_a: User
) -> None:
    """R-SEC-1: a credit note is the administration's act."""
    web = web_as(provider_user_a)
    assert "Creditnota vastleggen" not in web.get(f"/facturen/{approved.pk}/").content.decode()
    assert web.post(f"/facturen/{approved.pk}/crediteren/", CREDIT).status_code == 403
    assert not CreditNote.objects.exists()


def test_a_credit_note_of_nothing_is_refused() -> None:
    """R-BILL-8: a credit note of € 0,00 credits nothing; it was stored."""
    invoice = InvoiceAmounts("F-1", "1", "1", Decimal(100), Decimal(21), Decimal(121))
    with pytest.raises(CreditNoteError, match="€ 0,00"):
        check_new_credit_note(
            CreditNoteAmounts("C-0", "F-1", Decimal(0), Decimal(0), Decimal(0)), invoice
        )


def test_batch_page_writes_dates_and_money_in_the_house_style(
    approved: Invoice, clerk: User
) -> None:
    """The payment batch's rows showed "10 augustus 2026" and "1512,50" (the template's own
    rendering of a date and a Decimal) beside dd-mm-jjjj and € 1.512,50 everywhere else."""
    batch = services.payment_batch_create(actor=clerk)
    page = web_as(clerk).get(f"/facturen/betaalbatches/{batch.pk}/").content.decode()
    rows = page[page.index('id="batch-rows"') :]
    rows = rows[: rows.index("</table>")]
    assert "10-08-2026" in rows
    assert "€\u00a01.512,50" in rows
    assert "augustus" not in rows
    assert ">1512,50<" not in rows


def test_a_probation_ending_before_the_first_working_day_is_refused(
    approved: Invoice, provider_user_a: User
) -> None:
    """R-BILL-6: the claim window runs from the day after the probation. A probation typed as
    ending a month before the first working day was stored and judged ("moest uiterlijk
    01-12-2026 worden gedeclareerd"); it is refused, nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opstap.invoices.models import PlacementFeeClaim
    from opstap.invoices.services import InvoiceError

    with pytest.raises(InvoiceError, match="ligt vóór de eerste werkdag") as refused:
        services.placement_fee_claim_submit(
            actor=provider_user_a,
            trajectory=approved.trajectory,
            invoice_number="BF-1",
            invoice_date=date(2026, 8, 10),
            employer="Bakkerij Jansen",
            placement_start=date(2026, 7, 1),
            hours_per_week=Decimal("32"),
            contract_months=12,
            probation_end=date(2026, 6, 1),
            contract=SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
        )
    assert refused.value.field == "probation_end"
    assert not PlacementFeeClaim.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2027-06-01", "De datum van de creditnota (01-06-2027) ligt in de toekomst"),
        ("2020-01-01", "De datum van de creditnota (01-01-2020) ligt vóór de factuurdatum"),
    ],
)
def test_a_credit_note_is_dated_between_its_invoice_and_today(
    typed: str, message: str, approved: Invoice, clerk: User
) -> None:
    """R-BILL-8, R-SEC-6: walked in the demo, the clerk registered credit notes on invoice
    D00166-2 (dated 07-12-2026) dated 01-06-2027 and 01-01-2020, and both were stored. A
    credit note takes back what its invoice claimed: it is dated on or after the invoice and
    not after today. Refused at the date field; nothing is stored."""
    from .conftest import field_error

    response = web_as(clerk).post(
        f"/facturen/{approved.pk}/crediteren/", {**CREDIT, "credit_date": typed}
    )
    assert response.status_code == 400
    assert message in (field_error(response.content.decode(), "credit_date") or "")
    assert not CreditNote.objects.filter(invoice=approved).exists()
