"""The building-block table as reference data per period (R-NET-10): seeded with the Liemers
table, edited by the administrator through the services with the table's checks, and used
for blocks registered in its period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.social_return import selectors, services
from opstap.social_return.models import BuildingBlock
from opstap.social_return.services import SocialReturnError

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.APP_ADMIN, username="beheer")


def test_seeded_period_is_the_spec_table_and_is_used(org: Organisation, admin_user: User) -> None:
    period = services.block_period_seed(
        actor=admin_user, organisation_id=org.pk, name="2026", valid_from=dt.date(2026, 1, 1)
    )
    assert period.blocks.count() == 16
    block = BuildingBlock.objects.get(period=period, code="pw_24_plus")
    services.building_block_update(
        actor=admin_user, block=block, values={"value_12": Decimal("55000.00")}
    )
    norms = selectors.norms_on(organisation_id=org.pk, day=dt.date(2026, 5, 1))
    assert norms.blocks["pw_24_plus"].value_12 == Decimal("55000.00")
    # before the period: the Liemers table of the spec
    before = selectors.norms_on(organisation_id=org.pk, day=dt.date(2025, 5, 1))
    assert before.period is None and before.blocks["pw_24_plus"].value_12 == Decimal("50000")


@pytest.mark.parametrize(
    ("code", "values", "field"),
    [
        ("pw_24_plus", {"value_12": None}, "value_12"),  # employment needs both norms
        ("training", {"value_12": Decimal("1")}, "value_12"),  # an alternative has one
        ("training", {"value_6": Decimal("-1")}, "value_6"),
        ("training", {"validity_6_months": 0}, "validity_6_months"),
    ],
)
def test_edits_are_validated(
    org: Organisation, admin_user: User, code: str, values: dict[str, object], field: str
) -> None:
    period = services.block_period_seed(
        actor=admin_user, organisation_id=org.pk, name="2026", valid_from=dt.date(2026, 1, 1)
    )
    block = BuildingBlock.objects.get(period=period, code=code)
    with pytest.raises(SocialReturnError) as exc:
        services.building_block_update(actor=admin_user, block=block, values=values)
    assert exc.value.field == field


def test_only_the_administrator_edits(
    org: Organisation, admin_user: User, make_user: Callable[..., User]
) -> None:
    coordinator = make_user(RoleCode.SOCIAL_RETURN_COORDINATOR)
    with pytest.raises(SocialReturnError):
        services.block_period_seed(
            actor=coordinator, organisation_id=org.pk, name="x", valid_from=dt.date(2026, 1, 1)
        )


def test_agreement_per_contract_set_by_the_administrator(
    admin_user: User, contracted_a: object, make_user: Callable[..., User]
) -> None:
    """R-NET-10: percentage and threshold are configurable per contract."""
    from opstap.providers.models import Contract

    contract = Contract.objects.get(provider=contracted_a)
    agreement = services.agreement_set(
        actor=admin_user,
        contract=contract,
        awarded_on=dt.date(2026, 2, 1),
        percentage=Decimal("4"),
        threshold=Decimal("75000"),
    )
    assert (agreement.percentage, agreement.threshold) == (Decimal("4"), Decimal("75000.00"))
    with pytest.raises(SocialReturnError) as exc:
        services.agreement_set(
            actor=admin_user,
            contract=contract,
            awarded_on=dt.date(2026, 2, 1),
            percentage=Decimal("120"),
        )
    assert exc.value.field == "percentage"
    with pytest.raises(SocialReturnError):
        services.agreement_set(
            actor=make_user(RoleCode.CASE_MANAGER),
            contract=contract,
            awarded_on=dt.date(2026, 2, 1),
        )
