"""Framework-contract terms (R-NET-3), as pure date arithmetic.

A LEON framework contract runs 1 + 1 + 1 + 1 years: a first term of one year, then at most
three one-year extensions (maximum 4 years). An extension needs the consent of both parties
no later than 2 months before the current term ends.

Semantics:
- a term of one year that starts on S ends on the day before S + 1 year (2020-01-01 starts,
  2020-12-31 ends; a term starting 29 February ends on 27 February of the next year, because
  `relativedelta` clamps 29 Feb + 1 year to 28 Feb);
- the extension decision is due on the term's end date minus 2 months (relativedelta, so
  2020-12-31 → 2020-10-31; 2021-04-30 → 2021-02-28);
- the contract manager sees a contract on the start page from `notice_days` before that due
  date until the term ends (overdue decisions stay listed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from opstap.core.errors import InvalidInputError

MAX_TERMS = 4  # 1 + 1 + 1 + 1
EXTENSION_NOTICE_MONTHS = 2


class ContractRuleError(InvalidInputError, ValueError):
    """A contract request that the rules refuse; the message is Dutch, for the user."""


@dataclass(frozen=True)
class Term:
    number: int  # 1..MAX_TERMS
    start: dt.date
    end: dt.date  # inclusive


def term(start: dt.date, number: int) -> Term:
    """Term `number` (1-based) of a contract starting on `start`."""
    if not 1 <= number <= MAX_TERMS:
        raise ContractRuleError(f"Een contract kent termijnen 1 tot en met {MAX_TERMS}.")
    term_start = start + relativedelta(years=number - 1)
    term_end = start + relativedelta(years=number) - dt.timedelta(days=1)
    return Term(number=number, start=term_start, end=term_end)


def contract_end(start: dt.date, terms_granted: int) -> dt.date:
    """Last day of the contract after `terms_granted` terms (first term included)."""
    return term(start, terms_granted).end


def extension_decision_due(term_end: dt.date) -> dt.date:
    """Latest date on which both parties must have agreed to extend (R-NET-3)."""
    return term_end - relativedelta(months=EXTENSION_NOTICE_MONTHS)


def can_extend(terms_granted: int) -> bool:
    return terms_granted < MAX_TERMS


def check_extension(
    *,
    start: dt.date,
    terms_granted: int,
    on: dt.date,
    provider_consent: bool,
    organisation_consent: bool,
) -> Term:
    """Validate an extension decided on `on`; returns the new term. Raises ContractRuleError."""
    if not can_extend(terms_granted):
        raise ContractRuleError(
            f"Dit contract heeft al {MAX_TERMS} termijnen (1+1+1+1 jaar): verlengen kan niet meer."
        )
    if not (provider_consent and organisation_consent):
        raise ContractRuleError(
            "Verlengen kan alleen met instemming van beide partijen (aanbieder en organisatie).",
            field="provider_consent" if not provider_consent else "organisation_consent",
        )
    current = term(start, terms_granted)
    if on > current.end:
        raise ContractRuleError(
            f"De huidige termijn is op {current.end:%d-%m-%Y} geëindigd; een beëindigd "
            "contract kan niet meer worden verlengd.",
            field="decided_on",
        )
    due = extension_decision_due(current.end)
    if on > due:
        raise ContractRuleError(
            f"Verlengen moest uiterlijk op {due:%d-%m-%Y} (2 maanden voor het einde van de "
            f"termijn op {current.end:%d-%m-%Y}) worden besloten.",
            field="decided_on",
        )
    return term(start, terms_granted + 1)


def extension_is_due(*, start: dt.date, terms_granted: int, on: dt.date, notice_days: int) -> bool:
    """Whether the contract belongs on the 'extension decision due' list on `on`."""
    if not can_extend(terms_granted):
        return False
    current = term(start, terms_granted)
    due = extension_decision_due(current.end)
    return due - dt.timedelta(days=notice_days) <= on <= current.end
