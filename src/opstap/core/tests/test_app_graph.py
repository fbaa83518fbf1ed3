"""No two apps import each other (issue 13: "a test fails if any app pair imports each other").

The graph is grimp's (the one import-linter checks in `make lint`): every `import`, at module
level and inside functions, of production modules only — test packages and conftest modules are
left out, because tests may import anything (architecture guide). An app is a direct
subpackage of `opstap` (`opstap.clients`, `opstap.core`, ...).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path

import grimp
import pytest


def _is_test_module(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] == "conftest"


def _app_of(module: str, apps: set[str]) -> str | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    app = ".".join(parts[:2])
    return app if app in apps else None


def app_imports(
    graph: grimp.ImportGraph, root: str = "opstap"
) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """For each (importing app, imported app), the module pairs behind that edge."""
    apps = {m for m in graph.find_children(root) if graph.find_children(m)}
    edges: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for importer in graph.modules:
        if _is_test_module(importer):
            continue
        importer_app = _app_of(importer, apps)
        if importer_app is None:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            if _is_test_module(imported):
                continue
            imported_app = _app_of(imported, apps)
            if imported_app is None or imported_app == importer_app:
                continue
            edges[(importer_app, imported_app)].add((importer, imported))
    return edges


def mutual_pairs(edges: dict[tuple[str, str], set[tuple[str, str]]]) -> list[str]:
    """A readable line per pair of apps that import each other, naming the modules."""
    apps = sorted({a for pair in edges for a in pair})
    found = []
    for a, b in combinations(apps, 2):
        if (a, b) in edges and (b, a) in edges:
            there = ", ".join(f"{x} -> {y}" for x, y in sorted(edges[(a, b)]))
            back = ", ".join(f"{x} -> {y}" for x, y in sorted(edges[(b, a)]))
            found.append(f"{a} <-> {b}: {there} | {back}")
    return found


def test_no_two_apps_import_each_other() -> None:
    graph = grimp.build_graph("opstap", include_external_packages=False, cache_dir=None)
    edges = app_imports(graph)
    assert edges, "the graph holds no cross-app imports at all: it was not built from the code"
    cycles = mutual_pairs(edges)
    assert not cycles, "apps that import each other:\n" + "\n".join(cycles)


def test_the_check_names_the_modules_of_a_mutual_pair() -> None:
    """The check itself can fail, and its message names both directions' modules."""
    graph = grimp.ImportGraph()
    for module in (
        "opstap",
        "opstap.clients",
        "opstap.clients.access",
        "opstap.clients.tests",
        "opstap.clients.tests.test_x",
        "opstap.providers",
        "opstap.providers.services",
    ):
        graph.add_module(module)
    graph.add_import(importer="opstap.providers.services", imported="opstap.clients.access")
    # Test modules do not count: this edge alone makes no cycle.
    graph.add_import(importer="opstap.clients.tests.test_x", imported="opstap.providers.services")
    assert mutual_pairs(app_imports(graph)) == []
    graph.add_import(importer="opstap.clients.access", imported="opstap.providers.services")
    assert mutual_pairs(app_imports(graph)) == [
        "opstap.clients <-> opstap.providers: "
        "opstap.clients.access -> opstap.providers.services | "
        "opstap.providers.services -> opstap.clients.access"
    ]


def test_an_import_inside_a_function_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lower app reaching up from inside a function is a cycle too (issue 13's access.py)."""
    root = tmp_path / "cyclepkg"
    for package in ("", "low", "high", "low/tests"):
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").write_text("")
    (root / "high" / "services.py").write_text("from cyclepkg.low import access\n")
    (root / "low" / "access.py").write_text(
        "def scope():\n    from cyclepkg.high import services\n    return services\n"
    )
    (root / "low" / "tests" / "test_low.py").write_text("import cyclepkg.high.services\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclepkg", include_external_packages=False, cache_dir=None)
    assert mutual_pairs(app_imports(graph, root="cyclepkg")) == [
        "cyclepkg.high <-> cyclepkg.low: cyclepkg.high.services -> cyclepkg.low.access | "
        "cyclepkg.low.access -> cyclepkg.high.services"
    ]
