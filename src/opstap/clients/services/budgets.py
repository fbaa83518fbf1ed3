"""Custom budget spending (R-CLI-4): record and decide, with the second approver above the
threshold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from opstap.clients.budget import (
    needs_second_approval,
    second_approver_refusal,
    spending_date_problem,
    to_cents,
)
from opstap.clients.models import (
    BudgetSpending,
    Client,
    ClientEventKind,
    SpendingStatus,
)
from opstap.clients.selectors import budget_summary
from opstap.core.actor import Actor
from opstap.core.money import AmbiguousAmountError, format_euro, parse_amount
from opstap.core.roles import Perm, RoleCode
from opstap.notifications.services import notification_send

from .clients import client_event_record
from .validation import ClientError

# --- Custom budget (R-CLI-4) ---------------------------------------------------------------


#: The largest amount the column holds (10 digits, 2 decimals).
MAX_SPENDING = Decimal("99999999.99")


def _parse_amount(amount: Decimal | str | int) -> Decimal:
    """A spending typed the Dutch way (``1.500,00``, ``125,50``); text and exponents
    (``1e3``, which was stored as € 1.000,00) are refused, as is more than the column holds."""
    invalid = ClientError("Vul een geldig bedrag in, bijv. 125,50 of 1.500,00.", field="amount")
    try:
        value = to_cents(parse_amount(amount) if isinstance(amount, str) else amount)
    except AmbiguousAmountError as exc:  # 2.500: core.money names both readings
        raise ClientError(str(exc), field="amount") from exc
    except (InvalidOperation, ValueError) as exc:
        raise invalid from exc
    if value <= 0:
        raise ClientError("Het bedrag moet groter zijn dan nul.", field="amount")
    if value > MAX_SPENDING:
        raise ClientError(
            f"Het bedrag mag niet hoger zijn dan {format_euro(MAX_SPENDING)}.", field="amount"
        )
    return value


@transaction.atomic
def budget_spending_record(
    *,
    actor: Actor,
    client: Client,
    amount: Decimal | str | int,
    purpose: str,
    spent_on: dt.date | None = None,
) -> BudgetSpending:
    """Record a spending line. Within the remaining budget it is approved at once; beyond it
    it waits for a second approver (R-CLI-4)."""
    value = _parse_amount(amount)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ClientError("Vul het doel van de uitgave in.", field="purpose")
    today = timezone.localdate()
    spent_on = spent_on or today
    if problem := spending_date_problem(spent_on, today):
        raise ClientError(problem, field="spent_on")
    # Lock the client row so two case managers cannot both spend the last euro.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    summary = budget_summary(client, year=spent_on.year)
    over = needs_second_approval(summary.yearly_amount, [summary.spent, summary.pending], value)
    spending = BudgetSpending.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        spent_on=spent_on,
        amount=value,
        purpose=purpose,
        status=SpendingStatus.PENDING if over else SpendingStatus.APPROVED,
        created_by=actor,
    )
    text = f"Maatwerkbudget: {format_euro(value)} voor {purpose}"
    if over:
        text += " (boven budget, wacht op tweede goedkeuring)"
    client_event_record(
        client=client,
        kind=ClientEventKind.BUDGET,
        summary=text,
        actor=actor,
        data={"spending_id": spending.pk, "amount": str(value), "status": spending.status},
    )
    if over:
        _tell_approvers(actor=actor, client=client, spending=spending)
    return spending


def _tell_approvers(*, actor: Actor, client: Client, spending: BudgetSpending) -> None:
    """A spending beyond the budget is work for a second approver (R-CLI-4): the team leads
    of the organisation who see the client are told (docs/notifications.md), never the one
    who recorded it. The list "wacht op goedkeuring" shows it to every colleague who may
    decide."""
    from opstap.accounts import selectors as account_selectors
    from opstap.clients.access import is_team_lead
    from opstap.core.access import can_see

    leads = account_selectors.active_users_with_role(
        client.organisation_id, RoleCode.POLICY_OFFICER
    ).exclude(pk=actor.pk)
    for lead in leads:
        if not (is_team_lead(lead) and lead.has_opstap_perm(Perm.CLIENT_CHANGE)):
            continue
        if not can_see(lead, client):
            continue
        notification_send(
            recipient=lead,
            title=f"Uitgave ter goedkeuring: {client.full_name} ({client.client_number})",
            body=(
                f"{actor.display_name} legde {format_euro(spending.amount)} vast voor "
                f"{spending.purpose}, boven het maatwerkbudget van de klant. Keur de uitgave "
                "goed of wijs haar af in het dossier."
            ),
            url=f"/klanten/{client.pk}/",
            dedupe_key=f"budget-spending:{spending.pk}:pending",
        )


@transaction.atomic
def budget_spending_decide(
    *, actor: Actor, spending: BudgetSpending, approve: bool
) -> BudgetSpending:
    """The second approver decides on a spending beyond the budget: a different user who
    holds CLIENT_CHANGE."""
    spending = BudgetSpending.objects.select_for_update().get(pk=spending.pk)
    refusal = second_approver_refusal(
        pending=spending.status == SpendingStatus.PENDING,
        created_by_id=spending.created_by_id,
        approver_id=actor.pk,
        approver_may_change=actor.has_opstap_perm(Perm.CLIENT_CHANGE),
        same_organisation=actor.organisation_id == spending.organisation_id,
    )
    if refusal is not None:
        raise ClientError(refusal)
    spending.status = SpendingStatus.APPROVED if approve else SpendingStatus.REJECTED
    spending.decided_by = actor
    spending.decided_at = timezone.now()
    spending.save(update_fields=["status", "decided_by", "decided_at"])
    client_event_record(
        client=spending.client,
        kind=ClientEventKind.BUDGET,
        summary=(
            f"Uitgave {format_euro(spending.amount)} ({spending.purpose}) "
            + ("goedgekeurd door tweede beoordelaar" if approve else "afgewezen")
        ),
        actor=actor,
        data={"spending_id": spending.pk, "status": spending.status},
    )
    return spending
