"""The invoice list's total and its three tabs' counts in one statement (issue 18):
`work_list_counts` gives the same numbers as the list's own count and `bucket_counts` (one
count per tab), for every filter, and the page reads them with one statement."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.invoices import selectors
from opstap.invoices.models import Invoice
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import make_product

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 8, 14)  # the invoice tests' frozen today
STATUSES = ["received", "checked", "substance_confirmed", "approved", "held", "rejected"]


@pytest.fixture
def invoices(
    contracted_a: Provider,
    contracted_b: Provider,
    provider_user_a: User,
    provider_user_b: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> list[Invoice]:
    """One invoice for every status, verdict, substance flag, due date (past, today, future)
    and provider: every tab both holds and misses some."""
    trajectories = [
        walk(make_product(contracted_a), provider_user_a, client_k),
        walk(make_product(contracted_b), provider_user_b, client_k),
    ]
    made = []
    combinations = itertools.product(
        trajectories, STATUSES, ["green", "orange", "red"], [False, True], [-3, 0, 5]
    )
    for n, (trajectory, status, verdict, substance, due) in enumerate(combinations):
        made.append(
            Invoice.objects.create(
                organisation_id=trajectory.organisation_id,
                provider_id=trajectory.provider_id,
                trajectory=trajectory,
                client_id=trajectory.client_id,
                invoice_number=f"W-{n}",
                invoice_date=dt.date(2025 + n % 2, 7, 1),
                received_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
                due_on=ON + dt.timedelta(days=due),
                milestone="plan_approved",
                amount_excl=Decimal("100.00"),
                vat=Decimal("0.00"),
                amount_incl=Decimal("100.00"),
                status=status,
                verdict=verdict,
                needs_substance=substance,
                claim_key=f"W-{n}",
                submitted_by_id=trajectory.case_manager_id,
            )
        )
    return made


def _filters(provider_id: int) -> list[selectors.InvoiceFilters]:
    plain = [
        selectors.InvoiceFilters(),
        selectors.InvoiceFilters(status="checked"),
        selectors.InvoiceFilters(verdict="orange"),
        selectors.InvoiceFilters(provider=provider_id),
        selectors.InvoiceFilters(year=2025),
        selectors.InvoiceFilters(status="approved", verdict="green", provider=provider_id),
    ]
    return plain + [
        selectors.InvoiceFilters(**{**f.__dict__, "bucket": bucket})
        for f in plain
        for bucket in [*selectors.BUCKETS, "unknown"]
    ]


def test_one_statement_gives_the_old_counts(
    invoices: list[Invoice], clerk: User, contracted_a: Provider
) -> None:
    old_buckets = selectors.bucket_counts(clerk, ON)
    assert all(old_buckets.values()) and len(set(old_buckets.values())) == 3
    for filters in _filters(contracted_a.pk):
        with CaptureQueriesContext(connection) as queries:
            counts = selectors.work_list_counts(user=clerk, filters=filters, on=ON)
        assert len(queries.captured_queries) == 1
        assert counts.buckets == old_buckets
        assert list(counts.buckets) == list(selectors.BUCKETS)
        listed = selectors.invoice_list(user=clerk, filters=filters, on=ON)
        assert counts.total == listed.count(), filters


def test_counts_are_scoped(invoices: list[Invoice], provider_user_a: User) -> None:
    """Provider staff count only their own provider's invoices (R-SEC-1)."""
    counts = selectors.work_list_counts(
        user=provider_user_a, filters=selectors.InvoiceFilters(), on=ON
    )
    assert counts.total == len(invoices) // 2
    assert counts.buckets == selectors.bucket_counts(provider_user_a, ON)


def _page(user: User, path: str) -> tuple[str, list[str]]:
    web = WebClient()
    web.force_login(user)
    web.get(path)  # sessions, roles and the like once
    with CaptureQueriesContext(connection) as queries:
        response = web.get(path)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_the_page_shows_the_counts(invoices: list[Invoice], clerk: User, settings: Any) -> None:
    html, _ = _page(clerk, "/facturen/?bucket=achterstallig")
    counts = selectors.bucket_counts(clerk, ON)
    for key, label in selectors.BUCKETS.items():
        assert f"{label} ({counts[key]})" in html
    total = selectors.work_list_counts(
        user=clerk, filters=selectors.InvoiceFilters(bucket="achterstallig"), on=ON
    ).total
    assert f"{total} facturen gevonden." in html


def test_the_page_counts_in_one_statement(invoices: list[Invoice], clerk: User) -> None:
    """The finance clerk's list: the user with its organisation and roles (one statement,
    accounts.backends; four before; the session from the cache, cached_db, issue 18: one
    statement before); the providers of the
    filter; the counts (one statement); the page's rows; the audit of the rows shown
    (chain head read and written, records; the test's transaction hides BEGIN/COMMIT).
    Before: the list's count and a count per tab, four statements for the numbers."""
    _, statements = _page(clerk, "/facturen/")
    audit = 1 if connection.vendor == "postgresql" else 3  # one statement on PostgreSQL
    assert len(statements) == 1 + 1 + 1 + 1 + audit, "\n".join(s[:150] for s in statements)
