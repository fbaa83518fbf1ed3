"""The trajectory list API reads its rows by a plan (`core.api.serializers.PlannedRowsMixin`,
issue 18) and answers exactly what DRF's own serializer answers (R-TRJ-1, R-TRJ-2: the
trajectory's shape; R-INT-1), in a budget of Python calls per row."""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.fields import Field

from opstap.accounts.models import User
from opstap.clients.tests.factories import make_client
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories import selectors, services
from opstap.trajectories.api.serializers import TrajectoryDetailSerializer, TrajectorySerializer
from opstap.trajectories.api.views import LIST_COLUMNS
from opstap.trajectories.models import Trajectory

from .conftest import AMS, ORDER_DAY

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _drf(serializer_class: type[serializers.Serializer[Any]], rows: list[Any]) -> list[Any]:
    """What DRF's own `Serializer.to_representation` gives for each row."""
    one = serializer_class()
    return [serializers.Serializer.to_representation(one, row) for row in rows]


@pytest.fixture
def varied(
    org: Organisation,
    case_manager: User,
    product3: Product,
    make_product: Callable[..., Product],
    walk: Callable[..., Trajectory],
    time_machine: Any,
) -> list[Trajectory]:
    """Trajectories of every shape the list shows: ordered with and without a budget, aim
    tiles and a wished start; running (intake, plan and start dates); an hourly product
    (hourly terms, no fixed price); a client with a name prefix."""
    time_machine.move_to(dt.datetime(2026, 4, 21, 10, 0, tzinfo=AMS), tick=False)
    hourly = make_product(product3.provider, 5)
    made = []
    for product, extra in (
        (product3, {"budget": Decimal("1999.95"), "aim_tiles": ["EW04", "EW05"]}),
        (product3, {"wished_start": dt.date(2026, 5, 1), "aim_description": "Werk, ë & 'x'"}),
        (hourly, {"absence_risk": "elevated"}),
        (product3, {}),
    ):
        client = make_client(org, case_manager=case_manager, last_name_prefix="van der")
        made.append(
            services.trajectory_order(
                actor=case_manager,
                client=client,
                product=product,
                rotonde_exit="regular",
                on=ORDER_DAY,
                **extra,
            )
        )
    walk(made[3], "running")
    return made


