"""Issue 14: the payment-batch export opens cleanly in Dutch Excel. The xlsx has a bold,
frozen header, column widths, dates as dates, euro-formatted numbers and a totals row
(checked with openpyxl); the CSV is `;`-separated with a decimal comma and a BOM."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.core.exports import MONEY
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.invoices.services import EXPORT_COLUMNS

pytestmark = pytest.mark.django_db


def test_payment_batch_xlsx_and_csv_open_cleanly_in_dutch_excel(
    first_instalment: Invoice,
    clerk: User,
) -> None:
    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    ws = load_workbook(batch.export_xlsx.open("rb")).active
    assert ws.title == "Betaalbatch"
    assert ws.freeze_panes == "A2"
    header = [c for c in ws[1]]
    assert [c.value for c in header] == list(EXPORT_COLUMNS)
    assert all(c.font.bold for c in header)
    for letter in ("A", "C", "H", "K"):
        assert ws.column_dimensions[letter].width >= 11, letter
    data = ws[2]
    date_cell = data[EXPORT_COLUMNS.index("Factuurdatum")]
    assert isinstance(date_cell.value, dt.datetime) and date_cell.number_format == "dd-mm-yyyy"
    amount = data[EXPORT_COLUMNS.index("Bedrag incl. btw")]
    assert amount.data_type == "n" and amount.number_format == MONEY
    assert Decimal(str(amount.value)) == first_instalment.amount_incl
    total = ws[ws.max_row]
    assert total[0].value == "Totaal" and total[0].font.bold
    assert Decimal(str(total[-1].value)) == first_instalment.amount_incl
    assert total[-1].number_format == MONEY

    raw = batch.export_csv.open("rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(EXPORT_COLUMNS)
    incl = rows[1][EXPORT_COLUMNS.index("Bedrag incl. btw")]
    assert incl == f"{first_instalment.amount_incl:.2f}".replace(".", ",")
    assert rows[1][EXPORT_COLUMNS.index("Factuurdatum")] == (
        first_instalment.invoice_date.strftime("%d-%m-%Y")
    )
