"""Demo trajectories for RSD de Liemers (R-TRJ-1..7, R-ABS-1).

`demo` scale: ≈300 trajectories in every state of the workflow, generated through the
services (order, transitions, documents, absence, outcomes), so their history, due dates,
client timeline and audit trail obey the same rules as real data. Each trajectory walks the
happy path (or an ending branch) with realistic dates in the past; a share is left behind
on purpose so that 'klantmanager' and the providers of 'aanbieder-a' and 'aanbieder-b' have
overdue deadlines. `city` (≈80,000) and `national` (≈2,000,000) insert trajectories, their
events and current due dates with bulk_create in chunks (no per-row services).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from opstap.clients.models import Client, ClientEvent
from opstap.core.contract_types import ContractType
from opstap.core.roles import Perm
from opstap.providers.models import Contract, ContractStatus, Product, ProductStatus
from opstap.providers.services import product_orderability

from . import services
from .deadlines import DeadlineKind, due_date
from .models import (
    PROGRESS_REPORT_KIND,
    AbsenceRisk,
    Deadline,
    DocumentKind,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from .selectors import TRAJECTORY_COUNTS, equated_days
from .workflow import DIRECT_ORDER_PRODUCT_CODES, STATE_LABELS_NL

DEMO_COUNT = 300
BULK_COUNTS = {"city": 80_000, "national": 2_000_000}
CHUNK = 10_000

# The happy path per ordering mode: (action, actor side, days after the previous step).
DIRECT_PATH: list[tuple[str, str, int]] = [
    ("plan_intake", "p", 2),
    ("hold_intake", "p", 9),
    ("submit_plan", "p", 5),
    ("approve_plan", "c", 3),
    ("start", "p", 4),
]
QUOTE_PATH: list[tuple[str, str, int]] = [
    ("submit_quote", "p", 6),
    ("approve_quote", "c", 4),
    *DIRECT_PATH,
]
# How the trajectory ends (after `start`), and the steps after the end.
ENDINGS: list[tuple[str, str]] = [
    ("complete", "p"),
    ("terminate_early", "c"),
]
AFTER_END: list[tuple[str, str, int]] = [
    ("receive_final_report", "p", 10),
    ("hand_over", "p", 7),
]
# Target end points and their weights at demo scale (every state appears).
TARGETS: list[tuple[str, int]] = [
    ("ordered", 8),
    ("quote_submitted", 4),
    ("quote_rejected", 1),
    ("quote_approved", 2),
    ("intake_planned", 6),
    ("intake_held", 5),
    ("plan_submitted", 6),
    ("plan_returned", 2),
    ("plan_approved", 4),
    ("running", 25),
    ("extension_requested", 3),
    ("return_requested", 2),
    ("completed", 4),
    ("terminated_early", 3),
    ("returned", 1),
    ("not_started_after_klikgesprek", 2),
    ("not_started_after_intake", 2),
    ("final_report_received", 6),
    ("handed_over", 14),
]
REASONS = {
    "submit_quote": "Offerte met re-integratieplan en onderbouwing van de noodzaak.",
    "reject_quote": "Offerte past niet binnen het budget.",
    "return_plan": "Doelen zijn niet concreet genoeg.",
    "request_extension": "Kandidaat heeft meer tijd nodig om het werkritme op te bouwen.",
    "request_return": "Kandidaat heeft zorg nodig die dit traject niet biedt.",
    "terminate_early": "Kandidaat is verhuisd naar een andere gemeente.",
    "not_started_after_klikgesprek": "Geen klik tussen kandidaat en aanbieder.",
    "not_started_after_intake": "Kandidaat bleek na de intake niet belastbaar.",
    "complete": "Traject volgens plan afgerond.",
}


def _orderable_products(ctx: Any) -> list[Product]:
    """Active products whose provider is not the showcase 'nearly inactive' one (R-NET-8):
    provider activity recorded by the demo would otherwise hide that signal."""
    today: dt.date = ctx.today
    products = list(
        Product.objects.filter(organisation=ctx.organisation, status=ProductStatus.ACTIVE)
        .select_related("provider", "product_code")
        .order_by("id")
    )
    usable = []
    for product in products:
        last = product.provider.last_activity_on
        if last is not None and (today - last).days > 300:
            continue
        ok, _ = product_orderability(product=product, on=today - dt.timedelta(days=60))
        if ok:
            usable.append(product)
    return usable


def _provider_staff(ctx: Any, products: list[Product]) -> dict[int, Any]:
    """One staff account per provider (the demo accounts for A and B; a generated
    'medewerker-<id>' for the others) so provider steps are taken by provider staff."""
    from opstap.accounts.services import user_create
    from opstap.core.roles import RoleCode
    from opstap.providers.services import provider_add_staff

    staff: dict[int, Any] = {}
    for provider in {p.provider for p in products}:
        membership = provider.memberships.select_related("user").order_by("id").first()
        if membership is None:
            user = user_create(
                username=f"medewerker-{provider.pk}",
                organisation=ctx.organisation,
                roles=(RoleCode.PROVIDER_STAFF,),
                password=ctx.password,
                first_name="Medewerker",
                last_name=provider.name[:100],
                validate=False,
            )
            membership = provider_add_staff(provider=provider, user=user)
        staff[provider.pk] = membership
    return staff


def _ordering_clients(ctx: Any) -> list[Client]:
    return list(
        Client.objects.filter(organisation=ctx.organisation, case_manager__isnull=False)
        .select_related("case_manager")
        .order_by("id")[:4_000]
    )


def _client_mark(client_id: int) -> int:
    """The id of the client's newest timeline entry (0: none yet)."""
    newest = ClientEvent.objects.filter(client_id=client_id).order_by("-id").values("id").first()
    return newest["id"] if newest else 0


