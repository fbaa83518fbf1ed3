"""R-SEC-1: a case manager sees the trajectories of exactly the clients they may see. The
policy is a join condition on the trajectory's client (fast for paged lists); it must give
the same rows as `client IN (the scoped clients)`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import F, Q

from opstap.accounts.models import User
from opstap.clients.access import _prefixed
from opstap.clients.models import Client
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import a_case_manager, make_client
from opstap.core.access import scoped
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory

from .conftest import ORDER_DAY

pytestmark = pytest.mark.django_db


def test_join_scope_equals_the_clients_scope(
    org: Organisation,
    case_manager: User,
    make_user: Callable[..., User],
    product3: Product,
) -> None:
    """R-SEC-1: own clients, clients of the unit's ladder steps, not another unit's clients
    of another case manager."""
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    case_manager_set_unit(user=case_manager, unit="work")
    case_manager_set_unit(user=colleague, unit="care")
    clients = [
        make_client(org, case_manager=case_manager, ladder_step="1"),  # own, care step
        make_client(org, case_manager=colleague, ladder_step="4"),  # work unit's step
        make_client(org, case_manager=colleague, ladder_step="2a"),  # care: not visible
        make_client(org, case_manager=colleague, ladder_step="6", ladder_sub_status="with_growth"),
    ]
    for client in clients:
        services.trajectory_order(
            actor=client.case_manager,
            client=client,
            product=product3,
            rotonde_exit="regular",
            on=ORDER_DAY,
        )
    for user in (case_manager, colleague):
        via_join = set(scoped(user, Trajectory.objects.all()).values_list("pk", flat=True))
        via_in = set(
            Trajectory.objects.filter(
                client__in=scoped(user, Client.objects.all()).values("pk")
            ).values_list("pk", flat=True)
        )
        assert via_join == via_in
    mine = set(scoped(case_manager, Trajectory.objects.all()).values_list("client", flat=True))
    assert clients[0].pk in mine and clients[1].pk in mine
    assert clients[2].pk not in mine


def test_other_organisation_never_leaks(
    other_org: Organisation, case_manager: User, product3: Product
) -> None:
    """R-SEC-1: the join condition keeps the organisation of the client."""
    stranger = make_client(other_org, ladder_step="4", case_manager=a_case_manager(other_org))
    assert not scoped(case_manager, Trajectory.objects.filter(client=stranger)).exists()


def test_prefixing_refuses_expressions() -> None:
    assert _prefixed(Q(a=1) | Q(b__in=[2]), "client__").children == [
        ("client__a", 1),
        ("client__b__in", [2]),
    ]
    with pytest.raises(ValueError, match="expressie"):
        _prefixed(Q(a=F("b")), "client__")
