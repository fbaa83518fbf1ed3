"""What a resident reads about their trajectory (R-POR): the state in plain language (B1)
and "what happens next", derived from the workflow state in one place. Templates show the
result; they never decide it. Pure module: no ORM.

Every state of the workflow table (by its value) has a line here; a test walks `State` so a
new state cannot reach the portal without its plain-language text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class ResidentStep:
    """A trajectory as the resident reads it."""

    now: str  # where it stands
    next: str  # what happens next, and who does it


_P = "de aanbieder"  # the provider, as residents call it in our letters

_STEPS: Mapping[str, ResidentStep] = MappingProxyType(
    {
        "ordered": ResidentStep(
            "Uw klantmanager heeft dit traject voor u aangevraagd.",
            f"{_P.capitalize()} belt of schrijft u om een eerste gesprek te plannen.",
        ),
        "quote_submitted": ResidentStep(
            f"{_P.capitalize()} heeft een voorstel gestuurd.",
            "Uw klantmanager bekijkt het voorstel. Daarna hoort u of het traject doorgaat.",
        ),
        "quote_approved": ResidentStep(
            "Het voorstel is goedgekeurd.",
            f"{_P.capitalize()} neemt contact met u op voor een eerste gesprek.",
        ),
        "quote_rejected": ResidentStep(
            "Dit traject gaat niet door.",
            "Uw klantmanager bespreekt met u wat u nu het beste kunt doen.",
        ),
        "intake_planned": ResidentStep(
            "Er is een eerste gesprek (intake) gepland.",
            f"U gaat naar het gesprek met {_P}. Kunt u niet? Zeg het dan op tijd af.",
        ),
        "intake_held": ResidentStep(
            "U heeft het eerste gesprek gehad.",
            f"{_P.capitalize()} schrijft samen met u een plan: wat u gaat doen en wat u wilt "
            "bereiken.",
        ),
        "plan_submitted": ResidentStep(
            "Uw plan is klaar.",
            "Uw klantmanager kijkt het plan na. Daarna kunt u beginnen.",
        ),
        "plan_returned": ResidentStep(
            "Uw klantmanager wil iets aan het plan veranderen.",
            f"{_P.capitalize()} past het plan aan, samen met u.",
        ),
        "plan_approved": ResidentStep(
            "Uw plan is goedgekeurd.",
            f"{_P.capitalize()} laat u weten op welke dag u begint.",
        ),
        "running": ResidentStep(
            "U bent met het traject bezig.",
            f"Ga naar uw afspraken. Kunt u een keer niet? Meld dat dan zo snel mogelijk bij {_P}.",
        ),
        "extension_requested": ResidentStep(
            "U bent met het traject bezig. Er is gevraagd om het langer te laten duren.",
            "Uw klantmanager beslist of het traject langer mag duren. Ga gewoon door met uw "
            "afspraken.",
        ),
        "return_requested": ResidentStep(
            f"{_P.capitalize()} wil stoppen met dit traject.",
            "Uw klantmanager neemt contact met u op om te bespreken hoe het verder gaat.",
        ),
        "completed": ResidentStep(
            "U heeft het traject afgerond.",
            f"{_P.capitalize()} schrijft een eindverslag. Uw klantmanager bespreekt met u "
            "wat de volgende stap is.",
        ),
        "terminated_early": ResidentStep(
            "Het traject is eerder gestopt dan gepland.",
            "Uw klantmanager bespreekt met u wat de volgende stap is.",
        ),
        "returned": ResidentStep(
            "Het traject is gestopt.",
            "Uw klantmanager bespreekt met u wat de volgende stap is.",
        ),
        "not_started_after_klikgesprek": ResidentStep(
            "Het traject is niet begonnen.",
            "Uw klantmanager bespreekt met u wat beter bij u past.",
        ),
        "not_started_after_intake": ResidentStep(
            "Het traject is niet begonnen.",
            "Uw klantmanager bespreekt met u wat beter bij u past.",
        ),
        "final_report_received": ResidentStep(
            "Het traject is klaar. Het eindverslag is binnen.",
            "Uw klantmanager bespreekt het eindverslag met u.",
        ),
        "handed_over": ResidentStep(
            "Het traject is klaar.",
            "Heeft u nog vragen? Neem contact op met uw klantmanager.",
        ),
    }
)

_UNKNOWN = ResidentStep("", "Vraag uw klantmanager hoe het ervoor staat.")


def resident_step(state: str) -> ResidentStep:
    """The plain-language position and next step for a trajectory in `state`."""
    return _STEPS.get(state, _UNKNOWN)
