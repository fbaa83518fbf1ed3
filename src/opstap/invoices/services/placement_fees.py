"""Placement-fee claims (R-BILL-6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from opstap.core.actor import Actor
from opstap.invoices.models import (
    InvoiceSource,
    PlacementFeeClaim,
)
from opstap.invoices.money import (
    VatCode,
    vat_line,
    vat_percentage_on,
)
from opstap.invoices.payment_rules import (
    MilestoneKind,
)
from opstap.invoices.workflow import (
    InvoiceStatus,
)
from opstap.trajectories.models import Trajectory

from ._common import (
    InvoiceError,
    LineInput,
    _check_pdf,
    _check_submitter,
    _money,
    _now,
    _parse_date,
    _req_money,
)
from .checks import vat_rates
from .invoices import invoice_recheck_internal, invoice_submit


@transaction.atomic
def placement_fee_claim_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    invoice_number: str,
    invoice_date: dt.date | str,
    employer: str,
    placement_start: dt.date | str,
    hours_per_week: Decimal | str,
    contract_months: int | None,
    probation_end: dt.date | str | None = None,
    client_hour_restriction: Decimal | str | None = None,
    contract: UploadedFile[Any] | None = None,
    pdf: UploadedFile[Any] | None = None,
    vat_code: str = VatCode.HIGH,
    source: str = InvoiceSource.PORTAL,
) -> PlacementFeeClaim:
    """Claim the one-off EUR 500 placement fee with the employment contract (R-BILL-6). The
    rules check hours, duration and timing; one fee per placement (a second claim for the same
    placement is refused here and by a unique constraint)."""
    _check_submitter(actor, trajectory)
    start = _parse_date(placement_start, field="placement_start", label="de start", required=True)
    assert start is not None
    if not (employer or "").strip():
        raise InvoiceError("Vul de werkgever in.", field="employer")
    hours = _req_money(hours_per_week, field="hours_per_week", label="de uren per week")
    if hours <= 0:
        raise InvoiceError("Het aantal uren per week moet positief zijn.", field="hours_per_week")
    if contract_months is not None and contract_months < 1:
        raise InvoiceError("De contractduur is minimaal 1 maand.", field="contract_months")
    probation = _parse_date(
        probation_end, field="probation_end", label="het einde van de proeftijd", required=False
    )
    if probation is not None and probation < start:
        # The claim window runs from the day after the probation (R-BILL-6): a probation that
        # ends before the first working day is a typing error, never a window to judge.
        raise InvoiceError(
            f"Het einde van de proeftijd ({probation:%d-%m-%Y}) ligt vóór de eerste werkdag "
            f"({start:%d-%m-%Y}). Vul de laatste dag van de proeftijd in, of laat het veld leeg "
            "als er geen proeftijd is.",
            field="probation_end",
        )
    if PlacementFeeClaim.objects.filter(trajectory=trajectory, placement_start=start).exists():
        raise InvoiceError(
            "Voor deze plaatsing is al een bemiddelingsfee gedeclareerd (één fee per plaatsing).",
            field="placement_start",
            code="duplicate",
        )
    if contract is not None:
        _check_pdf(contract, field="contract")
    claim = PlacementFeeClaim(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        provider_id=trajectory.provider_id,
        client_id=trajectory.client_id,
        employer=employer.strip()[:200],
        placement_start=start,
        contract_months=contract_months,
        hours_per_week=hours,
        probation_end=probation,
        client_hour_restriction=_money(
            client_hour_restriction,
            field="client_hour_restriction",
            label="de urenbeperking",
            required=False,
        ),
        submitted_at=_now(),
    )
    if contract is not None:
        claim.contract_name = (contract.name or "contract.pdf")[:255]
        claim.contract.save(
            f"contract-{trajectory.pk}-{start.isoformat()}.pdf", contract, save=False
        )
    inv_date = _parse_date(
        invoice_date, field="invoice_date", label="de factuurdatum", required=True
    )
    assert inv_date is not None
    pct = vat_percentage_on(vat_rates(), vat_code, inv_date)
    from opstap.invoices.payment_rules import PLACEMENT_FEE

    amounts = vat_line(PLACEMENT_FEE, pct)
    invoice = invoice_submit(
        actor=actor,
        trajectory=trajectory,
        invoice_number=invoice_number,
        invoice_date=inv_date,
        milestone=MilestoneKind.PLACEMENT_FEE,
        amount_excl=amounts.excl,
        vat=amounts.vat,
        amount_incl=amounts.incl,
        client_number=trajectory.client.client_number,
        client_surname=trajectory.client.last_name,
        period_start=start,
        period_end=start,
        lines=[LineInput("Bemiddelingsfee", amounts.excl, vat_code, amounts.vat)],
        pdf=pdf,
        source=source,
        structured_data={"employer": employer.strip(), "placement_start": start.isoformat()},
    )
    claim.invoice = invoice
    claim.save()
    if invoice.status != InvoiceStatus.HELD.value:
        # Now that the placement is on record, the rules see it: check again.
        invoice_recheck_internal(invoice)
    return claim
