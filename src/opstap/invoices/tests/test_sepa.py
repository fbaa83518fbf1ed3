"""SEPA credit transfer of a payment batch (issue 16, item 3; R-BILL-8, R-BILL-10): one
transfer per provider, netted with credit notes; the pain.001 file validates against the XSD
that sepaxml ships, and exporting twice yields the same file with the same message id."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
import xmlschema
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.invoices import services
from opstap.invoices.models import Invoice, PaymentBatch
from opstap.invoices.pain001 import SCHEMAS, xsd_path
from opstap.invoices.rules.sepa import Line, transfers_of
from opstap.invoices.services import InvoiceError
from opstap.providers import services as provider_services
from opstap.providers.models import Provider

D = Decimal


def _line(pid: int, name: str, number: str, amount: str, credit: bool = False) -> Line:
    return Line(pid, name, number, D(amount), is_credit=credit)


def test_transfers_are_netted_per_provider_and_offsets_are_not_paid() -> None:
    """R-BILL-8: credits net the provider's invoices; a net credit is no negative payment."""
    transfers, offsets = transfers_of(
        "BB-2026-0001",
        [
            _line(2, "Zeta B.V.", "Z-1", "100.00"),
            _line(1, "Alfa B.V.", "A-2", "1512.50"),
            _line(1, "Alfa B.V.", "A-1", "500.00"),
            _line(1, "Alfa B.V.", "C-1", "-200.00", credit=True),
            _line(3, "Beta", "B-1", "50.00"),
            _line(3, "Beta", "C-9", "-80.00", credit=True),
        ],
    )
    assert [(t.provider_name, t.amount, t.cents, t.end_to_end_id) for t in transfers] == [
        ("Alfa B.V.", D("1812.50"), 181250, "BB-2026-0001-001"),
        ("Zeta B.V.", D("100.00"), 10000, "BB-2026-0001-002"),
    ]
    assert transfers[0].remittance == "BB-2026-0001 fact A-1 A-2 cred C-1"
    assert [(o.provider_name, o.amount) for o in offsets] == [("Beta", D("-30.00"))]


def test_remittance_stays_within_140_characters() -> None:
    lines = [_line(1, "Alfa", f"FACTUUR-2026-{n:05d}", "10.00") for n in range(20)]
    (transfer,), _ = transfers_of("BB-2026-0001", lines)
    assert len(transfer.remittance) <= 140 and transfer.remittance.endswith(" e.a.")
    assert transfer.remittance.startswith("BB-2026-0001 fact FACTUUR-2026-00000 ")


@pytest.fixture
def _debtor(settings: Any) -> None:
    settings.OPSTAP_SEPA_DEBTOR_NAME = "RSD de Liemers"
    settings.OPSTAP_SEPA_DEBTOR_IBAN = "NL91ABNA0417164300"
    settings.OPSTAP_SEPA_DEBTOR_BIC = ""


def _confirmed_account(provider: Provider, clerk: User, contract_manager: User) -> None:
    account = provider_services.bank_account_propose(
        actor=contract_manager,
        provider=provider,
        iban="NL44RABO0123456789",
        holder="Werkkracht Liemers B.V.",
        reason="Contract",
    )
    provider_services.bank_account_confirm(actor=clerk, account=account)


def _batch_with_credit(first_instalment: Invoice, clerk: User) -> PaymentBatch:
    services.credit_note_create(
        actor=clerk,
        invoice=first_instalment,
        number="C-1",
        credit_date=dt.date(2026, 8, 12),
        amount_excl=D("100.00"),
        vat=D("21.00"),
        amount_incl=D("121.00"),
        reason="Te veel gefactureerd",
    )
    return services.payment_batch_create(actor=clerk)


