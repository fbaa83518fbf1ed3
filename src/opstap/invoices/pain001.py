"""The SEPA credit-transfer file (ISO 20022 pain.001) of a payment batch, built with
`sepaxml` and validated against the XSD that sepaxml ships (issue 16, item 3).

Deterministic: the message id and the payment-information id come from the batch; the
creation time and the requested execution date are handed in by the service (never sepaxml's
clock or random ids), so the same inputs always give the same bytes. The service makes the
file once, at the batch's first SEPA export, and stores it (R-BILL-10). No ORM here: the
service hands in plain values.

Version: pain.001.001.09 (the 2019 ISO version of the EPC rulebook, accepted by the Dutch
banks) by default; pain.001.001.03 (the 2009 version, still accepted) when the bank contract
asks for it (`OPSTAP_SEPA_PAIN_VERSION`).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaTransfer

__all__ = ["SCHEMAS", "Creditor", "Debtor", "Pain001Error", "build_pain001", "xsd_path"]

SCHEMAS = ("pain.001.001.09", "pain.001.001.03")
MSG_ID_MAX = 35


class Pain001Error(ValueError):
    """The file cannot be made; the message is Dutch, for the user."""


@dataclass(frozen=True)
class Debtor:
    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    bic: str
    cents: int
    end_to_end_id: str
    remittance: str


def xsd_path(schema: str) -> str:
    """The XSD that sepaxml ships for `schema` (used by the validation and the tests)."""
    return str(resources.files("sepaxml") / "schemas" / f"{schema}.xsd")


def _check_debtor(debtor: Debtor) -> Debtor:
    try:
        iban = IBAN(debtor.iban)
        bic = str(BIC(debtor.bic)) if debtor.bic else str(iban.bic or "")
    except SchwiftyException as exc:
        raise Pain001Error(
            "De bankrekening van de organisatie voor betalingen is ongeldig; vraag de "
            "functioneel beheerder de instelling te controleren."
        ) from exc
    if not debtor.name.strip():
        raise Pain001Error("De naam van de organisatie als betaler is niet ingesteld.")
    return Debtor(name=debtor.name.strip(), iban=str(iban.compact), bic=bic)


def build_pain001(
    *,
    debtor: Debtor,
    creditors: Sequence[Creditor],
    message_id: str,
    created_at: dt.datetime,
    execution_date: dt.date,
    schema: str = SCHEMAS[0],
) -> bytes:
    """One pain.001 document with one batch-booked payment information block."""
    if schema not in SCHEMAS:
        raise Pain001Error(f"Onbekende pain.001-versie '{schema}'.")
    if not creditors:
        raise Pain001Error("Er is niets over te maken in deze batch.")
    if not message_id or len(message_id) > MSG_ID_MAX:
        raise Pain001Error("Het berichtkenmerk is leeg of langer dan 35 tekens.")
    debtor = _check_debtor(debtor)
    config = {
        "name": debtor.name,
        "IBAN": debtor.iban,
        "BIC": debtor.bic,
        "batch": True,
        "currency": "EUR",
    }
    transfer = SepaTransfer(config, schema=schema, clean=True)
    for creditor in creditors:
        payment = {
            "name": creditor.name,
            "IBAN": creditor.iban,
            "amount": creditor.cents,
            "execution_date": execution_date,
            "description": creditor.remittance,
            "endtoend_id": creditor.end_to_end_id,
        }
        if creditor.bic:
            payment["BIC"] = creditor.bic
        transfer.add_payment(payment)
    raw = transfer.export(validate=False)
    return _fix_ids(raw, message_id=message_id, created_at=created_at, schema=schema)


def _fix_ids(raw: bytes, *, message_id: str, created_at: dt.datetime, schema: str) -> bytes:
    """Replace sepaxml's clock- and random-based ids by the batch's own, then validate."""
    ns = f"urn:iso:std:iso:20022:tech:xsd:{schema}"
    ET.register_namespace("", ns)
    root = ET.fromstring(raw)  # noqa: S314 - our own document, just made by sepaxml
    q = f"{{{ns}}}"
    header = root.find(f"{q}CstmrCdtTrfInitn/{q}GrpHdr")
    assert header is not None
    header.find(f"{q}MsgId").text = message_id  # type: ignore[union-attr]
    header.find(f"{q}CreDtTm").text = created_at.replace(  # type: ignore[union-attr]
        tzinfo=None, microsecond=0
    ).isoformat()
    for n, info_id in enumerate(root.iter(f"{q}PmtInfId"), start=1):
        info_id.text = f"{message_id[: MSG_ID_MAX - 3]}-{n:02d}"
    out = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    _validate(out, schema)
    return out


def _validate(document: bytes, schema: str) -> None:
    import xmlschema

    try:
        xmlschema.XMLSchema(xsd_path(schema)).validate(document.decode())
    except xmlschema.XMLSchemaValidationError as exc:
        raise Pain001Error(
            "Het betaalbestand voldoet niet aan het pain.001-schema; controleer de namen en "
            "rekeningen van de aanbieders."
        ) from exc
