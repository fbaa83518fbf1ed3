"""Browser journey (R-BILL-2, R-BILL-10): the provider submits the correct code-3 second
instalment in the portal; the finance clerk sees it green, approves it, composes a payment
batch and exports it; exporting again produces nothing new."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from opstap.conftest import browser_login
from opstap.invoices.models import Invoice, PaymentBatch

from .conftest import TODAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    # Time must move in a browser test; start on the test day.
    with time_machine.travel(TODAY, tick=True):
        yield


def test_submit_approve_and_export_once(  # type: ignore[no-untyped-def]
    page,
    browser,
    live_server,
    first_instalment,
    code3_done,
    clerk,
) -> None:
    client = code3_done.client
    # --- the provider submits the second instalment in the portal --------------------------
    browser_login(page, "aanbieder-a")
    page.wait_for_url("**/")
    page.goto("/facturen/indienen/")
    page.get_by_label("Traject").select_option(str(code3_done.pk))
    page.get_by_label("Factuurnummer").fill("F-2")
    page.get_by_label("Factuurdatum").fill("2026-08-10")
    page.get_by_label("Mijlpaal").select_option("final_report")
    page.get_by_label("Periode van").fill("2026-05-06")
    page.get_by_label("Periode tot en met").fill("2026-08-03")
    page.get_by_label("Cliëntnummer (zoals op de factuur)").fill(client.client_number)
    page.get_by_label("Achternaam cliënt (zoals op de factuur)").fill(client.last_name)
    page.get_by_label("Bedrag excl. btw").fill("1250.00")
    page.get_by_label("Btw", exact=True).fill("262.50")
    page.get_by_label("Bedrag incl. btw").fill("1512.50")
    page.get_by_role("button", name="Indienen").click()
    page.wait_for_url("**/facturen/*/")
    assert "groen" in page.content()
    invoice = Invoice.objects.get(invoice_number="F-2")

    # --- the finance clerk approves, composes a batch and exports it twice -----------------
    clerk_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    admin: Any = clerk_context.new_page()
    admin.set_default_timeout(10_000)
    browser_login(admin, "administratie")
    admin.wait_for_url("**/")
    admin.goto("/facturen/?bucket=goed_te_keuren")
    assert "F-2" in admin.locator("#invoices-table").inner_text()
    admin.goto(f"/facturen/{invoice.pk}/")
    admin.get_by_role("button", name="Goedkeuren").click()
    admin.wait_for_load_state()
    assert "Goedgekeurd" in admin.locator("#invoice-status").inner_text()
    admin.goto("/facturen/betaalbatches/")
    admin.get_by_role("button", name="Betaalbatch samenstellen").click()
    admin.wait_for_url("**/betaalbatches/*/")
    admin.get_by_role("button", name="Exporteren").click()
    admin.wait_for_load_state()
    assert "geëxporteerd" in admin.locator("#batch-status").inner_text()
    exported = admin.locator("#batch-exported").inner_text()
    admin.get_by_role("button", name="Exporteren").click()
    admin.wait_for_load_state()
    assert "niets nieuws" in admin.content()
    assert admin.locator("#batch-exported").inner_text() == exported
    assert PaymentBatch.objects.count() == 1
    clerk_context.close()