def _marks(trajectory: Trajectory) -> tuple[int, int]:
    """The newest trajectory event and client timeline entry before a step (ids)."""
    event = trajectory.events.order_by("-id").values_list("id", flat=True).first() or 0
    return event, _client_mark(trajectory.client_id)


def _date_since(trajectory: Trajectory, marks: tuple[int, int], moment: dt.datetime) -> None:
    """Date what one step wrote, the trajectory's events and the client's timeline entries
    (a step can write two: the document and the transition), at the step's (demo) moment."""
    TrajectoryEvent.objects.filter(trajectory=trajectory, id__gt=marks[0]).update(
        occurred_at=moment
    )
    ClientEvent.objects.filter(
        client_id=trajectory.client_id, source="trajectories", id__gt=marks[1]
    ).update(occurred_at=moment)


def _set_time(
    trajectory: Trajectory,
    on: dt.date,
    rng: random.Random,
    marks: tuple[int, int],
    *,
    document: int | None = None,
) -> None:
    """Date what the step wrote (and the document submitted with it) on its (demo) day, so
    the history, the client's timeline and the document list tell the same day, as in real
    life: the timeline showed the whole history on the day the demo was generated."""
    moment = timezone.make_aware(
        dt.datetime.combine(on, dt.time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))))
    )
    _date_since(trajectory, marks, moment)
    if document is not None:
        TrajectoryDocument.objects.filter(pk=document).update(submitted_at=moment)


