"""Products and their dated prices through the API: POST/PATCH /api/v1/products and
GET/POST /api/v1/products/{id}/prices (R-NET-4, R-NET-6, R-NET-7, R-SEC-1, R-INT-1).

The API calls the same services as the pages (`product_create`, `product_update`,
`product_price_set`); these tests pin the API's part: who may write, that PATCH changes only
what it was given, and that every refusal is problem+json naming the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers import services
from opstap.providers.models import Product, ProductPrice, Provider, ProviderEvent

from .conftest import TODAY

pytestmark = pytest.mark.django_db

URL = "/api/v1/products"
_MISSING = object()


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    """The API reads today's date (price today, orderability): pin it."""
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(noon, tick=False):
        yield


def _new(of: Provider, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "provider": of.pk,
        "name": "Werkfit Duiven",
        "description": "Werkritme opdoen in een leerwerkbedrijf.",
        "productCode": 3,
        "priceType": "fixed",
        "serviceKind": "general",
        "price": "2500.00",
        "priceValidFrom": "2026-01-01",
        "nominalDurationDays": 182,
        "capacity": 12,
        "requiredCertificate": "",
        "tiles": ["EW04"],
        "targetGroups": ["work_perspective"],
        "ladderSteps": ["4", "5"],
        "locations": [{"city": "Duiven", "address": "Rijnstraat 1"}],
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not _MISSING}


