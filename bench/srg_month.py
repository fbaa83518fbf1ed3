"""One month's CBS SRG delivery over N trajectories (R-INT-2; target 2,000,000 in < 2 min,
constant memory).

    .venv/bin/python bench/srg_month.py [--trajectories 2000000] [--fresh]

Uses DATABASE_URL when set (PostgreSQL for a real national run), else its own SQLite file
`var/bench-srg.sqlite3` (never the development database). The first run generates its rows
with bulk inserts: one organisation and municipality, N/2 clients with two trajectories
each, spread over the two years before the measured month (about 40% still running or
ending in it), and a placement on every fifth trajectory, half of them with loonkostensubsidie.
Every product and placement type is mapped to an SRG code.

It then builds the delivery for October 2026 exactly as the background task does
(`reporting.services.srg_delivery_build`) and reports the time, the records written, the
peak Python heap (tracemalloc) and the growth of the process's resident set. Results go to
bench/results/srg_month.json.

Do not run it at national scale on a shared machine: generation alone writes ~3 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
os.environ.setdefault("OPSTAP_BENCH", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-srg.sqlite3'}")

ORG_SLUG = "bench-srg"
MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 20)


def _setup() -> dict[str, Any]:
    from opstap.accounts.services import roles_sync_defaults, user_create
    from opstap.core.roles import RoleCode
    from opstap.organisations.services import municipality_create, organisation_create
    from opstap.providers import services as provider_services
    from opstap.providers.services import LocationInput
    from opstap.reporting import services as reporting

    roles_sync_defaults()
    org = organisation_create(name="Benchmark SRG", slug=ORG_SLUG)
    municipality = municipality_create(
        organisation=org,
        name="Benchstad",
        cbs_code="GM0997",
        inhabitants=2_000_000,
        reference_date=dt.date(2021, 1, 1),
    )
    users = {
        code: user_create(
            username=f"bench-srg-{code}",
            organisation=org,
            roles=(code,),
            password="Bench-wachtwoord-2026",  # noqa: S106
            first_name="Bench",
            last_name=code,
            validate=False,
        )
        for code in (RoleCode.CASE_MANAGER, RoleCode.CONTRACT_MANAGER, RoleCode.APP_ADMIN)
    }
    provider = provider_services.provider_create(organisation=org, name="Bench SRG")
    provider_services.contract_create(
        actor=users[RoleCode.CONTRACT_MANAGER],
        provider=provider,
        reference="BENCH-SRG",
        start_date=dt.date(2020, 1, 1),
        terms_granted=4,
    )
    product = provider_services.product_create(
        actor=None,
        provider=provider,
        name="Werkervaringsplaats (bench)",
        product_code=3,
        tile_codes=["EW04"],
        price_type="fixed",
        price=Decimal("2500.00"),
        price_valid_from=dt.date(2020, 1, 1),
        nominal_duration_days=182,
        locations=[LocationInput(city="Benchstad", address="Straat 1")],
        service_kind="general",
    )
    admin = users[RoleCode.APP_ADMIN]
    we = reporting.srg_code_save(actor=admin, code="WE", name="Werkervaringsplaats")
    lks = reporting.srg_code_save(actor=admin, code="LKS", name="Loonkostensubsidie")
    reporting.srg_product_mapping_save(actor=admin, product=product, srg_code=we)
    for kind in ("regular", "lks", "garantiebaan", "beschut_werk"):
        reporting.srg_placement_mapping_save(
            actor=admin,
            organisation_id=org.pk,
            placement_type=kind,
            srg_code=lks if kind == "lks" else we,
        )
    return {
        "org": org,
        "municipality": municipality,
        "cm": users[RoleCode.CASE_MANAGER],
        "admin": admin,
        "provider": provider,
        "product": product,
    }


def _generate(n: int, log: Any) -> None:
    from django.db import transaction
    from django.utils import timezone

    from opstap.clients.bsn import bsn_from_prefix
    from opstap.clients.models import Client
    from opstap.trajectories.models import Outcome, Trajectory

    base = _setup()
    chunk = 10_000
    prefix = 20_000_000
    now = timezone.now()
    for offset in range(0, n, chunk):
        size = min(chunk, n - offset)
        with transaction.atomic():
            clients = []
            for i in range(offset, offset + size, 2):
                bsn = None
                while bsn is None:
                    prefix += 1
                    bsn = bsn_from_prefix(prefix)
                clients.append(
                    Client(
                        organisation=base["org"],
                        bsn=bsn,
                        client_number=f"S{i:08d}",
                        first_name="Bench",
                        last_name=f"Klant{i}",
                        date_of_birth=dt.date(1980, 1, 1),
                        municipality=base["municipality"],
                        case_manager=base["cm"],
                    )
                )
            Client.objects.bulk_create(clients)
            trajectories = []
            for j in range(size):
                i = offset + j
                start = dt.date(2024, 11, 1) + dt.timedelta(days=i % 730)
                end = start + dt.timedelta(days=182) if i % 3 else None
                trajectories.append(
                    Trajectory(
                        organisation=base["org"],
                        client=clients[j // 2],
                        product=base["product"],
                        provider=base["provider"],
                        product_code=3,
                        case_manager=base["cm"],
                        state="completed" if end else "running",
                        rotonde_exit="regular",
                        absence_risk="none",
                        order_date=start - dt.timedelta(days=20),
                        start_date=start,
                        actual_end_date=end,
                    )
                )
            Trajectory.objects.bulk_create(trajectories)
            Outcome.objects.bulk_create(
                Outcome(
                    organisation=base["org"],
                    trajectory=t,
                    employer="Bench B.V.",
                    placement_start=t.start_date + dt.timedelta(days=90),
                    lks=(k % 2 == 0),
                    recorded_at=now,
                )
                for k, t in enumerate(trajectories)
                if k % 5 == 0 and t.start_date is not None
            )
        log(f"  {offset + size:,} trajectories")


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trajectories", type=int, default=2_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop the SQLite file first")
    args = parser.parse_args()
    db_url = os.environ["DATABASE_URL"]
    if args.fresh and db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    from opstap.organisations.models import Organisation
    from opstap.reporting import services
    from opstap.reporting.models import SrgDelivery
    from opstap.trajectories.models import Trajectory

    call_command("migrate", verbosity=0)
    if not Organisation.objects.filter(slug=ORG_SLUG).exists():
        print(f"Generating {args.trajectories:,} trajectories ...")
        t0 = time.perf_counter()
        _generate(args.trajectories, print)
        print(f"  generated in {time.perf_counter() - t0:.1f} s")
    org = Organisation.objects.get(slug=ORG_SLUG)
    total = Trajectory.objects.filter(organisation=org).count()
    from opstap.accounts.models import User
    from opstap.organisations.models import Municipality

    admin = User.objects.get(username="bench-srg-app_admin")
    municipality = Municipality.objects.get(organisation=org)

    def build() -> SrgDelivery:
        SrgDelivery.objects.filter(organisation=org).exclude(status="sent").delete()
        delivery = services.srg_delivery_request(
            actor=admin, municipality=municipality, month=MONTH, today=TODAY
        )
        services.srg_delivery_build(delivery.pk)
        delivery.refresh_from_db()
        return delivery

    # Timed without tracing (tracemalloc slows Python down), then once more traced.
    rss_before = _rss_kb()
    t0 = time.perf_counter()
    delivery = build()
    seconds = time.perf_counter() - t0
    rss_growth = _rss_kb() - rss_before
    tracemalloc.start()
    build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = {
        "trajectories_in_db": total,
        "records_written": delivery.counts["records"],
        "counts": {k: v for k, v in delivery.counts.items() if k != "issues"},
        "seconds": round(seconds, 2),
        "records_per_second": round(delivery.counts["records"] / seconds),
        "peak_python_heap_mb": round(peak / 1e6, 1),
        "rss_growth_mb": round(rss_growth / 1024, 1),
        "database": db_url.split(":", 1)[0],
        "file_bytes": delivery.size,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "srg_month.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    per_2m = seconds * 2_000_000 / max(total, 1)
    print(f"Linear estimate for 2,000,000 trajectories: {per_2m:.0f} s (target < 120 s)")


if __name__ == "__main__":
    main()
