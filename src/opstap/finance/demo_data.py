"""The finance part of the demo organisation: the reference scenarios of the sources, saved
through the services so policy officers can open them.

- Verdeelsleutel 2021 (RSD de Liemers, bijlage 1): 28,39% / 19,73% / 51,88%.
- Businesscase 2022-2023 of the bestuurlijke opdracht: net 847.500, payback 2024.
- BUIG 2023: Zevenaar above the 7,5% threshold (deficit 9%), Duiven and Westervoort ~1,5%.
  The source gives percentages only; the budgets are illustrative.
- Prognose uitkeringsbestand Overbetuwe (Berenschot scenarios 2020-2024).
"""

from __future__ import annotations

from typing import Any

from .calculators import CALCULATORS
from .services import premium_scheme_update, scenario_save

SCENARIOS: list[tuple[str, str, str]] = [
    ("cost_split", "Verdeelsleutel 2021", "Bestuurlijke opdracht RSD 2021-2023, bijlage 1."),
    (
        "business_case",
        "Businesscase 2022-2023 (bestuurlijke opdracht)",
        "Investering van € 1 miljoen per jaar; normuitstroom 200, verwachte uitstroom 305.",
    ),
    (
        "safety_net",
        "BUIG 2023 - vangnet Zevenaar",
        "Zevenaar heeft in 2023 een tekort van 9% (aanvraag vangnetuitkering); Duiven en "
        "Westervoort circa 1 à 2%. Budgetbedragen zijn illustratief.",
    ),
    (
        "forecast",
        "Prognose uitkeringsbestand Overbetuwe 2020-2024",
        "Scenario's van Berenschot (Overbetuwe werkt); in- en uitstroom daaruit afgeleid.",
    ),
]


def _safety_net_inputs() -> dict[str, Any]:
    inputs = CALCULATORS["safety_net"].defaults()
    # 2022 as well, so the trend shows: Zevenaar already above the threshold.
    inputs["rows"] = [
        {
            "municipality": "Duiven",
            "year": 2022,
            "budget": "6300000",
            "lks_part": "400000",
            "expenditure": "6363000",
            "final": True,
        },
        {
            "municipality": "Westervoort",
            "year": 2022,
            "budget": "4650000",
            "lks_part": "280000",
            "expenditure": "4743000",
            "final": True,
        },
        {
            "municipality": "Zevenaar",
            "year": 2022,
            "budget": "13000000",
            "lks_part": "850000",
            "expenditure": "14040000",
            "final": True,
        },
        *inputs["rows"],
    ]
    return inputs


def build(ctx: Any) -> None:
    actor = ctx.users.get("beleid")
    for kind, name, description in SCENARIOS:
        inputs = _safety_net_inputs() if kind == "safety_net" else CALCULATORS[kind].defaults()
        scenario_save(
            actor=actor,
            organisation=ctx.organisation,
            kind=kind,
            name=name,
            description=description,
            inputs=inputs,
        )
    premium_scheme_update(actor=actor, enabled=True)
    ctx.log("Financiële modellen: referentiescenario's opgeslagen.")
