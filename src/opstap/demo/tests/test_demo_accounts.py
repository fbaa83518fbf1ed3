"""`manage.py demo_accounts` prints the accounts in straight columns."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from opstap.core.roles import ROLE_NAMES_NL
from opstap.demo.generator import DEMO_PASSWORD, DEMO_USERS


def test_the_accounts_stand_in_columns_with_every_role() -> None:
    out = StringIO()
    call_command("demo_accounts", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text and "http://127.0.0.1:8123" in text
    rows = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(rows) == len(DEMO_USERS) + 1  # a heading and an account a line
    name_column = {
        row.index(f"{first} {last}")
        for row, (_u, first, last, _r) in zip(rows[1:], DEMO_USERS, strict=True)
    }
    assert len(name_column) == 1, "the names do not start in one column"
    role_column = {
        row.rindex(" + ".join(ROLE_NAMES_NL[r] for r in roles))
        for row, (_u, _f, _l, roles) in zip(rows[1:], DEMO_USERS, strict=True)
    }
    assert len(role_column) == 1, "the roles do not start in one column"
    assert "Klantmanager / regisseur + Beleidsmedewerker / management" in text
