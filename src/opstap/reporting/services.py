"""State changes of reporting (R-INT-2): the SRG reference data and the monthly deliveries.

Every change is one keyword-only function that checks the actor, validates, writes in a
transaction and leaves an audit line. Building a delivery (`srg_delivery_build`) runs in the
background (Celery task `opstap.reporting.build_srg`) and streams: provisions are read with
an iterator, each line is written to a temporary file and hashed on the way, so memory does
not grow with the month."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audited_save
from opstap.core.actor import Actor
from opstap.core.errors import ConflictError, DomainError, PermissionDeniedError
from opstap.core.roles import Perm
from opstap.organisations.models import Municipality
from opstap.providers.models import Product

from . import selectors
from .models import (
    DeliveryStatus,
    SrgCode,
    SrgDelivery,
    SrgPlacementMapping,
    SrgProductMapping,
)
from .srg_format import (
    CODE_PATTERN,
    LAYOUT_VERSION,
    Counts,
    Month,
    PlacementType,
    blocks,
    header_line,
    issues_of,
    municipality_number,
    record_line,
    trailer_line,
)

#: Issues kept on the row for the page; the full list is in the CSV report.
ISSUES_ON_PAGE = 200
#: Progress is written after this many source rows.
PROGRESS_EVERY = 10_000


class ReportingError(DomainError):
    """A refused change in reporting, with a Dutch message."""


class ReportingConflictError(ConflictError):
    """The delivery is not in a state that allows this (409)."""


def _require(actor: Actor | None, perm: Perm, message: str) -> None:
    if actor is None or not (getattr(actor, "is_superuser", False) or actor.has_opstap_perm(perm)):
        raise PermissionDeniedError(message)


def _require_admin(actor: Actor | None) -> None:
    _require(actor, Perm.ADMIN_CONFIGURE, "Alleen de functioneel beheerder beheert SRG-codes.")


# --- Reference data ------------------------------------------------------------------------


def srg_code_validate(*, code: str, name: str, srg_code: SrgCode | None = None) -> tuple[str, str]:
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not CODE_PATTERN.match(code):
        raise ReportingError(
            "Een SRG-code bestaat uit 1 tot 4 cijfers of hoofdletters.", field="code"
        )
    if not name:
        raise ReportingError("Geef de soort voorziening een naam.", field="name")
    others = SrgCode.objects.filter(code=code)
    if srg_code is not None:
        others = others.exclude(pk=srg_code.pk)
    if others.exists():
        raise ReportingError(f"De SRG-code {code} bestaat al.", field="code")
    return code, name


@transaction.atomic
def srg_code_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    description: str = "",
    active: bool = True,
    srg_code: SrgCode | None = None,
) -> SrgCode:
    """Add or change an SRG 'soort voorziening' code (national reference data)."""
    _require_admin(actor)
    code, name = srg_code_validate(code=code, name=name, srg_code=srg_code)
    if srg_code is not None and not active:
        in_use = srg_code.product_mappings.exists() or srg_code.placement_mappings.exists()
        if in_use:
            raise ReportingError(
                "Deze code is nog gekoppeld aan producten of plaatsingen; koppel die eerst "
                "aan een andere code.",
                field="active",
            )
    return audited_save(
        actor=actor,
        model=SrgCode,
        row=srg_code,
        values={"code": code, "name": name, "description": description, "active": active},
        audited=lambda row: {"code": row.code, "name": row.name, "active": row.active},
        object_type="srg_code",
        purpose="SRG-code beheerd",
    )


def _active_code(srg_code: SrgCode | None) -> SrgCode:
    if srg_code is None:
        raise ReportingError("Kies een SRG-code.", field="srg_code")
    if not srg_code.active:
        raise ReportingError(
            f"De SRG-code {srg_code.code} is niet meer in gebruik.", field="srg_code"
        )
    return srg_code


def srg_product_mapping_validate(
    *, actor: Actor, product: Product | None, srg_code: SrgCode | None
) -> None:
    _require_admin(actor)
    if product is None:
        raise ReportingError("Kies een product.", field="product")
    if product.organisation_id != getattr(actor, "organisation_id", None) and not getattr(
        actor, "is_superuser", False
    ):
        raise ReportingError("Dit product hoort niet bij uw organisatie.", field="product")
    _active_code(srg_code)


@transaction.atomic
def srg_product_mapping_save(
    *, actor: Actor, product: Product, srg_code: SrgCode
) -> SrgProductMapping:
    """Map a product of the catalogue to an SRG code (one code per product)."""
    srg_product_mapping_validate(actor=actor, product=product, srg_code=srg_code)
    mapping = SrgProductMapping.objects.select_for_update().filter(product=product).first()
    before = mapping.srg_code.code if mapping else None
    if mapping is None:
        mapping = SrgProductMapping(
            organisation_id=product.organisation_id, product=product, srg_code=srg_code
        )
    else:
        mapping.srg_code = srg_code
    mapping.save()
    audit_log(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        object_type="srg_product_mapping",
        object_id=mapping.pk,
        organisation_id=product.organisation_id,
        purpose="SRG-koppeling van een product beheerd",
        changes={"product": product.pk, "srg_code": [before, srg_code.code]},
    )
    return mapping


def srg_placement_mapping_validate(
    *, actor: Actor, placement_type: str, srg_code: SrgCode | None
) -> PlacementType:
    _require_admin(actor)
    try:
        kind = PlacementType(placement_type)
    except ValueError:
        raise ReportingError("Kies een soort plaatsing.", field="placement_type") from None
    _active_code(srg_code)
    return kind


@transaction.atomic
def srg_placement_mapping_save(
    *, actor: Actor, organisation_id: int, placement_type: str, srg_code: SrgCode
) -> SrgPlacementMapping:
    """Map a kind of placement to an SRG code (one code per kind and organisation)."""
    kind = srg_placement_mapping_validate(
        actor=actor, placement_type=placement_type, srg_code=srg_code
    )
    mapping, created = SrgPlacementMapping.objects.select_for_update().get_or_create(
        organisation_id=organisation_id,
        placement_type=kind.value,
        defaults={"srg_code": srg_code},
    )
    before = None if created else mapping.srg_code.code
    if not created:
        mapping.srg_code = srg_code
        mapping.save(update_fields=["srg_code"])
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        object_type="srg_placement_mapping",
        object_id=mapping.pk,
        organisation_id=organisation_id,
        purpose="SRG-koppeling van een soort plaatsing beheerd",
        changes={"placement_type": kind.value, "srg_code": [before, srg_code.code]},
    )
    return mapping


# --- Deliveries ----------------------------------------------------------------------------


def _require_deliver(actor: Actor | None) -> None:
    _require(actor, Perm.SRG_DELIVER, "U mag geen SRG-leveringen samenstellen of verzenden.")


@transaction.atomic
def srg_delivery_request(
    *,
    actor: Actor,
    municipality: Municipality,
    month: dt.date,
    today: dt.date,
    corrects: SrgDelivery | None = None,
) -> SrgDelivery:
    """Queue the delivery of one month for one municipality. A month already sent can only
    be delivered again as a correction of the sent delivery."""
    _require_deliver(actor)
    organisation_id = getattr(actor, "organisation_id", None)
    if municipality.organisation_id != organisation_id:
        raise ReportingError("Kies een gemeente van uw organisatie.", field="municipality")
    try:
        municipality_number(municipality.cbs_code)
    except ValueError:
        raise ReportingError(
            f"De gemeente {municipality.name} heeft geen geldige CBS-gemeentecode.",
            field="municipality",
        ) from None
    period = Month.of(month)
    if period.last >= today:
        raise ReportingError("Een maand kan pas worden geleverd als hij voorbij is.", field="month")
    if corrects is not None:
        if not corrects.is_sent:
            raise ReportingConflictError("Alleen een verzonden levering kan worden gecorrigeerd.")
        if corrects.municipality_id != municipality.pk or corrects.month != period.first:
            raise ReportingError(
                "Een correctie geldt voor dezelfde gemeente en maand.", field="month"
            )
        if corrects.corrections.exclude(status=DeliveryStatus.FAILED).exists():
            raise ReportingConflictError(
                "Deze levering heeft al een correctie; corrigeer de laatste levering."
            )
    else:
        sent = SrgDelivery.objects.filter(
            organisation_id=organisation_id,
            municipality=municipality,
            month=period.first,
            status=DeliveryStatus.SENT,
        )
        if sent.exists():
            raise ReportingConflictError(
                "Deze maand is al verzonden. Maak een correctie op de verzonden levering."
            )
    delivery = SrgDelivery.objects.create(
        organisation_id=organisation_id,
        municipality=municipality,
        month=period.first,
        corrects=corrects,
        requested_by=actor,
        requested_at=timezone.now(),
        created_on=today,
        layout_version=LAYOUT_VERSION,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="srg_delivery",
        object_id=delivery.pk,
        purpose="SRG-levering aan het CBS samengesteld"
        + (f" (correctie op levering {corrects.pk})" if corrects else ""),
        changes={"municipality": municipality.cbs_code, "month": period.label},
    )
    return delivery


def _set(delivery_id: int, **fields: Any) -> None:
    SrgDelivery.objects.filter(pk=delivery_id).update(**fields)


def srg_delivery_build(delivery_id: int) -> str:
    """Build the file and the validation report of a queued delivery (the background task).
    Streams the month's provisions: constant memory, progress on the row."""
    delivery = SrgDelivery.objects.select_related("municipality", "corrects").get(pk=delivery_id)
    if delivery.status not in {DeliveryStatus.QUEUED, DeliveryStatus.FAILED}:
        return str(delivery.status)
    month = Month.of(delivery.month)
    org_id, municipality_id = delivery.organisation_id, delivery.municipality_id
    _set(delivery_id, status=DeliveryStatus.BUILDING, progress=0, processed=0)
    try:
        total = selectors.provision_total(
            organisation_id=org_id, municipality_id=municipality_id, month=month
        )
        _set(delivery_id, total=total)
        counts = Counts()
        sample: list[dict[str, str]] = []
        digest = hashlib.sha256()
        with (
            tempfile.TemporaryFile() as out,
            tempfile.TemporaryFile() as report_bin,
        ):
            # UTF-8 with BOM: Dutch Excel opens it with é and € intact (issue 14)
            report = io.TextIOWrapper(report_bin, encoding="utf-8-sig", newline="")
            writer = csv.writer(report, delimiter=";")
            writer.writerow(["kenmerk", "ernst", "bevinding"])

            def emit(line: str) -> None:
                data = line.encode("ascii")
                digest.update(data)
                out.write(data)

            emit(
                header_line(
                    cbs_code=delivery.municipality.cbs_code,
                    month=month,
                    created_on=delivery.created_on,
                    delivery_number=delivery.pk,
                    corrects_number=delivery.corrects_id,
                )
            )
            processed = 0
            for provision in selectors.month_provisions(
                organisation_id=org_id, municipality_id=municipality_id, month=month
            ):
                found = issues_of(provision, created_on=delivery.created_on)
                counts.add_issues(found)
                for issue in found:
                    severity = "blokkerend" if issue.severity == "blocking" else "waarschuwing"
                    writer.writerow([issue.key, severity, issue.label])
                    if len(sample) < ISSUES_ON_PAGE:
                        sample.append(
                            {"key": issue.key, "severity": severity, "label": issue.label}
                        )
                if blocks(found):
                    counts.left_out += 1
                else:
                    emit(record_line(provision, month))
                    counts.add(provision, month)
                if not provision.key.startswith("L"):
                    processed += 1
                    if processed % PROGRESS_EVERY == 0:
                        _set(
                            delivery_id,
                            processed=processed,
                            progress=min(99, processed * 100 // max(total, 1)),
                        )
            emit(trailer_line(counts))
            report.flush()
            size = out.tell()
            out.seek(0)
            report_bin.seek(0)
            base = f"srg-{municipality_number(delivery.municipality.cbs_code)}-{month.label}"
            name = f"{base}-levering-{delivery.pk}"
            with transaction.atomic():
                row: SrgDelivery = SrgDelivery.objects.select_for_update().get(pk=delivery_id)
                row.file.save(f"{name}.txt", File(out), save=False)
                row.report.save(f"{name}-validatie.csv", File(report_bin), save=False)
                row.checksum = digest.hexdigest()
                row.size = size
                row.counts = {
                    "started": counts.started,
                    "running": counts.running,
                    "ended": counts.ended,
                    "lks_started": counts.lks_started,
                    "lks_running": counts.lks_running,
                    "lks_ended": counts.lks_ended,
                    "records": counts.records,
                    "left_out": counts.left_out,
                    "issues": counts.issues,
                }
                row.issues_sample = sample
                row.processed = processed
                row.progress = 100
                row.status = DeliveryStatus.READY
                row.built_at = timezone.now()
                row.failure_message = ""
                row.save()
            report.detach()
    except Exception:
        _set(
            delivery_id,
            status=DeliveryStatus.FAILED,
            failure_message="Het samenstellen is mislukt. Probeer het opnieuw of meld het aan "
            "de functioneel beheerder.",
        )
        raise
    return DeliveryStatus.READY.value


def file_checksum(delivery: SrgDelivery) -> str:
    """SHA-256 of the stored file, read in blocks (to verify it is unchanged)."""
    digest = hashlib.sha256()
    with delivery.file.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def srg_delivery_mark_sent(
    *, actor: Actor, delivery: SrgDelivery, report_seen: bool
) -> SrgDelivery:
    """Mark a built delivery as sent to CBS: from then on it is immutable (R-INT-2). With
    findings in the validation report, the sender must confirm having read it."""
    _require_deliver(actor)
    row: SrgDelivery = SrgDelivery.objects.select_for_update().get(pk=delivery.pk)
    if row.status != DeliveryStatus.READY:
        raise ReportingConflictError(
            "Alleen een samengestelde levering kan als verzonden worden gemarkeerd."
        )
    if (
        row.corrects_id is None
        and SrgDelivery.objects.filter(
            organisation_id=row.organisation_id,
            municipality_id=row.municipality_id,
            month=row.month,
            status=DeliveryStatus.SENT,
        )
        .exclude(pk=row.pk)
        .exists()
    ):
        # Two drafts of one month (the month composed twice before either was sent) would
        # both reach CBS: after the first is sent, a month is only delivered as a correction.
        raise ReportingConflictError(
            "Deze maand is al verzonden met een andere levering. Maak een correctie op de "
            "verzonden levering."
        )
    if row.issue_count and not report_seen:
        raise ReportingError(
            "Het validatierapport heeft bevindingen. Bevestig dat u het hebt bekeken.",
            field="report_seen",
        )
    if file_checksum(row) != row.checksum:
        raise ReportingConflictError(
            "Het bestand wijkt af van de controlesom; stel het opnieuw samen."
        )
    previous = row.corrects
    row.status = DeliveryStatus.SENT
    row.sent_by = actor
    row.sent_at = timezone.now()
    row.save()
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="srg_delivery",
        object_id=row.pk,
        purpose="SRG-levering als verzonden gemarkeerd",
        changes={
            "status": [DeliveryStatus.READY.value, DeliveryStatus.SENT.value],
            "checksum": row.checksum,
            "corrects": previous.pk if previous else None,
        },
    )
    return row


def srg_delivery_retry(*, actor: Actor, delivery: SrgDelivery) -> SrgDelivery:
    """Put a failed delivery back in the queue."""
    _require_deliver(actor)
    if delivery.status != DeliveryStatus.FAILED:
        raise ReportingConflictError(
            "Alleen een mislukte levering kan opnieuw worden samengesteld."
        )
    _set(delivery.pk, status=DeliveryStatus.QUEUED, progress=0, failure_message="")
    delivery.refresh_from_db()
    return delivery


def srg_delivery_downloaded(*, actor: Actor, delivery: SrgDelivery, what: str) -> None:
    """Audit a download of the file (it holds BSNs) or of the validation report."""
    _require_deliver(actor)
    audit_log(
        action=AuditAction.EXPORT,
        actor=actor,
        object_type="srg_delivery",
        object_id=delivery.pk,
        purpose=f"SRG-{what} gedownload",
    )
