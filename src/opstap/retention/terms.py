"""Retention terms and when a dossier is due (R-SEC-4). Pure: no ORM.

A client's dossier is **closed** when no trajectory of the client is open and the benefit
has ended (or there is none). It closed on the later of the benefit's end and the last day on
any trajectory (its end, final report or handover); a dossier with neither closed on its
last ladder change (or, failing that, its registration). A kind of record is **due** on the
closing day plus its term in whole years; a legal hold stops everything for that client.

The default terms follow the Selectielijst gemeenten en intergemeentelijke organen 2020
(VNG, process types of the GEMMA list); docs/retention.md cites the result types. They are
reference data: an organisation changes them per kind on the retention page, as its
archivist decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Kinds of record with their own term. The first three are the registered anonymisers'
    kinds (`opstap.core.retention.RecordKind`); the audit trail has its own term."""

    DOSSIER = "dossier"
    DOCUMENTS = "documents"
    FINANCIAL = "financial"
    AUDIT_TRAIL = "audit_trail"
    ACCESS_REQUESTS = "access_requests"


#: The kinds whose term runs from the closing of a client's dossier.
CLIENT_KINDS: frozenset[Kind] = frozenset({Kind.DOSSIER, Kind.DOCUMENTS, Kind.FINANCIAL})


class Action(StrEnum):
    ANONYMISE = "anonymise"
    DELETE = "delete"


KIND_LABELS_NL: dict[Kind, str] = {
    Kind.DOSSIER: "Klantdossier (identiteit, contactgegevens, vrije teksten)",
    Kind.DOCUMENTS: "Documenten (plannen, rapportages, uploads, contracten)",
    Kind.FINANCIAL: "Financiële gegevens (facturen, creditnota's, declaraties)",
    Kind.AUDIT_TRAIL: "Audittrail (wie zag en wijzigde wat)",
    Kind.ACCESS_REQUESTS: "Inzageverzoeken zonder dossier (naam en adres van de verzoeker)",
}

ACTION_LABELS_NL: dict[Action, str] = {
    Action.ANONYMISE: "anonimiseren",
    Action.DELETE: "verwijderen",
}


@dataclass(frozen=True)
class Term:
    kind: Kind
    years: int
    action: Action
    source: str


#: Defaults, grounded in the Selectielijst gemeenten en intergemeentelijke organen 2020.
DEFAULT_TERMS: dict[Kind, Term] = {
    Kind.DOSSIER: Term(
        Kind.DOSSIER,
        10,
        Action.ANONYMISE,
        "Selectielijst 2020, procestype 8 'Voorzieningen verstrekken', resultaat 8.1 "
        "'Verstrekt' (uitkering of inkomensvoorziening) en 8.3 'Beëindigd': vernietigen "
        "10 jaar na afloop van de voorziening.",
    ),
    Kind.DOCUMENTS: Term(
        Kind.DOCUMENTS,
        10,
        Action.DELETE,
        "Selectielijst 2020, procestype 8 'Voorzieningen verstrekken', resultaat 8.1/8.3: "
        "de stukken van de voorziening volgen het dossier (10 jaar).",
    ),
    Kind.FINANCIAL: Term(
        Kind.FINANCIAL,
        7,
        Action.ANONYMISE,
        "Selectielijst 2020, procestype 18 'Betalen en innen', resultaat 18.1 'Betaald': "
        "vernietigen 7 jaar (fiscale bewaarplicht, art. 52 AWR).",
    ),
    Kind.AUDIT_TRAIL: Term(
        Kind.AUDIT_TRAIL,
        10,
        Action.DELETE,
        "Selectielijst 2020, procestype 4 'Evaluatie uitvoeren', resultaat 4.1 'Uitgevoerd' "
        "(interne audit, controle): vernietigen 10 jaar; gelijk aan het dossier waarover de "
        "audittrail verantwoording aflegt.",
    ),
    Kind.ACCESS_REQUESTS: Term(
        Kind.ACCESS_REQUESTS,
        1,
        Action.ANONYMISE,
        "Selectielijst 2020 kent voor een inzageverzoek (AVG art. 15) van iemand zonder "
        "dossier geen eigen resultaattype; vastgesteld op: na het antwoord 'geen gegevens' "
        "zijn naam en adres alleen nodig zolang bezwaar, beroep of een klacht bij de "
        "Autoriteit Persoonsgegevens kan lopen (bezwaartermijn 6 weken, art. 34 UAVG met art. "
        "6:7 Awb); daarna anonimiseren, het verzoek zelf blijft als verantwoording.",
    ),
}

MIN_YEARS = 1
MAX_YEARS = 30


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` plus whole years; 29 February becomes 28 February in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def closed_on(
    *,
    has_open_trajectory: bool,
    benefit_type: str,
    benefit_end_date: dt.date | None,
    activity_days: Iterable[dt.date | None],
    fallback_days: Iterable[dt.date | None] = (),
) -> dt.date | None:
    """The day the dossier closed, or None while it is open (or its end is unknown).
    `activity_days` are the facts of the dossier (the last day on a trajectory);
    `fallback_days` (the last ladder change, the registration) count only when the dossier
    has neither a benefit end nor any trajectory day."""
    if has_open_trajectory:
        return None
    if benefit_type != "none" and benefit_end_date is None:
        return None
    days = [d for d in (benefit_end_date, *activity_days) if d is not None]
    if not days:
        days = [d for d in fallback_days if d is not None]
    return max(days) if days else None


def due_on(closed: dt.date, years: int) -> dt.date:
    return add_years(closed, years)


def due_kinds(
    *,
    closed: dt.date | None,
    terms: Iterable[Term],
    today: dt.date,
    held: bool,
    done: Iterable[str] = (),
) -> list[Term]:
    """The client-bound kinds whose term has passed on `today` and that are not yet done.
    Nothing while a legal hold stands or the dossier is open."""
    if held or closed is None:
        return []
    finished = set(done)
    return [
        term
        for term in terms
        if term.kind in CLIENT_KINDS
        and term.kind.value not in finished
        and due_on(closed, term.years) <= today
    ]


def validate_years(years: int) -> str | None:
    """A Dutch reason when a term is not acceptable, else None."""
    if years < MIN_YEARS or years > MAX_YEARS:
        return f"Een bewaartermijn ligt tussen {MIN_YEARS} en {MAX_YEARS} jaar."
    return None


def audit_cutoff(today: dt.date, years: int) -> dt.date:
    """Audit records dated before this day are past the audit trail's term."""
    return add_years(today, -years)


def aged_cutoff(today: dt.date, years: int) -> dt.date:
    """Data whose term started before this day (e.g. a request answered then) is past it."""
    return add_years(today, -years)
