"""`POST /api/v1/payment-rules/_evaluate` (issue 12): the payment rules as a stateless service.

The endpoint must give the answer the invoice check gives for the same facts: the tests build
real trajectories through the services, let the invoice check judge an invoice, then post the
trajectory's facts (price terms, dated history, logbook, what was invoiced before) and compare.
Bad input is problem+json naming the field, never a server error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.invoices.payment_rules import ceiling_on
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import END, REPORT, make_product, submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/payment-rules/_evaluate"


def body_from(trajectory: Trajectory, invoice: Invoice) -> dict[str, Any]:
    """The facts of a stored trajectory, as a provider system would post them."""
    trajectory.refresh_from_db()
    events: list[dict[str, Any]] = [{"kind": "ordered", "date": str(trajectory.order_date)}]
    if trajectory.intake_held_on:
        events.append({"kind": "intake", "date": str(trajectory.intake_held_on)})
    if trajectory.plan_approved_on:
        events.append({"kind": "plan_approved", "date": str(trajectory.plan_approved_on)})
    if trajectory.start_date:
        events.append(
            {
                "kind": "started",
                "date": str(trajectory.start_date),
                "plannedEnd": str(trajectory.planned_end_date),
            }
        )
    if trajectory.state in ("completed", "final_report_received", "handed_over"):
        events.append({"kind": "completed", "date": str(trajectory.actual_end_date)})
    if trajectory.final_report_on:
        events.append({"kind": "final_report", "date": str(trajectory.final_report_on)})
    earlier = [
        {
            "milestone": i.milestone,
            "amountExcl": str(i.amount_excl),
            "periodStart": str(i.period_start) if i.period_start else None,
        }
        for i in trajectory.invoices.exclude(pk=invoice.pk).filter(
            status__in=["checked", "approved", "in_batch", "paid"]
        )
    ]
    terms = {
        "basis": trajectory.price_basis,
        "price": str(trajectory.price) if trajectory.price is not None else None,
        "hourlyRate": str(trajectory.hourly_rate) if trajectory.hourly_rate else None,
        "agreedHours": str(trajectory.agreed_hours) if trajectory.agreed_hours else None,
        "budgetCap": str(trajectory.budget_cap) if trajectory.budget_cap else None,
    }
    return {
        "productCode": trajectory.product_code,
        "priceTerms": terms,
        "events": events,
        "asOf": str(invoice.invoice_date),
        "hoursLogbook": invoice.logbook,
        "alreadyInvoiced": earlier,
    }


def answer_for(api: APIClient, trajectory: Trajectory, invoice: Invoice) -> dict[str, Any]:
    response = api.post(URL, body_from(trajectory, invoice), format="json")
    assert response.status_code == 200, response.content
    period = str(invoice.period_start) if invoice.milestone == "jobcoaching_quarter" else None
    rows = [
        m
        for m in response.json()["milestones"]
        if m["milestone"] == invoice.milestone and (period is None or m["periodStart"] == period)
    ]
    assert len(rows) == 1, rows
    return dict(rows[0])


def assert_same_answer(answer: dict[str, Any], invoice: Invoice) -> None:
    """The endpoint and the stored check agree: amount allowed, or the refusal's reasons."""
    if invoice.allowed_excl is not None:
        assert answer["invoiceable"] is True
        assert Decimal(answer["amountExcl"]) == invoice.allowed_excl
    else:
        assert answer["invoiceable"] is False
        assert {r["code"] for r in answer["reasons"]} <= {r["code"] for r in invoice.reasons}


@pytest.fixture
def api(api_as: Callable[[User], APIClient], provider_user_a: User) -> APIClient:
    return api_as(provider_user_a)


