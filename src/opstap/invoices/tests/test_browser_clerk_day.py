"""Issue 14: the finance clerk's working day in a real browser (R-BILL-2, R-BILL-10): the work
list, an invoice, a wrong input (rejecting without a reason is refused in Dutch and changes
nothing), approving, composing a payment batch, exporting it and opening the
Excel file. Every page: screenshots at 1366 and 320 px, no sideways scrolling, axe 0
violations. The day is explicit (the invoices tests' TODAY); no waiting on the wall clock."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import time_machine
from openpyxl import load_workbook

from opstap.conftest import browser_login
from opstap.invoices.models import Invoice, PaymentBatch
from opstap.portal.tests.browser_checks import check_page

from .conftest import TODAY, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield


def test_finance_clerk_working_day(  # type: ignore[no-untyped-def]
    page,
    live_server,
    first_instalment,
    code3_done,
    provider_user_a,
    clerk,
) -> None:
    second = submit(provider_user_a, code3_done, invoice_number="F-2")
    assert second.status == "checked"
    page.set_default_timeout(60_000)  # a shared, busy machine; no fixed sleeps
    browser_login(page, "administratie")
    page.wait_for_url("**/")
    assert "Betaalbatches" in page.locator("nav.opstap-nav").inner_text()
    check_page(page, live_server, "clerk-home")

    page.get_by_role("link", name="Facturen", exact=True).click()
    page.wait_for_url("**/facturen/")
    page.goto("/facturen/?bucket=goed_te_keuren")
    assert "F-2" in page.locator("#invoices-table").inner_text()
    check_page(page, live_server, "clerk-work-list")

    page.get_by_role("link", name="F-2").click()
    page.wait_for_url(f"**/facturen/{second.pk}/")
    main = page.locator("main").inner_text()
    assert "Gecontroleerd op de betalingsregels" in main  # the history in Dutch, not `check`
    assert " check " not in f" {main} " and "R-BILL" not in main
    check_page(page, live_server, "clerk-invoice")

    # A wrong input: rejecting with only spaces as the reason (the browser's own check lets
    # that through) is refused by the service, in Dutch, and nothing changes.
    reject = page.get_by_role("form", name="Afwijzen")
    reject.get_by_label("Reden van afwijzing").fill("   ")
    reject.get_by_role("button", name="Afwijzen").click()
    # the page again (400), the message beside the reason box, not in a banner after a redirect
    page.wait_for_url(f"**/facturen/{second.pk}/afwijzen/")
    error = page.locator("#id_reason_error")
    error.wait_for()
    assert error.inner_text() == "Geef een reden voor de afwijzing."
    assert Invoice.objects.get(pk=second.pk).status == "checked"
    check_page(page, live_server, "clerk-reject-refused")

    page.goto(f"/facturen/{second.pk}/")
    page.get_by_role("form", name="Goedkeuren").get_by_role("button", name="Goedkeuren").click()
    page.wait_for_load_state()
    assert "Goedgekeurd" in page.locator("#invoice-status").inner_text()

    page.get_by_role("link", name="Betaalbatches").first.click()
    page.wait_for_url("**/facturen/betaalbatches/")
    check_page(page, live_server, "clerk-batches")
    page.get_by_role("button", name="Betaalbatch samenstellen").click()
    page.wait_for_url("**/betaalbatches/*/")
    page.get_by_role("button", name="Exporteren").click()
    page.wait_for_load_state()
    assert "geëxporteerd" in page.locator("#batch-status").inner_text()
    total = page.locator("main").inner_text()
    assert "€\u00a01.512,50" in total or "€\u00a03.025,00" in total  # house style, no wrap
    check_page(page, live_server, "clerk-batch")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Excel").click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold
    assert sheet[sheet.max_row][0].value == "Totaal"
    assert PaymentBatch.objects.count() == 1
