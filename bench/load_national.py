"""Load only what the clients benchmarks need: `python bench/load_national.py [--scale S]`.

`bench/run.py` loads the full demo (every app's `demo_data.build` in `DEMO_STEPS` order) once
per database. At `national` scale the trajectory and invoice steps add millions of rows and
take long; for measuring the clients operations (issue 4) the organisation, accounts,
providers and 500,000 clients suffice. This script runs the same generator with the step list
narrowed to providers + clients for this process only (generator.py is not changed), then
ANALYZEs the tables so the planner has statistics. `--with-trajectories` adds the
trajectories step (issue 6); each step's wall time is printed. Afterwards `bench/run.py`
sees the demo organisation exists and reuses it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opstap_bench \\
        .venv/bin/python bench/load_national.py --scale national
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
os.environ.setdefault("OPSTAP_BENCH", "1")

STEPS = ["opstap.providers", "opstap.clients"]
TRAJECTORY_STEP = "opstap.trajectories"


def _timed(step: str, build: object, timings: dict[str, float]) -> object:
    """Wrap a step's `build(ctx)` so its wall time is recorded (this process only)."""

    def run(ctx: object) -> None:
        start = time.monotonic()
        build(ctx)  # type: ignore[operator]
        timings[step] = time.monotonic() - start
        print(f"  stap {step}: {timings[step]:.1f} s", flush=True)

    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="national", choices=["demo", "city", "national"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--with-trajectories",
        action="store_true",
        help="also run the trajectories step (issue 6: ≈2,000,000 trajectories at national)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from opstap.demo import generator

    call_command("migrate", "--noinput", verbosity=0)
    if generator.demo_exists():
        print("Demo-organisatie bestaat al; er wordt niets geladen.")
        return 0
    steps = [*STEPS, TRAJECTORY_STEP] if args.with_trajectories else list(STEPS)
    generator.DEMO_STEPS = steps  # this process only
    timings: dict[str, float] = {}
    for step in steps:
        module = importlib.import_module(f"{step}.demo_data")
        module.build = _timed(step, module.build, timings)  # type: ignore[attr-defined]
    start = time.monotonic()
    generator.build(scale=args.scale, seed=args.seed)
    if connection.vendor == "postgresql":
        vacuum_start = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE: {time.monotonic() - vacuum_start:.1f} s", flush=True)
    print(f"Geladen (schaal {args.scale}, stappen {', '.join(steps)}) in ", end="")
    print(f"{time.monotonic() - start:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
