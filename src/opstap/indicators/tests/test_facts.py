"""The indicator facts per provider, product and day (issue 18, R-PI-1): the indicators read
from the facts equal the live computation on random data, for random periods and dates of
today, per provider and per product; the facts kept current by the queued refresh after
writes through the real services equal a full rebuild; a rolled-back write leaves no queue
row behind."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.indicators import selectors
from opstap.indicators.computation import IndicatorFacts, Period
from opstap.indicators.models import (
    IndicatorContribution,
    IndicatorDay,
    IndicatorFactState,
    IndicatorQueue,
)
from opstap.indicators.services import indicator_facts_rebuild, indicator_facts_refresh
from opstap.invoices import services as invoice_services
from opstap.invoices.models import CreditNote, Invoice, PaymentBatch
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Deadline, Outcome, Trajectory, TrajectoryDocument

pytestmark = pytest.mark.django_db

EMPTY = IndicatorFacts()
KINDS = ["progress_report", "intake", "plan", "start", "final_report", "invoice", "other"]
ROLES = [RoleCode.PROVIDER_STAFF.value, RoleCode.CASE_MANAGER.value]


def _base(
    organisation_id: int, provider_ids: list[int], group: str, period: Period, today: dt.date
) -> dict[int, IndicatorFacts]:
    facts = selectors._base_facts(
        organisation_id=organisation_id,
        provider_ids=provider_ids,
        group=group,
        period=period,
        today=today,
    )
    return {key: value for key, value in facts.items() if value != EMPTY}


def _facts_and_live(
    organisation_id: int, provider_ids: list[int], group: str, period: Period, today: dt.date
) -> tuple[dict[int, IndicatorFacts], dict[int, IndicatorFacts]]:
    states = IndicatorFactState.objects.filter(organisation_id=organisation_id)
    assert states.filter(ready=True).exists()
    from_facts = _base(organisation_id, provider_ids, group, period, today)
    states.update(ready=False)
    try:
        live = _base(organisation_id, provider_ids, group, period, today)
    finally:
        states.update(ready=True)
    return from_facts, live


def _snapshot(organisation_id: int) -> set[tuple[Any, ...]]:
    fields = [f.attname for f in IndicatorDay._meta.concrete_fields if f.attname != "id"]
    return {
        tuple(Decimal(v).quantize(Decimal("0.01")) if k == "cost_paid" else v for k, v in r.items())
        for r in IndicatorDay.objects.filter(organisation_id=organisation_id).values(*fields)
    }


def _random_world(
    template: Trajectory, products: list[Product], rng: random.Random, n: int = 60
) -> list[Trajectory]:
    """`n` trajectories at random products with random dates (some never started, some
    open), outcomes, plan documents (signed or not, with or without agreements), due dates of
    every kind (met on time or late, cancelled before or after they fell due, open) and
    invoices (paid or not) with credit notes."""

    def day(base: dt.date = dt.date(2024, 6, 1), span: int = 900) -> dt.date:
        return base + dt.timedelta(days=rng.randrange(span))

    def maybe(value: Any, chance: float = 0.5) -> Any:
        return value if rng.random() < chance else None

    batch = PaymentBatch.objects.create(
        organisation_id=template.organisation_id,
        reference=f"B-{rng.randrange(10**9)}",
        created_at=timezone.now(),
        created_by_id=template.case_manager_id,
    )
    made = []
    for i in range(n):
        product = rng.choice(products)
        order = day()
        start = maybe(order + dt.timedelta(days=rng.randrange(5, 60)), 0.8)
        planned = maybe(order + dt.timedelta(days=rng.randrange(30, 400)), 0.8)
        end = maybe(order + dt.timedelta(days=rng.randrange(0, 500)), 0.6)
        trajectory = Trajectory.objects.create(
            organisation_id=template.organisation_id,
            client_id=template.client_id,
            product=product,
            provider_id=product.provider_id,
            product_code=template.product_code,
            price_basis=template.price_basis,
            case_manager_id=template.case_manager_id,
            state=rng.choice(["running", "ended", "completed", "ordered"]),
            rotonde_exit="regular",
            absence_risk="none",
            order_date=order,
            plan_approved_on=maybe(order + dt.timedelta(days=rng.randrange(1, 40)), 0.7),
            start_date=start,
            planned_end_date=planned,
            actual_end_date=end,
        )
        made.append(trajectory)
        if rng.random() < 0.6:
            Outcome.objects.create(
                organisation_id=trajectory.organisation_id,
                trajectory=trajectory,
                werkfit=rng.choice([True, False, None]),
                placement_start=maybe(day(), 0.5),
                durability=rng.choice(["", "durable", "not_durable"]),
                recorded_at=timezone.now(),
            )
        for _ in range(rng.randrange(0, 3)):
            TrajectoryDocument.objects.create(
                organisation_id=trajectory.organisation_id,
                trajectory=trajectory,
                kind=rng.choice(["plan", "plan", "progress_report"]),
                title="Plan",
                result_agreements=rng.choice([[], ["Stage"]]),
                signed_by_candidate=rng.random() < 0.6,
                submitted_at=timezone.now(),
            )
        for _ in range(rng.randrange(0, 6)):
            due = day()
            Deadline.objects.create(
                organisation_id=trajectory.organisation_id,
                trajectory=trajectory,
                kind=rng.choice(KINDS),
                label="Termijn",
                due_on=due,
                responsible_role=rng.choice(ROLES),
                rule="R-TRJ-3",
                met_on=maybe(due + dt.timedelta(days=rng.randrange(-10, 10))),
                cancelled_on=maybe(due + dt.timedelta(days=rng.randrange(-10, 10)), 0.3),
            )
        for k in range(rng.randrange(0, 3)):
            status = rng.choice(["paid", "paid", "approved", "rejected"])
            invoice = Invoice.objects.create(
                organisation_id=trajectory.organisation_id,
                provider_id=trajectory.provider_id,
                trajectory=trajectory,
                client_id=trajectory.client_id,
                invoice_number=f"R-{i}-{k}",
                invoice_date=order,
                received_at=timezone.now(),
                due_on=order,
                milestone="plan_approved",
                amount_excl=Decimal(rng.randrange(100, 5000)) + Decimal("0.25"),
                vat=Decimal("0.00"),
                amount_incl=Decimal("0.00"),
                status=status,
                payment_batch=batch if status == "paid" else None,
                claim_key=f"R-{i}-{k}",
                submitted_by_id=template.case_manager_id,
            )
            if rng.random() < 0.4:
                CreditNote.objects.create(
                    organisation_id=trajectory.organisation_id,
                    invoice=invoice,
                    provider_id=trajectory.provider_id,
                    number=f"C-{i}-{k}",
                    credit_date=order,
                    reason="Correctie",
                    amount_excl=Decimal(rng.randrange(10, 100)) + Decimal("0.10"),
                    vat=Decimal("0.00"),
                    amount_incl=Decimal("0.00"),
                    created_by_id=template.case_manager_id,
                )
    return made


@pytest.fixture
def world(
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    make_product: Callable[..., Product],
) -> tuple[Trajectory, list[Product]]:
    products = [
        product3,
        product3_b,
        make_product(product3.provider, 3, name="Tweede A"),
        make_product(product3_b.provider, 3, name="Tweede B"),
    ]
    return running(product3), products


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_equal_the_live_computation_on_random_data(
    seed: int, world: tuple[Trajectory, list[Product]]
) -> None:
    """R-PI-1: for random trajectories, outcomes, plans, due dates and invoices, and random
    periods and dates of today, the facts per provider and per product read from the facts
    per day are those the live queries compute."""
    template, products = world
    rng = random.Random(seed)
    _random_world(template, products, rng)
    org_id = template.organisation_id
    state = indicator_facts_rebuild(organisation_id=org_id)
    assert state.ready and state.rows == IndicatorDay.objects.count() > 0
    provider_ids = sorted({p.provider_id for p in products})
    checked = 0
    for _ in range(12):
        start = dt.date(2024, 5, 1) + dt.timedelta(days=rng.randrange(900))
        period = Period(start, start + dt.timedelta(days=rng.randrange(0, 900)))
        today = period.start + dt.timedelta(days=rng.randrange(-30, 1000))
        for group in ("provider_id", "product_id"):
            from_facts, live = _facts_and_live(org_id, provider_ids, group, period, today)
            assert from_facts == live, (period, today, group)
            checked += bool(live)
        # One provider alone.
        one = [rng.choice(provider_ids)]
        assert (
            _facts_and_live(org_id, one, "product_id", period, today)[0]
            == (_facts_and_live(org_id, one, "product_id", period, today)[1])
        )
    assert checked > 6  # the periods mostly hold something to compare


def test_refresh_after_service_writes_equals_a_rebuild(
    world: tuple[Trajectory, list[Product]],
    running: Callable[..., Trajectory],
    make_user: Callable[..., User],
    case_manager: User,
    provider_user_a: User,
    provider_user_b: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Issue 18: with the facts built, random writes through the real services (orders
    walked to running with signed or unsigned plans, progress reports on time or late,
    extensions that cancel and reschedule due dates, endings, outcomes, invoices paid and
    credited) and direct saves (a trajectory moved to another product, its end date moved)
    keep the facts equal to a full rebuild and to the live computation."""
    template, products = world
    rng = random.Random(7)
    others = _random_world(template, products, rng, n=20)
    org_id = template.organisation_id
    indicator_facts_rebuild(organisation_id=org_id)
    clerk = make_user(RoleCode.FINANCE_CLERK)

    def staff(trajectory: Trajectory) -> User:
        return (
            provider_user_a
            if trajectory.provider_id == products[0].provider_id
            else (provider_user_b)
        )

    capture = django_capture_on_commit_callbacks(execute=True)  # each refresh after its commit
    capture.__enter__()
    walked = [
        running(rng.choice(products), signed=rng.random() < 0.6, agreements=rng.random() < 0.8)
        for _ in range(6)
    ]
    for n, trajectory in enumerate(walked):
        trajectory.refresh_from_db()
        if rng.random() < 0.7:  # a progress report, on time or late
            services.trajectory_document_submit(
                actor=staff(trajectory),
                trajectory=trajectory,
                kind="progress_report",
                title="Voortgang",
                text="Gaat goed",
                on=dt.date(2026, rng.choice([3, 4, 5]), rng.randrange(1, 28)),
            )
        if rng.random() < 0.4:  # an extension: open due dates cancelled and rescheduled
            trajectory = services.trajectory_transition(
                actor=staff(trajectory),
                trajectory=trajectory,
                action="request_extension",
                reason="Meer tijd nodig",
                on=dt.date(2026, 6, 1),
            )
            trajectory = services.trajectory_transition(
                actor=case_manager,
                trajectory=trajectory,
                action="approve_extension",
                payload={"new_planned_end_date": "2027-03-31"},
                on=dt.date(2026, 6, 2),
            )
        if n % 2 == 0:
            invoice = invoice_services.invoice_submit(
                actor=staff(trajectory),
                trajectory=trajectory,
                invoice_number=f"F-{n}",
                invoice_date=dt.date(2026, 1, 27),
                milestone="plan_approved",
                amount_excl=Decimal("1250.00"),
                vat=Decimal("262.50"),
                amount_incl=Decimal("1512.50"),
                client_number=trajectory.client.client_number,
                client_surname=trajectory.client.last_name,
                period_start=dt.date(2026, 1, 26),
                period_end=dt.date(2026, 1, 26),
                received_at=dt.datetime(2026, 1, 27, 10, 0, tzinfo=dt.UTC),
            )
            invoice_services.invoice_approve(actor=clerk, invoice=invoice)
        if rng.random() < 0.8:  # ended, with or without an outcome
            assert trajectory.planned_end_date is not None
            end = min(trajectory.planned_end_date, dt.date(2026, 9, 15))
            end -= dt.timedelta(days=rng.randrange(0, 60))
            trajectory = services.trajectory_transition(
                actor=staff(trajectory),
                trajectory=trajectory,
                action="complete",
                payload={"end_date": end.isoformat()},
                on=dt.date(2026, 9, 20),
            )
            if rng.random() < 0.7:
                services.outcome_record(
                    actor=case_manager,
                    trajectory=trajectory,
                    werkfit=rng.random() < 0.5,
                )
    batch = invoice_services.payment_batch_create(actor=clerk)
    invoice_services.payment_batch_export(actor=clerk, batch=batch)
    # paid today (2026-11-01, the frozen day): the batch also holds the random world's
    # invoices, received today, and a batch is never paid before they arrived (R-BILL-10)
    invoice_services.payment_batch_mark_paid(actor=clerk, batch=batch, paid_on=timezone.localdate())
    paid = Invoice.objects.filter(invoice_number__startswith="F-", status="paid").first()
    assert paid is not None
    invoice_services.credit_note_create(
        actor=clerk,
        invoice=paid,
        number="CN-1",
        credit_date=dt.date(2026, 3, 1),
        reason="Te veel gefactureerd",
        amount_excl=Decimal("100.00"),
        vat=Decimal("21.00"),
        amount_incl=Decimal("121.00"),
    )
    # Direct saves (admin-like): another product of another provider, an end date moved.
    moved = others[0]
    moved.product = next(p for p in products if p.provider_id != moved.provider_id)
    moved.provider_id = moved.product.provider_id
    moved.save()
    shifted = next(t for t in others[1:] if t.actual_end_date is not None)
    shifted.actual_end_date = shifted.actual_end_date + dt.timedelta(days=40)  # type: ignore[operator]
    shifted.save()
    capture.__exit__(None, None, None)

    assert not IndicatorQueue.objects.exists()  # drained after every commit (inline)
    incremental = _snapshot(org_id)
    contributions = set(IndicatorContribution.objects.values_list("trajectory_id", "days"))
    indicator_facts_rebuild(organisation_id=org_id)
    assert _snapshot(org_id) == incremental
    assert set(IndicatorContribution.objects.values_list("trajectory_id", "days")) == (
        contributions
    )
    provider_ids = sorted({p.provider_id for p in products})
    for group in ("provider_id", "product_id"):
        period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        from_facts, live = _facts_and_live(
            org_id, provider_ids, group, period, dt.date(2026, 10, 1)
        )
        assert from_facts == live