def _steps_to(target: str, code: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """The actions that bring a new trajectory of `code` to `target`."""
    quote = code not in DIRECT_ORDER_PRODUCT_CODES
    path = QUOTE_PATH if quote else DIRECT_PATH
    if target == "ordered":
        return []
    if target in ("quote_submitted", "quote_approved", "quote_rejected"):
        if not quote:
            return path[:1]
        steps = QUOTE_PATH[:1]
        if target == "quote_approved":
            steps += QUOTE_PATH[1:2]
        if target == "quote_rejected":
            steps += [("reject_quote", "c", 5)]
        return steps
    order = [a for a, _, _ in path]
    simple = {
        "intake_planned": "plan_intake",
        "intake_held": "hold_intake",
        "plan_submitted": "submit_plan",
        "plan_approved": "approve_plan",
        "running": "start",
    }
    if target in simple:
        return path[: order.index(simple[target]) + 1]
    if target == "plan_returned":
        return [*path[: order.index("submit_plan") + 1], ("return_plan", "c", 3)]
    if target == "not_started_after_klikgesprek":
        return [*path[: order.index("plan_intake") + 1], ("not_started_after_klikgesprek", "p", 4)]
    if target == "not_started_after_intake":
        return [*path[: order.index("hold_intake") + 1], ("not_started_after_intake", "p", 3)]
    running = path[: order.index("start") + 1]
    if target == "extension_requested":
        return [*running, ("request_extension", "p", 100)]
    if target == "return_requested":
        return [*running, ("request_return", "p", 40)]
    if target == "returned":
        return [*running, ("request_return", "p", 40), ("approve_return", "c", 3)]
    ending = ENDINGS[rng.randrange(len(ENDINGS))]
    if target in ("completed", "terminated_early"):
        ending = ("complete", "p") if target == "completed" else ("terminate_early", "c")
    days = 170 if ending[0] == "complete" else 60
    ended = [*running, (ending[0], ending[1], days)]
    if target in ("completed", "terminated_early"):
        return ended
    if target == "final_report_received":
        return [*ended, AFTER_END[0]]
    return [*ended, *AFTER_END]


END_ACTIONS = frozenset({"complete", "terminate_early"})


def _within_duration(
    steps: list[tuple[str, str, int]], duration_days: int | None
) -> list[tuple[str, str, int]]:
    """The walk ends the trajectory at the latest on its planned end date (the start plus the
    product's duration): a later end needs an extension first (`date_rules.end_problem`),
    and the generated history requests none, so a longer run would be refused and lost."""
    if not duration_days:
        return steps
    return [
        (action, side, min(days, duration_days - 1) if action in END_ACTIONS else days)
        for action, side, days in steps
    ]


def _span(steps: list[tuple[str, str, int]]) -> int:
    return sum(days for _, _, days in steps) + 5


def build(ctx: Any) -> None:
    if ctx.scale in BULK_COUNTS:
        _build_bulk(ctx, BULK_COUNTS[ctx.scale])
        return
    rng: random.Random = ctx.rng
    today: dt.date = ctx.today
    products = _orderable_products(ctx)
    clients = [
        c
        for c in _ordering_clients(ctx)
        if c.case_manager is not None and c.case_manager.has_opstap_perm(Perm.TRAJECTORY_ORDER)
    ]
    if not products or not clients:
        ctx.log("Trajecten: geen bestelbare producten of klanten; overgeslagen.")
        return
    # Providers with demo accounts get a fair share (the provider portal shows something).
    targets = [t for t, w in TARGETS for _ in range(w)]
    contract_start = dict(
        Contract.objects.filter(
            provider_id__in={p.provider_id for p in products}, status=ContractStatus.ACTIVE
        ).values_list("provider_id", "start_date")
    )
    created = 0
    # Demo accounts have e-mail addresses: keep the notifications in-app while generating.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        created = _build_demo(ctx, products, clients, targets, contract_start, rng, today)
    ctx.log(f"Trajecten: {created} trajecten in alle statussen via de services aangemaakt.")


def _build_demo(
    ctx: Any,
    products: list[Product],
    clients: list[Client],
    targets: list[str],
    contract_start: dict[int, dt.date],
    rng: random.Random,
    today: dt.date,
) -> int:
    staff = _provider_staff(ctx, products)
    own = [c for c in clients if getattr(c.case_manager, "username", "") == "klantmanager"]
    demo_providers = {p.pk for p in ctx.providers.values()}
    highlighted = [p for p in products if p.provider_id in demo_providers] or products
    created = 0
    for i in range(DEMO_COUNT):
        target = targets[i % len(targets)] if i < len(targets) else rng.choice(targets)
        product = rng.choice(highlighted if i % 3 == 0 else products)
        code = product.product_code.code
        if target.startswith("quote_") and code in DIRECT_ORDER_PRODUCT_CODES:
            quote_products = [p for p in products if p.product_code.code not in (1, 3)]
            if not quote_products:
                continue
            product = rng.choice(quote_products)
            code = product.product_code.code
        client = own[i % len(own)] if own and i % 4 == 0 else rng.choice(clients)
        steps = _within_duration(_steps_to(target, code, rng), product.nominal_duration_days)
        # Leave some behind: ordered/intake long ago and never moved on → overdue deadlines.
        stale = target in ("ordered", "intake_held", "plan_approved") and i % 2 == 0
        span = _span(steps) + (rng.randint(20, 60) if stale else rng.randint(0, 20))
        order_day = today - dt.timedelta(days=min(span, 700))
        earliest = contract_start.get(product.provider_id)
        if earliest is not None and order_day <= earliest:
            order_day = min(today, earliest + dt.timedelta(days=1))
        try:
            with transaction.atomic():
                _walk(ctx, client, product, steps, order_day, staff, rng)
            created += 1
        except (services.TrajectoryError, services.IllegalTransition) as exc:
            ctx.log(f"Trajecten: overgeslagen ({exc})")
    return created


def notifications_showcase(ctx: Any) -> None:
    """The hand-offs in the demo (issue 12), run as the LAST demo step (`opstap.demo`), after
    every app generated its history: 'klantmanager' ordered a quote product from Werkkracht
    Liemers (the provider of 'aanbieder-a') two days ago and the provider sent its quote
    yesterday, so 'aanbieder-a' finds the new order under "Meldingen" and 'klantmanager' the
    quote. The hand-off notifications of the generated history are dated at their event and
    marked read (they were dealt with), so these two stand out as new."""
    from opstap.notifications.models import Notification

    if ctx.scale in BULK_COUNTS:
        return
    rng: random.Random = ctx.rng
    products = _orderable_products(ctx)
    staff = _provider_staff(ctx, products)
    own = [
        c
        for c in _ordering_clients(ctx)
        if getattr(c.case_manager, "username", "") == "klantmanager"
    ]
    provider = ctx.providers.get("Werkkracht Liemers B.V.")
    quote_products = [
        p
        for p in products
        if provider is not None
        and p.provider_id == provider.pk
        and p.product_code.code not in DIRECT_ORDER_PRODUCT_CODES
    ]
    history_until = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if quote_products and own:
        today: dt.date = ctx.today
        try:
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                transaction.atomic(),
            ):
                _walk(
                    ctx,
                    own[0],
                    quote_products[0],
                    [("submit_quote", "p", 1)],
                    today - dt.timedelta(days=2),
                    staff,
                    rng,
                )
        except (services.TrajectoryError, services.IllegalTransition) as exc:
            ctx.log(f"Meldingen: voorbeeld overgeslagen ({exc})")
    handoffs = list(
        Notification.objects.filter(organisation=ctx.organisation)
        .exclude(dedupe_key="")
        .only("id", "dedupe_key", "created_at", "read_at")
    )
    event_ids = {
        int(n.dedupe_key.split(":", 1)[1])
        for n in handoffs
        if n.dedupe_key.startswith("trajectory-event:")
    }
    occurred = dict(
        TrajectoryEvent.objects.filter(pk__in=event_ids).values_list("pk", "occurred_at")
    )
    for notification in handoffs:
        if notification.dedupe_key.startswith("trajectory-event:"):
            notification.created_at = occurred.get(
                int(notification.dedupe_key.split(":", 1)[1]), notification.created_at
            )
        if notification.id <= history_until:
            notification.read_at = notification.created_at
    Notification.objects.bulk_update(handoffs, ["created_at", "read_at"], batch_size=1_000)
    ctx.log("Meldingen: nieuwe opdracht voor aanbieder-a, offerte voor klantmanager.")


