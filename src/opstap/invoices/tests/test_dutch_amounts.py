"""Amounts typed the Dutch way on the invoice pages (R-BILL-11, R-SEC-6): a provider types
``1.250,00`` and ``262,50``; the form reads them as euros and cents, refuses ``1,250.00``
(English notation) with a message saying how to write it, and keeps what was typed. The boxes
are text boxes with the decimal keyboard: a browser's number box dropped the comma
(``262,50`` reached the server as ``26250``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.invoices.models import Invoice
from opstap.trajectories.models import Trajectory

from .conftest import END

pytestmark = pytest.mark.django_db


def _post(user: User, trajectory: Trajectory, **amounts: str) -> tuple[WebClient, str]:
    web = WebClient()
    web.force_login(user)
    data = {
        "trajectory": str(trajectory.pk),
        "invoice_number": "NL-1",
        "invoice_date": "2026-08-10",
        "milestone": "final_report",
        "period_start": "2026-05-06",
        "period_end": END.isoformat(),
        "client_number": trajectory.client.client_number,
        "client_surname": trajectory.client.last_name,
        **amounts,
    }
    response = web.post("/facturen/indienen/", data)
    if response.status_code == 302:
        return web, response["Location"]
    assert response.status_code == 400  # refused input (it answered 200)
    return web, response.content.decode()


def test_dutch_amounts_are_read_as_euros_and_cents(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-11: `1.250,00` + `262,50` = `1.512,50` is the invoice of 1250.00 + 262.50, green
    (the old number boxes refused the comma: "Vul een getal in")."""
    _web, location = _post(
        provider_user_a, code3_done, amount_excl="1.250,00", vat="262,50", amount_incl="€ 1.512,50"
    )
    invoice = Invoice.objects.get(invoice_number="NL-1")
    assert location == f"/facturen/{invoice.pk}/"
    assert (invoice.amount_excl, invoice.vat, invoice.amount_incl) == (
        Decimal("1250.00"),
        Decimal("262.50"),
        Decimal("1512.50"),
    )
    assert invoice.verdict == "green"


def test_english_notation_is_refused_not_read_as_cents(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-SEC-6: `1,250.00` was read as 1,25 (dots dropped, comma made the point); it is
    refused with how to write it, nothing is stored, and the typed text stays in the box."""
    _web, page = _post(
        provider_user_a, code3_done, amount_excl="1,250.00", vat="262,50", amount_incl="1.512,50"
    )
    assert not Invoice.objects.filter(invoice_number="NL-1").exists()
    assert "schrijf een bedrag als 1.500,00" in page
    assert 'value="1,250.00"' in page


def test_amount_boxes_are_text_boxes_with_the_decimal_keyboard(provider_user_a: User) -> None:
    """A number box drops a typed comma in the browser; the amount boxes are text boxes."""
    web = WebClient()
    web.force_login(provider_user_a)
    page = web.get("/facturen/indienen/").content.decode()
    for name in ("amount_excl", "vat", "amount_incl", "hourly_rate"):
        tag = page[page.index(f'name="{name}"') - 60 : page.index(f'name="{name}"') + 120]
        assert 'type="text"' in tag, tag
        assert 'inputmode="decimal"' in tag, tag
