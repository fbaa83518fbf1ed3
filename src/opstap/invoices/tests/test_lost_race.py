"""Two clerks approve the same invoice: the one who lost the race hears a conflict (409), and
the invoice is approved once (R-BILL-10, R-INT-1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from opstap.accounts.models import User
from opstap.invoices.models import InvoiceEvent
from opstap.trajectories.models import Trajectory

from .conftest import submit


@pytest.mark.django_db
def test_second_approval_loses_with_409_and_pays_once(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
    api_as: Callable[[User], object],
) -> None:
    """R-BILL-10, R-INT-1: two clerks approve the same invoice; the second one (who waited on
    the row lock, or clicked again) got 400 'illegal transition' as if their input were wrong.
    A lost race answers 409 problem+json in Dutch, and the invoice is approved once."""
    invoice = submit(provider_user_a, code3_done)
    client = api_as(clerk)
    first = client.post(f"/api/v1/invoices/{invoice.pk}/approve", {}, format="json")  # type: ignore[attr-defined]
    assert first.status_code == 200, first.content
    second = client.post(f"/api/v1/invoices/{invoice.pk}/approve", {}, format="json")  # type: ignore[attr-defined]
    assert second.status_code == 409, second.content
    assert second["Content-Type"].startswith("application/problem+json")
    # Said as what happened, not as a rule: "'Goedgekeurd' kan niet bij een factuur met
    # status 'Goedgekeurd'" read as nonsense to the clerk who lost the race.
    detail = second.json()["detail"]
    assert detail.startswith("Deze factuur heeft al de status 'Goedgekeurd'"), detail
    assert "Vernieuw de pagina" in detail
    approvals = InvoiceEvent.objects.filter(invoice=invoice, action="approve").count()
    assert approvals == 1