def _walk(
    ctx: Any,
    client: Client,
    product: Product,
    steps: list[tuple[str, str, int]],
    order_day: dt.date,
    staff: dict[int, Any],
    rng: random.Random,
) -> Trajectory:
    cm = client.case_manager
    if cm is None:
        raise services.TrajectoryError("Klant zonder klantmanager.")
    provider_user = staff[product.provider_id].user
    risk = rng.choices(
        [AbsenceRisk.NONE, AbsenceRisk.ELEVATED, AbsenceRisk.PROBLEMATIC], [70, 25, 5]
    )[0]
    aim_exit = rng.choices(["regular", "supported", "sheltered", "activating"], [70, 15, 5, 10])[0]
    marks = (0, _client_mark(client.pk))
    trajectory = services.trajectory_order(
        actor=cm,
        client=client,
        product=product,
        rotonde_exit=aim_exit,
        rotonde_skip_reason="" if aim_exit == "regular" else "Regulier werk is nu niet haalbaar.",
        aim_tiles=list(product.tiles.values_list("code", flat=True)[:2]),
        aim_description="Werkritme opbouwen en uitstromen naar werk.",
        absence_risk=risk,
        budget=Decimal("3000.00"),
        on=order_day,
    )
    _set_time(trajectory, order_day, rng, marks)
    day = order_day
    today: dt.date = ctx.today
    for action, side, days in steps:
        day = min(today, day + dt.timedelta(days=days))
        actor = cm if side == "c" else provider_user
        payload: dict[str, Any] = {}
        if action == "plan_intake":
            payload["intake_date"] = (day + dt.timedelta(days=5)).isoformat()
        elif action == "hold_intake":
            payload["held_on"] = day.isoformat()
        elif action == "start":
            payload["start_date"] = day.isoformat()
        elif action == "submit_quote":
            payload.update(_quote_payload(trajectory, rng))
        elif action in ("complete", "terminate_early", "approve_return"):
            payload["end_date"] = day.isoformat()
        document_kind = {
            "submit_quote": "quote",
            "submit_plan": "plan",
            "request_extension": "extension_request",
            "request_return": "return_request",
            "receive_final_report": "final_report",
            "hand_over": "handover_note",
        }.get(action)
        document: int | None = None
        marks = _marks(trajectory)
        if document_kind is not None:
            document = services.trajectory_document_submit(
                actor=actor,
                trajectory=trajectory,
                kind=document_kind,
                title=str(DocumentKind(document_kind).label).capitalize(),
                text=REASONS.get(action, "Zie bijlage."),
                goals=["Werkritme van 24 uur per week", "Sollicitatievaardigheden"],
                result_agreements=["Stageplek binnen 2 maanden"],
                signed_by_candidate=True,
                payload=payload,
                on=day,
            ).pk
            trajectory.refresh_from_db()
        else:
            services.trajectory_transition(
                actor=actor,
                trajectory=trajectory,
                action=action,
                reason=REASONS.get(action, ""),
                payload=payload,
                on=day,
            )
        _set_time(trajectory, day, rng, marks, document=document)
        if action == "start" and rng.random() < 0.4:
            absent = timezone.make_aware(
                dt.datetime.combine(min(today, day + dt.timedelta(days=20)), dt.time(9))
            )
            reported = absent + dt.timedelta(hours=rng.choice((2, 20, 30)))
            if reported <= ctx.now:
                marks = _marks(trajectory)
                services.absence_report(
                    actor=actor,
                    trajectory=trajectory,
                    occurred_at=absent,
                    reason=rng.choice(["Ziek gemeld", "Niet verschenen", "Afspraak verzet"]),
                    problematic=rng.random() < 0.05,
                    reported_at=reported,
                )
                _date_since(trajectory, marks, reported)
        if action == "complete" and rng.random() < 0.5:
            marks = _marks(trajectory)
            services.outcome_record(
                actor=actor,
                trajectory=trajectory,
                werkfit=True,
                employer=rng.choice(["Bouwbedrijf Duiven", "Logistiek Zevenaar", "Zorg Liemers"]),
                placement_start=day.isoformat(),
                contract_type=ContractType.FIXED.value,
                hours_per_week=rng.choice(["24", "32", "36"]),
                contract_months=12,
            )
            _date_since(
                trajectory, marks, timezone.make_aware(dt.datetime.combine(day, dt.time(16, 45)))
            )
    return trajectory


