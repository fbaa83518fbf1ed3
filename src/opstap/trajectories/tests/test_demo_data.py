"""Demo data of the trajectories app: the bulk path used at city/national scale."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.demo.generator import DemoContext
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories import demo_data, selectors
from opstap.trajectories.models import Deadline, Trajectory, TrajectoryEvent

pytestmark = pytest.mark.django_db

#: The day these demos are built as "today". The clock is stopped there too: the services the
#: walk calls check access on the real date (a provider sees a trajectory up to its reporting
#: and invoicing window after the end), so a walk dated in 2026 run in 2028 was refused.
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _clock_on_today() -> Iterator[None]:
    import time_machine

    moment = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=False):
        yield


def test_bulk_build_consistent(
    org: Organisation, product3: Product, client_k: Client, case_manager: User
) -> None:
    """Bulk trajectories have an order event, a later event when they moved on, and the
    current open due date for the overdue lists."""
    ctx = DemoContext(
        organisation=org,
        scale="city",
        rng=random.Random(1),
        today=TODAY,
        log=lambda _msg: None,
    )
    demo_data._build_bulk(ctx, 60)
    assert Trajectory.objects.count() == 60
    ordered = Trajectory.objects.filter(state="ordered").count()
    assert TrajectoryEvent.objects.filter(action="order").count() == 60
    assert TrajectoryEvent.objects.exclude(action="order").count() == 60 - ordered
    assert Deadline.objects.filter(kind="intake").count() == ordered
    assert selectors.trajectories_for(case_manager).count() == 60


def test_bulk_dates_fit_the_state_and_next_due_matches(
    org: Organisation, product3: Product, client_k: Client, case_manager: User
) -> None:
    """Bulk data is shaped like a real caseload (issue 6 benchmarks): new orders are recent,
    running trajectories have not passed their planned end, only a minority is overdue, and
    the stored `next_due_on` is each trajectory's earliest open deadline."""
    today = TODAY
    ctx = DemoContext(
        organisation=org, scale="city", rng=random.Random(7), today=today, log=lambda _m: None
    )
    demo_data._build_bulk(ctx, 400)
    for t in Trajectory.objects.all():
        open_dates = sorted(
            Deadline.objects.filter(
                trajectory=t, met_on__isnull=True, cancelled_on__isnull=True
            ).values_list("due_on", flat=True)
        )
        assert t.next_due_on == (open_dates[0] if open_dates else None)
        if t.state == "ordered":
            assert (today - t.order_date).days <= 21
        if t.state == "running":
            assert t.planned_end_date is not None and t.planned_end_date >= today
        if t.actual_end_date is not None:
            assert t.actual_end_date <= today
    overdue = Trajectory.objects.filter(selectors.overdue_q(today)).count()
    assert 0 < overdue < 400 * 0.10


def test_walked_documents_are_dutch_and_dated_on_their_day(
    org: Organisation, product3: Product, client_k: Client, provider_user_a: User
) -> None:
    """A demo trajectory's documents read as a real one's: the title is the kind in Dutch
    ("Plan van aanpak", not "Plan" or "Quote"), and the document was submitted on the day
    the history says, not on the day the demo was generated."""
    from types import SimpleNamespace

    from opstap.trajectories.models import DocumentKind, TrajectoryDocument

    today = TODAY
    rng = random.Random(3)
    ctx = DemoContext(organisation=org, scale="demo", rng=rng, today=today, log=lambda _m: None)
    steps = demo_data._steps_to("plan_submitted", 3, rng)
    order_day = today - dt.timedelta(days=demo_data._span(steps) + 5)
    staff = {product3.provider_id: SimpleNamespace(user=provider_user_a)}
    trajectory = demo_data._walk(ctx, client_k, product3, steps, order_day, staff, rng)
    (document,) = TrajectoryDocument.objects.filter(trajectory=trajectory)
    assert document.title == "Plan van aanpak" == str(DocumentKind.PLAN.label).capitalize()
    event = trajectory.events.get(action="submit_plan")
    assert timezone.localdate(document.submitted_at) == timezone.localdate(event.occurred_at)
    assert timezone.localdate(document.submitted_at) < today


def test_walked_history_and_the_clients_timeline_tell_the_same_days(
    org: Organisation, product3: Product, client_k: Client, provider_user_a: User
) -> None:
    """The demo dossier's timeline showed a trajectory's whole history (order, quote, plan,
    absences, outcome) on the day and minute the demo was generated, next to the
    trajectory table's order date weeks earlier. Every event a walk writes, and the client's
    timeline entry written with it, is now dated on the step's own day, none after today.
    Walks with several seeds, until absences and outcomes (drawn at random) were among them."""
    from types import SimpleNamespace

    from opstap.clients.models import ClientEvent

    today = TODAY
    staff = {product3.provider_id: SimpleNamespace(user=provider_user_a)}
    seen: set[str] = set()
    for seed in range(1, 16):
        rng = random.Random(seed)
        ctx = DemoContext(organisation=org, scale="demo", rng=rng, today=today, log=lambda _m: None)
        steps = demo_data._steps_to("completed", 3, rng)
        order_day = today - dt.timedelta(days=demo_data._span(steps) + 5)
        trajectory = demo_data._walk(ctx, client_k, product3, steps, order_day, staff, rng)
        events = list(trajectory.events.order_by("id"))
        entries = list(
            ClientEvent.objects.filter(
                client=client_k, source="trajectories", data__trajectory=trajectory.pk
            ).order_by("id")
        )
        assert len(entries) == len(events)
        for event, entry in zip(events, entries, strict=True):
            assert entry.data["action"] == event.action
            assert entry.occurred_at == event.occurred_at, event.action
            assert order_day <= timezone.localdate(event.occurred_at) <= today, event.action
        seen |= {e.action for e in events}
        if {"absence", "outcome"} <= seen:
            break
    assert {"order", "start", "complete", "absence", "outcome"} <= seen