def _names(response: Any) -> list[str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return [p["name"] for p in response.json()["invalidParams"]]


def _reason(response: Any, field: str) -> str:
    return next(p["reason"] for p in response.json()["invalidParams"] if p["name"] == field)


# --- POST /products (R-NET-4) ---------------------------------------------------------------


def test_contract_manager_creates_a_product(
    api_as: Callable[[User], APIClient], contract_manager: User, contracted_a: Provider
) -> None:
    """R-NET-4: every field of the product is stored; the first price is a dated row
    (R-NET-6); 201 with Location; an event and an audit line record who did it."""
    response = api_as(contract_manager).post(URL, _new(contracted_a), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    product = Product.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/products/{product.pk}"
    assert body["id"] == product.pk
    assert body["providerId"] == contracted_a.pk
    assert body["name"] == "Werkfit Duiven"
    assert body["productCode"] == 3
    assert body["priceType"] == "fixed"
    assert body["priceToday"] == "2500.00"
    assert body["nominalDurationDays"] == 182
    assert body["capacity"] == 12
    assert body["tiles"] == ["EW04"]
    assert body["targetGroups"] == ["work_perspective"]
    assert sorted(body["ladderSteps"]) == ["4", "5"]
    assert body["locations"][0]["city"] == "Duiven"
    assert body["locations"][0]["municipalityId"] is not None
    prices = list(ProductPrice.objects.filter(product=product).values_list("amount", "valid_from"))
    assert prices == [(Decimal("2500.00"), dt.date(2026, 1, 1))]
    assert ProviderEvent.objects.filter(kind="product_created", actor=contract_manager).exists()
    audit = AuditRecord.objects.get(object_type="product", action="create")
    assert (audit.actor_id, str(audit.object_id)) == (contract_manager.pk, str(product.pk))
    assert api_as(contract_manager).get(response["Location"]).status_code == 200


def test_variable_product_needs_no_price(
    api_as: Callable[[User], APIClient], contract_manager: User, contracted_a: Provider
) -> None:
    """R-NET-4: a variable (quote) product is created without a price."""
    body = _new(contracted_a, productCode=2, priceType="variable", price=None)
    response = api_as(contract_manager).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["priceToday"] is None
    assert not ProductPrice.objects.exists()


def test_hourly_rate_above_the_ceiling_is_refused_on_create(
    api_as: Callable[[User], APIClient], contract_manager: User, contracted_a: Provider
) -> None:
    """R-NET-7: a jobcoaching rate above the ceiling valid on the price's start date is
    refused on `price` with the ceiling in the message; at the ceiling it is accepted."""
    api = api_as(contract_manager)
    coaching = {"productCode": 5, "priceType": "hourly", "serviceKind": "jobcoaching"}
    refused = api.post(URL, _new(contracted_a, price="80.01", **coaching), format="json")
    assert refused.status_code == 400
    assert _names(refused) == ["price"]
    assert "maximum uurtarief" in _reason(refused, "price")
    assert "80,00" in _reason(refused, "price")
    assert not Product.objects.exists()
    accepted = api.post(URL, _new(contracted_a, price="80.00", **coaching), format="json")
    assert accepted.status_code == 201, accepted.content


def test_jobcoaching_must_be_hourly(
    api_as: Callable[[User], APIClient], contract_manager: User, contracted_a: Provider
) -> None:
    """R-NET-7: jobcoaching at a fixed price is refused on `priceType`."""
    body = _new(contracted_a, serviceKind="jobcoaching", priceType="fixed", price="80.00")
    response = api_as(contract_manager).post(URL, body, format="json")
    assert response.status_code == 400
    assert _names(response) == ["priceType"]


def test_provider_of_another_organisation_reads_like_a_missing_one(
    api_as: Callable[[User], APIClient],
    contract_manager: User,
    contracted_a: Provider,
    other_org: Organisation,
) -> None:
    """R-SEC-1: a provider outside the caller's organisation and a provider that does not
    exist give the same 400 on `provider`."""
    elsewhere = services.provider_create(organisation=other_org, name="Elders B.V.")
    api = api_as(contract_manager)
    answers = []
    for provider_id in (elsewhere.pk, 999_999_999):
        response = api.post(URL, _new(contracted_a, provider=provider_id), format="json")
        assert response.status_code == 400
        assert _names(response) == ["provider"]
        answers.append(response.json()["invalidParams"])
    assert answers[0] == answers[1]
    assert not Product.objects.exists()


CREATE_BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("provider missing", {"provider": _MISSING}, "provider"),
    ("provider above 2^63", {"provider": 2**64}, "provider"),
    ("provider a string", {"provider": "Werkkracht"}, "provider"),
    ("name missing", {"name": _MISSING}, "name"),
    ("name empty", {"name": ""}, "name"),
    ("name too long", {"name": "x" * 201}, "name"),
    ("product code unknown", {"productCode": 9}, "productCode"),
    ("product code a list", {"productCode": [3]}, "productCode"),
    ("price type unknown", {"priceType": "barter"}, "priceType"),
    ("service kind unknown", {"serviceKind": "catering"}, "serviceKind"),
    ("price negative", {"price": "-1.00"}, "price"),
    ("price zero", {"price": "0"}, "price"),
    ("price a word", {"price": "duur"}, "price"),
    ("price too many digits", {"price": "123456789012.00"}, "price"),
    ("price a million", {"price": "1000000.00"}, "price"),
    ("price missing for fixed", {"price": None}, "price"),
    ("price valid from not a date", {"priceValidFrom": "2026-02-30"}, "priceValidFrom"),
    ("price valid from missing", {"priceValidFrom": _MISSING}, "priceValidFrom"),
    ("duration zero", {"nominalDurationDays": 0}, "nominalDurationDays"),
    ("duration huge", {"nominalDurationDays": 2**70}, "nominalDurationDays"),
    ("duration a word", {"nominalDurationDays": "lang"}, "nominalDurationDays"),
    ("capacity zero", {"capacity": 0}, "capacity"),
    ("certificate unknown", {"requiredCertificate": "rijbewijs"}, "requiredCertificate"),
    ("tiles empty", {"tiles": []}, "tiles"),
    ("tiles a string", {"tiles": "EW04"}, "tiles"),
    ("tile unknown", {"tiles": ["EW04", "XX99"]}, "tiles"),
    ("tile not purchasable", {"tiles": ["EW01"]}, "tiles"),
    ("tiles of both kinds", {"tiles": ["EW04", "DW02"]}, "tiles"),
    ("target group unknown", {"targetGroups": ["aliens"]}, "targetGroups"),
    ("ladder step unknown", {"ladderSteps": ["9"]}, "ladderSteps"),
    ("locations empty", {"locations": []}, "locations"),
    ("location without city", {"locations": [{"address": "Rijnstraat 1"}]}, "locations"),
    ("locations strings", {"locations": ["Duiven"]}, "locations"),
]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [(o, f) for _, o, f in CREATE_BAD_INPUT],
    ids=[n for n, _, _ in CREATE_BAD_INPUT],
)
def test_create_bad_input_is_problem_json_naming_the_field(
    api_as: Callable[[User], APIClient],
    contract_manager: User,
    contracted_a: Provider,
    overrides: dict[str, Any],
    field: str,
) -> None:
    """R-INT-1 / R-NET-4: bad input is 400 problem+json with the field in invalidParams
    (nested fields start with it, e.g. `locations.0.city`); never a 5xx; nothing stored."""
    response = api_as(contract_manager).post(URL, _new(contracted_a, **overrides), format="json")
    assert response.status_code == 400, response.content
    names = _names(response)
    assert any(n == field or n.startswith(f"{field}.") for n in names), names
    assert not Product.objects.exists()