def test_list_rows_are_what_drf_gives(
    varied: list[Trajectory], provider_user_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: every row as the list reads it (its columns only, the client, product and
    provider joined, marked overdue or not) and as a full instance gives, field for field
    and in the same order, what DRF's `to_representation` gives; no field goes through
    DRF's `get_attribute` (`is_overdue`, which the view sets, is a declared row attribute).
    A full instance, without `is_overdue`, answers DRF's default (False)."""
    listed = list(
        Trajectory.objects.filter(pk__in=[t.pk for t in varied])
        .select_related("client", "product", "provider")
        .only(*LIST_COLUMNS)
        .order_by("pk")
    )
    selectors.mark_overdue(listed, on=TODAY)
    assert any(t.is_overdue for t in listed) and not all(t.is_overdue for t in listed)  # type: ignore[attr-defined]
    full = list(Trajectory.objects.filter(pk__in=[t.pk for t in varied]).order_by("pk"))
    expected = _drf(TrajectorySerializer, listed)
    reads: list[str] = []
    original = Field.get_attribute

    def counted(field: Any, instance: object) -> object:
        reads.append(str(field.field_name))
        return original(field, instance)

    monkeypatch.setattr(Field, "get_attribute", counted)
    planned = TrajectorySerializer(listed, many=True).data
    monkeypatch.undo()
    assert [dict(row) for row in planned] == expected
    assert [list(row) for row in planned] == [list(row) for row in expected]
    assert reads == []
    from_full = [dict(r) for r in TrajectorySerializer(full, many=True).data]
    assert from_full == _drf(TrajectorySerializer, full)
    assert {r["is_overdue"] for r in from_full} == {False}
    assert {r["budget"] for r in expected} >= {"1999.95", None}
    assert any(r["aim_tiles"] == ["EW04", "EW05"] for r in expected)
    assert any(r["start_date"] for r in expected) and any(r["wished_start"] for r in expected)


def test_detail_is_what_drf_gives(varied: list[Trajectory]) -> None:
    """The detail (price terms, deadlines and events: nested serializers, read DRF's way)."""
    rows = list(
        Trajectory.objects.filter(pk__in=[t.pk for t in varied])
        .select_related("client", "product", "provider")
        .prefetch_related("deadlines", "events")
        .order_by("pk")
    )
    planned = [dict(TrajectoryDetailSerializer(row).data) for row in rows]
    assert planned == _drf(TrajectoryDetailSerializer, rows)
    assert {r["price_basis"] for r in planned} == {"fixed", "hourly"}
    assert any(r["hourly_rate"] for r in planned) and all(r["deadlines"] for r in planned)


class _Managed(serializers.ModelSerializer[Trajectory]):
    """A shape with dotted sources through relations that may be empty: the client's case
    manager (a client may have none) in the three ways DRF treats a missing attribute, and
    the trajectory's own case manager (required: an unset one raises DoesNotExist)."""

    manager_name = serializers.CharField(source="client.case_manager.username", default="geen")
    manager_null = serializers.CharField(source="client.case_manager.username", allow_null=True)
    manager_skipped = serializers.CharField(source="client.case_manager.username", required=False)
    orderer = serializers.CharField(source="case_manager.username")

    class Meta:
        model = Trajectory
        fields = ["id", "manager_name", "manager_null", "manager_skipped", "orderer"]


def test_a_missing_attribute_goes_drfs_way(varied: list[Trajectory], case_manager: User) -> None:
    """A row whose relation is empty, and a row that is not a trajectory, are answered as
    DRF answers them: the field's default, None, or no key at all."""
    from opstap.core.api.serializers import PlannedRowsMixin

    class Planned(PlannedRowsMixin, _Managed):
        pass

    related = ("client__case_manager", "case_manager")
    with_manager = Trajectory.objects.select_related(*related).get(pk=varied[0].pk)
    without = Trajectory.objects.select_related(*related).get(pk=varied[1].pk)
    without.client.case_manager = None
    without.case_manager = None
    rows = [with_manager, without]
    assert [dict(Planned(row).data) for row in rows] == _drf(_Managed, rows)
    assert dict(Planned(with_manager).data)["manager_name"] == case_manager.username
    assert dict(Planned(without).data) == {
        "id": without.pk,
        "manager_name": "geen",
        "manager_null": None,
        "orderer": None,
    }
    as_dict: Any = {"id": 7, "client": {"case_manager": None}, "case_manager": {"username": "km"}}
    assert dict(Planned(as_dict).data) == dict(_Managed(as_dict).data)


def _calls_per_request(api: Any, url: str) -> float:
    api.get(url)  # warm: the counts cache, the permission cache
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(3):
        assert api.get(url).status_code == 200
    profile.disable()
    return float(pstats.Stats(profile).total_calls) / 3  # type: ignore[attr-defined]


def test_list_calls_per_row_stay_within_budget(
    api_as: Callable[[User], Any],
    org: Organisation,
    case_manager: User,
    product3: Product,
    provider_user_a: User,
    time_machine: Any,
) -> None:
    """Issue 18: each row of the provider's list costs at most 350 Python calls, its audit
    record included, measured as the difference between a page of 30 rows and one of 10 (the
    request's fixed cost does not count). On SQLite 947 before 7 December 2026 (DRF's field
    machinery per field per row, the renderer's call per value), 314 since."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    for _ in range(30):
        services.trajectory_order(
            actor=case_manager,
            client=make_client(org, case_manager=case_manager),
            product=product3,
            rotonde_exit="regular",
            on=ORDER_DAY,
        )
    api = api_as(provider_user_a)
    ten = _calls_per_request(api, "/api/v1/trajectories?pageSize=10")
    thirty = _calls_per_request(api, "/api/v1/trajectories?pageSize=30")
    per_row = (thirty - ten) / 20
    assert per_row <= 350, per_row


def test_the_list_builds_no_fields_per_request(varied: list[Trajectory]) -> None:
    """Issue 18: the plan of the list's rows is made once per process and serves every
    request's serializer (3,000 Python calls of each list call went to copying and binding
    35 fields only to make the plan again); the rows are still what DRF gives. The detail,
    with nested serializers read DRF's way, keeps making its plan per instance."""
    from opstap.core.api.serializers import PlannedRowsMixin

    rows = list(
        Trajectory.objects.filter(pk__in=[t.pk for t in varied])
        .select_related("client", "product", "provider")
        .only(*LIST_COLUMNS)
        .order_by("pk")
    )
    selectors.mark_overdue(rows, on=TODAY)
    for _ in range(2):
        listed = TrajectorySerializer(rows, many=True)
        assert [dict(r) for r in listed.data] == _drf(TrajectorySerializer, rows)
        assert "fields" not in listed.child.__dict__  # type: ignore[attr-defined]
    shared = PlannedRowsMixin._shared_plans
    assert shared[TrajectorySerializer] is not None
    TrajectoryDetailSerializer(rows[0]).data  # noqa: B018
    assert shared[TrajectoryDetailSerializer] is None


def test_a_field_that_may_read_its_context_is_not_shared(varied: list[Trajectory]) -> None:
    """A shape with a field that is not DRF's own plain kind (here a `CharField` subclass,
    which could read its serializer's context) makes its plan per instance, as before."""
    from opstap.core.api.serializers import CachedFieldsMixin, PlannedRowsMixin

    class Caller(serializers.CharField):
        def to_representation(self, value: Any) -> str:
            return f"{value} voor {self.context.get('who', '?')}"

    class Shaped(PlannedRowsMixin, CachedFieldsMixin, serializers.ModelSerializer[Trajectory]):
        product_name = Caller(source="product.name", read_only=True)

        class Meta:
            model = Trajectory
            fields = ["id", "product_name"]

    row = Trajectory.objects.select_related("product").get(pk=varied[0].pk)
    for who in ("km", "aanbieder"):
        answer = dict(Shaped(row, context={"who": who}).data)
        assert answer["product_name"] == f"{row.product.name} voor {who}"
    assert PlannedRowsMixin._shared_plans[Shaped] is None
