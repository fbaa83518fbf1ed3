"""Every template of the project compiles, so a filter that does not exist fails here and not
on the page a test happens not to open. It holds the money rule in particular: there is no
plain `euro` filter, as every template is HTML and `€ 1.500,00` with a plain space wrapped
into "€" and the number at 320 px (WCAG 1.4.10 reflow) on the invoice, provider, client,
portal and trajectory pages; amounts on a page are written with `euro_html`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines

import opstap

SRC = Path(opstap.__file__).resolve().parent
#: `|euro` not followed by `_html`: the plain filter that broke the amount.
PLAIN_EURO = re.compile(r"\|\s*euro(?!_html)\b")


def _project_templates() -> list[tuple[Path, str]]:
    """(file, name the engine loads it by) for every template under the project's template
    directories (the apps' `templates/` and the shared one)."""
    found: list[tuple[Path, str]] = []
    for directory in engines["django"].template_dirs:  # type: ignore[attr-defined]
        root = Path(directory).resolve()
        if not root.is_dir() or SRC not in root.parents:
            continue  # Django's own (admin, forms) are not ours to check
        found.extend(
            (path, path.relative_to(root).as_posix())
            for path in sorted(root.rglob("*"))
            if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"}
        )
    return found


def test_the_walk_finds_the_templates_that_showed_money() -> None:
    names = {name for _, name in _project_templates()}
    assert {"invoices/detail.html", "portal/travel.html", "clients/dossier.html"} <= names
    assert len(names) > 100


def test_no_template_writes_money_with_a_breaking_space() -> None:
    """WCAG 1.4.10: an amount on a page stays on one line; `euro_html`, never `euro`."""
    offenders = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path, _ in _project_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PLAIN_EURO.search(line)
    ]
    assert offenders == [], "Schrijf bedragen met |euro_html:\n" + "\n".join(offenders)


def test_the_plain_euro_filter_does_not_exist() -> None:
    """A template that writes `|euro` anyway (another spelling the check above misses) does
    not compile, instead of printing a breaking space."""
    with pytest.raises(TemplateSyntaxError, match="euro"):
        engines["django"].from_string("{% load opstap %}{{ amount|euro }}")


def test_every_project_template_compiles() -> None:
    engine = engines["django"]
    broken = []
    for path, name in _project_templates():
        try:
            engine.get_template(name)
        except TemplateSyntaxError as exc:
            broken.append(f"{path.relative_to(SRC)}: {exc}")
    assert broken == [], "\n".join(broken)
