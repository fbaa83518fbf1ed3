"""Searching names as people type them: without accents and case ("ozturk" finds Öztürk,
"ELIF" finds Elif, "zeynep" finds Zeynep).

The database folds with one function, `opstap_fold(text)`, on both engines:

- PostgreSQL: a SQL function over the `unaccent` extension, declared IMMUTABLE so that an
  expression index (a trigram index on the folded name, `clients` migration 0014) serves
  `opstap_fold(name) LIKE '%word%'`. Created by that migration.
- SQLite (the demo and the test suite): `fold` below, registered on every new connection.

The typed word is folded by `fold` in Python, which gives what `unaccent` gives for the
letters of names (a test compares the two on both engines)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Func, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains

FOLD_FUNCTION = "opstap_fold"

#: Letters of their own that Unicode does not decompose into a base letter and an accent, but
#: that PostgreSQL's `unaccent` and a person typing on a Dutch keyboard write as plain
#: letters ("Walesa" for Wałęsa, "Orsted" for Ørsted).
_PLAIN_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "\u0131": "i",  # the Turkish dotless i
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)


def fold(text: str | None) -> str | None:
    """`text` without diacritics, in lower case: 'Öztürk' → 'ozturk', 'Straße' → 'strasse'.
    NULL stays NULL (SQL semantics)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class Folded(Func):
    """`opstap_fold(expression)`: the expression's text without accents, in lower case."""

    function = FOLD_FUNCTION
    output_field = CharField()


def folded_words(*fields: str) -> Folded:
    """The folded text of `fields` joined by spaces: a typed word (which holds no space)
    never matches across two fields."""
    parts: list[Any] = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(name)
    return Folded(Concat(*parts, output_field=CharField()))


def holds_word(haystack: Folded, word: str) -> Contains:
    """`haystack` (a `Folded`) holds `word`, folded by `fold`, anywhere.

    The word is folded here, not by the database: a constant pattern lets PostgreSQL's planner
    estimate it from the trigram index's statistics and use that index; a pattern computed in
    SQL (unaccent is only STABLE) is planned as a default guess and scanned row by row."""
    return Contains(haystack, fold(word) or "")


def register_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection `opstap_fold` (the `connection_created` signal)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)
