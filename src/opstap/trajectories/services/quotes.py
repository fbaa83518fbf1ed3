"""Quotes and price terms (R-TRJ-1, R-BILL-1): a complete quote, its approval, and revisions that
the case manager approves or rejects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from opstap.core.actor import Actor
from opstap.core.money import format_euro
from opstap.core.roles import RoleCode
from opstap.trajectories import handoffs
from opstap.trajectories import price_terms as pt
from opstap.trajectories.models import (
    DocumentKind,
    Quote,
    QuoteStatus,
    Trajectory,
    TrajectoryDocument,
)
from opstap.trajectories.workflow import (
    State,
    starts_with_quote,
)

from ._common import (
    TrajectoryError,
    _check_visible,
    _record,
    _today,
    _workflow_roles,
    check_upload,
    price_terms_changed,
)
from .handoff_notices import event_handoff_notify


def _terms_fields(terms: pt.PriceTerms) -> dict[str, Any]:
    return {
        "price_basis": terms.basis.value,
        "price": terms.price,
        "hourly_rate": terms.hourly_rate,
        "agreed_hours": terms.agreed_hours,
        "budget_cap": terms.budget_cap,
        "price_source": terms.source.value,
    }


def price_terms_of(trajectory: Trajectory) -> pt.PriceTerms:
    """The explicit price terms a trajectory holds (what the payment rules read)."""
    try:
        return pt.PriceTerms(
            basis=pt.PriceBasis(trajectory.price_basis),
            price=trajectory.price,
            hourly_rate=trajectory.hourly_rate,
            agreed_hours=trajectory.agreed_hours,
            budget_cap=trajectory.budget_cap,
            source=pt.PriceSource(trajectory.price_source),
        )
    except (pt.PriceTermsError, ValueError) as exc:
        raise TrajectoryError(str(exc), field="price_terms") from exc


def _decimal(value: Any, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise TrajectoryError(f"{label} is geen geldig getal.", field=field) from exc
    if not amount.is_finite():
        raise TrajectoryError(f"{label} is geen geldig getal.", field=field)
    return amount


def _quote_content(payload: Mapping[str, Any], *, text: str, has_document: bool) -> pt.QuoteContent:
    return pt.QuoteContent(
        amount=_decimal(payload.get("amount"), field="amount", label="Het offertebedrag"),
        hourly_rate=_decimal(
            payload.get("hourly_rate"), field="hourly_rate", label="Het uurtarief"
        ),
        hours=_decimal(payload.get("hours"), field="hours", label="Het aantal uren"),
        text=text,
        has_document=has_document,
    )


def _quote_create(
    trajectory: Trajectory,
    payload: dict[str, Any],
    *,
    text: str,
    has_document: bool,
    on: dt.date,
    actor: Actor | None = None,
) -> Quote:
    """Validate and store a quote (version n+1); its figures also go into the event payload
    so the history shows them (R-TRJ-2)."""
    content = _quote_content(payload, text=text, has_document=has_document)
    try:
        pt.validate_quote(trajectory.product_code, content)
    except pt.PriceTermsError as exc:
        raise TrajectoryError(exc.message, field=exc.field) from exc
    assert content.amount is not None
    last = Quote.objects.filter(trajectory=trajectory).order_by("-version").first()
    quote = Quote.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        version=(last.version + 1) if last is not None else 1,
        amount=content.amount,
        hourly_rate=content.hourly_rate,
        hours=content.hours,
        text=text.strip(),
        submitted_by=actor,
        submitted_on=on,
    )
    payload.update(
        quote=quote.pk,
        version=quote.version,
        amount=str(content.amount),
        hourly_rate=str(content.hourly_rate) if content.hourly_rate is not None else "",
        hours=str(content.hours) if content.hours is not None else "",
    )
    return quote


def _quote_approve(
    trajectory: Trajectory, payload: dict[str, Any], *, on: dt.date, actor: Actor, reason: str = ""
) -> Quote:
    """The open quote becomes the approved one; the earlier approved one is superseded and the
    trajectory's price terms follow the latest approved quote (R-BILL-1)."""
    quote = (
        Quote.objects.select_for_update()
        .filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED)
        .first()
    )
    if quote is None:
        raise TrajectoryError(
            "Er is geen ingediende offerte met een bedrag om goed te keuren; de aanbieder "
            "dient eerst een (herziene) offerte in.",
            field="quote",
        )
    content = pt.QuoteContent(
        amount=quote.amount,
        hourly_rate=quote.hourly_rate,
        hours=quote.hours,
        text=quote.text,
        # Text or document was checked when the quote was submitted.
        has_document=True,
    )
    try:
        terms = pt.terms_from_quote(trajectory.product_code, content)
    except pt.PriceTermsError as exc:
        raise TrajectoryError(exc.message, field=exc.field) from exc
    Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.APPROVED).update(
        status=QuoteStatus.SUPERSEDED
    )
    quote.status = QuoteStatus.APPROVED
    quote.decided_by, quote.decided_on, quote.decision_reason = actor, on, reason.strip()
    quote.save(update_fields=["status", "decided_by", "decided_on", "decision_reason"])
    previous = price_terms_of(trajectory)
    for name, value in _terms_fields(terms).items():
        setattr(trajectory, name, value)
    payload.update(
        quote=quote.pk,
        version=quote.version,
        price_terms=terms.label_nl(),
        previous_price_terms=previous.label_nl(),
    )
    return quote