def test_evaluate_gives_the_invoice_checks_answer_code3(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    clerk: User,
    api: APIClient,
) -> None:
    """R-BILL-1, R-BILL-2: first instalment, the final one after the report (with the first
    already invoiced) and a final one while running: the endpoint says what the check says."""
    done = walk(
        make_product(contracted_a, 3),
        provider_user_a,
        client_k,
        until="final_report_received",
        end_on=END,
        report_on=REPORT,
    )
    first = submit(
        provider_user_a, done, invoice_number="F-0", milestone="plan_approved",
        invoice_date=dt.date(2026, 5, 8),
    )  # fmt: skip
    assert_same_answer(answer_for(api, done, first), first)
    services.invoice_approve(actor=clerk, invoice=first)
    second = submit(provider_user_a, done)
    assert second.allowed_excl == Decimal("1250.00")
    assert_same_answer(answer_for(api, done, second), second)


def test_evaluate_gives_the_invoice_checks_answer_refusal(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    api: APIClient,
) -> None:
    """R-BILL-1: the final instalment of a running trajectory is refused by both, with the
    same reason code."""
    running = walk(make_product(contracted_a, 3), provider_user_a, client_k)
    early = submit(provider_user_a, running, invoice_date=dt.date(2026, 6, 1))
    assert early.allowed_excl is None and early.verdict == "red"
    answer = answer_for(api, running, early)
    assert [r["code"] for r in answer["reasons"]] == ["traject_loopt_nog"]
    assert_same_answer(answer, early)


def test_evaluate_gives_the_invoice_checks_answer_jobcoaching(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
    api: APIClient,
) -> None:
    """R-BILL-7: a jobcoaching quarter with a logbook: hours x agreed rate from the quote,
    the same amount from the endpoint as from the invoice check."""
    product = make_product(contracted_a, 5, price=Decimal("72.50"))
    trajectory = walk(product, provider_user_a, client_k)
    invoice = submit(
        provider_user_a,
        trajectory,
        milestone="jobcoaching_quarter",
        period_start=dt.date(2026, 5, 6),
        period_end=dt.date(2026, 8, 5),
        logbook=[{"date": "2026-06-01", "hours": "6.5"}, {"date": "2026-07-01", "hours": "4"}],
        amount_excl=Decimal("761.25"),
        vat=Decimal("159.86"),
        amount_incl=Decimal("921.11"),
    )
    assert invoice.allowed_excl == Decimal("761.25")  # 10.5 h x € 72.50
    answer = answer_for(api, trajectory, invoice)
    assert_same_answer(answer, invoice)
    assert (answer["vat"], answer["amountIncl"]) == ("159.86", "921.11")


