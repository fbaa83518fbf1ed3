"""Two clerks approve the same invoice: the one who lost the race hears a conflict (409), and
the invoice is approved once (R-BILL-10, R-INT-1)."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
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


def _page(user: User) -> WebClient:
    web = WebClient()
    web.force_login(user)
    return web


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "data", "label"),
    [
        pytest.param("goedkeuren", {"note": ""}, "Goedgekeurd", id="approve-twice"),
        pytest.param("afwijzen", {"reason": "Dubbel ingediend"}, "Afgewezen", id="reject-twice"),
    ],
)
def test_second_decision_on_the_page_loses_with_409_and_the_message(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
    make_user: Callable[..., User],
    step: str,
    data: dict[str, str],
    label: str,
) -> None:
    """R-INT-1, R-BILL-10: two finance clerks decide the same invoice on its page; the second
    one got 400 as if their input were wrong. A lost race answers 409, and the page says in
    Dutch what happened (the workflow's words), with no decision button left to press."""
    invoice = submit(provider_user_a, code3_done)
    colleague = make_user(RoleCode.FINANCE_CLERK, username="administratie2")
    first_page, second_page = _page(clerk), _page(colleague)
    url = f"/facturen/{invoice.pk}/{step}/"
    first = first_page.post(url, data)
    assert first.status_code == 302, first.content
    second = second_page.post(url, data)
    assert second.status_code == 409, second.content
    html = unescape(second.content.decode())
    assert f"Deze factuur heeft al de status '{label}'" in html
    assert "Vernieuw de pagina" in html
    assert f'action="/facturen/{invoice.pk}/{step}/"' not in html
    action = {"goedkeuren": "approve", "afwijzen": "reject"}[step]
    assert InvoiceEvent.objects.filter(invoice=invoice, action=action).count() == 1