# --- PATCH /products/{id} (only what was given) -----------------------------------------------


@pytest.fixture
def product(contracted_a: Provider, make_product: Callable[..., Product]) -> Product:
    return make_product(
        contracted_a,
        name="Werkfit-traject",
        description="Oorspronkelijke omschrijving.",
        capacity=10,
        required_certificate="",
    )


def _snapshot(product: Product) -> dict[str, Any]:
    product = Product.objects.get(pk=product.pk)
    return {
        "name": product.name,
        "description": product.description,
        "nominal_duration_days": product.nominal_duration_days,
        "capacity": product.capacity,
        "required_certificate": product.required_certificate,
        "vat_code": product.vat_code,
        "product_code": product.product_code.code,
        "price_type": product.price_type,
        "service_kind": product.service_kind,
        "status": product.status,
        "tiles": sorted(product.tiles.values_list("code", flat=True)),
        "target_groups": sorted(product.target_groups.values_list("code", flat=True)),
        "ladder_steps": sorted(product.ladder_steps.values_list("step", flat=True)),
        "locations": sorted(product.locations.values_list("city", "address")),
        "prices": list(product.prices.order_by("valid_from").values_list("amount", "valid_from")),
    }


def test_patch_changes_only_the_fields_given(
    api_as: Callable[[User], APIClient], contract_manager: User, product: Product
) -> None:
    """R-NET-4: PATCH with one field changes that field and nothing else (not the other
    descriptive fields, not the relations, not the prices); the event and the audit line
    hold only that change."""
    before = _snapshot(product)
    api = api_as(contract_manager)
    response = api.patch(f"{URL}/{product.pk}", {"name": "Werkfit Plus"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Werkfit Plus"
    after = _snapshot(product)
    assert after == {**before, "name": "Werkfit Plus"}
    event = ProviderEvent.objects.filter(kind="product_changed").get()
    assert event.data["old"] == {"name": "Werkfit-traject"}
    assert event.data["new"] == {"name": "Werkfit Plus"}
    audit = AuditRecord.objects.get(object_type="product", action="update")
    assert set(audit.changes) == {"name"}


def test_patch_replaces_a_relation_and_keeps_the_rest(
    api_as: Callable[[User], APIClient], contract_manager: User, product: Product
) -> None:
    """R-NET-4: sending `tiles` replaces the tiles; locations, groups, steps and the
    descriptive fields stay as they were. `capacity: null` makes it unlimited."""
    before = _snapshot(product)
    api = api_as(contract_manager)
    response = api.patch(
        f"{URL}/{product.pk}", {"tiles": ["EW05", "EW06"], "capacity": None}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["tiles"] == ["EW05", "EW06"]
    assert _snapshot(product) == {**before, "tiles": ["EW05", "EW06"], "capacity": None}
    response = api.patch(
        f"{URL}/{product.pk}",
        {"locations": [{"city": "Zevenaar", "address": "Hoofdstraat 10"}], "ladderSteps": []},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert _snapshot(product) == {
        **before,
        "tiles": ["EW05", "EW06"],
        "capacity": None,
        "locations": [("Zevenaar", "Hoofdstraat 10")],
        "ladder_steps": [],
    }


def test_empty_patch_changes_nothing(
    api_as: Callable[[User], APIClient], contract_manager: User, product: Product
) -> None:
    """R-NET-4: PATCH {} answers the product as it is and records no change."""
    before = _snapshot(product)
    response = api_as(contract_manager).patch(f"{URL}/{product.pk}", {}, format="json")
    assert response.status_code == 200
    assert _snapshot(product) == before
    assert not ProviderEvent.objects.filter(kind="product_changed").exists()


PATCH_BAD_INPUT: list[tuple[str, dict[str, Any], str, str]] = [
    ("price is never overwritten", {"price": "3000.00"}, "price", "nieuwe prijs"),
    ("price date neither", {"priceValidFrom": "2027-01-01"}, "priceValidFrom", "nieuwe prijs"),
    ("product code fixed", {"productCode": 4}, "productCode", "ligt vast"),
    ("price type fixed", {"priceType": "hourly"}, "priceType", "ligt vast"),
    ("service kind fixed", {"serviceKind": "jobcoaching"}, "serviceKind", "ligt vast"),
    ("provider fixed", {"provider": 1}, "provider", "aanbieder"),
    ("unknown field", {"colour": "blauw"}, "colour", "Onbekend"),
    ("name empty", {"name": "  "}, "name", ""),
    ("name null", {"name": None}, "name", ""),
    ("duration negative", {"nominalDurationDays": -3}, "nominalDurationDays", ""),
    ("capacity a word", {"capacity": "veel"}, "capacity", ""),
    ("tiles empty", {"tiles": []}, "tiles", ""),
    ("tile unknown", {"tiles": ["XX99"]}, "tiles", "XX99"),
    ("target group unknown", {"targetGroups": ["aliens"]}, "targetGroups", ""),
    ("locations empty", {"locations": []}, "locations", ""),
    ("certificate unknown", {"requiredCertificate": "rijbewijs"}, "requiredCertificate", ""),
]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [(b, f, w) for _, b, f, w in PATCH_BAD_INPUT],
    ids=[n for n, _, _, _ in PATCH_BAD_INPUT],
)
def test_patch_bad_input_names_the_field_and_changes_nothing(
    api_as: Callable[[User], APIClient],
    contract_manager: User,
    product: Product,
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    """R-INT-1 / R-NET-6: a fixed field (price, code, price type, service kind, provider),
    an unknown field or a bad value is 400 problem+json on that field; the product is
    unchanged. A price is never overwritten: the message points to the prices resource."""
    before = _snapshot(product)
    response = api_as(contract_manager).patch(f"{URL}/{product.pk}", body, format="json")
    assert response.status_code == 400, response.content
    params = response.json()["invalidParams"]
    assert response["Content-Type"] == "application/problem+json"
    reasons = [p["reason"] for p in params if p["name"].split(".")[0] == field]
    assert reasons, params
    assert any(words in reason for reason in reasons)
    assert _snapshot(product) == before


def test_patch_a_name_of_another_field_mix_is_refused_whole(
    api_as: Callable[[User], APIClient], contract_manager: User, product: Product
) -> None:
    """R-NET-4: one bad field refuses the whole PATCH; the good field is not half-written."""
    before = _snapshot(product)
    response = api_as(contract_manager).patch(
        f"{URL}/{product.pk}", {"name": "Nieuw", "tiles": ["XX99"]}, format="json"
    )
    assert response.status_code == 400
    assert _names(response) == ["tiles"]
    assert _snapshot(product) == before


# --- Prices as a sub-resource (R-NET-6, R-NET-7) ---------------------------------------------


def test_a_new_price_adds_a_validity_period(
    api_as: Callable[[User], APIClient], contract_manager: User, product: Product
) -> None:
    """R-NET-6: POST /prices adds a dated row; the previous price ends the day before and is
    kept; GET /prices lists both, newest first."""
    api = api_as(contract_manager)
    url = f"{URL}/{product.pk}/prices"
    response = api.post(url, {"amount": "2600.00", "validFrom": "2027-01-01"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "2600.00"
    assert response.json()["validFrom"] == "2027-01-01"
    rows = api.get(url).json()
    assert [(r["amount"], r["validFrom"], r["validUntil"]) for r in rows] == [
        ("2600.00", "2027-01-01", None),
        ("2500.00", "2024-01-01", "2026-12-31"),
    ]
    # Today (2026-11-22) the old price still applies.
    assert api.get(f"{URL}/{product.pk}").json()["priceToday"] == "2500.00"
    audit = AuditRecord.objects.get(object_type="product", action="update")
    assert audit.actor_id == contract_manager.pk


@pytest.mark.parametrize("valid_from", ["2024-01-01", "2023-06-01"])
def test_a_price_never_rewrites_history(
    api_as: Callable[[User], APIClient],
    contract_manager: User,
    product: Product,
    valid_from: str,
) -> None:
    """R-NET-6: a price starting on or before the latest one is refused on `validFrom`;
    the history is unchanged."""
    before = _snapshot(product)["prices"]
    response = api_as(contract_manager).post(
        f"{URL}/{product.pk}/prices", {"amount": "100.00", "validFrom": valid_from}, format="json"
    )
    assert response.status_code == 400
    assert _names(response) == ["validFrom"]
    assert "eerdere prijzen blijven bewaard" in _reason(response, "validFrom")
    assert _snapshot(product)["prices"] == before


def test_hourly_rate_above_the_ceiling_on_its_date_is_refused(
    api_as: Callable[[User], APIClient], contract_manager: User, jobcoaching_zevenaar: Product
) -> None:
    """R-NET-7: a new jobcoaching rate above the ceiling valid on its start date is refused
    on `amount` with the ceiling in the message; at the ceiling it is added."""
    api = api_as(contract_manager)
    url = f"{URL}/{jobcoaching_zevenaar.pk}/prices"
    refused = api.post(url, {"amount": "80.50", "validFrom": "2027-01-01"}, format="json")
    assert refused.status_code == 400
    assert _names(refused) == ["amount"]
    reason = _reason(refused, "amount")
    assert "maximum uurtarief" in reason and "80,00" in reason
    assert ProductPrice.objects.filter(product=jobcoaching_zevenaar).count() == 1
    accepted = api.post(url, {"amount": "80.00", "validFrom": "2027-01-01"}, format="json")
    assert accepted.status_code == 201, accepted.content


PRICE_BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("amount missing", {"validFrom": "2027-01-01"}, "amount"),
    ("amount negative", {"amount": "-5", "validFrom": "2027-01-01"}, "amount"),
    ("amount zero", {"amount": "0.00", "validFrom": "2027-01-01"}, "amount"),
    ("amount a word", {"amount": "gratis", "validFrom": "2027-01-01"}, "amount"),
    ("amount three decimals", {"amount": "1.005", "validFrom": "2027-01-01"}, "amount"),
    ("amount a list", {"amount": ["1"], "validFrom": "2027-01-01"}, "amount"),
    ("valid from missing", {"amount": "10.00"}, "validFrom"),
    ("valid from not a date", {"amount": "10.00", "validFrom": "1-1-2027"}, "validFrom"),
    ("valid from a number", {"amount": "10.00", "validFrom": 20270101}, "validFrom"),
]


@pytest.mark.parametrize(
    ("body", "field"),
    [(b, f) for _, b, f in PRICE_BAD_INPUT],
    ids=[n for n, _, _ in PRICE_BAD_INPUT],
)
def test_price_bad_input_names_the_field(
    api_as: Callable[[User], APIClient],
    contract_manager: User,
    product: Product,
    body: dict[str, Any],
    field: str,
) -> None:
    """R-INT-1: bad price input is 400 problem+json on the field; no price is added."""
    response = api_as(contract_manager).post(f"{URL}/{product.pk}/prices", body, format="json")
    assert response.status_code == 400, response.content
    assert field in _names(response)
    assert ProductPrice.objects.filter(product=product).count() == 1


# --- Who may write (R-SEC-1) ------------------------------------------------------------------

NOT_WRITERS = [
    RoleCode.CASE_MANAGER,
    RoleCode.INCOME_COACH,
    RoleCode.POLICY_OFFICER,
    RoleCode.FINANCE_CLERK,
    RoleCode.PROVIDER_STAFF,
    RoleCode.RESIDENT,
    RoleCode.APP_ADMIN,
    RoleCode.AUDITOR,
]


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_contract_managers_write_products_and_prices(
    api_as: Callable[[User], APIClient],
    make_user: Callable[..., User],
    contracted_a: Provider,
    product: Product,
    role: RoleCode,
) -> None:
    """R-SEC-1: without `providers.manage` creating, changing and pricing a product is 403
    problem+json, even for the provider's own staff (they propose changes instead)."""
    user = make_user(role, username=f"niet-{role.value}")
    if role == RoleCode.PROVIDER_STAFF:
        services.provider_add_staff(provider=contracted_a, user=user)
    before = _snapshot(product)
    api = api_as(user)
    calls = [
        api.post(URL, _new(contracted_a), format="json"),
        api.patch(f"{URL}/{product.pk}", {"name": "Gekaapt"}, format="json"),
        api.post(
            f"{URL}/{product.pk}/prices",
            {"amount": "1.00", "validFrom": "2027-01-01"},
            format="json",
        ),
    ]
    for response in calls:
        assert response.status_code == 403, (role, response.status_code)
        assert response["Content-Type"] == "application/problem+json"
    assert Product.objects.count() == 1
    assert _snapshot(product) == before


def test_contract_manager_of_another_organisation_gets_404(
    api_as: Callable[[User], APIClient],
    make_user: Callable[..., User],
    other_org: Organisation,
    product: Product,
) -> None:
    """R-SEC-1: another organisation's contract manager cannot find the product to change
    or price it (404, as for an id that does not exist)."""
    outsider = make_user(RoleCode.CONTRACT_MANAGER, organisation=other_org, username="cm-elders")
    before = _snapshot(product)
    api = api_as(outsider)
    assert api.patch(f"{URL}/{product.pk}", {"name": "X"}, format="json").status_code == 404
    response = api.post(
        f"{URL}/{product.pk}/prices", {"amount": "1.00", "validFrom": "2027-01-01"}, format="json"
    )
    assert response.status_code == 404
    assert api.get(f"{URL}/{product.pk}/prices").status_code == 404
    assert _snapshot(product) == before


def test_anonymous_cannot_write(product: Product, contracted_a: Provider) -> None:
    """R-SEC-1: no token, 401."""
    api = APIClient()
    assert api.post(URL, _new(contracted_a), format="json").status_code == 401
    assert api.patch(f"{URL}/{product.pk}", {"name": "X"}, format="json").status_code == 401


def test_provider_staff_read_prices_of_their_own_products_only(
    api_as: Callable[[User], APIClient],
    provider_user_a: User,
    provider_user_b: User,
    product: Product,
) -> None:
    """R-SEC-1: provider staff read the price history of their own products; another
    provider's product is 404."""
    own = api_as(provider_user_a).get(f"{URL}/{product.pk}/prices")
    assert own.status_code == 200
    assert [row["amount"] for row in own.json()] == ["2500.00"]
    assert api_as(provider_user_b).get(f"{URL}/{product.pk}/prices").status_code == 404


# --- The list: constant queries ----------------------------------------------------------------


def test_product_list_query_count_is_constant(
    api_as: Callable[[User], APIClient],
    contract_manager: User,
    contracted_a: Provider,
    make_product: Callable[..., Product],
) -> None:
    """R-NET-5: GET /api/v1/products costs the same number of queries for 2 or 10 products
    (tiles, locations, groups and steps prefetched; the price of today annotated)."""
    api = api_as(contract_manager)

    def make(first: int, n: int) -> None:
        for i in range(first, first + n):
            make_product(contracted_a, name=f"Product {i:02d}")

    make(0, 2)
    api.get(URL)  # warm the per-user caches
    with CaptureQueriesContext(connection) as small:
        assert api.get(URL).json()["count"] == 2
    make(2, 8)
    with CaptureQueriesContext(connection) as large:
        body = api.get(URL).json()
    assert body["count"] == 10
    assert all(row["tiles"] == ["EW04"] and row["locations"] for row in body["results"])
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_product_operations_are_documented() -> None:
    """R-INT-1: the committed OpenAPI document has the write operations."""
    from pathlib import Path

    import yaml

    from opstap.api import urls

    schema = yaml.safe_load((Path(urls.__file__).parent / "openapi.yaml").read_text())
    paths = schema["paths"]
    assert "201" in paths["/api/v1/products"]["post"]["responses"]
    assert "patch" in paths["/api/v1/products/{id}"]
    assert "put" not in paths["/api/v1/products/{id}"]
    assert {"get", "post"} <= set(paths["/api/v1/products/{id}/prices"])


@pytest.mark.parametrize("role", [RoleCode.CASE_MANAGER, RoleCode.PROVIDER_STAFF])
def test_the_services_refuse_writers_without_the_permission(
    make_user: Callable[..., User],
    contracted_a: Provider,
    product: Product,
    role: RoleCode,
) -> None:
    """R-SEC-1 / R-NET-4: the check is in the services too, so no other caller (page,
    importer, API) can write a product or price for someone without `providers.manage`."""
    user = make_user(role, username=f"dienst-{role.value}")
    before = _snapshot(product)
    with pytest.raises(services.ProviderError, match="contractmanager"):
        services.product_update(actor=user, product=product, changes={"name": "X"})
    with pytest.raises(services.ProviderError, match="contractmanager"):
        services.product_price_set(
            actor=user, product=product, amount=Decimal("1.00"), valid_from=dt.date(2027, 1, 1)
        )
    with pytest.raises(services.ProviderError, match="contractmanager"):
        services.product_create(
            actor=user,
            provider=contracted_a,
            name="X",
            product_code=3,
            tile_codes=["EW04"],
            price_type="fixed",
            price=Decimal("10.00"),
            price_valid_from=dt.date(2026, 1, 1),
            nominal_duration_days=10,
            locations=[services.LocationInput(city="Duiven")],
        )
    assert _snapshot(product) == before


def test_an_ended_product_is_found_by_id_but_not_in_the_guide(
    api_as: Callable[[User], APIClient], contract_manager: User, product: Product
) -> None:
    """R-NET-4 / R-NET-5: the list is the guide (orderable products only); by id a product
    is shown with its status, so a contract manager can still read and price it."""
    services.product_end(actor=contract_manager, product=product, reason="Niet meer ingekocht")
    api = api_as(contract_manager)
    assert api.get(URL).json()["count"] == 0
    response = api.get(f"{URL}/{product.pk}")
    assert response.status_code == 200
    assert response.json()["status"] == "ended"


# --- VAT category (R-BILL-11) ----------------------------------------------------------------


def test_the_vat_category_is_recorded_and_changed_alone(
    api_as: Callable[[User], APIClient], contract_manager: User, contracted_a: Provider
) -> None:
    """R-BILL-11: the contract manager records a product's VAT category (high by default);
    PATCH changes that and nothing else; an unknown category names the field."""
    api = api_as(contract_manager)
    plain = api.post(URL, _new(contracted_a), format="json")
    assert plain.json()["vatCode"] == "high"
    created = api.post(URL, _new(contracted_a, name="Vrijgesteld", vatCode="exempt"), format="json")
    assert created.status_code == 201, created.content
    product = Product.objects.get(pk=created.json()["id"])
    assert (created.json()["vatCode"], product.vat_code) == ("exempt", "exempt")
    before = _snapshot(product)
    changed = api.patch(f"{URL}/{product.pk}", {"vatCode": "low"}, format="json")
    assert changed.status_code == 200, changed.content
    assert _snapshot(product) == {**before, "vat_code": "low"}
    audit = AuditRecord.objects.filter(object_type="product", action="update").get()
    assert audit.changes == {"vat_code": ["exempt", "low"]}
    wrong = api.patch(f"{URL}/{product.pk}", {"vatCode": "zero"}, format="json")
    assert wrong.status_code == 400
    assert _names(wrong) == ["vatCode"]
    assert Product.objects.get(pk=product.pk).vat_code == "low"


def test_a_provider_cannot_set_its_own_vat_category(
    api_as: Callable[[User], APIClient], provider_user_a: User, product: Product
) -> None:
    """R-BILL-11: the category the invoice check expects is not the provider's to change."""
    response = api_as(provider_user_a).patch(
        f"{URL}/{product.pk}", {"vatCode": "exempt"}, format="json"
    )
    assert response.status_code in (403, 404)
    assert Product.objects.get(pk=product.pk).vat_code == "high"
