"""Hand-offs (issue 12): the finance decision on an invoice — approved or rejected — goes to
the provider's staff as a notification with a link to the invoice, once only."""

from __future__ import annotations

import pytest

from opstap.accounts.models import User
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.notifications.models import Notification
from opstap.trajectories.models import Trajectory

from .conftest import submit

pytestmark = pytest.mark.django_db


def _invoice_notes(user: User) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, dedupe_key__startswith="invoice:").order_by(
            "id"
        )
    )


def test_approval_tells_the_provider(
    first_instalment: Invoice,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-2 hand-off: 'Factuur F-0 goedgekeurd', linking to the invoice."""
    (note,) = _invoice_notes(provider_user_a)
    assert note.title == "Factuur F-0 goedgekeurd"
    assert note.url == f"/facturen/{first_instalment.pk}/"
    assert "goedgekeurd voor betaling" in note.body
    assert not _invoice_notes(clerk)


def test_rejection_tells_the_provider_with_the_reason(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-2 hand-off: the provider reads why the invoice was rejected."""
    invoice = submit(provider_user_a, code3_done, invoice_number="F-9")
    services.invoice_reject(actor=clerk, invoice=invoice, reason="Bedragen kloppen niet.")
    (note,) = _invoice_notes(provider_user_a)
    assert note.title == "Factuur F-9 afgewezen"
    assert "Bedragen kloppen niet." in note.body
    assert note.dedupe_key == f"invoice:{invoice.pk}:invoice_rejected"
