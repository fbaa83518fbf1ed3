"""Who is told at each step from match to placement (R-MAT), as a table. Pure.

The chain has three parties besides the person acting: the client's case manager, the
employer's account manager at the WSP (werkgeversadviseur) and the resident (in the portal).
Each step tells the parties that act next; the acting user is never notified
(`services.proposals._notify` resolves the parties and skips the actor).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["HANDOFFS", "Party", "StepHandoff"]


class Party(StrEnum):
    CASE_MANAGER = "case_manager"
    ACCOUNT_MANAGER = "account_manager"
    RESIDENT = "resident"


@dataclass(frozen=True, slots=True)
class StepHandoff:
    """Texts are Dutch `str.format` templates with {vacancy}, {employer}, {client}, {date}."""

    notify: tuple[Party, ...]
    title_nl: str
    body_nl: str


# fmt: off
HANDOFFS: dict[str, StepHandoff] = {
    "proposed": StepHandoff(
        (Party.ACCOUNT_MANAGER, Party.CASE_MANAGER),
        "Kandidaat voorgedragen: {vacancy}",
        "{client} is voorgedragen voor {vacancy} bij {employer}. Plan een kennismaking met "
        "de werkgever.",
    ),
    "proposed_resident": StepHandoff(
        (Party.RESIDENT,),
        "Er is werk voor u voorgesteld",
        "U bent voorgesteld voor de functie {vacancy} bij {employer}. Kijk in Mijn Opstap.",
    ),
    "plan_introduction": StepHandoff(
        (Party.CASE_MANAGER, Party.ACCOUNT_MANAGER, Party.RESIDENT),
        "Kennismaking gepland: {vacancy}",
        "De kennismaking voor {vacancy} bij {employer} is op {date}.",
    ),
    "record_introduction": StepHandoff(
        (Party.CASE_MANAGER, Party.ACCOUNT_MANAGER),
        "Kennismaking positief: {vacancy}",
        "De kennismaking van {client} bij {employer} was positief. Leg de plaatsing vast "
        "zodra het contract getekend is.",
    ),
    "reject": StepHandoff(
        (Party.CASE_MANAGER, Party.ACCOUNT_MANAGER),
        "Geen match na kennismaking: {vacancy}",
        "{client} en {employer} gaan niet verder. Zoek samen een andere vacature.",
    ),
    "withdraw": StepHandoff(
        (Party.CASE_MANAGER, Party.ACCOUNT_MANAGER),
        "Voordracht ingetrokken: {vacancy}",
        "De voordracht van {client} voor {vacancy} is ingetrokken.",
    ),
    "place": StepHandoff(
        (Party.CASE_MANAGER, Party.ACCOUNT_MANAGER),
        "Geplaatst: {vacancy}",
        "{client} begint op {date} bij {employer}. Na 6 maanden wordt de duurzaamheid "
        "gecontroleerd.",
    ),
}
# fmt: on
