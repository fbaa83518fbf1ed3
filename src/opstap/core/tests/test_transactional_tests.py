"""A transactional test (the `django_db` mark with `transaction=True`) ends by emptying every
table, the reference data that migrations seed included (product codes, aim tiles, ladder
mappings).
Without `serialized_rollback=True` the next transactional test in the same worker starts on an
empty catalogue: `invoices ... test_recheck_internal_runs_in_its_own_transaction` failed with
"Onbekende productcode 3" whenever `trajectories ... test_equated_days` ran before it in the
same worker, so the suite's result depended on how xdist happened to split it."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
MARK = re.compile(r"django_db\(([^)]*)\)", re.S)


def test_every_transactional_test_restores_the_seeded_data() -> None:
    offenders = []
    for path in sorted(SRC.rglob("test_*.py")):
        for match in MARK.finditer(path.read_text(encoding="utf-8")):
            args = match.group(1)
            if "transaction=True" in args and "serialized_rollback=True" not in args:
                line = path.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
                offenders.append(f"{path.relative_to(SRC)}:{line}")
    assert offenders == [], "add serialized_rollback=True: " + ", ".join(offenders)
