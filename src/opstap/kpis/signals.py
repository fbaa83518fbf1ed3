"""Queue the KPI facts of a client when what they are computed from is written (issue 18):
its record (case manager, ladder step), its trajectories and its timeline. The queue row is
written in the same transaction as the change (a transactional outbox); the refresh follows
the commit (`services.kpi_facts_queue`). Bulk writers send `core.signals.clients_changed`."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from opstap.clients.models import Client, ClientEvent
from opstap.core.signals import clients_changed
from opstap.trajectories.models import Trajectory

from .formulas import DOCUMENTED_ACTIVITY_KINDS


def _queue(organisation_id: int | None, client_id: int | None) -> None:
    from .services import kpi_facts_queue

    kpi_facts_queue(organisation_id=organisation_id, client_ids=[client_id])


def on_client_write(sender: Any, instance: Client, **kwargs: Any) -> None:
    if kwargs.get("raw") or kwargs.get("signal") is post_delete:
        return  # fixtures; a deleted client's rows go with it (cascade)
    _queue(instance.organisation_id, instance.pk)


def on_trajectory_write(sender: Any, instance: Trajectory, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    _queue(instance.organisation_id, instance.client_id)


def on_event_write(sender: Any, instance: ClientEvent, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.kind not in DOCUMENTED_ACTIVITY_KINDS:
        return
    _queue(instance.organisation_id, instance.client_id)


def on_clients_changed(
    sender: Any, organisation_id: int | None = None, client_ids: Any = (), **kwargs: Any
) -> None:
    from .services import kpi_facts_queue

    kpi_facts_queue(organisation_id=organisation_id, client_ids=client_ids)


def connect() -> None:
    post_save.connect(on_client_write, sender=Client, dispatch_uid="kpi_facts:client")
    post_save.connect(on_trajectory_write, sender=Trajectory, dispatch_uid="kpi_facts:trj:save")
    post_delete.connect(on_trajectory_write, sender=Trajectory, dispatch_uid="kpi_facts:trj:del")
    post_save.connect(on_event_write, sender=ClientEvent, dispatch_uid="kpi_facts:event:save")
    post_delete.connect(on_event_write, sender=ClientEvent, dispatch_uid="kpi_facts:event:del")
    clients_changed.connect(on_clients_changed, dispatch_uid="kpi_facts:bulk")
