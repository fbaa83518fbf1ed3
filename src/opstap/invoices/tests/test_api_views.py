"""API and pages of the invoices app: scope (provider staff see only their own invoices, 404
on others), refused submissions, constant query counts, the work list and the idempotent
batch export (R-SEC-1, R-BILL-2, R-BILL-10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.clients.tests.factories import make_client
from opstap.invoices import services
from opstap.invoices.models import Invoice, PaymentBatch
from opstap.organisations.models import Organisation
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import END, REPORT, make_product, submit, web_as

pytestmark = pytest.mark.django_db

PASSWORD = "Test-wachtwoord-123"


@pytest.fixture
def many(
    org: Organisation,
    case_manager: User,
    contracted_a: Provider,
    provider_user_a: User,
    walk: Callable[..., Trajectory],
) -> Callable[[int], None]:
    """`many(n)`: n more clients, each with a short trajectory of provider A and its invoice."""

    def make(n: int) -> None:
        product = make_product(contracted_a, 1, name=f"Kort traject {n}")
        for i in range(n):
            client = make_client(org, case_manager=case_manager, last_name=f"Veel{n}{i}")
            trajectory = walk(
                product,
                provider_user_a,
                client,
                until="final_report_received",
                end_on=END,
                report_on=REPORT,
            )
            submit(
                provider_user_a,
                trajectory,
                invoice_number=f"M-{n}-{i}",
                amount_excl=Decimal("2500.00"),
                vat=Decimal("525.00"),
                amount_incl=Decimal("3025.00"),
                period_start=None,
                period_end=None,
            )

    return make


def _api_invoice(trajectory: Trajectory, number: str, **more: Any) -> dict[str, Any]:
    """The body of a posted final-report invoice of € 1.250,00 + € 262,50 VAT for `trajectory`,
    dated 10 August 2026, with `more` fields (camelCase, as the API names them)."""
    return {
        "trajectory": trajectory.pk,
        "invoiceNumber": number,
        "invoiceDate": "2026-08-10",
        "milestone": "final_report",
        "clientNumber": trajectory.client.client_number,
        "clientSurname": trajectory.client.last_name,
        "amountExcl": "1250.00",
        "vat": "262.50",
        "amountIncl": "1512.50",
        **more,
    }


def _credit(clerk: User, invoice: Invoice, number: str, excl: str, vat: str, incl: str) -> None:
    """A credit note on `invoice`, dated 12 August 2026."""
    services.credit_note_create(
        actor=clerk,
        invoice=invoice,
        number=number,
        credit_date=dt.date(2026, 8, 12),
        reason="Correctie",
        amount_excl=Decimal(excl),
        vat=Decimal(vat),
        amount_incl=Decimal(incl),
    )


def test_provider_gets_404_on_another_providers_invoice(
    code3_done: Trajectory,
    provider_user_a: User,
    provider_user_b: User,
    api_as: Callable[..., APIClient],
) -> None:
    """R-SEC-1, R-BILL-2: provider staff list and retrieve only their own provider's invoices;
    another provider's invoice is a 404."""
    invoice = submit(provider_user_a, code3_done)
    api = api_as(provider_user_b)
    assert api.get(f"/api/v1/invoices/{invoice.pk}").status_code == 404
    assert api.get("/api/v1/invoices").json()["count"] == 0
    own = api_as(provider_user_a)
    assert own.get(f"/api/v1/invoices/{invoice.pk}").status_code == 200


