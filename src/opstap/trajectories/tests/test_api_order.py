"""POST /api/v1/trajectories: a case manager's system orders a trajectory (R-TRJ-1, R-LAD-4,
R-NET-2, R-SEC-1, R-INT-1). The API goes through `services.trajectory_order`, so it refuses
exactly what the order page refuses; these tests pin the API's own part: the shape, the
scope, the status codes and problem+json naming each field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.clients.tests.factories import a_case_manager, make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.trajectories.models import Trajectory

from .conftest import ORDER_DAY

pytestmark = pytest.mark.django_db

URL = "/api/v1/trajectories"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    """The API reads today's date: pin it to the order day (a Tuesday)."""
    noon = dt.datetime.combine(ORDER_DAY, dt.time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(noon, tick=False):
        yield


def _body(who: Client, what: Product, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client": who.pk,
        "product": what.pk,
        "rotondeExit": "regular",
        "aimTiles": ["EW04"],
        "aimDescription": "Werkritme opbouwen richting regulier werk.",
        "wishedStart": "2026-05-11",
        "absenceRisk": "elevated",
        "budget": "2500.00",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not _MISSING}


_MISSING = object()


def _post(api: APIClient, body: Any) -> Any:
    return api.post(URL, body, format="json")


def _names(response: Any) -> list[str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return [p["name"] for p in response.json()["invalidParams"]]


def test_case_manager_orders_through_the_api(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-TRJ-1: the order is placed with everything the order form holds; 201 with Location
    pointing at the new trajectory; the price is the one valid on the order date (R-NET-6);
    a direct product (code 3) gets its intake deadline (R-TRJ-3)."""
    response = _post(api_as(case_manager), _body(client_k, product3))
    assert response.status_code == 201, response.content
    body = response.json()
    trajectory = Trajectory.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/trajectories/{trajectory.pk}"
    assert body["id"] == trajectory.pk
    assert body["state"] == "ordered"
    assert body["client"] == client_k.pk
    assert body["product"] == product3.pk
    assert body["provider"] == product3.provider_id
    assert body["caseManager"] == case_manager.pk
    assert body["rotondeExit"] == "regular"
    assert body["aimTiles"] == ["EW04"]
    assert body["absenceRisk"] == "elevated"
    assert body["wishedStart"] == "2026-05-11"
    assert body["budget"] == "2500.00"
    assert body["price"] == "2500.00"
    assert body["orderDate"] == ORDER_DAY.isoformat()
    assert [d["kind"] for d in body["deadlines"]] == ["intake"]
    assert body["events"][0]["action"] == "order"
    # The same trajectory is then readable at its Location.
    assert api_as(case_manager).get(response["Location"]).status_code == 200


def test_order_is_audited_like_the_page(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-SEC-2: the order leaves one `create` record about the client, by the caller."""
    response = _post(api_as(case_manager), _body(client_k, product3))
    assert response.status_code == 201
    records = AuditRecord.objects.filter(object_type="trajectory", action="create")
    assert [(r.actor_id, r.client_id, str(r.object_id)) for r in records] == [
        (case_manager.pk, client_k.pk, str(response.json()["id"]))
    ]


def test_optional_fields_may_be_left_out(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-TRJ-1: start wish, aim, budget and skip reason are optional, as on the page."""
    body = {
        "client": client_k.pk,
        "product": product3.pk,
        "rotondeExit": "regular",
        "absenceRisk": "none",
    }
    response = _post(api_as(case_manager), body)
    assert response.status_code == 201, response.content
    trajectory = Trajectory.objects.get()
    assert (trajectory.budget, trajectory.wished_start, trajectory.aim_tiles) == (None, None, [])


def test_skipping_an_earlier_exit_needs_a_reason(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-LAD-4: aiming at sheltered work without having tried regular and supported work
    is refused on `rotondeSkipReason`, naming the skipped exits; with a reason it is ordered
    and the reason is kept."""
    api = api_as(case_manager)
    refused = _post(api, _body(client_k, product3, rotondeExit="sheltered"))
    assert refused.status_code == 400
    assert _names(refused) == ["rotondeSkipReason"]
    reason = refused.json()["invalidParams"][0]["reason"]
    assert "Regulier werk" in reason and "Ondersteund werk" in reason
    assert not Trajectory.objects.exists()

    placed = _post(
        api,
        _body(
            client_k,
            product3,
            rotondeExit="sheltered",
            rotondeSkipReason="Medisch advies: regulier en ondersteund werk niet haalbaar.",
        ),
    )
    assert placed.status_code == 201, placed.content
    assert placed.json()["rotondeSkipReason"].startswith("Medisch advies")


def test_every_problem_of_an_order_is_named_at_once(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-TRJ-1, R-LAD-4: an order with a skipped exit, an unknown tile and a start wish before
    the order names all three in one 400, as the order page does; it named only the first, so
    the caller learned of the next problem one attempt at a time."""
    refused = _post(
        api_as(case_manager),
        _body(
            client_k,
            product3,
            rotondeExit="sheltered",
            aimTiles=["EW99"],
            wishedStart="2026-04-01",
        ),
    )
    assert refused.status_code == 400
    assert _names(refused) == ["rotondeSkipReason", "aimTiles", "wishedStart"]
    assert not Trajectory.objects.exists()


def test_an_exit_tried_before_needs_no_reason(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-LAD-4: once regular work was tried (an earlier order), aiming at supported work
    skips nothing."""
    api = api_as(case_manager)
    assert _post(api, _body(client_k, product3)).status_code == 201
    second = _post(api, _body(client_k, product3, rotondeExit="supported"))
    assert second.status_code == 201, second.content


def test_client_out_of_scope_reads_like_a_missing_client(
    api_as: Callable[[User], APIClient],
    make_user: Callable[..., User],
    case_manager: User,
    org: Organisation,
    other_org: Organisation,
    product3: Product,
) -> None:
    """R-SEC-1: a client of another case manager's caseload, of another organisation, or no
    client at all give the same 400 on `client`; nothing is ordered, nothing is revealed."""
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    theirs = make_client(org, case_manager=colleague)
    elsewhere = make_client(other_org, case_manager=a_case_manager(other_org))
    api = api_as(case_manager)
    answers = []
    for client_id in (theirs.pk, elsewhere.pk, 999_999_999):
        response = _post(api, _body(theirs, product3, client=client_id))
        assert response.status_code == 400, response.content
        assert _names(response) == ["client"]
        answers.append(response.json()["invalidParams"])
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0]["code"] == "does_not_exist"
    assert not Trajectory.objects.exists()


def test_product_not_visible_is_a_field_error(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-SEC-1: an unknown product id is a 400 on `product`, not a 404 of the whole call."""
    response = _post(api_as(case_manager), _body(client_k, product3, product=987_654_321))
    assert response.status_code == 400
    assert _names(response) == ["product"]


def test_product_with_lapsed_certificate_cannot_be_ordered(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    contracted_a: Provider,
    make_product: Callable[..., Product],
) -> None:
    """R-NET-2 / R-TRJ-1: a product whose provider's required certificate has expired is
    refused on `product` with the Dutch reason."""
    provider_services.evidence_register(
        actor=None,
        provider=contracted_a,
        kind="certificate",
        certificate_kind="jobcoach",
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2026, 3, 31),
        description="NOLOC-certificaat (verlopen)",
    )
    product = make_product(contracted_a, 3, required_certificate="jobcoach")
    response = _post(api_as(case_manager), _body(client_k, product))
    assert response.status_code == 400
    assert _names(response) == ["product"]
    assert "certificering" in response.json()["invalidParams"][0]["reason"]
    assert not Trajectory.objects.exists()


def test_ended_product_cannot_be_ordered(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
) -> None:
    """R-NET-3 / R-TRJ-1: an ended product is refused on `product`."""
    provider_services.product_end(actor=None, product=product3, reason="Niet meer ingekocht")
    response = _post(api_as(case_manager), _body(client_k, product3))
    assert response.status_code == 400
    assert _names(response) == ["product"]
    assert "beëindigd" in response.json()["invalidParams"][0]["reason"]


BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("client missing", {"client": _MISSING}, "client"),
    ("client not a number", {"client": "abc"}, "client"),
    ("client a list", {"client": [1]}, "client"),
    ("client an object", {"client": {"id": 1}}, "client"),
    ("client a boolean", {"client": True}, "client"),
    ("client negative", {"client": -5}, "client"),
    ("client above 2^63", {"client": 2**64 + 1}, "client"),
    ("client exactly 2^63", {"client": 2**63}, "client"),
    ("client the largest id", {"client": 2**63 - 1}, "client"),
    ("client a float", {"client": 1.5}, "client"),
    ("product missing", {"product": _MISSING}, "product"),
    ("product above 2^63", {"product": 10**30}, "product"),
    ("product null", {"product": None}, "product"),
    ("exit missing", {"rotondeExit": _MISSING}, "rotondeExit"),
    ("exit unknown", {"rotondeExit": "sideways"}, "rotondeExit"),
    ("exit a number", {"rotondeExit": 1}, "rotondeExit"),
    ("absence risk missing", {"absenceRisk": _MISSING}, "absenceRisk"),
    ("absence risk unknown", {"absenceRisk": "extreme"}, "absenceRisk"),
    ("wished start not a date", {"wishedStart": "2026-02-30"}, "wishedStart"),
    ("wished start a number", {"wishedStart": 20260511}, "wishedStart"),
    ("budget negative", {"budget": "-1.00"}, "budget"),
    ("budget not a number", {"budget": "veel"}, "budget"),
    ("budget too large", {"budget": "1e20"}, "budget"),
    ("budget NaN", {"budget": "NaN"}, "budget"),
    ("budget three decimals", {"budget": "10.001"}, "budget"),
    ("aim tiles a string", {"aimTiles": "EW04"}, "aimTiles"),
    ("aim tiles unknown tile", {"aimTiles": ["EW04", "XX99"]}, "aimTiles"),
    ("aim description a list", {"aimDescription": ["a"]}, "aimDescription"),
    ("aim description NUL", {"aimDescription": "a\x00b"}, "aimDescription"),
    ("skip reason too long", {"rotondeSkipReason": "x" * 2001}, "rotondeSkipReason"),
]


@pytest.mark.parametrize(
    ("overrides", "field"), [(o, f) for _, o, f in BAD_INPUT], ids=[n for n, _, _ in BAD_INPUT]
)
def test_bad_input_is_problem_json_naming_the_field(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    client_k: Client,
    product3: Product,
    overrides: dict[str, Any],
    field: str,
) -> None:
    """R-INT-1: wrong types, unknown enums, missing fields and ids beyond 2^63 are 400
    problem+json whose invalidParams name the field; never a 5xx, nothing ordered."""
    response = _post(api_as(case_manager), _body(client_k, product3, **overrides))
    assert response.status_code == 400, response.content
    assert field in _names(response)
    assert response.json()["status"] == 400
    assert not Trajectory.objects.exists()


@pytest.mark.parametrize("body", [[], "tekst", 42, None, [{"client": 1}]])
def test_a_body_that_is_not_an_object_is_400(
    api_as: Callable[[User], APIClient], case_manager: User, body: Any
) -> None:
    """R-INT-1: a JSON array, string, number or null as the body is 400 problem+json."""
    response = _post(api_as(case_manager), body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_malformed_json_is_400(api_as: Callable[[User], APIClient], case_manager: User) -> None:
    """R-INT-1: a body that is not JSON is 400 problem+json."""
    response = api_as(case_manager).post(URL, b"{client: ", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "role",
    [
        RoleCode.PROVIDER_STAFF,
        RoleCode.RESIDENT,
        RoleCode.FINANCE_CLERK,
        RoleCode.CONTRACT_MANAGER,
        RoleCode.POLICY_OFFICER,
        RoleCode.INCOME_COACH,
        RoleCode.APP_ADMIN,
        RoleCode.AUDITOR,
    ],
)
def test_roles_without_the_order_permission_get_403(
    api_as: Callable[[User], APIClient],
    make_user: Callable[..., User],
    provider_a: Provider,
    client_k: Client,
    product3: Product,
    role: RoleCode,
) -> None:
    """R-SEC-1: only `trajectories.order` may order (the matrix in docs/access.md); provider
    staff, residents, finance, contract managers and the rest get 403 problem+json."""
    user = make_user(role, username=f"geen-{role.value}")
    if role == RoleCode.PROVIDER_STAFF:
        provider_services.provider_add_staff(provider=provider_a, user=user)
    response = _post(api_as(user), _body(client_k, product3))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Trajectory.objects.exists()


def test_anonymous_gets_401(client_k: Client, product3: Product) -> None:
    """R-SEC-1: no token, no order."""
    response = _post(APIClient(), _body(client_k, product3))
    assert response.status_code == 401
    assert not Trajectory.objects.exists()


def test_the_order_operation_is_documented() -> None:
    """R-INT-1: the committed OpenAPI document has the operation with its request body."""
    from pathlib import Path

    import yaml

    from opstap.api import urls

    schema = yaml.safe_load((Path(urls.__file__).parent / "openapi.yaml").read_text())
    operation = schema["paths"]["/api/v1/trajectories"]["post"]
    assert "201" in operation["responses"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    required = schema["components"]["schemas"][body.rsplit("/", 1)[1]]["required"]
    assert {"client", "product", "rotondeExit", "absenceRisk"} <= set(required)
