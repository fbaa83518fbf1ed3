"""Schemathesis against the API, in process (WSGI), over every operation of the OpenAPI
document (R-INT-1, R-SEC-6; issue 19 item 10).

Two runs, each with a bearer token: staff with broad API rights (a case manager who is also
contract manager, finance clerk and policy officer: every staff operation is allowed) and a
provider's staff member (most operations refused or scoped). Checks: no server error, only
documented status codes, the documented content type, and a body that matches the documented
schema (problem+json for every error). Bounded and reproducible: a fixed number of examples
per operation, Hypothesis derandomised (no example database), the clock stopped on the demo
day. Slow (a few minutes on the shared machine): marked `schemathesis` and run as its own CI
step, `pytest -m schemathesis -p no:xdist` (see docs/api.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from opstap.access_requests.tests.conftest import _fill, _product, _running
from opstap.accounts.models import User
from opstap.accounts.services import api_token_issue
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Provider

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Examples per operation and run (positive generation: valid by the schema).
EXAMPLES = 10
SCHEMA_URL = "/api/v1/openapi.json"


@dataclass
class Tokens:
    staff: str
    provider: str


@pytest.fixture
def _compile_inline(settings: Any) -> None:
    """Access exports are compiled inline (files go to the test's own directory, as every
    test's do: the root conftest)."""
    settings.OPSTAP_ACCESS_EXPORT_SYNC = True


@pytest.fixture
def api_world(
    demo_today: Any,
    _compile_inline: None,
    org: Organisation,
    make_user: Callable[..., User],
    provider_a: Provider,
) -> Tokens:
    """Two clients, each with a running trajectory at provider A and a row of every kind
    (ladder step, hand-over, budget spending, progress report, appointment, absence, travel
    claim, invoice, signal, outflow premium), set up through the services; one token each
    for the broad staff user and for provider A's staff member."""
    staff = make_user(
        RoleCode.CASE_MANAGER,
        RoleCode.CONTRACT_MANAGER,
        RoleCode.FINANCE_CLERK,
        RoleCode.POLICY_OFFICER,
        username="km",
    )
    other_cm = make_user(RoleCode.CASE_MANAGER, username="km2")
    contract_manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-contract")
    policy = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    provider_user = make_user(RoleCode.PROVIDER_STAFF, username="aanbieder")
    provider_services.provider_add_staff(provider=provider_a, user=provider_user)
    product = _product(provider_a, contract_manager)
    for first, last, tag in [("Anna", "Aalders", "ANNA"), ("Bert", "Bakker", "BERT")]:
        client = make_client(org, case_manager=staff, first_name=first, last_name=last)
        trajectory = _running(staff, provider_user, client, product)
        _fill(staff, provider_user, policy, org, client, trajectory, tag, other_cm)
    _, staff_key = api_token_issue(user=staff, name="schemathesis")
    _, provider_key = api_token_issue(user=provider_user, name="schemathesis")
    return Tokens(staff=staff_key, provider=provider_key)


@dataclass
class Tally:
    operations: int = 0
    examples: int = 0
    failures: list[str] = field(default_factory=list)


def _run(token: str) -> Tally:
    """Every operation of the live schema (the committed one, see test_api_base), each with
    EXAMPLES generated requests; failures are collected per operation."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())
    tally = Tally()
    for result in schema.get_all_operations():
        operation = result.ok()
        tally.operations += 1

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            tally.examples += 1
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:
            tally.failures.append(f"{operation.label}: {exc}")
    return tally


def _report(who: str, tally: Tally, seconds: float) -> None:
    print(
        f"\nschemathesis ({who}): {tally.operations} operations, {tally.examples} requests, "
        f"{len(tally.failures)} failing operations, {seconds:.0f} s"
    )
    assert tally.operations > 80
    assert tally.examples >= tally.operations
    assert tally.failures == [], "\n\n".join(tally.failures)


def test_every_operation_conforms_for_broad_staff(api_world: Tokens) -> None:
    """R-SEC-6, R-INT-1: as staff with every staff role, no request valid by the schema gives
    a 5xx, an undocumented status, another content type or a body outside the schema."""
    start = time.monotonic()
    tally = _run(api_world.staff)
    _report("staff", tally, time.monotonic() - start)


def test_every_operation_conforms_for_a_provider(api_world: Tokens) -> None:
    """R-SEC-6, R-INT-1: the same for a provider's token (refusals are documented 403/404
    problem+json, scoped answers match their schema)."""
    start = time.monotonic()
    tally = _run(api_world.provider)
    _report("provider", tally, time.monotonic() - start)
