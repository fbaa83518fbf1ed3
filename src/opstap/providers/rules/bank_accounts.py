"""Providers' bank accounts (SEPA credit transfer, issue 16 item 3), as pure rules.

- An IBAN is checked by `schwifty` (country format, length, the mod-97 check digits and, for
  the countries schwifty knows, the bank code); it is kept in its compact, upper-case form.
  A SEPA credit transfer goes to a SEPA country only.
- The BIC is optional for a transfer inside SEPA (EPC rulebook: "IBAN only"); when given it
  must be a valid BIC, otherwise schwifty derives it from a Dutch (and most SEPA) IBAN.
- The account holder's name is required: the bank shows it to the payee and checks it
  (in the Netherlands the "IBAN-Naam Check").
- Four eyes: a change is proposed by one person and confirmed by another person with the
  same right; the proposer can never confirm their own change.
"""

from __future__ import annotations

from dataclasses import dataclass

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from opstap.core.dutch import too_long
from opstap.core.errors import InvalidInputError

__all__ = [
    "BankAccountRuleError",
    "CheckedAccount",
    "check_account",
    "second_person_refusal",
]

HOLDER_MAX = 70  # pain.001 Cdtr/Nm is Max70Text


class BankAccountRuleError(InvalidInputError, ValueError):
    """A bank account the rules refuse; the message is Dutch, for the user."""


@dataclass(frozen=True)
class CheckedAccount:
    iban: str  # compact, e.g. NL91ABNA0417164300
    bic: str  # may be "" when neither given nor derivable
    holder: str

    @property
    def iban_formatted(self) -> str:
        """Groups of four, as printed on a bank card: NL91 ABNA 0417 1643 00."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


def check_account(*, iban: str, holder: str, bic: str = "") -> CheckedAccount:
    """Validate and normalise one account; raises BankAccountRuleError with a Dutch message
    naming the field."""
    raw = (iban or "").strip()
    if not raw:
        raise BankAccountRuleError("Vul het IBAN in.", field="iban")
    try:
        parsed = IBAN(raw)
    except SchwiftyException as exc:
        raise BankAccountRuleError(
            "Het IBAN is ongeldig: controleer de landcode, de lengte en de controlecijfers.",
            field="iban",
        ) from exc
    if not parsed.in_sepa_zone:
        raise BankAccountRuleError(
            "Dit IBAN hoort bij een land buiten SEPA; een SEPA-overboeking is niet mogelijk.",
            field="iban",
        )
    name = " ".join((holder or "").split())
    if not any(ch.isalpha() for ch in name):
        raise BankAccountRuleError("Vul de naam van de rekeninghouder in.", field="holder")
    if len(name) > HOLDER_MAX:
        raise BankAccountRuleError(
            too_long("de naam van de rekeninghouder", HOLDER_MAX),
            field="holder",
        )
    bic_value = (bic or "").strip().upper().replace(" ", "")
    if bic_value:
        try:
            bic_value = str(BIC(bic_value))
        except SchwiftyException as exc:
            raise BankAccountRuleError(
                "De BIC is ongeldig: 8 of 11 tekens, bijv. RABONL2U.", field="bic"
            ) from exc
    else:
        derived = _derived_bic(parsed)
        bic_value = str(derived) if derived is not None else ""
    return CheckedAccount(iban=str(parsed.compact), bic=bic_value, holder=name)


def _derived_bic(parsed: IBAN) -> BIC | None:
    try:
        return parsed.bic
    except SchwiftyException:  # pragma: no cover - registry without this bank
        return None


def second_person_refusal(*, proposed_by_id: int, confirmer_id: int) -> str | None:
    """The four-eyes rule: why `confirmer_id` may not confirm, or None when they may."""
    if proposed_by_id == confirmer_id:
        return (
            "U heeft deze wijziging zelf voorgesteld; een tweede medewerker moet haar "
            "bevestigen (vier-ogenprincipe)."
        )
    return None
