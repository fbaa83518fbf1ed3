"""Checking 100,000 submitted invoices at national scale (R-BILL-2, R-BILL-10).

    .venv/bin/python bench/invoices_check.py [--invoices 100000] [--chunk 1000]

Uses DATABASE_URL when set (PostgreSQL for a real national run), else its own SQLite file
`var/bench-invoices.sqlite3` (never the development database). The demo data set has no
invoices at the bulk scales, so this script generates its own rows once (bulk inserts): one
organisation, one contracted provider with a code-3 product, N/2 clients with a completed
code-3 trajectory (final report received), and per trajectory two invoices: the 50% after
plan approval (approved) and the final 50% (submitted). About 10% carry an error: an amount
above the allowed one, a wrong surname, or the final instalment dated before the final report.

It then measures

- *check*: `invoices.services.invoices_check_many` over all invoices in chunks (the real
  thing: loads the facts of each chunk with a constant number of queries, then runs the
  payment rules and the stored-invoice checks), and
- *floor*: the pure `payment_rules.check_claim` alone on the same claims with facts already in
  memory,

and reports throughput (invoices per second) and the ratio check / floor. Results are also
written to bench/results/invoices_check.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
os.environ.setdefault("OPSTAP_BENCH", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-invoices.sqlite3'}")

ORG_SLUG = "bench-facturen"
PRICE = Decimal("2500.00")
HALF = Decimal("1250.00")
HALF_VAT = Decimal("262.50")


def _setup() -> dict[str, Any]:
    from opstap.accounts.services import roles_sync_defaults, user_create
    from opstap.core.roles import RoleCode
    from opstap.organisations.services import municipality_create, organisation_create
    from opstap.providers import services as provider_services
    from opstap.providers.services import LocationInput

    roles_sync_defaults()
    org = organisation_create(name="Benchmark facturen", slug=ORG_SLUG)
    municipality = municipality_create(
        organisation=org,
        name="Benchstad",
        cbs_code="GM9998",
        inhabitants=500_000,
        reference_date=dt.date(2021, 1, 1),
    )
    users = {
        code: user_create(
            username=f"bench-{code}",
            organisation=org,
            roles=(code,),
            password="Bench-wachtwoord-2026",  # noqa: S106
            first_name="Bench",
            last_name=code,
            validate=False,
        )
        for code in (
            RoleCode.CASE_MANAGER,
            RoleCode.CONTRACT_MANAGER,
            RoleCode.PROVIDER_STAFF,
            RoleCode.FINANCE_CLERK,
        )
    }
    provider = provider_services.provider_create(organisation=org, name="Bench Re-integratie")
    provider_services.provider_add_staff(provider=provider, user=users[RoleCode.PROVIDER_STAFF])
    provider_services.contract_create(
        actor=users[RoleCode.CONTRACT_MANAGER],
        provider=provider,
        reference="BENCH-1",
        start_date=dt.date(2020, 1, 1),
        terms_granted=4,
    )
    product = provider_services.product_create(
        actor=None,
        provider=provider,
        name="Werkfit-traject (bench)",
        product_code=3,
        tile_codes=["EW04"],
        price_type="fixed",
        price=PRICE,
        price_valid_from=dt.date(2020, 1, 1),
        nominal_duration_days=182,
        locations=[LocationInput(city="Benchstad", address="Straat 1")],
        service_kind="general",
    )
    return {
        "org": org,
        "municipality": municipality,
        "cm": users[RoleCode.CASE_MANAGER],
        "staff": users[RoleCode.PROVIDER_STAFF],
        "provider": provider,
        "product": product,
    }


def _generate(n_invoices: int, log: Any) -> None:
    """Bulk rows, in chunks of 5,000 trajectories."""
    from django.db import transaction
    from django.utils import timezone

    from opstap.clients.bsn import bsn_from_prefix
    from opstap.clients.models import Client
    from opstap.invoices.models import Invoice, InvoiceLine
    from opstap.invoices.payment_rules import MilestoneKind
    from opstap.invoices.services import claim_key
    from opstap.trajectories.deadlines import add_working_days
    from opstap.trajectories.models import Trajectory, TrajectoryEvent

    base = _setup()
    org, cm, staff, provider, product = (
        base["org"],
        base["cm"],
        base["staff"],
        base["provider"],
        base["product"],
    )
    n_trajectories = n_invoices // 2
    chunk = 5_000
    prefix = 10_000_000
    for offset in range(0, n_trajectories, chunk):
        size = min(chunk, n_trajectories - offset)
        with transaction.atomic():
            clients = []
            for i in range(offset, offset + size):
                bsn = None
                while bsn is None:
                    prefix += 1
                    bsn = bsn_from_prefix(prefix)
                clients.append(
                    Client(
                        organisation=org,
                        bsn=bsn,
                        client_number=f"B{i:07d}",
                        first_name="Bench",
                        last_name=f"Klant{i}",
                        date_of_birth=dt.date(1980, 1, 1),
                        municipality=base["municipality"],
                        case_manager=cm,
                        trajectory_count=1,  # its one trajectory below (no signals in bulk)
                    )
                )
            Client.objects.bulk_create(clients)
            trajectories = []
            for i, client in enumerate(clients):
                order = dt.date(2024, 1, 1) + dt.timedelta(days=(offset + i) % 500)
                start = order + dt.timedelta(days=20)
                end = start + dt.timedelta(days=182)
                trajectories.append(
                    Trajectory(
                        organisation=org,
                        client=client,
                        product=product,
                        provider=provider,
                        product_code=3,
                        case_manager=cm,
                        state="final_report_received",
                        rotonde_exit="regular",
                        absence_risk="none",
                        price=PRICE,
                        order_date=order,
                        intake_date=order + dt.timedelta(days=5),
                        intake_held_on=order + dt.timedelta(days=5),
                        plan_approved_on=order + dt.timedelta(days=15),
                        start_date=start,
                        planned_end_date=end,
                        actual_end_date=end,
                        final_report_on=end + dt.timedelta(days=5),
                    )
                )
            Trajectory.objects.bulk_create(trajectories)
            now = timezone.now()
            TrajectoryEvent.objects.bulk_create(
                TrajectoryEvent(
                    organisation=org,
                    trajectory=t,
                    occurred_at=now,
                    action="complete",
                    from_state="running",
                    to_state="completed",
                )
                for t in trajectories
            )
            invoices = []
            for i, t in enumerate(trajectories):
                n = offset + i
                assert t.actual_end_date is not None and t.start_date is not None
                for kind, day, status in (
                    (MilestoneKind.PLAN_APPROVED, t.plan_approved_on, "approved"),
                    (
                        MilestoneKind.FINAL_REPORT,
                        t.actual_end_date + dt.timedelta(days=8),
                        "checked",
                    ),
                ):
                    assert day is not None
                    excl, surname = HALF, t.client.last_name
                    if kind is MilestoneKind.FINAL_REPORT:
                        if n % 20 == 0:
                            excl = HALF + Decimal("100.00")  # above the allowed amount
                        elif n % 20 == 1:
                            surname = "Anders"  # client data differ
                        elif n % 20 == 2:
                            day = t.actual_end_date  # before the final report
                    vat = (excl * Decimal("0.21")).quantize(Decimal("0.01"))
                    invoices.append(
                        Invoice(
                            organisation=org,
                            provider=provider,
                            trajectory=t,
                            client=t.client,
                            invoice_number=f"B-{n}-{kind.value}",
                            invoice_date=day,
                            received_at=now,
                            due_on=add_working_days(day, 30),
                            milestone=kind.value,
                            period_start=t.start_date,
                            period_end=t.actual_end_date,
                            stated_client_number=t.client.client_number,
                            stated_client_surname=surname,
                            amount_excl=excl,
                            vat=vat,
                            amount_incl=excl + vat,
                            source="api",
                            submitted_by=staff,
                            status=status,
                            claim_key=claim_key(t.pk, kind, t.start_date),
                        )
                    )
            Invoice.objects.bulk_create(invoices)
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=inv,
                    position=1,
                    description=inv.milestone,
                    vat_code="high",
                    vat_percentage=Decimal(21),
                    amount_excl=inv.amount_excl,
                    vat=inv.vat,
                    amount_incl=inv.amount_incl,
                )
                for inv in invoices
            )
        log(f"  {offset + size:,} trajecten / {2 * (offset + size):,} facturen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=1_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from opstap.invoices.models import Invoice
    from opstap.invoices.payment_rules import check_claim
    from opstap.invoices.services import invoices_check_many, rules_context
    from opstap.organisations.models import Organisation

    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    existing = Invoice.objects.filter(organisation=org).count() if org else 0
    if existing < args.invoices:
        if org is not None:
            print(
                f"Bestaande benchmarkdata ({existing:,} facturen) is te klein; maak een nieuwe DB."
            )
            return 1
        print(f"Genereren van {args.invoices:,} facturen...")
        started = time.perf_counter()
        _generate(args.invoices, print)
        print(f"  klaar in {time.perf_counter() - started:.1f} s")
        org = Organisation.objects.get(slug=ORG_SLUG)

    ids = list(
        Invoice.objects.filter(organisation=org)
        .order_by("id")
        .values_list("pk", flat=True)[: args.invoices]
    )
    stubs = [Invoice(pk=pk) for pk in ids]

    # The real thing: bulk check in chunks.
    verdicts: Counter[str] = Counter()
    started = time.perf_counter()
    for i in range(0, len(stubs), args.chunk):
        for status, _reasons, _allowed in invoices_check_many(stubs[i : i + args.chunk]).values():
            verdicts[status.value] += 1
    check_s = time.perf_counter() - started

    # Floor: the pure rules alone, facts already in memory (built outside the timing).
    from opstap.invoices.services import claim_of, trajectory_facts
    from opstap.invoices.services.checks import _earlier_rows, _Loaded

    ctx = rules_context(org.pk)
    prepared = []
    for i in range(0, len(ids), 5_000):
        chunk = list(Invoice.objects.filter(pk__in=ids[i : i + 5_000]).select_related("trajectory"))
        earlier = _earlier_rows({inv.trajectory_id for inv in chunk})
        for inv in chunk:
            loaded = _Loaded(
                end_action="complete",
                end_payload={},
                earlier=earlier.get(inv.trajectory_id, []),
                placements=[],
                restrictions={},  # the bench's clients have no hour restriction
            )
            facts = trajectory_facts(inv.trajectory, exclude_invoice_id=inv.pk, loaded=loaded)
            claim = claim_of(inv)
            prepared.append((claim, facts))
    started = time.perf_counter()
    for claim, facts in prepared:
        check_claim(claim, facts, ctx)
    floor_s = time.perf_counter() - started

    n = len(stubs)
    result = {
        "invoices": n,
        "chunk": args.chunk,
        "database": os.environ["DATABASE_URL"].split("://", 1)[0],
        "check_seconds": round(check_s, 2),
        "check_per_second": round(n / check_s),
        "floor_seconds": round(floor_s, 2),
        "floor_per_second": round(n / floor_s),
        "ratio_check_to_floor": round(check_s / floor_s, 2),
        "verdicts": dict(verdicts),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "invoices_check.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
