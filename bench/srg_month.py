"""One month's CBS SRG delivery over N trajectories (R-INT-2; target 2,000,000 in < 2 min,
constant memory).

    .venv/bin/python bench/srg_month.py [--trajectories 2000000] [--fresh]

Uses DATABASE_URL when set (PostgreSQL for a real national run), else its own SQLite file
`var/bench-srg.sqlite3` (never the development database). The first run generates its rows:
one organisation and municipality, N/2 clients with two trajectories each, spread over the
two years before the measured month (about 40% still running or ending in it), and a
placement on every fifth trajectory, half of them with loonkostensubsidie. Every product and
placement type is mapped to an SRG code. On SQLite through the ORM (bulk inserts); on
PostgreSQL the same rows are made by the database itself (INSERT ... SELECT over
generate_series, BSNs with a valid 11-check computed in SQL): 2,000,000 trajectories in
about 7 minutes instead of an hour, 1.6 GB. At 2,000 trajectories both give the same
delivery byte for byte.

It then builds the delivery for October 2026 exactly as the background task does
(`reporting.services.srg_delivery_build`) and reports the time, the records written, the
peak Python heap (tracemalloc, a second traced build), the growth of the resident set
during the build (Linux: the peak is reset before it) and the load average. Results go to
bench/results/srg_month.json. Set OPSTAP_DB_POOLER=pgbouncer to measure the read as it
runs behind PgBouncer (no server-side cursors: pages by primary key).
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
                        # trajectories j and j+1 below are this client's (bulk_create sends no
                        # signals, so the counter of issue 18 is set here)
                        trajectory_count=min(2, offset + size - i),
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


# The 11-check of an 8-digit prefix `p` in SQL (weights 9..2), as `bsn_from_prefix` computes it.
_CHECK_SQL = " + ".join(f"mod(p / {10 ** (7 - i)}, 10) * {9 - i}" for i in range(8))


def _columns(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy_template(
    cursor: Any,
    table: str,
    template_id: int,
    overrides: dict[str, str],
    source: str,
    where: str = "",
    params: list[Any] | None = None,
) -> int:
    """INSERT ... SELECT: one row per row of `source`, each a copy of the template row with
    the `overrides` (SQL expressions); every other column as the template has it."""
    columns = _columns(cursor, table)
    select = ", ".join(overrides.get(c, f"tpl.{c}") for c in columns)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} "  # noqa: S608 (bench)
        f"FROM {table} tpl CROSS JOIN {source} WHERE tpl.id = %s {where}",
        [*(params or []), template_id],
    )
    return int(cursor.rowcount)


def _generate_pg(n: int, log: Any) -> None:
    """The same rows as `_generate`, made by PostgreSQL itself (INSERT ... SELECT over
    generate_series): the first client, its two trajectories and one placement through the
    ORM as templates, every further row a copy with its own BSN (valid 11-check), client
    number, dates and placement. National scale in minutes instead of an hour of Python."""
    from django.db import connection, transaction

    from opstap.clients.models import Client
    from opstap.trajectories.models import Outcome, Trajectory

    _generate(2, log)
    template_client = Client.objects.get(client_number="S00000000")
    trajectories = list(Trajectory.objects.filter(client=template_client).order_by("id"))
    template_outcome = Outcome.objects.get(trajectory=trajectories[0])
    org_id = template_client.organisation_id
    clients = n // 2 + n % 2
    step = 200_000
    # Valid BSNs from 8-digit prefixes 30,000,000 upwards (the ORM path used 20,000,001+).
    # (constant SQL of this bench, no input)
    bsn_source = (
        "(SELECT p, chk, %s + row_number() OVER (ORDER BY p) - 1 AS c FROM ("  # noqa: S608
        f"  SELECT p, mod({_CHECK_SQL}, 11) AS chk FROM generate_series(%s, %s) p"
        ") v WHERE chk < 10 ORDER BY p LIMIT %s) b"
    )
    with connection.cursor() as cursor:
        for low in range(1, clients, step):
            high = min(clients, low + step)
            count = high - low
            with transaction.atomic():
                done = _copy_template(
                    cursor,
                    "clients_client",
                    template_client.pk,
                    {
                        "bsn": "lpad(b.p::text, 8, '0') || b.chk::text",
                        "client_number": "'S' || lpad((2 * b.c)::text, 8, '0')",
                        "last_name": "'Klant' || (2 * b.c)::text",
                        # trajectories 2c and 2c+1 (below n) are this client's (issue 18)
                        "trajectory_count": f"LEAST(2, {int(n)} - 2 * b.c)",
                        "created_at": "now()",
                        "updated_at": "now()",
                    },
                    bsn_source,
                    params=[low, 30_000_000 + low * 2, 30_000_000 + high * 2 - 1, count],
                )
            log(f"  {low + done:,} clients")
        for low in range(2, n, step * 2):
            high = min(n, low + step * 2)
            with transaction.atomic():
                _copy_template(
                    cursor,
                    "trajectories_trajectory",
                    trajectories[0].pk,
                    {
                        "client_id": "c.id",
                        "start_date": "date '2024-11-01' + mod(g.i, 730)::int",
                        "actual_end_date": (
                            "CASE WHEN mod(g.i, 3) <> 0 "
                            "THEN date '2024-11-01' + mod(g.i, 730)::int + 182 END"
                        ),
                        "state": "CASE WHEN mod(g.i, 3) <> 0 THEN 'completed' ELSE 'running' END",
                        "order_date": "date '2024-11-01' + mod(g.i, 730)::int - 20",
                        "created_at": "now()",
                        "updated_at": "now()",
                    },
                    "generate_series(%s, %s) g(i) JOIN clients_client c ON c.organisation_id = "
                    "%s AND c.client_number = 'S' || lpad((g.i - mod(g.i, 2))::text, 8, '0')",
                    params=[low, high - 1, org_id],
                )
            log(f"  {high:,} trajectories")
        with transaction.atomic():
            placed = _copy_template(
                cursor,
                "trajectories_outcome",
                template_outcome.pk,
                {
                    "trajectory_id": "t.id",
                    "placement_start": "t.start_date + 90",
                    "lks": "(mod(t.i, 10) = 0)",
                    "recorded_at": "now()",
                },
                "(SELECT id, start_date, row_number() OVER (ORDER BY id) + 1 AS i "
                " FROM trajectories_trajectory WHERE organisation_id = %s AND id > %s) t",
                where="AND mod(t.i, 5) = 0",
                params=[org_id, trajectories[-1].pk],
            )
        log(f"  {placed + 1:,} placements")


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Linux: reset the process's peak resident set (VmHWM), so that the peak measured after
    the build is the build's own and not the generation's."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _rss_kb() -> int:
    """Peak resident set so far (VmHWM on Linux, else ru_maxrss)."""
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


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
    from django.db import connection

    from opstap.core.streaming import iterator_streams
    from opstap.organisations.models import Organisation
    from opstap.reporting import services
    from opstap.reporting.models import SrgDelivery
    from opstap.trajectories.models import Trajectory

    call_command("migrate", verbosity=0)
    if not Organisation.objects.filter(slug=ORG_SLUG).exists():
        print(f"Generating {args.trajectories:,} trajectories ...")
        t0 = time.perf_counter()
        if connection.vendor == "postgresql":
            _generate_pg(args.trajectories, print)
            with connection.cursor() as cursor:  # fresh statistics for the planner
                for table in ("clients_client", "trajectories_trajectory", "trajectories_outcome"):
                    cursor.execute(f"ANALYZE {table}")
        else:
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
    import gc

    gc.collect()
    peak_reset = _reset_peak_rss()
    rss_before = _status_kb("VmRSS") if peak_reset else _rss_kb()
    rss_before = rss_before or 0
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
        "rss_before_mb": round(rss_before / 1024, 1),
        "iterator_streams": iterator_streams(connection.alias),
        "load_average": [round(x, 2) for x in os.getloadavg()],
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
