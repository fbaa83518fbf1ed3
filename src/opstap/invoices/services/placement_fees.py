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
)
from .checks import vat_rates
from .invoices import invoice_recheck_internal, invoice_submit


def _hours(value: Any, *, field: str, label: str, plural: bool = False) -> Decimal | None:
    """A number of hours: never called an amount ("bedrag") in a message."""
    return _money(value, field=field, label=label, required=False, noun="getal", plural=plural)


def placement_fee_problems(
    *,
    trajectory: Trajectory | None,
    employer: str | None,
    placement_start: dt.date | str | None,
    hours_per_week: Decimal | str | None,
    contract_months: int | None,
    probation_end: dt.date | str | None = None,
    client_hour_restriction: Decimal | str | None = None,
) -> list[InvoiceError]:
    """Every problem with what was typed on a placement-fee claim (R-BILL-6, R-SEC-6), each
    naming its field, all at once: the form page shows them in one answer beside its own
    field errors (it named them one at a time). `placement_fee_claim_submit` refuses with all
    of them (`InvoiceError.of_all`: the API lists each in `invalidParams`). An input the
    caller could not read is passed as None and not checked here, except the employer and the
    hours, which the claim needs."""
    problems: list[InvoiceError] = []

    def check(read: Any) -> Any:
        try:
            return read()
        except InvoiceError as exc:
            problems.append(exc)
            return None

    start = check(
        lambda: _parse_date(
            placement_start, field="placement_start", label="de start", required=True
        )
    )
    if not (employer or "").strip():
        problems.append(InvoiceError("Vul de werkgever in.", field="employer", code="required"))
    if hours_per_week is None or hours_per_week == "":
        problems.append(
            InvoiceError("Vul de uren per week in.", field="hours_per_week", code="required")
        )
    else:
        hours = check(
            lambda: _hours(
                hours_per_week, field="hours_per_week", label="de uren per week", plural=True
            )
        )
        if hours is not None and hours <= 0:
            problems.append(
                InvoiceError("Het aantal uren per week moet positief zijn.", field="hours_per_week")
            )
    if contract_months is not None and contract_months < 1:
        problems.append(
            InvoiceError("De contractduur is minimaal 1 maand.", field="contract_months")
        )
    probation = check(
        lambda: _parse_date(
            probation_end,
            field="probation_end",
            label="het einde van de proeftijd",
            required=False,
        )
    )
    if probation is not None and start is not None and probation < start:
        # The claim window runs from the day after the probation (R-BILL-6): a probation that
        # ends before the first working day is a typing error, never a window to judge.
        problems.append(
            InvoiceError(
                f"Het einde van de proeftijd ({probation:%d-%m-%Y}) ligt vóór de eerste werkdag "
                f"({start:%d-%m-%Y}). Vul de laatste dag van de proeftijd in, of laat het veld "
                "leeg als er geen proeftijd is.",
                field="probation_end",
            )
        )
    check(
        lambda: _hours(
            client_hour_restriction, field="client_hour_restriction", label="de urenbeperking"
        )
    )
    if (
        trajectory is not None
        and start is not None
        and PlacementFeeClaim.objects.filter(trajectory=trajectory, placement_start=start).exists()
    ):
        problems.append(
            InvoiceError(
                "Voor deze plaatsing is al een bemiddelingsfee gedeclareerd (één fee per "
                "plaatsing).",
                field="placement_start",
                code="duplicate",
            )
        )
    return problems


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
    vat_code: str | None = None,
    source: str = InvoiceSource.PORTAL,
    received_at: dt.datetime | None = None,
) -> PlacementFeeClaim:
    """Claim the one-off EUR 500 placement fee with the employment contract (R-BILL-6). The
    rules check hours, duration and timing; one fee per placement (a second claim for the same
    placement is refused here and by a unique constraint). `received_at`: a claim the
    administration registers from paper counts as received on its stamped day
    (`paper_received_at`), for the claim window and the payment term; None is now."""
    _check_submitter(actor, trajectory)
    if problems := placement_fee_problems(
        trajectory=trajectory,
        employer=employer,
        placement_start=placement_start,
        hours_per_week=hours_per_week,
        contract_months=contract_months,
        probation_end=probation_end,
        client_hour_restriction=client_hour_restriction,
    ):
        raise InvoiceError.of_all(problems)
    start = _parse_date(placement_start, field="placement_start", label="de start", required=True)
    assert start is not None
    hours = _hours(hours_per_week, field="hours_per_week", label="de uren per week", plural=True)
    assert hours is not None
    probation = _parse_date(
        probation_end, field="probation_end", label="het einde van de proeftijd", required=False
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
        client_hour_restriction=_hours(
            client_hour_restriction, field="client_hour_restriction", label="de urenbeperking"
        ),
        submitted_at=received_at or _now(),
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
    # R-BILL-11: the VAT category of the order unless the caller (a simulation) names one.
    vat_code = vat_code or trajectory.vat_code
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
        received_at=received_at,
    )
    claim.invoice = invoice
    claim.save()
    if invoice.status != InvoiceStatus.HELD.value:
        # Now that the placement is on record, the rules see it: check again.
        invoice_recheck_internal(invoice)
    return claim
