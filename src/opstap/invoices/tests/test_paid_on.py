"""The day a payment batch was paid is a day from the bank statement (R-BILL-10, R-TRJ-3).

Walked in the demo: the clerk registered batch BB-2026-0001 as paid on 01-06-2027, half a
year ahead, and on 01-01-2020, years before its invoices arrived; both were stored on every
invoice ("De batch is als betaald geregistreerd."), so the invoices counted as paid and the
payment lead time (30 working days after receipt) came out in the future or negative.
"""

from __future__ import annotations

import datetime as dt

import pytest

from opstap.accounts.models import User
from opstap.invoices import services
from opstap.invoices.models import Invoice, PaymentBatch
from opstap.invoices.rules.payment_dates import paid_on_refusal
from opstap.trajectories.models import Trajectory

from .conftest import field_error, submit, web_as

TODAY = dt.date(2026, 8, 14)
RECEIVED = dt.date(2026, 8, 10)


@pytest.mark.parametrize(
    ("paid_on", "refused"),
    [
        (TODAY, None),  # paid today
        (RECEIVED, None),  # paid the day the newest invoice arrived
        (TODAY + dt.timedelta(days=1), "in de toekomst"),  # the bank has not paid yet
        (RECEIVED - dt.timedelta(days=1), "vóór de ontvangst"),  # before the invoice came
    ],
)
def test_paid_on_bounds(paid_on: dt.date, refused: str | None) -> None:
    """R-BILL-10: between the newest invoice's receipt and today, both inclusive."""
    why = paid_on_refusal(paid_on, today=TODAY, last_received=RECEIVED)
    if refused is None:
        assert why is None
    else:
        assert why is not None and refused in why
        assert f"{paid_on:%d-%m-%Y}" in why


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2027-06-01", "De betaaldatum 01-06-2027 ligt in de toekomst"),
        ("2020-01-01", "De betaaldatum 01-01-2020 ligt vóór de ontvangst van een factuur"),
    ],
)
def test_a_batch_is_not_paid_on_an_impossible_day(
    typed: str,
    message: str,
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-10, R-SEC-6: a payment day in the future or before the invoices arrived is
    refused at the date field (400); the batch and its invoice stay unpaid."""
    invoice = submit(provider_user_a, code3_done)
    services.invoice_approve(actor=clerk, invoice=invoice, note="")
    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    response = web_as(clerk).post(
        f"/facturen/betaalbatches/{batch.pk}/betaald/", {"paid_on": typed}
    )
    assert response.status_code == 400
    assert message in (field_error(response.content.decode(), "paid_on") or "")
    assert PaymentBatch.objects.get(pk=batch.pk).status != "paid"
    assert Invoice.objects.get(pk=invoice.pk).paid_on is None


@pytest.mark.django_db
def test_the_batch_page_names_the_payment_day(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-10: after 'Als betaald registreren' the form is gone and the page said only
    'betaald'; it now names the day the bank paid, as the invoices carry it."""
    invoice = submit(provider_user_a, code3_done)
    services.invoice_approve(actor=clerk, invoice=invoice, note="")
    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    web = web_as(clerk)
    done = web.post(f"/facturen/betaalbatches/{batch.pk}/betaald/", {"paid_on": "2026-08-14"})
    assert done.status_code == 302
    html = web.get(f"/facturen/betaalbatches/{batch.pk}/").content.decode()
    assert '<dt>Betaald op</dt><dd id="batch-paid-on">14-08-2026</dd>' in html


@pytest.mark.parametrize(
    ("paid", "has_file", "refused"),
    [(False, False, False), (False, True, False), (True, True, False), (True, False, True)],
)
def test_new_sepa_file_refusal(paid: bool, has_file: bool, refused: bool) -> None:
    """R-BILL-10: only a paid batch without a file is refused a new payment file; a batch
    with its file gives the same file again."""
    from opstap.invoices.rules.sepa import PAID_BATCH_REFUSAL, new_file_refusal

    assert new_file_refusal(paid=paid, has_file=has_file) == (
        PAID_BATCH_REFUSAL if refused else None
    )


@pytest.mark.django_db
def test_a_paid_batch_offers_no_sepa_button(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-10: walked in the demo, a batch registered as paid without a SEPA file still
    listed 'Overboekingen per aanbieder' and the button 'SEPA-betaalbestand (pain.001) maken',
    which the service then refused. The page now says why there is no file, and offers no
    button; a posted request is still refused."""
    invoice = submit(provider_user_a, code3_done)
    services.invoice_approve(actor=clerk, invoice=invoice, note="")
    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    web = web_as(clerk)
    before = web.get(f"/facturen/betaalbatches/{batch.pk}/").content.decode()
    assert "SEPA-betaalbestand maken" in before
    assert web.post(f"/facturen/betaalbatches/{batch.pk}/betaald/", {"paid_on": "2026-08-14"})[
        "Location"
    ]
    html = web.get(f"/facturen/betaalbatches/{batch.pk}/").content.decode()
    assert "SEPA-betaalbestand maken" not in html
    assert "sepa-transfers" not in html
    assert '<p id="sepa-refusal">Deze batch is al betaald;' in html
    refused = web.post(f"/facturen/betaalbatches/{batch.pk}/sepa/", follow=True)
    assert PaymentBatch.objects.get(pk=batch.pk).export_pain001 == ""
    assert refused.status_code in {200, 409}
