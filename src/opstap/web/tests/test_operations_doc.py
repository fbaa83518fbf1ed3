"""docs/operations.md lists every environment variable the settings read (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
READ = re.compile(r'env(?:_bool|_list)?\(\s*"([A-Z][A-Z0-9_]+)"')


def test_every_variable_the_settings_read_is_documented() -> None:
    source = "".join(p.read_text() for p in (ROOT / "src/opstap/conf").glob("*.py"))
    read = set(READ.findall(source))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read  # the pattern finds them
    # In the table's first column, not merely named somewhere in the text: OPSTAP_BASE_URL was
    # only mentioned in a sentence, so nobody deploying read that production needs it.
    table = [
        line.split("|")[1]
        for line in (ROOT / "docs/operations.md").read_text().splitlines()
        if line.startswith("| `")
    ]
    documented = {name for cell in table for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}
    assert sorted(read - documented) == []


def test_production_refuses_missing_configuration_naming_the_variable() -> None:
    """Start-up with the production settings and no REDIS_URL fails with a Dutch message that
    names the variable."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opstap.conf.production",
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/opstap_unused",
        "ALLOWED_HOSTS": "example.org",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
        "OPSTAP_BASE_URL": "https://example.org",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "REDIS_URL: ontbreekt" in done.stderr
    assert "weigert te starten" in done.stderr
