"""Benchmark runner: `make bench [SCALE=demo|city|national] [DATABASE_URL=...]`.

For each operation it reports median and p95 server time (in-process, through Django's test
client, so network and browser are excluded) and the ratio to a *floor* measured in the same
run on the same machine: a bare Django view for pages and API calls, and the equivalent
hand-written SQL for queries. Ratios stay comparable across machines; seconds do not. A second
ratio, `x req`, divides by the floor plus a bare signed-in request measured at the start of the
run (a view that does nothing, through the full middleware stack): what the page adds beyond
its SQL and the cost every request has. A third, `x page`, for the operations that answer
with an HTML page, divides by the floor plus an empty page with the layout (head, the role's
navigation, footer; no content) through the same stack: what the page's own content adds.

The data set is generated once per database with `demo_load --scale SCALE` and reused.
Results are printed as a table and written to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
os.environ.setdefault("OPSTAP_BENCH", "1")


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered), "p95_ms": p95}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="demo", choices=["demo", "city", "national"])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--only",
        default="",
        help="run only operations whose name contains this (ignoring case: 'kpi' matches the "
        "KPI dashboard, detail and GET /api/v1/kpis)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from bench.operations import OPERATIONS, BenchContext, bare_page_floor, bare_view_floor
    from opstap.demo.generator import demo_exists

    call_command("migrate", "--noinput", verbosity=0)
    if not demo_exists():
        print(f"Generating the {args.scale} data set (once per database)…", flush=True)
        call_command("demo_load", "--scale", args.scale, "--force")
        from django.db import connection

        if connection.vendor == "postgresql":
            # Fresh tables have no statistics until autovacuum comes by: without them the
            # planner picks nested loops that make the first run's figures meaningless.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    ctx = BenchContext.create()
    # What any signed-in request costs here (a view that does nothing, through the full
    # middleware stack): the second floor, "x req": the page against its SQL plus this.
    bare = summarise(measure(lambda: bare_view_floor(ctx), repeat=max(args.repeat, 10)))
    # What any HTML page costs before its own content (the layout with the role's navigation):
    # the third floor, "x page", for the operations that answer with a page.
    page = summarise(measure(lambda: bare_page_floor(ctx), repeat=max(args.repeat, 10)))

    rows = []
    skipped: list[tuple[str, str]] = []
    for op in OPERATIONS:
        if args.only and args.only.casefold() not in op.name.casefold():
            continue
        reason = op.unavailable(ctx) if op.unavailable else ""
        if reason:
            skipped.append((op.name, reason))
            continue
        floor = summarise(measure(lambda op=op: op.floor(ctx), repeat=args.repeat))
        real = summarise(measure(lambda op=op: op.run(ctx), repeat=args.repeat))
        answer: Any = op.run(ctx)
        is_page = hasattr(answer, "get") and str(answer.get("Content-Type", "")).startswith(
            "text/html"
        )
        row = {
            "operation": op.name,
            "median_ms": round(real["median_ms"], 2),
            "p95_ms": round(real["p95_ms"], 2),
            "floor_median_ms": round(floor["median_ms"], 2),
            "ratio_median": round(real["median_ms"] / max(floor["median_ms"], 1e-6), 2),
            "ratio_p95": round(real["p95_ms"] / max(floor["p95_ms"], 1e-6), 2),
            "ratio_request": round(real["median_ms"] / (floor["median_ms"] + bare["median_ms"]), 2),
            "ratio_page": (
                round(real["median_ms"] / (floor["median_ms"] + page["median_ms"]), 2)
                if is_page
                else None
            ),
            "floor": op.floor_description,
        }
        rows.append(row)

    from django.db import connection

    print(
        f"\nOpstap benchmarks — scale {args.scale}, database {connection.vendor}, "
        f"{args.repeat} runs each; a bare signed-in request: {bare['median_ms']:.2f} ms "
        "(x req = median / (floor + bare request)); an empty page with the layout: "
        f"{page['median_ms']:.2f} ms (x page = median / (floor + empty page), HTML only)\n"
    )
    header = (
        f"{'operation':<56} {'median ms':>10} {'p95 ms':>9} {'floor ms':>9} "
        f"{'x floor':>8} {'x p95':>7} {'x req':>6} {'x page':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['operation']:<56} {r['median_ms']:>10.2f} {r['p95_ms']:>9.2f} "
            f"{r['floor_median_ms']:>9.2f} {r['ratio_median']:>8.2f} {r['ratio_p95']:>7.2f} "
            f"{r['ratio_request']:>6.2f} "
            + (f"{r['ratio_page']:>7.2f}" if r["ratio_page"] is not None else f"{'—':>7}")
        )
    for name, reason in skipped:
        print(f"{name:<56} skipped: {reason}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {
                "scale": args.scale,
                "database": connection.vendor,
                "bare_request_median_ms": round(bare["median_ms"], 2),
                "empty_page_median_ms": round(page["median_ms"], 2),
                "rows": rows,
                "skipped": [{"operation": n, "reason": r} for n, r in skipped],
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
