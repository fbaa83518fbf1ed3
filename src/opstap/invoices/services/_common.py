"""What the invoice services share: the error type, the payment term, parsing of submitted amounts,
dates and PDFs, the access checks, and the event/audit record of every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.access import can_see
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.money import parse_amount
from opstap.core.roles import Perm, RoleCode
from opstap.documents import services as uploads
from opstap.invoices.models import (
    Invoice,
    InvoiceEvent,
)
from opstap.invoices.money import (
    VatCode,
    to_cents,
)
from opstap.invoices.payment_rules import (
    EndReason,
    MilestoneKind,
    Reason,
)
from opstap.invoices.workflow import (
    ACTION_LABELS_NL,
    IllegalInvoiceTransition,
    InvoiceAction,
    next_status,
)
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import Action as TrajectoryAction

#: R-TRJ-3: an invoice is paid within 30 working days after receipt (Atw calendar).
PAYMENT_TERM_WORKING_DAYS = 30
MAX_PDF_BYTES = uploads.MAX_UPLOAD_BYTES
#: Milestones that need a person's confirmation of the facts before approval.
SUBSTANCE_MILESTONES = frozenset({MilestoneKind.EARLY_TERMINATION, MilestoneKind.PLACEMENT_FEE})
_ENDING_ACTIONS: Mapping[str, EndReason] = {
    TrajectoryAction.COMPLETE.value: EndReason.COMPLETED,
    TrajectoryAction.TERMINATE_EARLY.value: EndReason.TERMINATED_EARLY,
    # A return (R-TRJ-5) is an early end for reasons outside the provider's control.
    TrajectoryAction.APPROVE_RETURN.value: EndReason.TERMINATED_EARLY,
    TrajectoryAction.NOT_STARTED_AFTER_KLIKGESPREK.value: EndReason.NOT_STARTED_AFTER_KLIKGESPREK,
    TrajectoryAction.NOT_STARTED_AFTER_INTAKE.value: EndReason.NOT_STARTED_AFTER_INTAKE,
}


class InvoiceError(InvalidInputError):
    """A refused invoice change; `message` is Dutch and meant for the user. Raised with
    `code="not_found"`/`"forbidden"` it answers 404/403 in the API (`opstap.core.errors`)."""


class InvoiceConflictError(InvoiceError):
    """The invoice's status no longer allows the step: another user took a step first (a
    second approval that waited on the row lock, a rejection of a paid invoice). 409 in the
    API (R-INT-1: a lost race is a conflict, not bad input)."""

    status = 409


@dataclass(frozen=True, slots=True)
class LineInput:
    """One invoice line as submitted; VAT is computed from the rate valid on the invoice date
    when not given (R-BILL-11)."""

    description: str
    amount_excl: Decimal
    vat_code: str = VatCode.HIGH
    vat: Decimal | None = None


def _now() -> dt.datetime:
    return timezone.now()


def _money(
    value: Any,
    *,
    field: str,
    label: str,
    required: bool = True,
    noun: str = "bedrag",
    plural: bool = False,
) -> Decimal | None:
    """An amount (or, with `noun="getal"`, a number of hours or kilometres) as typed; the
    messages agree with `label` (`plural`: "De uren per week kunnen ...")."""
    if value is None or value == "":
        if required:
            raise InvoiceError(f"Vul {label} in.", field=field, code="required")
        return None
    name = label[:1].upper() + label[1:]
    is_, has, can = ("zijn", "hebben", "kunnen") if plural else ("is", "heeft", "kan")
    try:
        amount = value if isinstance(value, Decimal) else parse_amount(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvoiceError(f"{name} {is_} geen geldig {noun}.", field=field) from exc
    if not amount.is_finite():
        raise InvoiceError(f"{name} {is_} geen geldig {noun}.", field=field)
    if amount != to_cents(amount):
        raise InvoiceError(f"{name} {has} meer dan twee decimalen.", field=field)
    if abs(amount) >= Decimal("10000000000"):
        raise InvoiceError(f"{name} {is_} te groot.", field=field)
    if amount < 0:  # amounts, rates, hours and distances are never negative (R-SEC-6)
        raise InvoiceError(f"{name} {can} niet negatief zijn.", field=field)
    return amount


def _req_money(value: Any, *, field: str, label: str) -> Decimal:
    amount = _money(value, field=field, label=label)
    assert amount is not None
    return amount


def _is_provider_of(actor: Actor, provider_id: int) -> bool:
    membership = getattr(actor, "provider_membership", None)
    return (
        actor.has_role(RoleCode.PROVIDER_STAFF)
        and membership is not None
        and membership.provider_id == provider_id
    )


def _is_finance(actor: Actor) -> bool:
    return bool(actor.has_opstap_perm(Perm.INVOICE_APPROVE)) and not actor.has_role(
        RoleCode.PROVIDER_STAFF
    )


def _require_finance(actor: Actor) -> None:
    if actor is None or not _is_finance(actor):
        raise InvoiceError(
            "Alleen de administratie (recht 'facturen goedkeuren') mag dit.", code="forbidden"
        )


def _require_visible(actor: Actor, obj: Any, what: str = "Deze factuur") -> None:
    if actor is None or not can_see(actor, obj):
        raise InvoiceError(f"{what} bestaat niet of u heeft er geen toegang toe.", code="not_found")


def _reasons_json(reasons: Iterable[Reason]) -> list[dict[str, str]]:
    return [{"code": str(r.code), "message": r.message} for r in reasons]


def _action_label(action: str) -> str:
    """The Dutch words of an invoice event for the audit trail (issue 14: never `approve`)."""
    if action in InvoiceAction._value2member_map_:
        return ACTION_LABELS_NL[InvoiceAction(action)].lower()
    return InvoiceEvent.OTHER_ACTION_LABELS_NL.get(action, action).lower()


def _record(
    *,
    actor: Actor | None,
    invoice: Invoice,
    action: str,
    from_status: str,
    reason: str = "",
    payload: Mapping[str, Any] | None = None,
    audit: AuditAction = AuditAction.UPDATE,
    changes: Mapping[str, Any] | None = None,
) -> None:
    InvoiceEvent.objects.create(
        organisation_id=invoice.organisation_id,
        invoice=invoice,
        occurred_at=_now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=invoice.status,
        reason=reason,
        payload=dict(payload or {}),
    )
    audit_log(
        action=audit,
        actor=actor,
        object_type="invoice",
        object_id=invoice.pk,
        client_id=invoice.client_id,
        purpose=f"Factuur: {_action_label(action)}",
        changes=changes or {"status": [from_status or None, invoice.status]},
        organisation_id=invoice.organisation_id,
    )


def _transition(invoice: Invoice, action: InvoiceAction) -> str:
    """Move `invoice` along the workflow table; returns the old status."""
    try:
        target = next_status(invoice.status, action)
    except IllegalInvoiceTransition as exc:
        raise InvoiceConflictError(str(exc), code="illegal_transition") from exc
    old = invoice.status
    invoice.status = target.value
    return old


def _lock(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update()
        .select_related("trajectory", "trajectory__product", "client", "provider")
        .get(pk=invoice.pk)
    )


def _check_pdf(pdf: UploadedFile[Any] | None, *, field: str = "pdf") -> None:
    if pdf is None:
        return
    try:
        uploads.check_upload(pdf, allowed=uploads.PDF_ONLY, max_bytes=MAX_PDF_BYTES)
    except uploads.UploadRefusedError as exc:
        raise InvoiceError(str(exc), field=field) from exc


#: Dates an invoice, credit note or claim can plausibly carry (the Participatiewet started
#: in 2015; older dates are typing errors, and year 1 crashed the working-day arithmetic).
PLAUSIBLE_FIRST_DAY = dt.date(2000, 1, 1)
PLAUSIBLE_LAST_DAY = dt.date(2099, 12, 31)


def _parse_date(value: Any, *, field: str, label: str, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise InvoiceError(f"Vul {label} in.", field=field, code="required")
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise InvoiceError(f"{label.capitalize()} is geen geldige datum.", field=field) from exc
    if not PLAUSIBLE_FIRST_DAY <= day <= PLAUSIBLE_LAST_DAY:  # e.g. 0001-01-01 (R-SEC-6)
        raise InvoiceError(
            f"{label.capitalize()} ligt niet tussen {PLAUSIBLE_FIRST_DAY:%d-%m-%Y} en "
            f"{PLAUSIBLE_LAST_DAY:%d-%m-%Y}.",
            field=field,
        )
    return day


def _check_submitter(actor: Actor, trajectory: Trajectory) -> None:
    """Provider staff submit only for their own provider's trajectories; the administration
    may register paper invoices. Anyone else, or another provider, is refused as if the
    trajectory did not exist (R-SEC-1)."""
    if actor is None or not actor.is_authenticated:
        raise InvoiceError("Log in om een factuur in te dienen.", code="forbidden")
    if actor.has_role(RoleCode.PROVIDER_STAFF):
        if not _is_provider_of(actor, trajectory.provider_id):
            # Same words as a missing trajectory: another provider's work is no business.
            raise InvoiceError(
                "Dit traject bestaat niet of u heeft er geen toegang toe.",
                field="trajectory",
                code="not_found",
            )
    elif not _is_finance(actor):
        raise InvoiceError(
            "Alleen de aanbieder of de administratie kan een factuur indienen.", code="forbidden"
        )
    _require_visible(actor, trajectory, "Dit traject")
