"""Demo invoices (R-BILL-1..11), built through the services so they obey the rules.

1. For demo trajectories that ended with a final report, the provider invoices exactly what
   the payment rules allow (most invoices are correct: green); the administration approves
   most of them, a few wait in the work list, some are overdue for payment.
2. Showcase trajectories of the demo provider 'Werkkracht Liemers B.V.' (user aanbieder-a),
   so every verdict can be seen by the finance clerk (user 'administratie'):
   - a code-3 trajectory whose first 50% was approved and whose correct second instalment
     (after the final report) is waiting, green, to be approved;
   - a duplicate: the same milestone invoiced twice, the second held (R-BILL-10);
   - an early invoice: the final instalment while the trajectory still runs (red);
   - jobcoaching above the hourly-rate ceiling (red, R-BILL-7 / R-NET-7);
   - a credit note on an approved invoice (R-BILL-8).
At the bulk scales (city, national) the demo invoices are skipped: bench/invoices_check.py
generates its own rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.clients.models import Client
from opstap.providers.models import Contract, ContractStatus, Product, ProductStatus, Provider
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Trajectory

from . import services
from .models import Invoice
from .money import to_cents
from .payment_rules import MilestoneKind, PaymentRuleError, add_months, assess
from .services import InvoiceError

REGULAR_LIMIT = 60
SHOWCASE_PROVIDER = "Werkkracht Liemers B.V."


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _staff(provider: Provider) -> Any:
    membership = provider.memberships.select_related("user").order_by("id").first()
    return membership.user if membership is not None else None


def _submit(
    staff: Any,
    trajectory: Trajectory,
    number: str,
    *,
    invoice_date: dt.date,
    milestone: MilestoneKind | str,
    amount_excl: Decimal,
    vat: Decimal | None = None,
    amount_incl: Decimal | None = None,
    period_start: dt.date | None,
    period_end: dt.date | None,
    received_on: dt.date,
    **extra: Any,
) -> Invoice:
    """The provider's invoice for the client of `trajectory` (client number and surname as
    registered), received at 10:00 on `received_on`. Unless given, the VAT is 21% of the amount
    excl. (in cents) and the amount incl. their sum."""
    if vat is None:
        vat = to_cents(amount_excl * Decimal("0.21"))
    return services.invoice_submit(
        actor=staff,
        trajectory=trajectory,
        invoice_number=number,
        invoice_date=invoice_date,
        milestone=milestone,
        amount_excl=amount_excl,
        vat=vat,
        amount_incl=amount_excl + vat if amount_incl is None else amount_incl,
        client_number=trajectory.client.client_number,
        client_surname=trajectory.client.last_name,
        period_start=period_start,
        period_end=period_end,
        received_at=_moment(received_on),
        **extra,
    )


def _submit_allowed(
    ctx: Any, trajectory: Trajectory, staff: Any, number: str, as_of: dt.date
) -> list[Any]:
    """Invoice exactly what the rules allow on `as_of` (a correct invoice)."""
    facts = services.trajectory_facts(trajectory)
    try:
        assessment = assess(facts, services.rules_context(ctx.organisation.pk), as_of=as_of)
    except PaymentRuleError:
        return []
    invoices = []
    for n, milestone in enumerate(assessment.invoiceable):
        if milestone.kind is MilestoneKind.PLACEMENT_FEE:
            continue
        invoices.append(
            _submit(
                staff,
                trajectory,
                f"{number}-{n + 1}",
                invoice_date=as_of,
                milestone=milestone.kind,
                amount_excl=milestone.amount_excl,
                vat=milestone.vat,
                amount_incl=milestone.amount_incl,
                period_start=milestone.period.start if milestone.period else None,
                period_end=milestone.period.end if milestone.period else None,
                received_on=as_of + dt.timedelta(days=1),
            )
        )
    return invoices


def _regular(ctx: Any, clerk: Any) -> int:
    """Correct invoices for the demo trajectories that ended with a final report."""
    today: dt.date = ctx.today
    ended = (
        Trajectory.objects.filter(
            organisation=ctx.organisation,
            state__in=["final_report_received", "handed_over"],
            product_code__in=[1, 2, 3, 4],
            final_report_on__isnull=False,
        )
        .select_related("client", "provider")
        .order_by("id")[:REGULAR_LIMIT]
    )
    count = 0
    for i, trajectory in enumerate(ended):
        staff = _staff(trajectory.provider)
        if staff is None or trajectory.final_report_on is None:
            continue
        as_of = min(today, trajectory.final_report_on + dt.timedelta(days=3))
        try:
            with transaction.atomic():
                invoices = _submit_allowed(ctx, trajectory, staff, f"D{trajectory.pk:05d}", as_of)
                for invoice in invoices:
                    # Most are approved; every fifth waits in the work list (some overdue).
                    if i % 5 and invoice.verdict != "red":
                        services.invoice_approve(actor=clerk, invoice=invoice, note="Demo")
                count += len(invoices)
        except InvoiceError as exc:
            ctx.log(f"Facturen: overgeslagen ({exc.message})")
    return count


def _product(provider: Provider | None, code: int) -> Product | None:
    qs = Product.objects.filter(status=ProductStatus.ACTIVE, product_code__code=code)
    if provider is not None:
        own = qs.filter(provider=provider).order_by("id").first()
        if own is not None:
            return own
    return None


QUOTE_TEXT = "Jobcoaching is nodig om het werk te behouden; zie het plan van aanpak."
#: Jobcoaching quotes in the demo agree on this many hours at the product's rate.
QUOTE_HOURS = Decimal(40)


def _quote(trajectory: Trajectory) -> dict[str, str]:
    """A complete quote (R-TRJ-1): codes 2/4 at the product's price; jobcoaching at the
    product's hourly rate on the order date for `QUOTE_HOURS` hours (price terms: rate, hours
    and the total as budget cap)."""
    if trajectory.product_code == 5:
        rate = trajectory.hourly_rate or Decimal("72.50")
        return {
            "amount": str(rate * QUOTE_HOURS),
            "hourly_rate": str(rate),
            "hours": str(QUOTE_HOURS),
        }
    return {"amount": str(trajectory.price or Decimal("2500.00"))}


def _walk(
    ctx: Any,
    product: Product,
    client: Client,
    staff: Any,
    *,
    order_day: dt.date,
    until: str,
    end_day: dt.date | None = None,
) -> Trajectory:
    cm = client.case_manager
    if cm is None:
        raise trajectory_services.TrajectoryError("Klant zonder klantmanager.")
    trajectory = trajectory_services.trajectory_order(
        actor=cm, client=client, product=product, rotonde_exit="regular", on=order_day
    )
    steps: list[tuple[str, Any, dict[str, Any], int]] = []
    if product.product_code.code in (2, 4, 5):
        steps += [("submit_quote", staff, _quote(trajectory), 0), ("approve_quote", cm, {}, 1)]
    steps += [
        ("plan_intake", staff, {"intake_date": (order_day + dt.timedelta(days=4)).isoformat()}, 2),
        ("hold_intake", staff, {"held_on": (order_day + dt.timedelta(days=4)).isoformat()}, 4),
        ("submit_plan", staff, {}, 7),
        ("approve_plan", cm, {}, 9),
        ("start", staff, {"start_date": (order_day + dt.timedelta(days=10)).isoformat()}, 10),
    ]
    if end_day is not None:
        steps += [
            ("complete", staff, {"end_date": end_day.isoformat()}, (end_day - order_day).days),
            ("receive_final_report", staff, {}, (end_day - order_day).days + 3),
        ]
    for action, actor, payload, offset in steps:
        trajectory = trajectory_services.trajectory_transition(
            actor=actor,
            trajectory=trajectory,
            action=action,
            payload=payload,
            reason=QUOTE_TEXT if action == "submit_quote" else "",
            on=order_day + dt.timedelta(days=offset),
        )
        if trajectory.state == until:
            break
    return trajectory


def _submit_coaching_quarter(
    staff: Any, trajectory: Trajectory, number: str, rate: Decimal, start: dt.date, end: dt.date
) -> None:
    """One jobcoaching quarter invoiced at `rate` for 20 hours (4 hours in five of its weeks),
    dated five days after the quarter and received the day after."""
    excl = rate * 20
    _submit(
        staff,
        trajectory,
        number,
        invoice_date=end + dt.timedelta(days=5),
        milestone=MilestoneKind.JOBCOACHING_QUARTER,
        amount_excl=excl,
        period_start=start,
        period_end=end,
        received_on=end + dt.timedelta(days=6),
        hourly_rate=rate,
        logbook=[
            {"date": (start + dt.timedelta(days=d)).isoformat(), "hours": "4"}
            for d in (7, 21, 35, 49, 63)
        ],
    )


def _showcase(ctx: Any, clerk: Any) -> None:
    today: dt.date = ctx.today
    provider = ctx.providers.get(SHOWCASE_PROVIDER)
    staff = _staff(provider) if provider is not None else None
    code3, code5 = _product(provider, 3), _product(provider, 5)
    cm = ctx.users.get("klantmanager")
    clients = list(
        Client.objects.filter(organisation=ctx.organisation, case_manager=cm).order_by("-id")[:6]
    )
    if staff is None or code3 is None or len(clients) < 5:
        ctx.log("Facturen: geen code-3 product of klanten voor de voorbeelden; overgeslagen.")
        return
    contract_start = (
        Contract.objects.filter(provider=provider, status=ContractStatus.ACTIVE)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    order_day = today - dt.timedelta(days=200)
    if contract_start is not None and order_day <= contract_start:
        order_day = contract_start + dt.timedelta(days=1)
    end_day = today - dt.timedelta(days=20)
    if end_day <= order_day + dt.timedelta(days=20):
        ctx.log("Facturen: de raamovereenkomst is te jong voor de voorbeelden; overgeslagen.")
        return

    # 1. Correct code-3 second instalment, ready to approve (first 50% approved earlier).
    done = _walk(
        ctx,
        code3,
        clients[0],
        staff,
        order_day=order_day,
        until="final_report_received",
        end_day=end_day,
    )
    first = _submit_allowed(ctx, done, staff, "WL-2026-101", order_day + dt.timedelta(days=12))
    for invoice in first:
        services.invoice_approve(actor=clerk, invoice=invoice, note="Eerste termijn (50%)")
    _submit_allowed(ctx, done, staff, "WL-2026-102", end_day + dt.timedelta(days=5))

    # 2. Duplicate: the plan milestone invoiced twice; the second is held.
    dup = _walk(ctx, code3, clients[1], staff, order_day=order_day, until="running")
    _submit_allowed(ctx, dup, staff, "WL-2026-201", order_day + dt.timedelta(days=12))
    original = dup.invoices.order_by("id").first()
    if original is not None:
        _submit(
            staff,
            dup,
            "WL-2026-202",
            invoice_date=order_day + dt.timedelta(days=20),
            milestone=original.milestone,
            amount_excl=original.amount_excl,
            vat=original.vat,
            amount_incl=original.amount_incl,
            period_start=original.period_start,
            period_end=original.period_end,
            received_on=order_day + dt.timedelta(days=21),
        )

    # 3. Early: the final instalment while the trajectory still runs (red).
    half = to_cents((dup.price or Decimal(0)) / 2)
    _submit(
        staff,
        dup,
        "WL-2026-203",
        invoice_date=today - dt.timedelta(days=2),
        milestone=MilestoneKind.FINAL_REPORT,
        amount_excl=half,
        period_start=dup.start_date,
        period_end=dup.planned_end_date,
        received_on=today - dt.timedelta(days=1),
    )

    # 3b. Orange: the plan milestone invoiced EUR 10 below what the rules allow.
    low = _walk(ctx, code3, clients[4], staff, order_day=order_day, until="running")
    low_excl = to_cents((low.price or Decimal(0)) / 2) - Decimal("10.00")
    _submit(
        staff,
        low,
        "WL-2026-501",
        invoice_date=order_day + dt.timedelta(days=14),
        milestone=MilestoneKind.PLAN_APPROVED,
        amount_excl=low_excl,
        period_start=low.start_date,
        period_end=low.planned_end_date,
        received_on=order_day + dt.timedelta(days=15),
    )

    # 4. Jobcoaching above the ceiling (red).
    if code5 is not None:
        job = _walk(ctx, code5, clients[2], staff, order_day=order_day, until="running")
        start = job.start_date or order_day
        q_end = add_months(start, 3) - dt.timedelta(days=1)
        if q_end + dt.timedelta(days=6) > today:
            ctx.log("Facturen: het eerste jobcoachingkwartaal loopt nog; voorbeeld overgeslagen.")
            return
        _submit_coaching_quarter(staff, job, "WL-2026-301", Decimal("95.00"), start, q_end)
        # 4b. The same quarter of another jobcoaching trajectory, invoiced correctly: the
        # logbook's hours x the agreed rate of the approved quote (price terms), green.
        if len(clients) > 5:
            fair = _walk(ctx, code5, clients[5], staff, order_day=order_day, until="running")
            fair_start = fair.start_date or order_day
            fair_end = add_months(fair_start, 3) - dt.timedelta(days=1)
            agreed = fair.hourly_rate or Decimal(0)
            _submit_coaching_quarter(staff, fair, "WL-2026-302", agreed, fair_start, fair_end)

    # 5. A credit note on an approved invoice (R-BILL-8).
    credited = _walk(ctx, code3, clients[3], staff, order_day=order_day, until="running")
    for invoice in _submit_allowed(
        ctx, credited, staff, "WL-2026-401", order_day + dt.timedelta(days=12)
    ):
        approved = services.invoice_approve(actor=clerk, invoice=invoice, note="Demo")
        services.credit_note_create(
            actor=clerk,
            invoice=approved,
            number="WL-2026-C401",
            credit_date=order_day + dt.timedelta(days=40),
            reason="Gedeeltelijk ten onrechte gefactureerd (demo).",
            amount_excl=Decimal("100.00"),
            vat=Decimal("21.00"),
            amount_incl=Decimal("121.00"),
        )
    ctx.log("Facturen: voorbeelden voor groen, oranje/rood, dubbel, plafond en creditnota.")


def build(ctx: Any) -> None:
    if ctx.scale != "demo":
        ctx.log("Facturen: overgeslagen op deze schaal (zie bench/invoices_check.py).")
        return
    clerk = ctx.users.get("administratie")
    if clerk is None:
        return
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        count = _regular(ctx, clerk)
        ctx.log(f"Facturen: {count} facturen voor afgeronde trajecten ingediend.")
        try:
            with transaction.atomic():
                _showcase(ctx, clerk)
        except (
            InvoiceError,
            trajectory_services.TrajectoryError,
            trajectory_services.IllegalTransition,
        ) as exc:
            ctx.log(f"Facturen: voorbeelden overgeslagen ({exc})")
        _sepa_batch(ctx, clerk)


def _sepa_batch(ctx: Any, clerk: Any) -> None:
    """The approved invoices so far go into one payment batch, exported (xlsx/CSV) and made
    into a SEPA credit-transfer file (pain.001) when the organisation's own account is set
    (`OPSTAP_SEPA_DEBTOR_IBAN`; `make demo` sets an example)."""
    try:
        batch = services.payment_batch_create(actor=clerk)
        services.payment_batch_export(actor=clerk, batch=batch)
    except InvoiceError as exc:
        ctx.log(f"Betaalbatch: overgeslagen ({exc.message})")
        return
    try:
        with transaction.atomic():
            services.payment_batch_export_sepa(actor=clerk, batch=batch)
    except InvoiceError as exc:
        ctx.log(f"Betaalbatch {batch.reference}: geen SEPA-bestand ({exc.message})")
        return
    ctx.log(f"Betaalbatch {batch.reference}: geëxporteerd en als pain.001 (SEPA) gemaakt.")
