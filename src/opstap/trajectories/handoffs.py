"""Who is told when work moves to the other side of the chain (R-TRJ-2, issue 12), as a table.

The chain order → quote → intake → plan → running → end → final report → invoice has two
parties: the municipality's case manager and the provider's staff. Each step in `HANDOFFS`
gives the *other* party work (a new order to plan, a quote to judge, a refusal to act on, an
invoice decision), so that party gets a notification: in-app always, and by e-mail at once or
in a daily digest as each user chooses (`notifications.NotificationPreference`).

One row per event: the trajectory actions of `workflow.Action`, plus the order itself
(`ORDER`) and the finance decisions on an invoice (`INVOICE_APPROVED`, `INVOICE_REJECTED`).
`NO_HANDOFF` lists the actions that give nobody new work, each with why, so every action is
classified exactly once (a test checks it; a new action must be placed in one of the two).

Pure: no database. `trajectories.services.handoff_notify` resolves the parties to users
(the provider's active staff, the client's current case manager), never the acting user, and
sends one notification per user with a dedupe key, so a step is never notified twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .workflow import Action

__all__ = [
    "HANDOFFS",
    "INVOICE_APPROVED",
    "INVOICE_REJECTED",
    "NO_HANDOFF",
    "ORDER",
    "REVISED_QUOTE_APPROVED",
    "REVISED_QUOTE_REJECTED",
    "REVISED_QUOTE_SUBMITTED",
    "Handoff",
    "Party",
    "handoff_for",
    "parties_to_notify",
]

ORDER = "order"
INVOICE_APPROVED = "invoice_approved"
INVOICE_REJECTED = "invoice_rejected"
#: A wrong quote replaced by a revised one and the case manager's decision on it (R-TRJ-1).
REVISED_QUOTE_SUBMITTED = "submit_revised_quote"
REVISED_QUOTE_APPROVED = "approve_revised_quote"
REVISED_QUOTE_REJECTED = "reject_revised_quote"


class Party(StrEnum):
    """Who is told: a fixed side, or the side that did not act (steps either side may take)."""

    CASE_MANAGER = "case_manager"
    PROVIDER = "provider"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Handoff:
    """One hand-off: `event` tells `notify`. Texts are Dutch `str.format` templates with the
    keys {product}, {provider}, {client}, {trajectory}, {reason}, {invoice} and {state}."""

    event: str
    notify: Party
    title_nl: str
    body_nl: str


_REASON = " Toelichting: {reason}"


def _step(event: str, notify: Party, what: str, body_nl: str) -> Handoff:
    """The hand-off of a trajectory step: its title names the step, the product and the
    trajectory."""
    return Handoff(event, notify, what + ": {product} (traject {trajectory})", body_nl)


# fmt: off
_ROWS: tuple[Handoff, ...] = (
    # --- Ordering (R-TRJ-1) ----------------------------------------------------------------
    _step(ORDER, Party.PROVIDER, "Nieuwe opdracht",
          "De klantmanager heeft {product} besteld voor {client}. Bekijk de opdracht; de "
          "intake moet binnen 14 dagen na de aanmelding gehouden zijn."),
    _step(Action.SUBMIT_QUOTE, Party.CASE_MANAGER, "Offerte ontvangen",
          "{provider} heeft een offerte ingediend voor {client}. Keur de offerte goed of "
          "wijs hem af."),
    _step(Action.APPROVE_QUOTE, Party.PROVIDER, "Offerte goedgekeurd",
          "De klantmanager heeft uw offerte voor {client} goedgekeurd. Plan de intake."),
    _step(Action.REJECT_QUOTE, Party.PROVIDER, "Offerte afgewezen",
          "De klantmanager heeft uw offerte voor {client} afgewezen." + _REASON),
    _step(REVISED_QUOTE_SUBMITTED, Party.CASE_MANAGER, "Herziene offerte ontvangen",
          "{provider} heeft een herziene offerte ingediend voor {client}. Keur de herziene "
          "offerte goed of wijs hem af."),
    _step(REVISED_QUOTE_APPROVED, Party.PROVIDER, "Herziene offerte goedgekeurd",
          "De klantmanager heeft uw herziene offerte voor {client} goedgekeurd. Openstaande "
          "facturen van dit traject zijn opnieuw gecontroleerd."),
    _step(REVISED_QUOTE_REJECTED, Party.PROVIDER, "Herziene offerte afgewezen",
          "De klantmanager heeft uw herziene offerte voor {client} afgewezen; de eerder "
          "goedgekeurde offerte blijft gelden." + _REASON),
    # --- Plan of approach (R-TRJ-2) --------------------------------------------------------
    _step(Action.SUBMIT_PLAN, Party.CASE_MANAGER, "Plan van aanpak ontvangen",
          "{provider} heeft het plan van aanpak voor {client} ingediend. Keur het goed of "
          "stuur het terug."),
    _step(Action.APPROVE_PLAN, Party.PROVIDER, "Plan van aanpak goedgekeurd",
          "De klantmanager heeft het plan van aanpak voor {client} goedgekeurd. Start de "
          "voorziening binnen 7 dagen."),
    _step(Action.RETURN_PLAN, Party.PROVIDER, "Plan van aanpak teruggestuurd",
          "De klantmanager heeft het plan van aanpak voor {client} teruggestuurd. Pas het "
          "aan en dien het opnieuw in." + _REASON),
    # --- Extension and return (R-TRJ-2, R-TRJ-5) -----------------------------------------
    _step(Action.REQUEST_EXTENSION, Party.CASE_MANAGER, "Verlenging aangevraagd",
          "{provider} vraagt verlenging aan voor {client}. Beslis over de verlenging."
          + _REASON),
    _step(Action.APPROVE_EXTENSION, Party.PROVIDER, "Verlenging goedgekeurd",
          "De klantmanager heeft de verlenging voor {client} goedgekeurd."),
    _step(Action.REFUSE_EXTENSION, Party.PROVIDER, "Verlenging geweigerd",
          "De klantmanager heeft de verlenging voor {client} geweigerd." + _REASON),
    _step(Action.REQUEST_RETURN, Party.CASE_MANAGER, "Terugmelding aangevraagd",
          "{provider} wil {client} terugmelden. Geef akkoord of weiger." + _REASON),
    _step(Action.APPROVE_RETURN, Party.PROVIDER, "Terugmelding akkoord",
          "De klantmanager gaat akkoord met de terugmelding van {client}. Lever de "
          "eindrapportage binnen 14 dagen."),
    _step(Action.REFUSE_RETURN, Party.PROVIDER, "Terugmelding geweigerd",
          "De klantmanager weigert de terugmelding van {client}; het traject loopt door."
          + _REASON),
    # --- The end (R-TRJ-2, R-TRJ-6): either side may record it; the other side is told ----
    _step(Action.COMPLETE, Party.OTHER, "Traject afgerond",
          "Het traject van {client} is afgerond. De eindrapportage is binnen 14 dagen na "
          "het einde nodig."),
    _step(Action.TERMINATE_EARLY, Party.OTHER, "Traject voortijdig beëindigd",
          "Het traject van {client} is voortijdig beëindigd. De eindrapportage is binnen "
          "14 dagen na het einde nodig." + _REASON),
    _step(Action.NOT_STARTED_AFTER_KLIKGESPREK, Party.OTHER, "Niet gestart na klikgesprek",
          "{client} start niet na het klikgesprek; het traject is beëindigd." + _REASON),
    _step(Action.NOT_STARTED_AFTER_INTAKE, Party.OTHER, "Niet gestart na intake",
          "{client} start niet na de intake; het traject is beëindigd." + _REASON),
    _step(Action.RECEIVE_FINAL_REPORT, Party.OTHER, "Eindrapportage ontvangen",
          "De eindrapportage voor {client} is vastgelegd. Plan de warme overdracht."),
    # --- Invoices (R-BILL-2): the finance decision goes to the provider -------------------
    Handoff(INVOICE_APPROVED, Party.PROVIDER,
            "Factuur {invoice} goedgekeurd",
            "Uw factuur {invoice} ({product}, traject {trajectory}) is goedgekeurd voor "
            "betaling."),
    Handoff(INVOICE_REJECTED, Party.PROVIDER,
            "Factuur {invoice} afgewezen",
            "Uw factuur {invoice} ({product}, traject {trajectory}) is afgewezen." + _REASON),
)
# fmt: on

HANDOFFS: Mapping[str, Handoff] = MappingProxyType({str(h.event): h for h in _ROWS})

#: Actions that hand nobody new work, and why (so every action is classified once).
NO_HANDOFF: Mapping[str, str] = MappingProxyType(
    {
        Action.PLAN_INTAKE: "de aanbieder plant zijn eigen intake; de klantmanager ziet de "
        "datum in het traject",
        Action.HOLD_INTAKE: "de volgende stap (het plan) ligt bij dezelfde aanbieder",
        Action.START: "de start is het gevolg van het goedgekeurde plan; niemand krijgt werk",
        Action.HAND_OVER: "de laatste stap; daarna is er geen werk meer in dit traject",
    }
)


def handoff_for(event: str) -> Handoff | None:
    """The hand-off row of `event` (an action value, `ORDER` or an invoice decision)."""
    return HANDOFFS.get(str(event))


def parties_to_notify(event: str, *, actor_is_provider: bool) -> frozenset[Party]:
    """The side(s) told about `event` taken by a provider (`actor_is_provider`) or by the
    municipality. `Party.OTHER` resolves to the side that did not act."""
    row = handoff_for(event)
    if row is None:
        return frozenset()
    if row.notify is Party.OTHER:
        return frozenset({Party.CASE_MANAGER if actor_is_provider else Party.PROVIDER})
    return frozenset({row.notify})
