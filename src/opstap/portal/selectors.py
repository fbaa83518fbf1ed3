"""Reads of the client portal (R-POR), all through the scoped selectors of the apps below
(a resident's scope is exactly their own client, R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from opstap.clients.models import Client
from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.invoices import selectors as invoice_selectors
from opstap.kpis import selectors as kpi_selectors
from opstap.kpis import services as kpi_services
from opstap.kpis.models import SatisfactionResponse
from opstap.trajectories import selectors as trajectory_selectors

from .models import ClientUpload
from .plain_language import ResidentStep, resident_step

#: How far ahead the portal lists appointments.
APPOINTMENTS_AHEAD_DAYS = 120


@dataclass
class TrajectoryView:
    trajectory: Any
    step: ResidentStep
    survey_open: bool  # ended, not yet rated


@dataclass
class PortalOverview:
    trajectories: list[TrajectoryView] = field(default_factory=list)
    appointments: list[Any] = field(default_factory=list)
    shared_documents: list[Any] = field(default_factory=list)
    uploads: list[Any] = field(default_factory=list)
    wave_open: bool = False


def client_uploads(user: Actor) -> QuerySet[ClientUpload]:
    return scoped(user, ClientUpload.objects.all()).order_by("-uploaded_at", "-id")


def portal_overview(user: Actor, client: Client, *, today: dt.date) -> PortalOverview:
    """Everything "Mijn Opstap" shows, in a fixed number of queries."""
    trajectories = list(
        trajectory_selectors.trajectories_for(user)
        .filter(client=client)
        .select_related("product", "provider")
        .order_by("-order_date", "-id")
    )
    answered = scoped(user, SatisfactionResponse.objects.all())
    rated = set(answered.filter(trajectory__isnull=False).values_list("trajectory_id", flat=True))
    now = timezone.now()
    overview = PortalOverview(
        trajectories=[
            TrajectoryView(
                trajectory=t,
                step=resident_step(t.state),
                survey_open=kpi_selectors.survey_open_for(t.state) and t.pk not in rated,
            )
            for t in trajectories
        ],
        appointments=list(
            trajectory_selectors.client_planned_appointments(user, since=now).filter(
                starts_at__lt=now + dt.timedelta(days=APPOINTMENTS_AHEAD_DAYS)
            )[:20]
        ),
        shared_documents=list(trajectory_selectors.documents_shared_with_client(user)[:50]),
        uploads=list(client_uploads(user)[:5]),
    )
    wave = kpi_services.open_survey_wave(client.organisation_id, on=today)
    overview.wave_open = wave is not None and not answered.filter(wave=wave).exists()
    return overview


def claimable_appointments(user: Actor, trajectories: list[Any]) -> dict[int, list[Any]]:
    """Per trajectory, the appointments the provider registered as attended and that are not
    yet in a claim (R-BILL-9), with their local date as `.day`."""
    ids = [t.pk for t in trajectories]
    claimed = set(
        invoice_selectors.travel_claims_for(user)
        .filter(trajectory_id__in=ids)
        .values_list("trajectory_id", "trips__trip_date")
    )
    result: dict[int, list[Any]] = {}
    for a in trajectory_selectors.attended_appointments(user, ids)[:200]:
        day = timezone.localdate(a.starts_at)
        a.day = day  # type: ignore[attr-defined]
        if (a.trajectory_id, day) not in claimed:
            result.setdefault(a.trajectory_id, []).append(a)
    return result
