"""What a resident reads about their trajectory (R-POR): the state in plain language (B1)
and "what happens next", derived from the workflow state in one place. Templates show the
result; they never decide it. Pure module: no ORM.

Every state of the workflow table has a line here; a test walks `State` so a new state cannot
reach the portal without its plain-language text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from opstap.trajectories.workflow import State


@dataclass(frozen=True, slots=True)
class ResidentStep:
    """A trajectory as the resident reads it."""

    now: str  # where it stands
    next: str  # what happens next, and who does it


_P = "de aanbieder"  # the provider, as residents call it in our letters

_STEPS: Mapping[State, ResidentStep] = MappingProxyType(
    {
        State.ORDERED: ResidentStep(
            "Uw klantmanager heeft dit traject voor u aangevraagd.",
            f"{_P.capitalize()} belt of schrijft u om een eerste gesprek te plannen.",
        ),
        State.QUOTE_SUBMITTED: ResidentStep(
            f"{_P.capitalize()} heeft een voorstel gestuurd.",
            "Uw klantmanager bekijkt het voorstel. Daarna hoort u of het traject doorgaat.",
        ),
        State.QUOTE_APPROVED: ResidentStep(
            "Het voorstel is goedgekeurd.",
            f"{_P.capitalize()} neemt contact met u op voor een eerste gesprek.",
        ),
        State.QUOTE_REJECTED: ResidentStep(
            "Dit traject gaat niet door.",
            "Uw klantmanager bespreekt met u wat u nu het beste kunt doen.",
        ),
        State.INTAKE_PLANNED: ResidentStep(
            "Er is een eerste gesprek (intake) gepland.",
            f"U gaat naar het gesprek met {_P}. Kunt u niet? Zeg het dan op tijd af.",
        ),
        State.INTAKE_HELD: ResidentStep(
            "U heeft het eerste gesprek gehad.",
            f"{_P.capitalize()} schrijft samen met u een plan: wat u gaat doen en wat u wilt "
            "bereiken.",
        ),
        State.PLAN_SUBMITTED: ResidentStep(
            "Uw plan is klaar.",
            "Uw klantmanager kijkt het plan na. Daarna kunt u beginnen.",
        ),
        State.PLAN_RETURNED: ResidentStep(
            "Uw klantmanager wil iets aan het plan veranderen.",
            f"{_P.capitalize()} past het plan aan, samen met u.",
        ),
        State.PLAN_APPROVED: ResidentStep(
            "Uw plan is goedgekeurd.",
            f"{_P.capitalize()} laat u weten op welke dag u begint.",
        ),
        State.RUNNING: ResidentStep(
            "U bent met het traject bezig.",
            f"Ga naar uw afspraken. Kunt u een keer niet? Meld dat dan zo snel mogelijk bij {_P}.",
        ),
        State.EXTENSION_REQUESTED: ResidentStep(
            "U bent met het traject bezig. Er is gevraagd om het langer te laten duren.",
            "Uw klantmanager beslist of het traject langer mag duren. Ga gewoon door met uw "
            "afspraken.",
        ),
        State.RETURN_REQUESTED: ResidentStep(
            f"{_P.capitalize()} wil stoppen met dit traject.",
            "Uw klantmanager neemt contact met u op om te bespreken hoe het verder gaat.",
        ),
        State.COMPLETED: ResidentStep(
            "U heeft het traject afgerond.",
            f"{_P.capitalize()} schrijft een eindverslag. Uw klantmanager bespreekt met u "
            "wat de volgende stap is.",
        ),
        State.TERMINATED_EARLY: ResidentStep(
            "Het traject is eerder gestopt dan gepland.",
            "Uw klantmanager bespreekt met u wat de volgende stap is.",
        ),
        State.RETURNED: ResidentStep(
            "Het traject is gestopt.",
            "Uw klantmanager bespreekt met u wat de volgende stap is.",
        ),
        State.NOT_STARTED_AFTER_KLIKGESPREK: ResidentStep(
            "Het traject is niet begonnen.",
            "Uw klantmanager bespreekt met u wat beter bij u past.",
        ),
        State.NOT_STARTED_AFTER_INTAKE: ResidentStep(
            "Het traject is niet begonnen.",
            "Uw klantmanager bespreekt met u wat beter bij u past.",
        ),
        State.FINAL_REPORT_RECEIVED: ResidentStep(
            "Het traject is klaar. Het eindverslag is binnen.",
            "Uw klantmanager bespreekt het eindverslag met u.",
        ),
        State.HANDED_OVER: ResidentStep(
            "Het traject is klaar.",
            "Heeft u nog vragen? Neem contact op met uw klantmanager.",
        ),
    }
)

_UNKNOWN = ResidentStep("", "Vraag uw klantmanager hoe het ervoor staat.")


def resident_step(state: str) -> ResidentStep:
    """The plain-language position and next step for a trajectory in `state`."""
    try:
        return _STEPS[State(state)]
    except ValueError:
        return _UNKNOWN
