"""The two import-linter contract types of issue 13, checked by `lint-imports` in `make lint`.

Both run on import-linter's own import graph (grimp: every `import`, also inside functions)
and list no exceptions. Tests may import anything (architecture guide), so the graph they
check is production code only: test packages and the root conftest are left out by name
(`exclude_modules`), not by ignoring particular imports.

- `production_layers`: import-linter's `layers` contract on that graph.
- `public_face`: another app is reached only through its `services`, `selectors` and `models`
  (packages or modules); entry points at the top layer may also wire an app's `api` viewsets,
  `urls` and `demo_data`. The foundation (`opstap.core`) is a library under every app and has
  no public-face restriction.
"""

from __future__ import annotations

import copy
import fnmatch
from typing import Any

from importlinter import Contract, ContractCheck, fields, output
from importlinter.contracts.layers import LayersContract


def _strings(option: Any) -> list[str]:
    """A contract's list option as the list of strings it holds once parsed."""
    return [str(item) for item in option]


def _without(graph: Any, patterns: list[str]) -> Any:
    """A copy of the graph without the modules matching `patterns` (and their descendants)."""
    pruned = copy.deepcopy(graph)
    for module in sorted(pruned.modules):
        excluded = any(
            fnmatch.fnmatchcase(module, p) or fnmatch.fnmatchcase(module, p + ".*")
            for p in patterns
        )
        if excluded and module in pruned.modules:
            pruned.remove_module(module)
    return pruned


class ProductionLayersContract(LayersContract):
    """import-linter's layers contract, checked on production code only."""

    type_name = "production_layers"
    exclude_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        return super().check(_without(graph, _strings(self.exclude_modules)), verbose)


class PublicFaceContract(Contract):
    """Other apps import only an app's public face (architecture guide, issue 13).

    Options:
        - apps: the apps (packages) whose insides are protected.
        - public: submodule names every other app may import (`services`, `selectors`,
          `models`, with their descendants when they are packages).
        - entry_points: modules at the top (the apps of the top layer and the root URLconf)
          that may also import `wiring` submodules.
        - wiring: submodule names only the entry points may import (`api`, `urls`,
          `demo_data`).
        - exclude_modules: importers not checked (tests), as glob patterns.
    """

    type_name = "public_face"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    entry_points = fields.ListField(subfield=fields.StringField())
    wiring = fields.ListField(subfield=fields.StringField())
    exclude_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        apps = sorted(_strings(self.apps), key=len, reverse=True)
        public = set(_strings(self.public))
        wiring = set(_strings(self.wiring))
        entry_points = tuple(_strings(self.entry_points))
        pruned = _without(graph, _strings(self.exclude_modules))

        def app_of(module: str) -> str | None:
            return next((a for a in apps if module == a or module.startswith(a + ".")), None)

        illegal: list[dict[str, Any]] = []
        for importer in sorted(pruned.modules):
            importer_app = app_of(importer)
            for imported in sorted(pruned.find_modules_directly_imported_by(importer)):
                imported_app = app_of(imported)
                if imported_app is None or imported_app == importer_app:
                    continue
                rest = imported[len(imported_app) + 1 :].split(".")
                first = rest[0] if rest != [""] else ""
                if first in public:
                    continue
                if first in wiring and importer.startswith(entry_points):
                    continue
                details = pruned.get_import_details(importer=importer, imported=imported)
                illegal.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "lines": tuple(d["line_number"] for d in details),
                    }
                )
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for link in check.metadata["illegal"]:
            lines = ", ".join(map(str, link["lines"]))
            output.print_error(
                f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False
            )
        output.new_line()
        output.print_error(
            "Import another app only through its services, selectors or models; put what "
            "several apps need in opstap.core, or let the higher app register with the lower one.",
            bold=False,
        )
