"""Fixtures of the invoice tests: a contracted provider with products of codes 3 and 5, a
client in the case manager's caseload, trajectories walked through the trajectory services,
and a finance clerk. Everything is set up through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.organisations.models import Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.providers.services import LocationInput
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Trajectory

ORDER_DAY = dt.date(2026, 4, 21)
#: The tests run on 14 August 2026 (a Friday), within the provider's visibility window.
TODAY = dt.datetime(2026, 8, 14, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


#: Happy path of a direct-order trajectory (codes 1, 3) up to running; quote products first
#: pass submit_quote / approve_quote.
RUNNING_STEPS: list[tuple[str, str, dict[str, Any], dt.date]] = [
    ("plan_intake", "provider", {"intake_date": "2026-04-28"}, dt.date(2026, 4, 22)),
    ("hold_intake", "provider", {"held_on": "2026-04-28"}, dt.date(2026, 4, 28)),
    ("submit_plan", "provider", {}, dt.date(2026, 5, 1)),
    ("approve_plan", "cm", {}, dt.date(2026, 5, 4)),
    ("start", "provider", {"start_date": "2026-05-06"}, dt.date(2026, 5, 6)),
]
QUOTE_STEPS: list[tuple[str, str, dict[str, Any], dt.date]] = [
    ("submit_quote", "provider", {}, dt.date(2026, 4, 21)),
    ("approve_quote", "cm", {}, dt.date(2026, 4, 22)),
]


@pytest.fixture
def contract_manager(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager")


@pytest.fixture
def clerk(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.FINANCE_CLERK, username="administratie")


def _contract(provider: Provider, actor: User, reference: str) -> Provider:
    provider_services.contract_create(
        actor=actor,
        provider=provider,
        reference=reference,
        start_date=dt.date(2024, 1, 1),
        terms_granted=4,
    )
    return provider


@pytest.fixture
def contracted_a(provider_a: Provider, contract_manager: User) -> Provider:
    return _contract(provider_a, contract_manager, "LEON-A")


@pytest.fixture
def contracted_b(provider_b: Provider, contract_manager: User) -> Provider:
    return _contract(provider_b, contract_manager, "LEON-B")


def make_product(provider: Provider, code: int = 3, **overrides: Any) -> Product:
    price_type = {1: "fixed", 2: "variable", 3: "fixed", 4: "variable", 5: "hourly"}[code]
    values: dict[str, Any] = {
        "actor": None,
        "provider": provider,
        "name": f"Werkfit-traject code {code}",
        "product_code": code,
        "tile_codes": ["EW04"],
        "price_type": price_type,
        "price": Decimal("2500.00") if code != 5 else Decimal("75.00"),
        "price_valid_from": dt.date(2022, 1, 1),
        "nominal_duration_days": 182,
        "locations": [LocationInput(city="Duiven", address="Rijnstraat 1")],
        "service_kind": "jobcoaching" if code == 5 else "general",
    }
    values.update(overrides)
    return provider_services.product_create(**values)


def quote_payload(product: Product, hours: Decimal = Decimal(100)) -> dict[str, str]:
    """A complete quote for `product`: its own price (codes 2, 4), or its hourly rate for
    `hours` hours (code 5)."""
    price = product.prices.order_by("-valid_from").values_list("amount", flat=True).first()
    assert price is not None
    if product.product_code.code == 5:
        return {"amount": str(price * hours), "hourly_rate": str(price), "hours": str(hours)}
    return {"amount": str(price)}


@pytest.fixture
def client_k(org: Organisation, case_manager: User) -> Client:
    return make_client(org, case_manager=case_manager, first_name="Kees", last_name="Klant")


@pytest.fixture
def walk(case_manager: User) -> Callable[..., Trajectory]:
    """Order a product for a client and walk it along the happy path to `until`."""

    def factory(
        product: Product,
        provider_user: User,
        client: Client,
        *,
        until: str = "running",
        end_on: dt.date | None = None,
        report_on: dt.date | None = None,
    ) -> Trajectory:
        trajectory = trajectory_services.trajectory_order(
            actor=case_manager,
            client=client,
            product=product,
            rotonde_exit="regular",
            aim_tiles=["EW04"],
            on=ORDER_DAY,
        )
        steps = list(RUNNING_STEPS)
        if product.product_code.code in (2, 4, 5):
            steps = QUOTE_STEPS + steps
        if until in ("completed", "final_report_received"):
            steps.append(("complete", "provider", {"end_date": str(end_on)}, end_on or ORDER_DAY))
        if until == "final_report_received":
            steps.append(("receive_final_report", "provider", {}, report_on or ORDER_DAY))
        for action, who, payload, on in steps:
            actor = provider_user if who == "provider" else case_manager
            reason = ""
            if action == "submit_quote":
                # A quote carries an amount and a text (R-TRJ-1); jobcoaching also rate and
                # hours. The figures equal the product's price, so the amounts stay familiar.
                payload, reason = quote_payload(product), "Offerte met re-integratieplan"
            trajectory = trajectory_services.trajectory_transition(
                actor=actor,
                trajectory=trajectory,
                action=action,
                payload=payload,
                reason=reason,
                on=on,
            )
            if trajectory.state == until:
                break
        return trajectory

    return factory


#: The code-3 trajectory of most invoice tests ends on END; its final report arrives on REPORT.
END = dt.date(2026, 8, 3)
REPORT = dt.date(2026, 8, 5)
RECEIVED = dt.datetime(2026, 8, 14, 10, 0, tzinfo=dt.UTC)


def web_as(user: User) -> WebClient:
    """A browser-less client signed in as `user`, for the invoice pages."""
    web = WebClient()
    web.force_login(user)
    return web


def field_error(html: str, field: str) -> str:
    """The error text shown at `field` (`core/_described_field.html`), or ''."""
    marker = f'<span class="opstap-field-error" id="id_{field}_error">'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</span>", 1)[0]


def submit(actor: User, trajectory: Trajectory, **overrides: Any) -> Invoice:
    client = trajectory.client
    values: dict[str, Any] = {
        "actor": actor,
        "trajectory": trajectory,
        "invoice_number": "F-1",
        "invoice_date": dt.date(2026, 8, 10),
        "milestone": "final_report",
        "amount_excl": Decimal("1250.00"),
        "vat": Decimal("262.50"),
        "amount_incl": Decimal("1512.50"),
        "client_number": client.client_number,
        "client_surname": client.last_name,
        "period_start": dt.date(2026, 5, 6),
        "period_end": END,
        "received_at": RECEIVED,
    }
    values.update(overrides)
    return services.invoice_submit(**values)


@pytest.fixture
def code3_done(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> Trajectory:
    product = make_product(contracted_a, 3)
    return walk(
        product,
        provider_user_a,
        client_k,
        until="final_report_received",
        end_on=END,
        report_on=REPORT,
    )


@pytest.fixture
def first_instalment(code3_done: Trajectory, provider_user_a: User, clerk: User) -> Invoice:
    invoice = submit(
        provider_user_a,
        code3_done,
        invoice_number="F-0",
        milestone="plan_approved",
        invoice_date=dt.date(2026, 5, 8),
    )
    return services.invoice_approve(actor=clerk, invoice=invoice)
