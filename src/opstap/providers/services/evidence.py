"""Evidence and certificates of a provider (R-NET-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import File
from django.db import transaction

from opstap.accounts.models import User
from opstap.documents import services as uploads
from opstap.providers.models import CertificateKind, Evidence, EvidenceKind, Provider

from ._common import ProviderError, _event, _require_same_org

__all__ = ["evidence_register"]


# --- Evidence (R-NET-2) ---------------------------------------------------------------------


@transaction.atomic
def evidence_register(
    *,
    actor: User | None,
    provider: Provider,
    kind: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    certificate_kind: str = "",
    staff_name: str = "",
    description: str = "",
    document: File[Any] | None = None,
) -> Evidence:
    if kind not in EvidenceKind.values:
        raise ProviderError(f"Onbekende soort bewijsstuk '{kind}'.", field="kind")
    if kind == EvidenceKind.CERTIFICATE and certificate_kind not in CertificateKind.values:
        raise ProviderError(
            "Geef bij een certificering de beroepsgroep op.", field="certificate_kind"
        )
    if kind != EvidenceKind.CERTIFICATE:
        certificate_kind = ""
    if kind == EvidenceKind.VOG and not staff_name.strip():
        raise ProviderError("Een VOG hoort bij een medewerker: vul de naam in.", field="staff_name")
    if valid_until is not None and valid_until < valid_from:
        raise ProviderError("'Geldig tot en met' ligt voor 'geldig vanaf'.", field="valid_until")
    if kind == EvidenceKind.REFERENCE and provider.is_roc:
        raise ProviderError("Een ROC is vrijgesteld van de referentie-eis.", field="kind")
    if actor is not None:
        _require_same_org(actor, provider.organisation_id)
    if document is not None:
        try:
            uploads.check_upload(document, allowed=uploads.PDF_ONLY)
        except uploads.UploadRefusedError as exc:
            raise ProviderError(str(exc), field="document") from exc
    evidence = Evidence(
        organisation_id=provider.organisation_id,
        provider=provider,
        kind=kind,
        certificate_kind=certificate_kind,
        staff_name=staff_name.strip(),
        description=description.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if document is not None:
        evidence.document.save(
            getattr(document, "name", None) or "bewijs.pdf", document, save=False
        )
    evidence.save()
    _event(
        provider=provider,
        actor=actor,
        kind="evidence_registered",
        description=f"Bewijsstuk {evidence.get_kind_display()} geregistreerd.",
        data={"evidence_id": evidence.pk, "valid_until": str(valid_until or "")},
    )
    return evidence


def _valid_certificate(provider: Provider, certificate_kind: str, on: dt.date) -> Evidence | None:
    return (
        Evidence.objects.filter(
            provider=provider,
            kind=EvidenceKind.CERTIFICATE,
            certificate_kind=certificate_kind,
            valid_from__lte=on,
        )
        .exclude(valid_until__lt=on)
        .order_by("-valid_from")
        .first()
    )