def test_evaluate_answers_per_milestone_with_dutch_reasons(
    api: APIClient, provider_user_a: User
) -> None:
    """R-BILL-1, R-BILL-4: a code-1 order whose candidate did not start after the intake:
    the intake fee is invoiceable (5 h x the ceiling: fixed price, no hourly rate), the final
    report is not, each with a reason code and a Dutch text."""
    response = api.post(
        URL,
        {
            "productCode": 1,
            "priceTerms": {"basis": "fixed", "price": "1500.00"},
            "events": [
                {"kind": "ordered", "date": "2026-04-21"},
                {"kind": "intake", "date": "2026-04-28"},
                {"kind": "not_started_after_intake", "date": "2026-04-30"},
                {"kind": "final_report", "date": "2026-05-01"},
            ],
            "asOf": "2026-05-04",
            "hoursLogbook": [{"date": "2026-04-28", "hours": "7"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    rows = {m["milestone"]: m for m in response.json()["milestones"]}
    fee = rows["intake_fee"]
    assert fee["invoiceable"] is True
    ceilings = services.rules_context(provider_user_a.organisation_id).ceiling_rates
    assert Decimal(fee["amountExcl"]) == 5 * ceiling_on(ceilings, dt.date(2026, 4, 28))
    assert [r["code"] for r in fee["reasons"]] == ["intake_uren_afgetopt"]
    assert rows["final_report"]["invoiceable"] is False
    assert rows["final_report"]["reasons"][0]["code"] == "niet_gestart"
    assert "intake" in rows["final_report"]["reasons"][0]["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"productCode": 9}, "productCode"),
        ({"priceTerms": {"basis": "fixed", "price": "1" + "0" * 30}}, "priceTerms.price"),
        ({"priceTerms": {"basis": "fixed", "hourlyRate": "70.00"}}, "priceTerms.basis"),
        ({"asOf": "0001-01-01"}, "asOf"),
        ({"asOf": "9999-12-31"}, "asOf"),
        ({"events": []}, "events"),
        ({"events": [{"kind": "started", "date": "2026-05-01"}]}, "events"),
        ({"hoursLogbook": [{"date": "2026-05-01", "hours": "-1"}]}, "hoursLogbook.0.hours"),
        ({"priceTerms": {"basis": "fixed"}}, "priceTerms"),
        ({"vatCode": "zero"}, "vatCode"),
    ],
)
def test_evaluate_refuses_bad_input_naming_the_field(
    api: APIClient, change: dict[str, Any], field: str
) -> None:
    """Bad input: problem+json 400 whose invalidParams name the field; never a 5xx."""
    body: dict[str, Any] = {
        "productCode": 3,
        "priceTerms": {"basis": "fixed", "price": "2500.00"},
        "events": [{"kind": "ordered", "date": "2026-04-21"}],
        "asOf": "2026-05-04",
    }
    body.update(change)
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    names = [p["name"] for p in response.json()["invalidParams"]]
    assert field in names, names


def test_evaluate_is_for_providers_and_case_managers(
    api_as: Callable[[User], APIClient],
    case_manager: User,
    make_user: Callable[..., User],
) -> None:
    """R-SEC-1: case managers may call it; a policy officer may not; anonymous gets 401."""
    from opstap.core.roles import RoleCode

    body = {
        "productCode": 3,
        "priceTerms": {"basis": "fixed", "price": "2500.00"},
        "events": [{"kind": "ordered", "date": "2026-04-21"}],
        "asOf": "2026-05-04",
    }
    assert api_as(case_manager).post(URL, body, format="json").status_code == 200
    officer = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    assert api_as(officer).post(URL, body, format="json").status_code == 403
    assert APIClient().post(URL, body, format="json").status_code == 401


EVENT_KINDS = [
    "ordered",
    "intake",
    "plan_approved",
    "started",
    "completed",
    "terminated_early",
    "not_started_after_intake",
    "final_report",
    "handed_over",
]
_DAY = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str)
_NUMBER = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.sampled_from(["1e400", "-0", "99999999999999999999.99", "0.001", "abc", ""]),
)


@settings(
    max_examples=40,
    deadline=None,
    # Input generation is cheap; a busy shared machine is not a failure of this test.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    code=st.sampled_from([1, 2, 3, 4, 5, 0, "x"]),
    basis=st.sampled_from(["fixed", "hourly", "other"]),
    amount=_NUMBER,
    kinds=st.lists(
        st.tuples(
            st.sampled_from(EVENT_KINDS),
            _DAY,
        ),
        max_size=6,
    ),
    as_of=_DAY,
    hours=st.lists(st.tuples(_DAY, _NUMBER), max_size=3),
)
def test_evaluate_never_fails_with_a_server_error(
    api: APIClient,
    code: Any,
    basis: str,
    amount: str,
    kinds: list[tuple[str, str]],
    as_of: str,
    hours: list[tuple[str, str]],
) -> None:
    """No input gives a 5xx: huge numbers, dates like 0001-01-01, empty lists (200 or 400)."""
    body = {
        "productCode": code,
        "priceTerms": {"basis": basis, "price": amount, "hourlyRate": amount},
        "events": [{"kind": k, "date": d, "plannedEnd": as_of} for k, d in kinds],
        "asOf": as_of,
        "hoursLogbook": [{"date": d, "hours": h} for d, h in hours],
    }
    response = api.post(URL, body, format="json")
    assert response.status_code in (200, 400), response.content
