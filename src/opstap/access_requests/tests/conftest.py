"""Fixtures of the access-request tests: two clients of the same case manager, each with a
running trajectory at the SAME provider, and a row in every section the export collects —
all set up through the services. Client A has a resident (portal) account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients import services as client_services
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.finance.services import outflow_premium_determine
from opstap.invoices import services as invoice_services
from opstap.organisations.models import Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.providers.services import LocationInput
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Trajectory

ORDER_DAY = dt.date(2026, 4, 21)
STEPS: list[tuple[str, str, dict[str, Any], dt.date]] = [
    ("plan_intake", "provider", {"intake_date": "2026-04-28"}, dt.date(2026, 4, 22)),
    ("hold_intake", "provider", {"held_on": "2026-04-28"}, dt.date(2026, 4, 28)),
    ("submit_plan", "provider", {}, dt.date(2026, 5, 1)),
    ("approve_plan", "cm", {}, dt.date(2026, 5, 4)),
    ("start", "provider", {"start_date": "2026-05-06"}, dt.date(2026, 5, 6)),
]
PDF = b"%PDF-1.4\n% test document\n"


@pytest.fixture(autouse=True)
def _compile_inline(settings: Any) -> None:
    """The access export is compiled inline (files go to the test's own directory, as every
    test's do: the root conftest)."""
    settings.OPSTAP_ACCESS_EXPORT_SYNC = True


@dataclass
class World:
    org: Organisation
    case_manager: User
    provider_user: User
    resident: User
    client_a: Client
    client_b: Client
    trajectory_a: Trajectory
    trajectory_b: Trajectory
    provider: Provider


def _product(provider: Provider, contract_manager: User) -> Product:
    provider_services.contract_create(
        actor=contract_manager,
        provider=provider,
        reference="LEON-A",
        start_date=dt.date(2024, 1, 1),
        terms_granted=4,
    )
    return provider_services.product_create(
        actor=None,
        provider=provider,
        name="Werkfit-traject",
        product_code=3,
        tile_codes=["EW04"],
        price_type="fixed",
        price=Decimal("2500.00"),
        price_valid_from=dt.date(2022, 1, 1),
        nominal_duration_days=182,
        locations=[LocationInput(city="Duiven", address="Rijnstraat 1")],
        service_kind="general",
    )


def _running(cm: User, provider_user: User, client: Client, product: Product) -> Trajectory:
    trajectory = trajectory_services.trajectory_order(
        actor=cm,
        client=client,
        product=product,
        rotonde_exit="regular",
        aim_tiles=["EW04"],
        on=ORDER_DAY,
    )
    for action, who, payload, on in STEPS:
        trajectory = trajectory_services.trajectory_transition(
            actor=provider_user if who == "provider" else cm,
            trajectory=trajectory,
            action=action,
            payload=payload,
            reason="",
            on=on,
        )
    return trajectory


def _fill(
    world_cm: User,
    provider_user: User,
    policy: User,
    org: Organisation,
    client: Client,
    trajectory: Trajectory,
    tag: str,
    other_cm: User,
) -> None:
    """One row of every kind about `client`, each carrying `tag` where text is free."""
    client_services.client_change_ladder_step(
        actor=world_cm, client=client, step="5", reason=f"Ladder {tag}"
    )
    client_services.client_handover(
        actor=world_cm, client=client, new_case_manager=other_cm, note=f"Overdracht {tag}"
    )
    client_services.client_handover(
        actor=other_cm, client=client, new_case_manager=world_cm, note=f"Terug {tag}"
    )
    client_services.budget_spending_record(
        actor=world_cm, client=client, amount="120.00", purpose=f"Fiets {tag}"
    )
    trajectory_services.trajectory_document_submit(
        actor=provider_user,
        trajectory=trajectory,
        kind="progress_report",
        title=f"Voortgang {tag}",
        text=f"Het gaat goed met {tag}",
        goals=[],
        result_agreements=[],
        signed_by_candidate=False,
        upload=SimpleUploadedFile(f"voortgang-{tag}.pdf", PDF, content_type="application/pdf"),
        reason="",
        payload={},
    )
    starts = timezone.make_aware(dt.datetime(2026, 5, 11, 9, 0))
    appointment = trajectory_services.appointment_create(
        actor=provider_user, trajectory=trajectory, starts_at=starts, description=f"Training {tag}"
    )
    trajectory_services.attendance_record(
        actor=provider_user, appointment=appointment, status="attended"
    )
    trajectory_services.absence_report(
        actor=provider_user,
        trajectory=trajectory,
        occurred_at=timezone.make_aware(dt.datetime(2026, 5, 12, 9, 0)),
        reason=f"Ziek {tag}",
    )
    invoice_services.travel_claim_submit(
        actor=world_cm,
        trajectory=trajectory,
        trips=[
            invoice_services.TripInput(
                trip_date=dt.date(2026, 5, 11), single_trip_km=Decimal("12"), amount=Decimal("4.80")
            )
        ],
    )
    invoice_services.invoice_submit(
        actor=provider_user,
        trajectory=trajectory,
        invoice_number=f"F-{tag}",
        invoice_date=dt.date(2026, 5, 10),
        milestone="plan_approved",
        amount_excl=Decimal("1250.00"),
        vat=Decimal("262.50"),
        amount_incl=Decimal("1512.50"),
        client_number=client.client_number,
        client_surname=client.last_name,
        received_at=timezone.make_aware(dt.datetime(2026, 5, 10, 10, 0)),
    )
    provider_services.signal_register(
        actor=world_cm,
        provider=trajectory.provider,
        description=f"Afspraak vergeten {tag}",
        client_id=client.pk,
    )
    outflow_premium_determine(
        actor=policy,
        organisation=org,
        client_id=client.pk,
        outflow_kind="employment",
        hours_per_week=Decimal("32"),
        benefit_start=dt.date(2019, 1, 1),
        outflow_date=dt.date(2026, 6, 1),
    )


@pytest.fixture
def world(org: Organisation, make_user: Callable[..., User], provider_a: Provider) -> World:
    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    other_cm = make_user(RoleCode.CASE_MANAGER, username="km2")
    contract_manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-contract")
    policy = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    provider_user = make_user(RoleCode.PROVIDER_STAFF, username="aanbieder")
    provider_services.provider_add_staff(provider=provider_a, user=provider_user)
    resident = make_user(RoleCode.RESIDENT, username="inwoner")
    product = _product(provider_a, contract_manager)
    client_a = make_client(org, case_manager=cm, first_name="Anna", last_name="Aalders")
    client_b = make_client(org, case_manager=cm, first_name="Bert", last_name="Bakker")
    client_services.client_link_user(client=client_a, user=resident)
    trajectory_a = _running(cm, provider_user, client_a, product)
    trajectory_b = _running(cm, provider_user, client_b, product)
    _fill(cm, provider_user, policy, org, client_a, trajectory_a, "ANNA", other_cm)
    _fill(cm, provider_user, policy, org, client_b, trajectory_b, "BERT", other_cm)
    return World(
        org=org,
        case_manager=cm,
        provider_user=provider_user,
        resident=resident,
        client_a=client_a,
        client_b=client_b,
        trajectory_a=trajectory_a,
        trajectory_b=trajectory_b,
        provider=provider_a,
    )
