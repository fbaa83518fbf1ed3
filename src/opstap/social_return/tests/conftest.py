"""Fixtures of the social return tests: two contracted providers with staff, a coordinator,
an approved invoice of EUR 65,000 excl. VAT for provider A (obligation 5% = EUR 3,250 in
2026), a placement of our client by provider A. Everything goes through the services; the
clock stands still on 14 August 2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.roles import RoleCode
from opstap.invoices import services as invoice_services
from opstap.invoices.models import Invoice
from opstap.invoices.tests.conftest import (  # noqa: F401  (fixtures)
    END,
    REPORT,
    clerk,
    client_k,
    contract_manager,
    contracted_a,
    contracted_b,
    make_product,
    submit,
    walk,
)
from opstap.providers.models import Contract, Provider
from opstap.trajectories.models import Trajectory

TODAY = dt.date(2026, 8, 14)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 8, 14, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.SOCIAL_RETURN_COORDINATOR, username="coordinator")


@pytest.fixture
def contract_a(contracted_a: Provider) -> Contract:  # noqa: F811
    return Contract.objects.get(provider=contracted_a)


@pytest.fixture
def placed(
    contracted_a: Provider,  # noqa: F811
    provider_user_a: User,
    client_k: Client,  # noqa: F811
    walk: Callable[..., Trajectory],  # noqa: F811
) -> Trajectory:
    """A code-3 trajectory of EUR 130,000 at provider A, ended with the final report."""
    product = make_product(contracted_a, 3, price=Decimal("130000.00"))
    return walk(
        product,
        provider_user_a,
        client_k,
        until="final_report_received",
        end_on=END,
        report_on=REPORT,
    )


@pytest.fixture
def approved_a(placed: Trajectory, provider_user_a: User, clerk: User) -> Invoice:  # noqa: F811
    """EUR 65,000 excl. VAT approved in 2026 for provider A."""
    invoice = submit(
        provider_user_a,
        placed,
        amount_excl=Decimal("65000.00"),
        vat=Decimal("13650.00"),
        amount_incl=Decimal("78650.00"),
    )
    return invoice_services.invoice_approve(actor=clerk, invoice=invoice)


def pdf(name: str = "bewijs.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")
