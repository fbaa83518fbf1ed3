"""Fixtures of the retention tests: a functional administrator and dossiers in three
states, set up through the services (dates of ended trajectories set as a migrated record
would have them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.providers.services import LocationInput
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Outcome, Trajectory, TrajectoryDocument


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.APP_ADMIN, username="beheerder")


@pytest.fixture
def product(provider_a: Provider, make_user: Callable[..., User]) -> Product:
    provider_services.contract_create(
        actor=make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager"),
        provider=provider_a,
        reference="LEON-A",
        start_date=dt.date(2024, 1, 1),
        terms_granted=4,
    )
    return provider_services.product_create(
        actor=None,
        provider=provider_a,
        name="Werkervaringsplaats",
        product_code=3,
        tile_codes=["EW04"],
        price_type="fixed",
        price=Decimal("2500.00"),
        price_valid_from=dt.date(2022, 1, 1),
        nominal_duration_days=182,
        locations=[LocationInput(city="Duiven", address="Rijnstraat 1")],
        service_kind="general",
    )


@pytest.fixture
def dossier(org: Organisation, case_manager: User, product: Product) -> Callable[..., Client]:
    def factory(*, ended: dt.date | None, name: str) -> Client:
        client = make_client(
            org,
            case_manager=case_manager,
            first_name=name,
            last_name="Jansen",
            street_address="Kerkstraat 1",
            postcode="6921 AB",
            city="Duiven",
        )
        trajectory = trajectory_services.trajectory_order(
            actor=case_manager,
            client=client,
            product=product,
            rotonde_exit="regular",
            aim_tiles=["EW04"],
            aim_description=f"Doel van {name}",
            on=dt.date(2025, 1, 6),
        )
        Trajectory.objects.filter(pk=trajectory.pk).update(
            start_date=dt.date(2025, 2, 1),
            actual_end_date=ended,
            state="completed" if ended else "running",
            end_reason=f"{name} vond werk" if ended else "",
        )
        Client.objects.filter(pk=client.pk).update(benefit_type="none")
        document = TrajectoryDocument(
            organisation=org,
            trajectory=trajectory,
            kind="plan",
            title=f"Plan van {name}",
            text="Persoonlijke situatie",
            submitted_by=case_manager,
            submitted_at=timezone.now(),
        )
        document.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=False)
        document.save()
        Outcome.objects.create(
            organisation=org,
            trajectory=trajectory,
            employer="Bakkerij De Korenschoof",
            placement_start=dt.date(2025, 6, 1),
            recorded_at=timezone.now(),
        )
        client.refresh_from_db()
        return client

    return factory
