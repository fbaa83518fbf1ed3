"""One wording for a text longer than its field allows (walk finding: "… is te lang" stood in
8 places with 3 wordings, and matching's did not say the limit): `core.dutch.too_long`,
"<Veld> is te lang: hoogstens N tekens.", is the only place production code writes it
(R-SEC-6: a refusal names its field and says what fits)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opstap.core.dutch import too_long
from opstap.matching.services._common import MatchingError, _skill_list, _text
from opstap.providers.rules.bank_accounts import BankAccountRuleError, check_account

SRC = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("label", "limit", "message"),
    [
        ("de naam", 200, "De naam is te lang: hoogstens 200 tekens."),
        ("Werkgever", 200, "Werkgever is te lang: hoogstens 200 tekens."),
        ("het plan", 20000, "Het plan is te lang: hoogstens 20.000 tekens."),
        (" het factuurnummer ", 60, "Het factuurnummer is te lang: hoogstens 60 tekens."),
    ],
)
def test_the_one_wording(label: str, limit: int, message: str) -> None:
    assert too_long(label, limit) == message


def test_no_production_module_writes_its_own_wording() -> None:
    """Every "te lang" message in production code comes from the helper."""
    own = []
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "dutch.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bte lang\b", line) and not line.lstrip().startswith("#"):
                own.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert own == []


def test_matching_names_the_limit() -> None:
    """Matching said "De naam is te lang." without saying how long it may be."""
    with pytest.raises(MatchingError) as refused:
        _text("x" * 201, field="name", label="de naam", max_length=200)
    assert str(refused.value) == "De naam is te lang: hoogstens 200 tekens."
    with pytest.raises(MatchingError) as refused:
        _skill_list("x" * 61, "skills")
    assert str(refused.value) == "Een vaardigheid is te lang: hoogstens 60 tekens."


def test_the_bank_account_holder_in_the_same_words() -> None:
    with pytest.raises(BankAccountRuleError) as refused:
        check_account(iban="NL91ABNA0417164300", holder="A" * 71)
    assert str(refused.value) == "De naam van de rekeninghouder is te lang: hoogstens 70 tekens."
