"""An invoice posted for another provider's trajectory (an id changed in the form or the
request) is refused, and the attempt is recorded as a denied access, as every out-of-scope
read is (R-SEC-1, R-SEC-2). An earlier walk: refused, but no trace in the audit trail.
'Today' is the app's frozen 14-08-2026 (conftest)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as WebClient
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.invoices.models import Invoice
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def _denied(user: User, trajectory: Trajectory) -> bool:
    return AuditRecord.objects.filter(
        actor_id=user.pk,
        action="denied",
        object_type="trajectory",
        object_id=str(trajectory.pk),
    ).exists()


def test_invoice_page_records_another_providers_trajectory_as_denied(
    code3_done: Trajectory, provider_user_b: User
) -> None:
    web = WebClient()
    web.force_login(provider_user_b)
    response = web.post(
        "/facturen/indienen/",
        {
            "trajectory": str(code3_done.pk),
            "invoice_number": "B-1",
            "invoice_date": "10-08-2026",
            "milestone": "final_report",
            "client_number": code3_done.client.client_number,
            "client_surname": code3_done.client.last_name,
            "amount_excl": "1.250,00",
            "vat": "262,50",
            "amount_incl": "1.512,50",
        },
    )
    html = response.content.decode()
    assert "Dit traject bestaat niet of u heeft er geen toegang toe." in html
    assert not Invoice.objects.exists()
    assert _denied(provider_user_b, code3_done)


def test_invoice_page_does_not_record_an_id_that_does_not_exist(
    code3_done: Trajectory, provider_user_b: User
) -> None:
    web = WebClient()
    web.force_login(provider_user_b)
    web.post("/facturen/indienen/", {"trajectory": "999999", "invoice_number": "B-1"})
    assert not AuditRecord.objects.filter(actor_id=provider_user_b.pk, action="denied").exists()


def test_invoice_api_records_another_providers_trajectory_as_denied(
    code3_done: Trajectory, provider_user_b: User, api_as: Callable[..., APIClient]
) -> None:
    response = api_as(provider_user_b).post(
        "/api/v1/invoices",
        {
            "trajectory": code3_done.pk,
            "invoiceNumber": "B-1",
            "invoiceDate": "2026-08-10",
            "milestone": "final_report",
            "clientNumber": code3_done.client.client_number,
            "clientSurname": code3_done.client.last_name,
            "amountExcl": "1250.00",
            "vat": "262.50",
            "amountIncl": "1512.50",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Invoice.objects.exists()
    assert _denied(provider_user_b, code3_done)
