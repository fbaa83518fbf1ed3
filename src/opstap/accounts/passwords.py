"""Password policy (R-SEC-3) beside Django's validators (length ≥ 12, common passwords,
numeric, similarity): a long password that is only a common word padded with digits or
symbols ('Welkom2026!!!', 'Wachtwoord123', 'Password1234') is as weak as the word itself."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from opstap.core.actor import Actor

#: Words Dutch users (and attackers' Dutch lists) pick first.
DUTCH_COMMON = frozenset(
    {
        "welkom", "wachtwoord", "geheim", "opstap", "gemeente", "sociaaldomein", "sociale",
        "dienst", "werkplein", "uitkering", "participatie", "voorjaar", "zomer", "najaar",
        "herfst", "winter", "lente", "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december", "maandag",
        "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "nederland",
        "holland", "amsterdam", "rotterdam", "utrecht", "ajax", "feyenoord", "psv",
        "qwerty", "azerty", "asdfgh", "abcdef", "abcdefgh", "iloveyou", "letmein",
    }
)  # fmt: skip


class CommonWordPasswordValidator:
    """Refuse a password whose letters, without digits, symbols and repetitions, are a
    common word (Django's list of 20,000 or the Dutch list above)."""

    def __init__(self) -> None:
        self._common = CommonPasswordValidator().passwords

    def _core(self, password: str) -> str:
        letters = re.sub(r"[^a-z]", "", password.lower())
        for size in range(1, len(letters) // 2 + 1):  # 'welkomwelkom' -> 'welkom'
            if len(letters) % size == 0 and letters[:size] * (len(letters) // size) == letters:
                return letters[:size]
        return letters

    def validate(self, password: str, user: Actor | None = None) -> None:
        core = self._core(password)
        if len(core) < 4 or core in DUTCH_COMMON or core in self._common:
            raise ValidationError(
                "Dit wachtwoord is een veelgebruikt woord met cijfers of tekens; kies een "
                "langere zin of een combinatie van losse woorden.",
                code="password_common_word",
            )

    def get_help_text(self) -> str:
        return "Uw wachtwoord mag geen veelgebruikt woord met alleen cijfers of tekens zijn."