def test_provider_cannot_submit_over_the_api_for_another_provider(
    code3_done: Trajectory, provider_user_b: User, api_as: Callable[..., APIClient]
) -> None:
    """R-SEC-1, R-BILL-2: submitting for another provider's trajectory is refused (problem+json)
    and stores nothing."""
    response = api_as(provider_user_b).post(
        "/api/v1/invoices", _api_invoice(code3_done, "B-1"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Invoice.objects.exists()


def test_api_submit_structured_invoice_and_duplicate_is_held(
    code3_done: Trajectory, provider_user_a: User, api_as: Callable[..., APIClient]
) -> None:
    """R-BILL-2, R-BILL-10: structured data over the API is checked at once; the same claim
    again is held."""
    body = _api_invoice(
        code3_done,
        "A-1",
        periodStart="2026-05-06",
        periodEnd=END.isoformat(),
        lines=[{"description": "Eindrapportage", "vatCode": "high", "amountExcl": "1250.00"}],
    )
    api = api_as(provider_user_a)
    first = api.post("/api/v1/invoices", body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "checked"
    body["invoiceNumber"] = "A-2"
    second = api.post("/api/v1/invoices", body, format="json").json()
    assert (second["status"], second["verdict"]) == ("held", "red")
    assert second["reasons"][0]["code"] == "dubbel"


def test_finance_sees_all_and_api_list_query_count_is_constant(
    many: Callable[[int], None], clerk: User, api_as: Callable[..., APIClient]
) -> None:
    """R-SEC-1: finance clerks see the organisation's invoices; the list costs the same number
    of queries for 2 or 6 rows (no N+1)."""
    api = api_as(clerk)
    many(2)
    api.get("/api/v1/invoices")  # warm the user's permission cache
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/invoices").json()["count"] == 2
    many(4)
    with CaptureQueriesContext(connection) as large:
        assert api.get("/api/v1/invoices").json()["count"] == 6
    assert len(large.captured_queries) == len(small.captured_queries)


def test_work_list_page_query_count_is_constant(many: Callable[[int], None], clerk: User) -> None:
    """R-BILL-2: the finance clerk's work list shows verdict badges and reasons; its query
    count does not grow with the rows."""
    web = web_as(clerk)
    many(2)
    with CaptureQueriesContext(connection) as small:
        response = web.get("/facturen/?bucket=goed_te_keuren")
    assert response.status_code == 200
    assert "opstap-badge--ok" in response.content.decode()
    many(4)
    with CaptureQueriesContext(connection) as large:
        web.get("/facturen/?bucket=goed_te_keuren")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_provider_page_404_on_other_invoice(
    code3_done: Trajectory, provider_user_a: User, provider_user_b: User
) -> None:
    """R-SEC-1: the invoice page of another provider is a 404."""
    invoice = submit(provider_user_a, code3_done)
    web = web_as(provider_user_b)
    assert web.get(f"/facturen/{invoice.pk}/").status_code == 404
    web.force_login(provider_user_a)
    assert web.get(f"/facturen/{invoice.pk}/").status_code == 200


def test_export_twice_in_the_browser_flow_changes_nothing(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-10: approving, composing and exporting a batch; exporting it again produces
    nothing new, and composing again finds nothing to pay."""
    invoice = submit(provider_user_a, code3_done)
    web = web_as(clerk)
    web.post(f"/facturen/{invoice.pk}/goedkeuren/", {"note": ""})
    assert Invoice.objects.get(pk=invoice.pk).status == "approved"
    web.post("/facturen/betaalbatches/")
    batch = PaymentBatch.objects.get()
    web.post(f"/facturen/betaalbatches/{batch.pk}/exporteren/")
    batch.refresh_from_db()
    sha = batch.export_sha256
    response = web.post(f"/facturen/betaalbatches/{batch.pk}/exporteren/", follow=True)
    assert "niets nieuws" in response.content.decode()
    batch.refresh_from_db()
    assert batch.export_sha256 == sha
    response = web.post("/facturen/betaalbatches/", follow=True)
    assert "geen goedgekeurde facturen" in response.content.decode()
    assert PaymentBatch.objects.count() == 1
    download = web.get(f"/facturen/betaalbatches/{batch.pk}/download/xlsx/")
    assert download.status_code == 200
    services.payment_batch_export(actor=clerk, batch=batch)
    assert PaymentBatch.objects.get().export_sha256 == sha


def test_overview_nets_credit_notes_and_gives_the_approved_year_volume(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-8, R-NET-10: totals per provider net the credit notes; the approved volume per
    provider and year (what the social-return obligation is computed from) nets them too."""
    from opstap.invoices import selectors

    invoice = services.invoice_approve(actor=clerk, invoice=submit(provider_user_a, code3_done))
    _credit(clerk, invoice, "C-1", "250.00", "52.50", "302.50")
    totals = selectors.provider_period_totals(
        user=clerk, start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31)
    )
    assert [(t.net_excl, t.net_incl) for t in totals] == [(Decimal("1000.00"), Decimal("1210.00"))]
    volume = selectors.provider_year_volumes(user=clerk, year=2026)[0]
    assert volume.net_excl == Decimal("1000.00")
    assert selectors.approved_year_volumes(
        organisation_id=clerk.organisation_id, years=[2026, 2027]
    ) == {(invoice.provider_id, 2026): Decimal("1000.00")}
    web = web_as(clerk)
    assert web.get("/facturen/overzicht/?year=2026").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/facturen/", "/facturen/indienen/", "/facturen/overzicht/?year=2026"],
)
def test_pages_render_for_each_role_within_scope(
    path: str,
    code3_done: Trajectory,
    provider_user_a: User,
    case_manager: User,
    contract_manager: User,
    clerk: User,
) -> None:
    """R-SEC-1: every role with invoices.view gets the pages, each with its own scope; the
    case manager sees the invoices of their clients' trajectories."""
    invoice = submit(provider_user_a, code3_done)
    for user in (provider_user_a, case_manager, contract_manager, clerk):
        web = web_as(user)
        response = web.get(path)
        assert response.status_code == 200, (user.username, path)
        if path == "/facturen/":
            assert invoice.invoice_number in response.content.decode()


def test_invoice_list_badges_overdue_by_the_workflow_rule(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """Payment term (R-TRJ-3): the work list marks an unpaid invoice past its due date as
    overdue with `invoices.workflow.is_overdue_for_payment`, never one due today or held."""
    from django.utils import timezone

    invoice = submit(provider_user_a, code3_done)
    web = web_as(clerk)
    badge = 'opstap-badge--danger">verlopen'
    today = timezone.localdate()
    rows = Invoice.objects.filter(pk=invoice.pk)
    rows.update(due_on=today)
    assert badge not in web.get("/facturen/").content.decode()
    rows.update(due_on=today - dt.timedelta(days=1))
    assert badge in web.get("/facturen/").content.decode()
    rows.update(status="held")
    assert badge not in web.get("/facturen/").content.decode()


def test_batches_are_for_the_administration_only(provider_user_a: User, case_manager: User) -> None:
    """R-SEC-1: payment batches are not shown to provider staff or case managers."""
    for user in (provider_user_a, case_manager):
        web = web_as(user)
        assert web.get("/facturen/betaalbatches/").status_code == 403


def test_placement_fee_and_travel_pages(
    code3_done: Trajectory, provider_user_a: User, case_manager: User
) -> None:
    """R-BILL-6, R-BILL-9: the provider claims the placement fee with the contract in the
    portal; the case manager enters a travel claim and sees the decision per trip."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    web = web_as(provider_user_a)
    response = web.post(
        "/facturen/bemiddelingsfee/",
        {
            "trajectory": code3_done.pk,
            "invoice_number": "PF-1",
            "invoice_date": "2026-08-10",
            "employer": "Bakkerij Jansen",
            "placement_start": "2026-07-01",
            "hours_per_week": "32",
            "contract_months": "12",
            "probation_end": "2026-07-31",
            "contract": SimpleUploadedFile("c.pdf", b"%PDF-1.4 x", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fee = Invoice.objects.get(invoice_number="PF-1")
    assert (fee.milestone, fee.amount_excl, fee.verdict) == (
        "placement_fee",
        Decimal("500.00"),
        "green",
    )
    web.force_login(case_manager)
    response = web.post(
        "/facturen/reiskosten/",
        {
            "trajectory": code3_done.pk,
            "trips": "2026-05-11 12 6,40\n2026-05-12 61 30,00",
            "attended_on": "2026-05-11 2026-05-12",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "voor rekening aanbieder €\u00a030,00" in response.content.decode(), (
        response.content.decode()[-3000:]
    )


def test_invoice_pdf_only_through_the_access_check(
    code3_done: Trajectory, provider_user_a: User, provider_user_b: User
) -> None:
    """R-SEC-1, R-BILL-2: the invoice PDF lives in private storage and is served only to who
    may see the invoice (another provider: 404); a non-PDF upload is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(services.InvoiceError, match="PDF"):
        submit(
            provider_user_a,
            code3_done,
            pdf=SimpleUploadedFile("f.pdf", b"MZ not a pdf", "application/pdf"),
        )
    invoice = submit(
        provider_user_a,
        code3_done,
        pdf=SimpleUploadedFile("f.pdf", b"%PDF-1.4 factuur", "application/pdf"),
    )
    web = web_as(provider_user_b)
    assert web.get(f"/facturen/{invoice.pk}/pdf/").status_code == 404
    web.force_login(provider_user_a)
    response = web.get(f"/facturen/{invoice.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_detail_buttons_follow_the_workflow_table(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-2: the invoice page offers approve/reject/recheck only where the workflow table
    allows them, and only to the administration (never to the provider)."""
    invoice = submit(provider_user_a, code3_done)
    assert invoice.status in ("checked", "substance_confirmed")
    web = web_as(clerk)
    page = web.get(f"/facturen/{invoice.pk}/").content.decode()
    assert 'aria-label="Goedkeuren"' in page
    web.force_login(provider_user_a)
    page = web.get(f"/facturen/{invoice.pk}/").content.decode()
    assert 'aria-label="Goedkeuren"' not in page
    services.invoice_reject(actor=clerk, invoice=invoice, reason="Onjuist bedrag")
    web.force_login(clerk)
    page = web.get(f"/facturen/{invoice.pk}/").content.decode()
    assert 'aria-label="Goedkeuren"' not in page
    assert "/afwijzen/" not in page


def test_batch_page_and_download_audit_each_client_shown(
    code3_done: Trajectory, provider_user_a: User, clerk: User, api_as: Callable[..., APIClient]
) -> None:
    """R-SEC-2: a payment batch shows and exports client numbers, so the batch page, the
    download and the API download each write one record per client in the batch."""
    from opstap.audit.models import AuditRecord

    invoice = submit(provider_user_a, code3_done)
    services.invoice_approve(actor=clerk, invoice=invoice, note="")
    batch = services.payment_batch_create(actor=clerk)
    services.payment_batch_export(actor=clerk, batch=batch)
    web = web_as(clerk)

    def records(action: str) -> int:
        return AuditRecord.objects.filter(
            action=action, client_id=invoice.client_id, actor_id=clerk.pk
        ).count()

    assert web.get(f"/facturen/betaalbatches/{batch.pk}/").status_code == 200
    assert records("list") == 1
    assert web.get(f"/facturen/betaalbatches/{batch.pk}/download/csv/").status_code == 200
    assert records("export") == 1
    api = api_as(clerk)
    assert api.get(f"/api/v1/payment-batches/{batch.pk}/download").status_code == 200
    assert records("export") == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recheck_internal_runs_in_its_own_transaction(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-SEC-6: the system re-check locks the invoice, so it opens its own transaction and
    also works when called outside one (on PostgreSQL it used to fail: select_for_update
    outside a transaction)."""
    invoice = submit(provider_user_a, code3_done)
    services.invoice_recheck_internal(invoice)
    assert Invoice.objects.get(pk=invoice.pk).checked_at is not None


@pytest.mark.parametrize(
    "path", ["/facturen/indienen/", "/facturen/bemiddelingsfee/", "/facturen/reiskosten/"]
)
def test_trajectory_choice_lists_are_audited(
    path: str, code3_done: Trajectory, provider_user_a: User, case_manager: User
) -> None:
    """R-SEC-2: the trajectory choice lists show client number and surname, so each client
    shown is audited."""
    from opstap.audit.models import AuditRecord

    user = case_manager if path == "/facturen/reiskosten/" else provider_user_a
    web = web_as(user)
    assert web.get(path).status_code == 200
    assert AuditRecord.objects.filter(
        action="list", object_type="trajectory", client_id=code3_done.client_id, actor_id=user.pk
    ).exists()


def test_credit_note_api_list_query_count_is_constant(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
    api_as: Callable[..., APIClient],
    django_assert_num_queries: Any,
) -> None:
    """R-BILL-8: the credit-note list costs the same number of queries for 1 or 6 notes
    (each row shows its invoice number: no query per row)."""
    invoice = services.invoice_approve(actor=clerk, invoice=submit(provider_user_a, code3_done))

    def credit(first: int, n: int) -> None:
        for i in range(first, first + n):
            _credit(clerk, invoice, f"C-{i}", "10.00", "2.10", "12.10")

    api = api_as(clerk)
    credit(0, 1)
    api.get("/api/v1/credit-notes")  # warm the per-user permission cache

    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/credit-notes").json()["count"] == 1
    credit(1, 5)
    with django_assert_num_queries(len(small.captured_queries)):
        body = api.get("/api/v1/credit-notes").json()
    assert body["count"] == 6
    assert {row["invoiceNumber"] for row in body["results"]} == {invoice.invoice_number}


def test_credit_note_for_an_invisible_invoice_looks_like_a_missing_one(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
    other_org: Organisation,
    make_user: Callable[..., User],
    api_as: Callable[..., APIClient],
) -> None:
    """R-SEC-1 / R-BILL-8: a clerk of another organisation cannot credit our invoice, and the
    answer does not reveal that the invoice exists (same 400 as for an unknown id)."""
    from opstap.core.roles import RoleCode

    invoice = services.invoice_approve(actor=clerk, invoice=submit(provider_user_a, code3_done))
    outsider = make_user(RoleCode.FINANCE_CLERK, organisation=other_org, username="elders")
    body = {
        "number": "C-X",
        "creditDate": "2026-08-12",
        "reason": "Correctie",
        "amountExcl": "10.00",
        "vat": "2.10",
        "amountIncl": "12.10",
    }
    api = api_as(outsider)
    forbidden = api.post("/api/v1/credit-notes", {**body, "invoice": invoice.pk}, format="json")
    missing = api.post("/api/v1/credit-notes", {**body, "invoice": 999_999}, format="json")
    assert forbidden.status_code == missing.status_code == 400
    reason = [p["reason"] for p in forbidden.json()["invalidParams"] if p["name"] == "invoice"]
    assert reason == [
        p["reason"].replace("999999", str(invoice.pk))
        for p in missing.json()["invalidParams"]
        if p["name"] == "invoice"
    ]
    assert not invoice.credit_notes.exists()


def test_api_names_the_invoice_date_when_it_is_after_receipt(
    code3_done: Trajectory, provider_user_a: User, api_as: Callable[..., APIClient]
) -> None:
    """R-TRJ-3: the API takes no receipt date (an invoice is received when it is posted, and
    a posted `receivedOn` is no field of it), so an invoice dated after today (14 Aug) is the
    invoice date's problem: invalidParams names `invoiceDate`, as the portal form does. Only
    the administration's paper forms have a receipt date to name."""
    body = _api_invoice(
        code3_done,
        "A-9",
        invoiceDate="2026-08-15",
        receivedOn="2026-08-20",
        periodStart="2026-05-06",
        periodEnd=END.isoformat(),
    )
    response = api_as(provider_user_a).post("/api/v1/invoices", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [(p["name"], p["reason"]) for p in response.json()["invalidParams"]] == [
        ("invoiceDate", "De factuurdatum ligt na de ontvangstdatum.")
    ]
    assert not Invoice.objects.exists()