#: States in which a revised quote can replace the open or approved one: after the first
#: quote and before the trajectory was refused.
_NO_REVISION_STATES = frozenset({State.ORDERED.value, State.QUOTE_REJECTED.value})


def _lock_for_quote(actor: Actor, trajectory: Trajectory, role: RoleCode) -> Trajectory:
    _check_visible(actor, trajectory)
    locked = (
        Trajectory.objects.select_for_update(of=("self",))
        .select_related("client", "product", "provider")
        .get(pk=trajectory.pk)
    )
    if role not in _workflow_roles(actor, locked):
        who = "de aanbieder" if role is RoleCode.PROVIDER_STAFF else "de klantmanager"
        raise TrajectoryError(f"Alleen {who} van dit traject kan dit doen.", code="forbidden")
    if not starts_with_quote(locked.product_code):
        raise TrajectoryError("Voor dit product is geen offerte nodig.", field="quote")
    return locked


@transaction.atomic
def quote_revise(
    *,
    actor: Actor,
    trajectory: Trajectory,
    amount: Decimal | str | None,
    hourly_rate: Decimal | str | None = None,
    hours: Decimal | str | None = None,
    text: str = "",
    upload: UploadedFile[Any] | None = None,
    on: dt.date | None = None,
) -> Quote:
    """The provider replaces a wrong quote by a revised one (R-TRJ-1). While the first quote
    waits for the case manager, the revision takes its place; after approval the case manager
    approves the revision again (`quote_revision_approve`). Every version stays."""
    on = on or _today()
    locked = _lock_for_quote(actor, trajectory, RoleCode.PROVIDER_STAFF)
    if locked.state in _NO_REVISION_STATES:
        raise TrajectoryError(
            "Een herziene offerte kan pas na de eerste offerte en niet na een afwijzing.",
            field="quote",
            code="illegal_transition",
        )
    content_type = check_upload(upload) if upload is not None else ""
    # A revision replaces a quote that still waits for a decision.
    Quote.objects.filter(trajectory=locked, status=QuoteStatus.SUBMITTED).update(
        status=QuoteStatus.SUPERSEDED
    )
    payload: dict[str, Any] = {"amount": amount, "hourly_rate": hourly_rate, "hours": hours}
    quote = _quote_create(
        locked, payload, text=text, has_document=upload is not None, on=on, actor=actor
    )
    if upload is not None:
        document = TrajectoryDocument(
            organisation_id=locked.organisation_id,
            trajectory=locked,
            kind=DocumentKind.QUOTE,
            title=f"Herziene offerte (versie {quote.version})",
            text=text.strip(),
            submitted_by=actor,
            submitted_at=timezone.now(),
            content_type=content_type,
            file_name=(upload.name or "")[:255],
            size=upload.size or 0,
        )
        document.file.save(upload.name or "offerte", upload, save=False)
        document.save()
        quote.document = document
        quote.save(update_fields=["document"])
    event = _record(
        actor=actor,
        trajectory=locked,
        action=handoffs.REVISED_QUOTE_SUBMITTED,
        from_state=locked.state,
        reason=text.strip(),
        payload=payload,
        summary=(
            f"Traject {locked.product.name}: herziene offerte "
            f"ingediend ({format_euro(quote.amount)})"
        ),
    )
    event_handoff_notify(
        handoffs.REVISED_QUOTE_SUBMITTED, actor=actor, trajectory=locked, event=event
    )
    trajectory.refresh_from_db()
    return quote