@pytest.mark.usefixtures("_debtor")
@pytest.mark.parametrize("schema", SCHEMAS)
def test_pain001_validates_against_the_xsd_and_is_idempotent(
    schema: str,
    settings: Any,
    first_instalment: Invoice,
    clerk: User,
    contract_manager: User,
) -> None:
    """The file validates against the pain.001 XSD shipped by sepaxml; the message id comes
    from the batch, the creation time from the first export; a second export returns the very
    same bytes even after the provider's account changed."""
    settings.OPSTAP_SEPA_PAIN_VERSION = schema
    provider = first_instalment.provider
    batch = _batch_with_credit(first_instalment, clerk)
    with pytest.raises(InvoiceError, match="Geen bevestigde bankrekening voor: Werkkracht"):
        services.payment_batch_export_sepa(actor=clerk, batch=batch)
    assert not PaymentBatch.objects.get(pk=batch.pk).export_pain001
    _confirmed_account(provider, clerk, contract_manager)

    exported = services.payment_batch_export_sepa(actor=clerk, batch=batch)
    document = exported.export_pain001.read()
    xsd = xmlschema.XMLSchema(xsd_path(schema))
    xsd.validate(document.decode())
    ns = {"p": f"urn:iso:std:iso:20022:tech:xsd:{schema}"}
    root = ET.fromstring(document)  # noqa: S314 - the file under test
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", ns)
    assert header is not None
    assert exported.pain001_created_at is not None
    created = timezone.localtime(exported.pain001_created_at).replace(tzinfo=None, microsecond=0)
    assert (
        header.findtext("p:MsgId", namespaces=ns)
        == f"OPSTAP-{batch.organisation_id}-{batch.reference}"
    )
    assert header.findtext("p:CreDtTm", namespaces=ns) == created.isoformat()
    # 1512.50 (first instalment incl. VAT) - 121.00 (credit note) = 1391.50, one transfer.
    assert header.findtext("p:CtrlSum", namespaces=ns) == "1391.50"
    assert header.findtext("p:NbOfTxs", namespaces=ns) == "1"
    tx = root.find(".//p:CdtTrfTxInf", ns)
    assert tx is not None
    assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) == "NL44RABO0123456789"
    assert tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns) == f"{batch.reference}-001"
    assert tx.findtext("p:RmtInf/p:Ustrd", namespaces=ns) == f"{batch.reference} fact F-0 cred C-1"
    assert exported.pain001_schema == schema

    # The provider's account changes after the export: the frozen file does not.
    change = provider_services.bank_account_propose(
        actor=contract_manager,
        provider=provider,
        iban="NL20INGB0001234567",
        holder="Werkkracht",
        reason="Nieuwe bank",
    )
    provider_services.bank_account_confirm(actor=clerk, account=change)
    again = services.payment_batch_export_sepa(actor=clerk, batch=batch)
    again.export_pain001.open()
    assert again.export_pain001.read() == document
    assert again.pain001_message_id == exported.pain001_message_id
    purposes = list(
        AuditRecord.objects.filter(object_type="payment_batch", action="export")
        .order_by("id")
        .values_list("purpose", flat=True)
    )
    assert purposes == [
        f"SEPA-bestand {batch.reference} gemaakt",
        f"SEPA-bestand {batch.reference} opnieuw",
    ]


def test_a_tampered_document_fails_the_xsd() -> None:
    """The XSD check bites: a group header without message id is invalid."""
    from opstap.invoices.pain001 import Creditor, Debtor, build_pain001

    document = build_pain001(
        debtor=Debtor("RSD", "NL91ABNA0417164300"),
        creditors=[Creditor("A", "NL44RABO0123456789", "", 100, "E2E-1", "x")],
        message_id="M-1",
        created_at=dt.datetime(2026, 8, 14, 12, 0),
        execution_date=dt.date(2026, 8, 14),
    )
    xsd = xmlschema.XMLSchema(xsd_path(SCHEMAS[0]))
    assert xsd.is_valid(document.decode())
    assert not xsd.is_valid(document.decode().replace("<MsgId>M-1</MsgId>", ""))


def test_without_own_account_setting_nothing_is_made(
    settings: Any,
    first_instalment: Invoice,
    clerk: User,
    contract_manager: User,
) -> None:
    settings.OPSTAP_SEPA_DEBTOR_IBAN = ""
    _confirmed_account(first_instalment.provider, clerk, contract_manager)
    batch = services.payment_batch_create(actor=clerk)
    with pytest.raises(InvoiceError, match="bankrekening van de organisatie"):
        services.payment_batch_export_sepa(actor=clerk, batch=batch)
    assert not PaymentBatch.objects.get(pk=batch.pk).export_pain001


