"""A jobcoaching quarter invoiced before it ended, then again once it had: the second invoice
was held as "Dubbel: ... al gedeclareerd met factuur JC-Q2-vroeg" and the provider did not
learn that the early invoice blocks it, why that one is not paid, nor what to do (R-BILL-7,
R-BILL-10). 'Today' starts at the conftest's 14-08-2026; the coaching started 06-05-2026,
so its second quarter runs 06-08-2026 t/m 05-11-2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.invoices.payment_rules import ReasonCode, held_duplicate_reason
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import make_product

pytestmark = pytest.mark.django_db

AFTER_THE_QUARTER = dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def coaching(
    contracted_a: Provider, provider_user_a: User, client_k: Client, walk: Callable[..., Trajectory]
) -> Trajectory:
    return walk(make_product(contracted_a, 5), provider_user_a, client_k, until="running")


def _submit(actor: User, trajectory: Trajectory, number: str, invoice_date: date) -> Invoice:
    return services.invoice_submit(
        actor=actor,
        trajectory=trajectory,
        invoice_number=number,
        invoice_date=invoice_date,
        milestone="jobcoaching_quarter",
        amount_excl=Decimal("300.00"),
        vat=Decimal("63.00"),
        amount_incl=Decimal("363.00"),
        client_number=trajectory.client.client_number,
        client_surname=trajectory.client.last_name,
        period_start=date(2026, 8, 6),
        period_end=date(2026, 11, 5),
        hourly_rate=Decimal("75.00"),
        logbook=[{"date": "2026-08-10", "hours": "4"}],
    )


def test_an_early_quarter_says_from_when_it_can_be_invoiced(
    coaching: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-7: in arrears; the refusal names the first day to invoice it."""
    early = _submit(provider_user_a, coaching, "JC-Q2-vroeg", date(2026, 8, 14))
    assert early.verdict == "red"
    assert early.reasons[0]["message"] == (
        "Het kwartaal 06-08-2026 t/m 05-11-2026 is nog niet voorbij; jobcoaching wordt achteraf "
        "per kwartaal gefactureerd. Factureer dit kwartaal met een factuurdatum vanaf "
        "06-11-2026."
    )


def test_the_later_invoice_says_the_early_one_blocks_it_and_what_to_do(
    coaching: Trajectory, provider_user_a: User, time_machine: Any
) -> None:
    """R-BILL-10: held (never paid twice), with the early invoice named, why it is not paid
    and what the provider can do; shown on the provider's invoice page and after submitting."""
    _submit(provider_user_a, coaching, "JC-Q2-vroeg", date(2026, 8, 14))
    time_machine.move_to(AFTER_THE_QUARTER, tick=False)
    web = WebClient()
    web.force_login(provider_user_a)
    response = web.post(
        "/facturen/indienen/",
        {
            "trajectory": str(coaching.pk),
            "invoice_number": "JC-Q2",
            "invoice_date": "10-11-2026",
            "milestone": "jobcoaching_quarter",
            "period_start": "06-08-2026",
            "period_end": "05-11-2026",
            "client_number": coaching.client.client_number,
            "client_surname": coaching.client.last_name,
            "amount_excl": "300,00",
            "vat": "63,00",
            "amount_incl": "363,00",
            "hourly_rate": "75,00",
            "logbook": "10-08-2026 4",
        },
        follow=True,
    )
    held = Invoice.objects.get(invoice_number="JC-Q2")
    assert held.status == "held"
    message = held.reasons[0]["message"]
    assert message.startswith(
        "Aangehouden: factuur JC-Q2-vroeg (ontvangen 14-08-2026) is voor dezelfde mijlpaal en "
        "periode en staat nog open, maar wordt niet betaald: Het kwartaal 06-08-2026 t/m "
        "05-11-2026 is nog niet voorbij"
    )
    assert "vraag de administratie factuur JC-Q2-vroeg af te wijzen" in message
    html = response.content.decode()
    assert "Factuur JC-Q2 is ontvangen maar aangehouden" in html
    assert "vraag de administratie factuur JC-Q2-vroeg af te wijzen" in html


def test_a_duplicate_of_an_accepted_invoice_keeps_the_short_reason() -> None:
    """R-BILL-10: an earlier invoice that is not red (approved, paid, green) says 'dubbel'."""
    reason = held_duplicate_reason(original_number="F-1", original_received=date(2026, 8, 14))
    assert reason.code is ReasonCode.DUPLICATE
    assert reason.message == (
        "Dubbel: dezelfde mijlpaal (of hetzelfde factuurnummer) is al gedeclareerd met factuur "
        "F-1; aangehouden, nooit dubbel betaald."
    )
