"""Queue the indicator facts of a trajectory when what they are computed from is written
(issue 18): the trajectory itself (provider, product, plan and end dates), its outcome, its
documents (the signed plan), its invoices and their credit notes; its due dates through
`core.signals.trajectories_changed` (the trajectory services meet and cancel them with
`.update()`). The queue row is written in the same transaction as the change (a
transactional outbox); the refresh follows the commit (`services.indicator_facts_queue`)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from opstap.core.signals import trajectories_changed
from opstap.invoices.models import CreditNote, Invoice
from opstap.trajectories.models import Outcome, Trajectory, TrajectoryDocument


def _queue(organisation_id: int | None, trajectory_id: int | None) -> None:
    from .services import indicator_facts_queue

    indicator_facts_queue(organisation_id=organisation_id, trajectory_ids=[trajectory_id])


def on_trajectory_write(sender: Any, instance: Trajectory, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures
    _queue(instance.organisation_id, instance.pk)


def on_part_write(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An outcome, a document or an invoice: its trajectory."""
    if kwargs.get("raw"):
        return
    _queue(instance.organisation_id, instance.trajectory_id)


def on_credit_note_write(sender: Any, instance: CreditNote, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    trajectory_id = (
        Invoice.objects.filter(pk=instance.invoice_id).values_list("trajectory_id", flat=True)
    ).first()
    _queue(instance.organisation_id, trajectory_id)


def on_trajectories_changed(
    sender: Any, organisation_id: int | None = None, trajectory_ids: Any = (), **kwargs: Any
) -> None:
    from .services import indicator_facts_queue

    indicator_facts_queue(organisation_id=organisation_id, trajectory_ids=trajectory_ids)


def connect() -> None:
    for signal, name in ((post_save, "save"), (post_delete, "del")):
        signal.connect(on_trajectory_write, sender=Trajectory, dispatch_uid=f"ind_facts:trj:{name}")
        for model in (Outcome, TrajectoryDocument, Invoice):
            signal.connect(
                on_part_write, sender=model, dispatch_uid=f"ind_facts:{model.__name__}:{name}"
            )
        signal.connect(
            on_credit_note_write, sender=CreditNote, dispatch_uid=f"ind_facts:credit:{name}"
        )
    trajectories_changed.connect(on_trajectories_changed, dispatch_uid="ind_facts:bulk")