def test_a_rolled_back_write_leaves_no_queue_row(
    world: tuple[Trajectory, list[Product]],
    provider_user_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The queue is written in the writing transaction: a rollback takes it along, and the
    facts stay as they were."""
    template, _products = world
    org_id = template.organisation_id
    indicator_facts_rebuild(organisation_id=org_id)
    before = _snapshot(org_id)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=template,
            action="complete",
            payload={"end_date": "2026-06-30"},
            on=dt.date(2026, 6, 30),
        )
        assert IndicatorQueue.objects.filter(trajectory_id=template.pk).exists()
        raise RuntimeError
    assert not callbacks  # no refresh scheduled either
    assert not IndicatorQueue.objects.exists()
    assert _snapshot(org_id) == before
    # Committed, the same write reaches the facts (the refresh runs after the commit).
    with django_capture_on_commit_callbacks(execute=True):
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=template,
            action="complete",
            payload={"end_date": "2026-06-30"},
            on=dt.date(2026, 6, 30),
        )
    assert not IndicatorQueue.objects.exists()
    assert IndicatorDay.objects.filter(day=dt.date(2026, 6, 30), ended=1).exists()


def test_without_facts_the_queue_is_only_emptied(world: tuple[Trajectory, list[Product]]) -> None:
    """Before any rebuild there is no state: the refresh empties the queue and writes no
    facts, and the indicators are computed live."""
    template, _products = world
    # The walk to running queued it (the refresh follows the commit, which a test has not).
    assert IndicatorQueue.objects.filter(trajectory_id=template.pk).exists()
    queued = IndicatorQueue.objects.count()
    assert indicator_facts_refresh() == queued
    assert not IndicatorQueue.objects.exists()
    assert not IndicatorDay.objects.exists()
    assert not selectors.facts_ready(template.organisation_id)


def test_rebuild_command_builds_every_organisation(
    world: tuple[Trajectory, list[Product]],
) -> None:
    """`manage.py indicator_facts_rebuild` builds the facts and puts them in use."""
    template, _products = world
    out = StringIO()
    call_command("indicator_facts_rebuild", stdout=out)
    assert "rijen indicatorfeiten" in out.getvalue()
    assert selectors.facts_ready(template.organisation_id)
    assert IndicatorDay.objects.filter(organisation_id=template.organisation_id).exists()
    assert IndicatorContribution.objects.filter(trajectory_id=template.pk).exists()
