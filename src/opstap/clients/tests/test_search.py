"""Name folding (`clients.search`): what a typed word and a stored name become before they are
compared, the same on SQLite (this Python function) and PostgreSQL (`unaccent`)."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from opstap.clients.search import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Öztürk", "ozturk"),
        ("ÖZTÜRK", "ozturk"),
        ("Çelik", "celik"),
        ("Ayşe", "ayse"),
        ("Noël", "noel"),
        ("François", "francois"),
        ("Wałęsa", "walesa"),  # ł does not decompose; unaccent makes it l, and so do we
        ("Ørsted", "orsted"),
        ("Straße", "strasse"),
        ("Y\u0131ld\u0131z", "yildiz"),  # the Turkish dotless i
        ("van den Berg", "van den berg"),
        ("", ""),
        (None, None),
    ],
)
def test_fold_table(text, folded) -> None:
    assert fold(text) == folded


@given(st.text())
def test_fold_is_idempotent(text) -> None:
    once = fold(text)
    assert fold(once) == once


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Öztürk", "ozturk"),
        ("Çelik", "CELIK"),
        ("Wałęsa", "Walesa"),
        ("Ørsted", "orsted"),
        ("Y\u0131ld\u0131z", "yildiz"),  # the Turkish dotless i
        ("Đorđević", "Dordevic"),
        ("Lætitia", "laetitia"),
        ("Œuvre", "oeuvre"),
    ],
)
def test_the_database_folds_as_python_does(stored, typed) -> None:
    """The database's `opstap_fold` (SQLite: registered per connection; PostgreSQL: migration
    clients 0014 over unaccent) gives the same result for the letters of the demo's names."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT opstap_fold(%s), opstap_fold(%s)", [stored, typed])
        assert cursor.fetchone() == (fold(stored), fold(typed))
