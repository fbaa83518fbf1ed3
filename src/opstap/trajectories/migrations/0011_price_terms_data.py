"""Explicit price terms for existing trajectories (issue 12, R-BILL-1, R-BILL-4, R-BILL-7).

Before, approving a quote overwrote `price` with the quote total, and billing read that
number as the hourly rate of jobcoaching (code 5). Now:

* codes 1-4: `price_basis = fixed`, `price` unchanged (product price on the order date, or the
  amount of the approved quote for codes 2 and 4);
* code 5: `price_basis = hourly`, `hourly_rate` = the product's price valid on the order date
  (R-NET-6), `price` emptied; an approved quote with an amount becomes the budget cap.

Every quote event with an amount becomes a `Quote` row (version 1, 2, ... in event order) with
the status its decision gave it, so the quote history is complete. Events are not rewritten.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import migrations
from django.db.models import Q


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount > 0 else None


def forwards(apps: Any, schema_editor: Any) -> None:
    Trajectory = apps.get_model("trajectories", "Trajectory")
    TrajectoryEvent = apps.get_model("trajectories", "TrajectoryEvent")
    Quote = apps.get_model("trajectories", "Quote")
    ProductPrice = apps.get_model("providers", "ProductPrice")
    for trajectory in Trajectory.objects.all().iterator():
        approved_amount: Decimal | None = None
        version = 0
        pending: Any = None
        events = TrajectoryEvent.objects.filter(
            trajectory_id=trajectory.pk,
            action__in=["submit_quote", "approve_quote", "reject_quote"],
        ).order_by("occurred_at", "id")
        for event in events:
            if event.action == "submit_quote":
                amount = _amount(event.payload.get("amount"))
                pending = None
                if amount is not None:
                    version += 1
                    pending = Quote.objects.create(
                        organisation_id=trajectory.organisation_id,
                        trajectory_id=trajectory.pk,
                        version=version,
                        amount=amount,
                        text=event.reason or "",
                        status="submitted",
                        submitted_by_id=event.actor_id,
                        submitted_on=event.occurred_at.date(),
                    )
            elif pending is not None:
                approved = event.action == "approve_quote"
                pending.status = "approved" if approved else "rejected"
                pending.decided_by_id = event.actor_id
                pending.decided_on = event.occurred_at.date()
                pending.decision_reason = event.reason or ""
                pending.save()
                if approved:
                    approved_amount = pending.amount
                pending = None
        if trajectory.product_code == 5:
            row = (
                ProductPrice.objects.filter(product_id=trajectory.product_id)
                .filter(valid_from__lte=trajectory.order_date)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=trajectory.order_date))
                .order_by("-valid_from")
                .first()
            )
            trajectory.price_basis = "hourly"
            trajectory.hourly_rate = row.amount if row is not None else None
            trajectory.price = None
            trajectory.budget_cap = approved_amount
            trajectory.price_source = "quote" if approved_amount is not None else "product"
        else:
            trajectory.price_basis = "fixed"
            trajectory.price_source = "quote" if approved_amount is not None else "product"
        trajectory.save(
            update_fields=[
                "price_basis",
                "hourly_rate",
                "price",
                "budget_cap",
                "price_source",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0010_price_terms_and_quotes"),
        ("providers", "0004_delete_notification"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