def _quote_payload(trajectory: Trajectory, rng: random.Random) -> dict[str, str]:
    """A complete quote (R-TRJ-1): an amount; for jobcoaching (code 5) the product's hourly
    rate on the order date times a number of hours. One draw from `rng` either way, so the
    rest of the demo stays the same."""
    if trajectory.product_code == 5:
        hours = Decimal(rng.choice((20, 30, 40, 60)))
        rate = trajectory.hourly_rate or Decimal("72.50")
        return {"amount": str(rate * hours), "hourly_rate": str(rate), "hours": str(hours)}
    return {"amount": str(rng.choice((1800, 2400, 3200, 4500))) + ".00"}


# --------------------------------------------------------------------------------------------
# Bulk scales (city, national): bulk_create in chunks, no services
# --------------------------------------------------------------------------------------------

_BULK_STATES: list[tuple[str, int]] = [
    ("ordered", 3),
    ("intake_planned", 3),
    ("plan_submitted", 3),
    ("running", 30),
    ("extension_requested", 2),
    ("completed", 3),
    ("terminated_early", 2),
    ("final_report_received", 4),
    ("handed_over", 50),
]


def _bulk_order_day(state: str, duration: int, today: dt.date, rng: random.Random) -> dt.date:
    """An order date that fits the state, as in a real caseload: trajectories waiting for
    intake or a plan were ordered recently, running ones have not reached their planned end,
    ended ones ended recently and handed-over ones any time in the last four years. (Earlier
    bulk data ordered every state up to four years ago, which left tens of thousands of
    intake deadlines years overdue.) The start is 20 days after the order."""
    lead = 20
    if state == "ordered":
        return today - dt.timedelta(days=rng.randint(0, 21))
    if state == "intake_planned":
        return today - dt.timedelta(days=rng.randint(3, 30))
    if state == "plan_submitted":
        return today - dt.timedelta(days=rng.randint(15, 45))
    if state == "running":
        return today - dt.timedelta(days=lead + rng.randint(0, max(0, duration - 1)))
    if state == "extension_requested":
        return today - dt.timedelta(days=lead + max(0, duration - rng.randint(1, 30)))
    if state == "completed":
        return today - dt.timedelta(days=lead + duration + rng.randint(0, 16))
    if state in ("terminated_early", "final_report_received"):
        return today - dt.timedelta(days=lead + duration + rng.randint(0, 40))
    return today - dt.timedelta(days=lead + duration + rng.randint(30, 1_400))


