"""No input gives a 5xx (R-SEC-6, R-INT-1): every integer path id and query parameter of
the API, and the integer ids of the pages, answer 400/404 for values beyond 64 bits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from opstap.core.roles import RoleCode

SCHEMA = Path(__file__).resolve().parents[1] / "openapi.yaml"
HUGE = [str(2**63), "-9223372036854775809", str(2**64)]


def _integer_operations() -> list[tuple[str, str, str, str]]:
    """(method, path, parameter, location) for every integer parameter in the schema."""
    schema = yaml.safe_load(SCHEMA.read_text())
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            found.extend(
                (method, path, parameter["name"], parameter["in"])
                for parameter in operation.get("parameters", [])
                if parameter.get("schema", {}).get("type") == "integer"
            )
    return found


OPERATIONS = _integer_operations()


def test_the_schema_has_integer_parameters() -> None:
    assert len(OPERATIONS) > 50


def test_integer_parameters_beyond_64_bits_are_a_400(org: Any, make_user: Any) -> None:
    """R-SEC-6, R-INT-1 (issue 19 item 7): 2^63 and beyond in any integer path id or query
    filter gave a 500 (OverflowError / out of range); now a 400 problem+json naming the
    parameter (the id of a path cannot exist: 400 as well)."""
    user = make_user(
        RoleCode.CASE_MANAGER, RoleCode.FINANCE_CLERK, RoleCode.CONTRACT_MANAGER, RoleCode.APP_ADMIN
    )
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    failures = []
    for method, path, name, where in OPERATIONS:
        for value in HUGE[2:] if where == "path" else HUGE[:2]:
            url = path.replace("{id}", "1")
            query: dict[str, str] = {}
            if where == "path":
                url = path.replace("{" + name + "}", value)
            else:
                query[name] = value
            call = getattr(http, method)
            if method == "get":
                response = call(url, query)
            else:
                suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
                response = call(url + suffix, {}, content_type="application/json")
            if response.status_code >= 500 or (
                response.status_code == 400
                and response["Content-Type"] != "application/problem+json"
            ):
                failures.append((method, path, name, value, response.status_code))
            if where == "query" and name not in ("page",) and response.status_code == 400:
                body = response.json()
                assert body["invalidParams"][0]["name"] == name, (path, body)
    assert failures == []


def _page_patterns(resolver: Any = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _page_patterns(pattern, route)
        elif isinstance(pattern, URLPattern) and "<int:" in route and not route.startswith("api/"):
            found.append(route)
    return found


def test_page_ids_beyond_64_bits_are_not_a_500(org: Any, make_user: Any) -> None:
    """R-SEC-6: /klanten/<2^64>/ and every other integer id of a page answers 4xx, not 500."""
    import re

    user = make_user(RoleCode.CASE_MANAGER, RoleCode.APP_ADMIN, RoleCode.FINANCE_CLERK)
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    routes = _page_patterns()
    assert len(routes) > 20
    failures = []
    for route in routes:
        url = "/" + re.sub(r"<int:\w+>", str(2**64), route)
        url = re.sub(r"<\w+:\w+>|<\w+>", "x", url).replace("^", "").replace("$", "")
        status = http.get(url).status_code
        if status >= 500:
            failures.append((url, status))
    assert failures == []


def test_a_query_integer_beyond_64_bits_is_the_dutch_400_page_without_a_traceback(
    org: Any, make_user: Any, caplog: Any
) -> None:
    """R-SEC-6: a page's query parameter beyond 64 bits answers the site's Dutch 400 page; the
    log says so in one warning line, with no traceback (an input the user typed is no error)."""
    import logging

    user = make_user(RoleCode.CASE_MANAGER)
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    with caplog.at_level(logging.INFO):
        response = http.get("/klanten/", {"page": str(2**63)})
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()
    assert not any(record.exc_info for record in caplog.records)
    assert any("out of range" in record.getMessage() for record in caplog.records)