def _open_revision(locked: Trajectory) -> Quote:
    quote = (
        Quote.objects.select_for_update()
        .filter(trajectory=locked, status=QuoteStatus.SUBMITTED)
        .first()
    )
    if quote is None or locked.state == State.QUOTE_SUBMITTED.value:
        raise TrajectoryError(
            "Er is geen herziene offerte die op uw besluit wacht.",
            field="quote",
            code="illegal_transition",
        )
    return quote


@transaction.atomic
def quote_revision_approve(
    *, actor: Actor, trajectory: Trajectory, reason: str = "", on: dt.date | None = None
) -> Quote:
    """The case manager approves a revised quote: the price terms follow it, the earlier
    approved quote is kept as superseded (R-TRJ-1, R-BILL-1)."""
    on = on or _today()
    locked = _lock_for_quote(actor, trajectory, RoleCode.CASE_MANAGER)
    _open_revision(locked)
    payload: dict[str, Any] = {}
    quote = _quote_approve(locked, payload, on=on, actor=actor, reason=reason)
    locked.save()
    price_terms_changed.send(sender=Trajectory, trajectory=locked)
    event = _record(
        actor=actor,
        trajectory=locked,
        action=handoffs.REVISED_QUOTE_APPROVED,
        from_state=locked.state,
        reason=reason.strip(),
        payload=payload,
        summary=f"Traject {locked.product.name}: herziene offerte goedgekeurd "
        f"({payload['price_terms']})",
        changes={"price_terms": [payload["previous_price_terms"], payload["price_terms"]]},
    )
    event_handoff_notify(
        handoffs.REVISED_QUOTE_APPROVED, actor=actor, trajectory=locked, event=event
    )
    trajectory.refresh_from_db()
    return quote


@transaction.atomic
def quote_revision_reject(
    *, actor: Actor, trajectory: Trajectory, reason: str, on: dt.date | None = None
) -> Quote:
    """The case manager rejects a revised quote (with a reason); the approved terms stay."""
    on = on or _today()
    if not (reason or "").strip():
        raise TrajectoryError("Geef een reden op voor de afwijzing.", field="reason")
    locked = _lock_for_quote(actor, trajectory, RoleCode.CASE_MANAGER)
    quote = _open_revision(locked)
    quote.status = QuoteStatus.REJECTED
    quote.decided_by, quote.decided_on = actor, on
    quote.decision_reason = reason.strip()
    quote.save(update_fields=["status", "decided_by", "decided_on", "decision_reason"])
    event = _record(
        actor=actor,
        trajectory=locked,
        action=handoffs.REVISED_QUOTE_REJECTED,
        from_state=locked.state,
        reason=reason.strip(),
        payload={"quote": quote.pk, "version": quote.version},
        summary=f"Traject {locked.product.name}: herziene offerte afgewezen",
    )
    event_handoff_notify(
        handoffs.REVISED_QUOTE_REJECTED,
        actor=actor,
        trajectory=locked,
        event=event,
        reason=reason.strip(),
    )
    trajectory.refresh_from_db()
    return quote
