"""The OpenAPI document tells the truth about errors (R-INT-1, R-SEC-6; issue 19 item 10).
Each test below is a difference schemathesis found (test_schemathesis.py), kept as a fast
regression test: fails on the code before the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from opstap.core.roles import RoleCode

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[1] / "openapi.yaml").read_text())
PROBLEM = {"$ref": "#/components/schemas/Problem"}
WRITES = {"post", "put", "patch", "delete"}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in SCHEMA["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def _problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    return body


def test_every_operation_documents_its_problem_responses() -> None:
    """R-INT-1: 401/403 everywhere, 400 on every write and wherever input is sent, 404 on
    every object path and every paged list, 409 on every write; all one Problem schema."""
    operations = _operations()
    assert len(operations) > 80
    missing = []
    for method, path, operation in operations:
        responses = operation["responses"]
        names = {p["name"] for p in operation.get("parameters", [])}
        expected = {"401", "403"}
        if "{" in path or "page" in names:
            expected.add("404")
        if method in WRITES or names or "requestBody" in operation:
            expected.add("400")
        if method in WRITES:
            expected.add("409")
        for code in expected:
            content = responses.get(code, {}).get("content", {})
            if content.get("application/problem+json", {}).get("schema") != PROBLEM:
                missing.append((method, path, code))
        for code, response in responses.items():  # also those an operation names itself
            content = response.get("content", {})
            if (
                code.startswith("4")
                and content.get("application/problem+json", {}).get("schema") != PROBLEM
            ):
                missing.append((method, path, code))
    assert missing == []
    problem = SCHEMA["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail", "instance"]


def test_page_below_one_is_a_400_naming_page_and_beyond_the_last_a_404(
    case_manager: Any, api_as: Any
) -> None:
    """R-SEC-6: page=-3 was a 404 that the schema did not document; now a 400 naming `page`.
    A page beyond the last is the documented 404."""
    api = api_as(case_manager)
    for value in ("-3", "0", "abc", "1.5"):
        response = api.get("/api/v1/municipalities", {"page": value})
        assert response.status_code == 400, value
        assert _problem(response)["invalidParams"][0]["name"] == "page"
    response = api.get("/api/v1/municipalities", {"page": 99})
    assert response.status_code == 404
    _problem(response)
    assert api.get("/api/v1/municipalities", {"page": "last"}).status_code == 200
    parameters = {
        p["name"]: p["schema"]
        for p in SCHEMA["paths"]["/api/v1/municipalities"]["get"]["parameters"]
    }
    assert parameters["page"]["minimum"] == 1
    assert (parameters["pageSize"]["minimum"], parameters["pageSize"]["maximum"]) == (1, 100)


def test_finance_inputs_that_are_not_an_object_are_a_400(make_user: Any, api_as: Any) -> None:
    """R-SEC-6: `{"inputs": 0.01, "name": ...}` stored the scenario and then crashed (500) on
    every finance model; now a 400 naming `inputs`, and the schema says it is an object."""
    api = api_as(make_user(RoleCode.POLICY_OFFICER, RoleCode.FINANCE_CLERK))
    for kind in ("cost-split", "business-cases", "safety-net", "forecasts"):
        for inputs in (0.01, "tekst", [1, 2], None):
            response = api.post(
                f"/api/v1/finance/{kind}", {"name": "x", "inputs": inputs}, format="json"
            )
            assert response.status_code == 400, (kind, inputs, response.status_code)
            assert _problem(response)["invalidParams"][0]["name"] == "inputs"
            response = api.post(
                f"/api/v1/finance/{kind}/_compute", {"inputs": inputs}, format="json"
            )
            assert response.status_code == 400, (kind, inputs)
        assert api.get(f"/api/v1/finance/{kind}").json()["count"] == 0  # nothing half stored
    body = SCHEMA["components"]["schemas"]["ScenarioRequest"]["properties"]["inputs"]
    assert body["type"] == "object"


def test_pay_due_with_keys_that_are_no_client_id_is_a_400(make_user: Any, api_as: Any) -> None:
    """R-SEC-6: `returnedToBenefit` keys that are no client id gave a 500 (int('x'))."""
    api = api_as(make_user(RoleCode.POLICY_OFFICER, RoleCode.FINANCE_CLERK))
    for returned in ({"x": "2026-01-01"}, {"": "2026-01-01"}, {"1" * 30: "2026-01-01"}):
        response = api.post(
            "/api/v1/outflow-premiums/_pay-due",
            {"on": "2026-06-01", "returnedToBenefit": returned},
            format="json",
        )
        assert response.status_code == 400, returned
        assert _problem(response)["invalidParams"][0]["name"] == "returnedToBenefit"
    response = api.post(
        "/api/v1/outflow-premiums/_pay-due",
        {"on": "2026-06-01", "returnedToBenefit": {"12": "2026-01-01"}},
        format="json",
    )
    assert response.status_code == 200


def test_bsn_search_answers_the_documented_list(case_manager: Any, api_as: Any) -> None:
    """R-INT-1: the schema promised a paged object for `_search`, the API answers a list."""
    response = api_as(case_manager).post(
        "/api/v1/clients/_search", {"bsn": "123456782"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == []
    documented = SCHEMA["paths"]["/api/v1/clients/_search"]["post"]["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["type"] == "array"


def test_a_write_refused_by_the_service_is_a_documented_400(make_user: Any, api_as: Any) -> None:
    """R-INT-1: POST /payment-batches without approved invoices answered an undocumented 400."""
    api = api_as(make_user(RoleCode.FINANCE_CLERK))
    response = api.post("/api/v1/payment-batches", {}, format="json")
    assert response.status_code == 400
    _problem(response)
    assert "400" in SCHEMA["paths"]["/api/v1/payment-batches"]["post"]["responses"]


def test_a_proposal_for_a_product_out_of_sight_is_a_documented_404(
    provider_user_a: Any, provider_b: Any, api_as: Any
) -> None:
    """R-SEC-1, R-INT-1: a provider proposing a change to a product it cannot see gets the
    404 of a missing one, now documented on the operation."""
    response = api_as(provider_user_a).post(
        "/api/v1/product-change-proposals", {"productId": 999999, "changes": {}}, format="json"
    )
    assert response.status_code == 404
    _problem(response)
    documented = SCHEMA["paths"]["/api/v1/product-change-proposals"]["post"]["responses"]
    assert documented["404"]["content"]["application/problem+json"]["schema"] == PROBLEM


def test_a_block_for_a_placement_out_of_sight_is_a_documented_404() -> None:
    """R-INT-1: schemathesis (provider token) got an undocumented 404 from POST
    /social-return/blocks with an outcomeId the provider cannot see; now documented."""
    documented = SCHEMA["paths"]["/api/v1/social-return/blocks"]["post"]["responses"]
    assert documented["404"]["content"]["application/problem+json"]["schema"] == PROBLEM
