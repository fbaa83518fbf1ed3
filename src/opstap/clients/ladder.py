"""The participation ladder (R-LAD-1): step codes shared by clients, products and KPIs.

Pure module: no ORM. The clients app extends this with the rules for what a change implies
(unit, track, growth potential).
"""

from __future__ import annotations

from enum import StrEnum


class LadderStep(StrEnum):
    """Participatieladder steps (trede). Order of declaration is the order of the ladder."""

    STEP_1 = "1"  # no offer to the labour market now or later (no growth potential)
    STEP_2A = "2a"  # long term, exemption or obstacle, activation not yet possible
    STEP_2B = "2b"  # long term, can follow an activating trajectory now
    STEP_3 = "3"  # at school / studying, not available now
    STEP_4 = "4"  # available within 1 year
    STEP_5 = "5"  # directly available
    STEP_6 = "6"  # paid work (with a sub-status)


LADDER_STEP_LABELS_NL: dict[LadderStep, str] = {
    LadderStep.STEP_1: "1 — Geen aanbod arbeidsmarkt",
    LadderStep.STEP_2A: "2a — Lange termijn, activering nog niet mogelijk",
    LadderStep.STEP_2B: "2b — Lange termijn, activerend traject mogelijk",
    LadderStep.STEP_3: "3 — School / studie",
    LadderStep.STEP_4: "4 — Beschikbaar binnen 1 jaar",
    LadderStep.STEP_5: "5 — Direct beschikbaar",
    LadderStep.STEP_6: "6 — Betaald werk",
}
