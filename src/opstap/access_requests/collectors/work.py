"""Export sections about work: the work profile, proposals, placements and social return."""

from __future__ import annotations

from opstap.matching.services import PROFILE_FIELDS

from .base import (
    Section,
    _columns,
    _rows_of,
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "workProfile",
        "Uw werkprofiel",
        "matching.WorkProfile",
        "Wat u wilt en kunt in werk, zoals uw klantmanager het vastlegde (passend werk).",
        _columns(
            "matching.WorkProfile",
            ("occupations_text", "Gewenste en mogelijke beroepen"),
            # every other field the case manager keeps, as the profile service knows them
            *(f for f in PROFILE_FIELDS if not f.endswith("_occupations")),
            "confirmed_at",
            "updated_at",
        ),
        lambda s: _rows_of("matching.WorkProfile", s),
    ),
    Section(
        "proposals",
        "Voordrachten voor vacatures",
        "matching.Proposal",
        "De vacatures waarvoor u bent voorgedragen, met de score en de uitleg ervan, en de "
        "kennismaking met de werkgever.",
        _columns(
            "matching.Proposal",
            ("vacancy.title", "Vacature"),
            ("vacancy.employer.name", "Werkgever"),
            "state",
            "score",
            "explanation",
            "proposed_at",
            "introduction_on",
            "introduction_outcome",
        ),
        lambda s: _rows_of("matching.Proposal", s, "vacancy__employer"),
    ),
    Section(
        "placements",
        "Plaatsingen in werk",
        "matching.Placement",
        "Het werk waarin u via een voordracht bent geplaatst.",
        _columns(
            "matching.Placement",
            ("vacancy.employer.name", "Werkgever"),
            ("vacancy.title", "Functie"),
            "start_date",
            "hours_per_week",
            "contract_type",
            "contract_months",
            "lks",
            "garantiebaan",
            "beschut_werk",
            "via",
            "last_day_of_employment",
            "durability_check_on",
            "durability",
        ),
        lambda s: _rows_of("matching.Placement", s, "vacancy__employer"),
    ),
    Section(
        "socialReturnBlocks",
        "Werk of begeleiding als social return van een aanbieder",
        "social_return.RealisedBlock",
        "Een aanbieder telde uw baan, stage, opleiding of begeleiding mee voor zijn social "
        "return: welk bouwblok, vanaf wanneer, hoeveel uur en of het is gecontroleerd.",
        _columns(
            "social_return.RealisedBlock",
            ("provider.name", "Aanbieder"),
            "block_name",
            "start_date",
            "hours_per_week",
            "contract_months",
            "status",
            "registered_at",
            "verified_at",
        ),
        lambda s: _rows_of("social_return.RealisedBlock", s, "provider"),
    ),
)
