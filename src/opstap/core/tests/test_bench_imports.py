"""The benchmarks in `bench/` import the code they measure by name. A restructuring that
moves a module (issue 13 moved the counts caches) must not leave them broken until the
next national run: every `from opstap… import name` in bench/ must resolve."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

BENCH = Path(__file__).resolve().parents[4] / "bench"


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("opstap"):
                found.extend((path.name, node.module or "", a.name) for a in node.names)
    return found


def test_every_bench_import_resolves() -> None:
    imports = _imports()
    assert len(imports) > 20  # the bench is found and read
    broken = []
    for filename, module_name, name in imports:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            broken.append(f"{filename}: {module_name} ({exc})")
            continue
        if not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ImportError:
                broken.append(f"{filename}: {module_name}.{name}")
    assert not broken, broken
