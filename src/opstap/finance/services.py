"""State changes of the finance app: saved scenarios (R-FIN-1..5), the outflow-premium scheme
and premiums (R-PREM-1). One function per change, keyword-only, validated, atomic, with an
audit record as its event. Domain errors are `FinanceError` with a Dutch message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.audit_names import object_type_for
from opstap.core.errors import InvalidInputError
from opstap.organisations.models import Organisation

from .calculators import CALCULATORS
from .models import (
    OutflowPremium,
    OutflowPremiumScheme,
    PremiumStatus,
    Scenario,
)
from .models_pure import outflow_premium as rules
from .models_pure.errors import FinanceInputError
from .models_pure.money import money


class FinanceError(InvalidInputError):
    """A refused finance change; `message` is Dutch and shown to the user as is."""


# --- scenarios ---------------------------------------------------------------------------------


def _validate_inputs(kind: str, inputs: dict[str, Any]) -> None:
    calculator = CALCULATORS.get(kind)
    if calculator is None:
        raise FinanceError(f"Onbekend model '{kind}'.", field="kind")
    try:
        calculator.run(inputs)
    except FinanceInputError as exc:
        raise FinanceError(exc.message, field=exc.field or "inputs") from exc


def scenario_save(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    name: str,
    inputs: dict[str, Any],
    description: str = "",
    scenario: Scenario | None = None,
) -> Scenario:
    """Create or update a named scenario; refuses inputs the model cannot compute."""
    name = name.strip()
    if not name:
        raise FinanceError("Geef het scenario een naam.", field="name")
    _validate_inputs(kind, inputs)
    try:
        with transaction.atomic():
            if scenario is None:
                scenario = Scenario.objects.create(
                    organisation=organisation,
                    kind=kind,
                    name=name,
                    description=description,
                    inputs=inputs,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                action = AuditAction.CREATE
                changes: dict[str, Any] = {"name": name}
            else:
                scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
                if scenario.organisation_id != organisation.pk or scenario.kind != kind:
                    raise FinanceError("Dit scenario hoort bij een ander model.", field="kind")
                changes = {"name": [scenario.name, name], "inputs": [scenario.inputs, inputs]}
                scenario.name = name
                scenario.description = description
                scenario.inputs = inputs
                scenario.save(update_fields=["name", "description", "inputs", "updated_at"])
                action = AuditAction.UPDATE
            audit_log(
                action=action,
                actor=actor,
                object_type=object_type_for(Scenario),
                object_id=scenario.pk,
                organisation_id=organisation.pk,
                changes=changes,
            )
    except IntegrityError as exc:
        raise FinanceError(
            f"Er is al een scenario '{name}' voor dit model; kies een andere naam.", field="name"
        ) from exc
    return scenario


def scenario_delete(*, actor: Actor, scenario: Scenario) -> None:
    with transaction.atomic():
        audit_log(
            action=AuditAction.DELETE,
            actor=actor,
            object_type=object_type_for(Scenario),
            object_id=scenario.pk,
            organisation_id=scenario.organisation_id,
            changes={"name": scenario.name},
        )
        scenario.delete()


# --- outflow premium (R-PREM-1) ----------------------------------------------------------------


def premium_scheme() -> rules.PremiumScheme:
    """The scheme in force (the one global row, or the defaults when none was saved)."""
    row = OutflowPremiumScheme.objects.order_by("pk").first()
    if row is None:
        return rules.PremiumScheme()
    return rules.PremiumScheme(
        enabled=row.enabled,
        min_benefit_months=row.min_benefit_months,
        min_hours_per_week=row.min_hours_per_week,
        first_amount=row.first_amount,
        second_amount=row.second_amount,
        second_after_months=row.second_after_months,
    )


def premium_scheme_update(
    *,
    actor: Actor,
    enabled: bool,
    min_benefit_months: int = 24,
    min_hours_per_week: Decimal = Decimal(16),
    first_amount: Decimal = Decimal(500),
    second_amount: Decimal = Decimal(500),
    second_after_months: int = 6,
) -> OutflowPremiumScheme:
    """Switch the scheme on or off, or change its parameters (R-PREM-1)."""
    if min_hours_per_week < 0 or first_amount < 0 or second_amount < 0:
        raise FinanceError("Uren en bedragen kunnen niet negatief zijn.")
    with transaction.atomic():
        row = OutflowPremiumScheme.objects.select_for_update().order_by("pk").first()
        if row is None:
            row = OutflowPremiumScheme()
        old = {"enabled": row.enabled} if row.pk else {}
        row.enabled = enabled
        row.min_benefit_months = min_benefit_months
        row.min_hours_per_week = min_hours_per_week
        row.first_amount = money(first_amount)
        row.second_amount = money(second_amount)
        row.second_after_months = second_after_months
        row.save()
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            object_type="outflow_premium_scheme",
            object_id=row.pk,
            changes={"enabled": [old.get("enabled"), enabled]},
        )
    return row


def _register_benefit(actor: Actor, client_id: int) -> tuple[dt.date | None, dt.date | None]:
    """(benefit start, benefit end) of a client from the client register, as the actor may
    see it. Raises FinanceError when the register or the client is not available."""
    try:
        from opstap.clients.selectors import clients_for
    except ImportError as exc:  # pragma: no cover - the register is built concurrently
        raise FinanceError("Het klantregister is nog niet beschikbaar.") from exc
    row = (
        clients_for(actor)
        .filter(pk=client_id)
        .values_list("benefit_start_date", "benefit_end_date")
    )
    found = list(row[:1])
    if not found:
        raise FinanceError("Klant niet gevonden.", field="clientId")
    start, end = found[0]
    return start, end


def outflow_premium_determine(
    *,
    actor: Actor,
    organisation: Organisation,
    client_id: int,
    outflow_kind: str,
    hours_per_week: Decimal,
    outflow_date: dt.date | None = None,
    benefit_start: dt.date | None = None,
) -> OutflowPremium:
    """Determine eligibility from the client register (benefit start; outflow = the end of
    the benefit) and, when eligible, award the premium with both payments scheduled.
    Never twice per person (R-PREM-1)."""
    if benefit_start is None or outflow_date is None:
        reg_start, reg_end = _register_benefit(actor, client_id)
        benefit_start = benefit_start or reg_start
        outflow_date = outflow_date or reg_end
    if benefit_start is None:
        raise FinanceError("De ingangsdatum van de bijstand is onbekend.", field="benefitStart")
    if outflow_date is None:
        raise FinanceError("De klant is (nog) niet uitgestroomd.", field="outflowDate")
    try:
        kind = rules.OutflowKind(outflow_kind)
    except ValueError as exc:
        raise FinanceError("Onbekende soort uitstroom.", field="outflowKind") from exc
    scheme = premium_scheme()
    with transaction.atomic():
        earlier = OutflowPremium.objects.select_for_update().filter(client_id=client_id).exists()
        facts = rules.OutflowFacts(
            benefit_start=benefit_start,
            outflow_date=outflow_date,
            outflow_kind=kind,
            hours_per_week=hours_per_week,
            earlier_premium=earlier,
        )
        eligibility = rules.assess(scheme, facts)
        if not eligibility.eligible:
            raise FinanceError(" ".join(eligibility.reasons), field="clientId")
        first, second = rules.schedule(scheme, outflow_date)
        try:
            premium = OutflowPremium.objects.create(
                organisation=organisation,
                client_id=client_id,
                benefit_start=benefit_start,
                outflow_date=outflow_date,
                outflow_kind=kind.value,
                hours_per_week=hours_per_week,
                first_amount=first.amount,
                first_due=first.due_date,
                second_amount=second.amount,
                second_due=second.due_date,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        except IntegrityError as exc:
            raise FinanceError("Deze persoon heeft al een uitstroompremie.") from exc
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            object_type="outflow_premium",
            object_id=premium.pk,
            client_id=client_id,
            organisation_id=organisation.pk,
            changes={
                "first_due": first.due_date.isoformat(),
                "second_due": second.due_date.isoformat(),
            },
        )
    return premium


def outflow_premium_pay_due(
    *,
    actor: Actor,
    organisation: Organisation,
    on: dt.date,
    returned_to_benefit: dict[int, dt.date] | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Pay every payment due on or before `on`: the first directly, the second only if the
    person did not return to benefit within the waiting time (`returned_to_benefit`: client
    id → date a new benefit started; the client register supplies it). Returns counts.

    `on` is the payment date that is recorded: it cannot lie after `today` (default: the
    local date), or a payment would be booked, and a second term judged, before its time."""
    if on > (today or timezone.localdate()):
        raise FinanceError("De betaaldatum kan niet in de toekomst liggen.", field="on")
    returned = returned_to_benefit or {}
    scheme = premium_scheme()
    counts = {"first_paid": 0, "second_paid": 0, "second_cancelled": 0}
    with transaction.atomic():
        qs = OutflowPremium.objects.select_for_update().filter(organisation=organisation)
        for premium in qs.filter(status=PremiumStatus.SCHEDULED, first_due__lte=on):
            premium.first_paid_on = on
            premium.status = PremiumStatus.FIRST_PAID
            premium.save(update_fields=["first_paid_on", "status"])
            counts["first_paid"] += 1
            _audit_payment(actor, premium, "first")
        for premium in qs.filter(status=PremiumStatus.FIRST_PAID, second_due__lte=on):
            allowed = rules.second_payment_allowed(
                rules.PremiumScheme(second_after_months=scheme.second_after_months),
                outflow_date=premium.outflow_date,
                on=on,
                returned_to_benefit_on=returned.get(premium.client_id),
            )
            if allowed:
                premium.second_paid_on = on
                premium.status = PremiumStatus.COMPLETED
                counts["second_paid"] += 1
            else:
                premium.status = PremiumStatus.SECOND_CANCELLED
                counts["second_cancelled"] += 1
            premium.save(update_fields=["second_paid_on", "status"])
            _audit_payment(actor, premium, "second")
    return counts


def _audit_payment(actor: Actor, premium: OutflowPremium, which: str) -> None:
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="outflow_premium",
        object_id=premium.pk,
        client_id=premium.client_id,
        organisation_id=premium.organisation_id,
        changes={"payment": which, "status": premium.status},
    )