def _bulk_deadline(
    t: Trajectory, today: dt.date, rng: random.Random, equated: frozenset[dt.date]
) -> tuple[str, str, dt.date, str] | None:
    """The open deadline of a bulk trajectory: intake for new orders, the next progress report
    for running ones (a few late), the final report for completed ones."""
    if t.state == "ordered":
        return (
            DeadlineKind.INTAKE.value,
            "Intake gehouden binnen 14 dagen na aanmelding",
            due_date(DeadlineKind.INTAKE, t.order_date, equated_days=equated),
            "R-TRJ-3",
        )
    if t.state == "running":
        due = today + dt.timedelta(days=rng.randint(-5, 90))
        return PROGRESS_REPORT_KIND, "Voortgangsrapportage", due, "R-TRJ-4"
    if t.state == "completed" and t.actual_end_date is not None:
        return (
            DeadlineKind.FINAL_REPORT.value,
            "Eindrapportage ontvangen binnen 14 dagen na het einde",
            due_date(DeadlineKind.FINAL_REPORT, t.actual_end_date, equated_days=equated),
            "R-TRJ-3",
        )
    return None


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, CHUNK):
        yield start, min(CHUNK, total - start)


def _build_bulk(ctx: Any, total: int) -> None:
    rng: random.Random = ctx.rng
    today: dt.date = ctx.today
    org = ctx.organisation
    products = list(
        Product.objects.filter(organisation=org).select_related("product_code").order_by("id")
    )
    client_rows = list(
        Client.objects.filter(organisation=org, case_manager__isnull=False).values_list(
            "pk", "case_manager_id"
        )
    )
    if not products or not client_rows:
        ctx.log("Trajecten: geen producten of klanten; overgeslagen.")
        return
    states = [s for s, w in _BULK_STATES for _ in range(w)]
    labels = {s.value: label for s, label in STATE_LABELS_NL.items()}
    equated = equated_days()  # once for the whole bulk run (R-TRJ-3)
    now = ctx.now
    made = 0
    for _start, size in _chunks(total):
        rows: list[Trajectory] = []
        for _ in range(size):
            product = products[rng.randrange(len(products))]
            client_id, cm_id = client_rows[rng.randrange(len(client_rows))]
            state = states[rng.randrange(len(states))]
            duration = product.nominal_duration_days
            order_day = _bulk_order_day(state, duration, today, rng)
            start = order_day + dt.timedelta(days=20)
            started = state in (
                "running",
                "extension_requested",
                "completed",
                "terminated_early",
                "final_report_received",
                "handed_over",
            )
            ended = state in (
                "completed",
                "terminated_early",
                "final_report_received",
                "handed_over",
            )
            nominal_end = start + dt.timedelta(days=duration)
            end = (
                min(today, start + dt.timedelta(days=rng.randint(14, max(15, duration))))
                if state == "terminated_early"
                else min(today, nominal_end)
            )
            rows.append(
                Trajectory(
                    organisation=org,
                    client_id=client_id,
                    product_id=product.pk,
                    provider_id=product.provider_id,
                    product_code=product.product_code.code,
                    price_basis="hourly" if product.product_code.code == 5 else "fixed",
                    case_manager_id=cm_id,
                    state=state,
                    rotonde_exit="regular",
                    absence_risk="none",
                    order_date=order_day,
                    start_date=start if started else None,
                    planned_end_date=nominal_end if started else None,
                    actual_end_date=end if ended else None,
                    handed_over_on=end if state == "handed_over" else None,
                )
            )
        # The one open deadline of a bulk trajectory (if any) is also its `next_due_on`.
        pending: dict[int, tuple[str, str, str]] = {}
        for t in rows:
            deadline = _bulk_deadline(t, today, rng, equated)
            if deadline is not None:
                kind, label, due_on, rule = deadline
                t.next_due_on = due_on
                pending[id(t)] = (kind, label, rule)
        with transaction.atomic():
            Trajectory.objects.bulk_create(rows, batch_size=2_000)
            events: list[TrajectoryEvent] = []
            deadlines: list[Deadline] = []
            for t in rows:
                moment = timezone.make_aware(dt.datetime.combine(t.order_date, dt.time(10)))
                events.append(
                    TrajectoryEvent(
                        organisation=org,
                        trajectory_id=t.pk,
                        occurred_at=moment,
                        actor_id=t.case_manager_id,
                        action="order",
                        from_state="",
                        to_state="ordered",
                    )
                )
                if t.state != "ordered":
                    events.append(
                        TrajectoryEvent(
                            organisation=org,
                            trajectory_id=t.pk,
                            occurred_at=now,
                            action="start" if t.start_date else "plan_intake",
                            from_state="ordered",
                            to_state=t.state,
                            reason=f"Gegenereerd ({labels[t.state]})",
                        )
                    )
                spec = pending.get(id(t))
                if spec is not None:
                    kind, label, rule = spec
                    assert t.next_due_on is not None
                    deadlines.append(
                        Deadline(
                            organisation=org,
                            trajectory_id=t.pk,
                            kind=kind,
                            label=label,
                            due_on=t.next_due_on,
                            responsible_role="provider_staff",
                            rule=rule,
                        )
                    )
            TrajectoryEvent.objects.bulk_create(events, batch_size=5_000)
            Deadline.objects.bulk_create(deadlines, batch_size=5_000)
        made += size
        if made % 200_000 == 0:
            ctx.log(f"Trajecten: {made:,} aangemaakt.")
    TRAJECTORY_COUNTS.changed_now_and_on_commit(org.pk)
    services.trajectory_counts_recount(organisation_id=org.pk)  # bulk_create sends no signals
    ctx.log(f"Trajecten: {made:,} trajecten met gebeurtenissen en termijnen aangemaakt (bulk).")