@pytest.mark.usefixtures("_debtor")
def test_batch_page_makes_and_downloads_the_file(
    first_instalment: Invoice,
    clerk: User,
    contract_manager: User,
    provider_user_a: User,
) -> None:
    _confirmed_account(first_instalment.provider, clerk, contract_manager)
    batch = services.payment_batch_create(actor=clerk)
    web = WebClient()
    web.force_login(clerk)
    page = web.get(reverse("invoices:batch", args=[batch.pk])).content.decode()
    assert "Overboekingen per aanbieder" in page and "€\u00a01.512,50" in page
    web.post(reverse("invoices:batch_export_sepa", args=[batch.pk]))
    download = web.get(reverse("invoices:batch_download", args=[batch.pk, "xml"]))
    body = b"".join(download.streaming_content)
    assert download.status_code == 200 and b"<MsgId>OPSTAP-" in body
    assert f"{batch.reference}.pain001.xml" in download["Content-Disposition"]
    web.force_login(provider_user_a)
    assert web.get(reverse("invoices:batch_download", args=[batch.pk, "xml"])).status_code in (
        403,
        404,
    )


@pytest.mark.usefixtures("_debtor")
def test_api_makes_and_hands_out_the_pain001_file(
    first_instalment: Invoice,
    clerk: User,
    contract_manager: User,
    api_as: Any,
) -> None:
    """R-BILL-10 through the API: `sepa-export` refuses (409) while the provider has no
    confirmed bank account, then makes the pain.001 once; a second call returns the same
    message id and checksum; `download?format=xml` hands out that very file (audited per
    client, R-SEC-2). The table formats need `export` first; an unknown format is a 400."""
    batch = _batch_with_credit(first_instalment, clerk)
    api = api_as(clerk)
    url = f"/api/v1/payment-batches/{batch.pk}"
    assert api.get(f"{url}/download?format=xml").status_code == 404
    refused = api.post(f"{url}/sepa-export")
    assert refused.status_code == 409
    assert "Geen bevestigde bankrekening" in refused.json()["detail"]
    _confirmed_account(first_instalment.provider, clerk, contract_manager)

    first = api.post(f"{url}/sepa-export")
    assert first.status_code == 200
    body = first.json()
    assert body["pain001MessageId"] == f"OPSTAP-{batch.organisation_id}-{batch.reference}"
    assert len(body["pain001Sha256"]) == 64
    again = api.post(f"{url}/sepa-export").json()
    assert (again["pain001MessageId"], again["pain001Sha256"]) == (
        body["pain001MessageId"],
        body["pain001Sha256"],
    )

    before = AuditRecord.objects.filter(action="export", client_id=first_instalment.client_id)
    count = before.count()
    download = api.get(f"{url}/download?format=xml")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert f'filename="{batch.reference}.pain001.xml"' in download["Content-Disposition"]
    document = b"".join(download.streaming_content)
    assert document == PaymentBatch.objects.get(pk=batch.pk).export_pain001.read()
    assert b"NL44RABO0123456789" in document
    assert before.count() == count + 2  # the invoice and the credit note, one client

    # The CSV and Excel files come from `export`, not from the SEPA export.
    assert api.get(f"{url}/download?format=csv").status_code == 404
    bad = api.get(f"{url}/download?format=pdf")
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "format"


def test_api_download_of_the_table_formats_has_the_right_type(
    first_instalment: Invoice,
    clerk: User,
    api_as: Any,
) -> None:
    """The table download was named after whatever `format` said and was CSV otherwise
    (`format=xml` gave a CSV named `.xml`); now each format is its own file and type."""
    batch = services.payment_batch_create(actor=clerk)
    services.payment_batch_export(actor=clerk, batch=batch)
    api = api_as(clerk)
    url = f"/api/v1/payment-batches/{batch.pk}/download"
    csv = api.get(url)
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{batch.reference}.csv"' in csv["Content-Disposition"]
    xlsx = api.get(f"{url}?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert api.get(f"{url}?format=xml").status_code == 404
