"""Export sections about the client's trajectories: events, deadlines, documents,
appointments, absences, outcomes, quotes and signals about the provider."""

from __future__ import annotations

from django.apps import apps

from opstap.providers import selectors as provider_selectors
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import (
    ABSENCE_FIELDS,
    DOCUMENT_CONTENT_FIELDS,
    OUTCOME_FACT_FIELDS,
    TRAJECTORY_COURSE_FIELDS,
)

from .base import (
    Section,
    _columns,
    _lazy,
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "trajectories",
        "Trajecten",
        "trajectories.Trajectory",
        "De trajecten die voor u zijn ingekocht, bij welke aanbieder en hoe ze verliepen.",
        _columns(
            "trajectories.Trajectory",
            ("id", "Trajectnummer"),
            ("product.name", "Product"),
            ("provider.name", "Aanbieder"),
            "state",
            "aim_description",
            "rotonde_exit",
            "wished_start",
            "absence_risk",
            *TRAJECTORY_COURSE_FIELDS,
        ),
        lambda s: _lazy(trajectory_selectors.client_trajectories_all(s.client_id)),
    ),
    Section(
        "trajectoryEvents",
        "Trajecten: gebeurtenissen",
        "trajectories.TrajectoryEvent",
        "Elke stap in uw trajecten, met de reden.",
        _columns(
            "trajectories.TrajectoryEvent",
            ("trajectory_id", "Trajectnummer"),
            "occurred_at",
            "action",
            "from_state",
            "to_state",
            "reason",
            "payload",
        ),
        lambda s: _lazy(trajectory_selectors.client_trajectory_events_all(s.client_id)),
    ),
    Section(
        "deadlines",
        "Trajecten: termijnen",
        "trajectories.Deadline",
        "De termijnen die bij uw trajecten horen en of ze gehaald zijn.",
        _columns(
            "trajectories.Deadline",
            ("trajectory_id", "Trajectnummer"),
            "kind",
            "label",
            "due_on",
            "met_on",
            "cancelled_on",
            "rule",
        ),
        lambda s: _lazy(trajectory_selectors.client_deadlines_all(s.client_id)),
    ),
    Section(
        "documents",
        "Trajecten: documenten",
        "trajectories.TrajectoryDocument",
        "Plannen, rapportages en andere documenten. De bestanden die voor u bedoeld zijn, "
        "staan in de map 'documenten'.",
        _columns(
            "trajectories.TrajectoryDocument",
            ("trajectory_id", "Trajectnummer"),
            ("id", "Documentnummer"),
            *DOCUMENT_CONTENT_FIELDS,
            "submitted_at",
        ),
        lambda s: _lazy(trajectory_selectors.client_documents_all(s.client_id)),
    ),
    Section(
        "appointments",
        "Trajecten: afspraken en aanwezigheid",
        "trajectories.Appointment",
        "Afspraken bij de aanbieder en of u aanwezig was.",
        _columns(
            "trajectories.Appointment",
            ("trajectory_id", "Trajectnummer"),
            "starts_at",
            "description",
            "attendance",
            "recorded_at",
        ),
        lambda s: _lazy(trajectory_selectors.client_appointments_all(s.client_id)),
    ),
    Section(
        "absences",
        "Trajecten: verzuim",
        "trajectories.Absence",
        "Gemeld verzuim en hoe het is beoordeeld.",
        _columns(
            "trajectories.Absence",
            ("trajectory_id", "Trajectnummer"),
            *ABSENCE_FIELDS,
        ),
        lambda s: _lazy(trajectory_selectors.client_absences_all(s.client_id)),
    ),
    Section(
        "outcomes",
        "Trajecten: resultaten",
        "trajectories.Outcome",
        "Het resultaat van uw trajecten, zoals werk of een opleiding.",
        _columns(
            "trajectories.Outcome",
            ("trajectory_id", "Trajectnummer"),
            *OUTCOME_FACT_FIELDS,
            "contract_type_note",
            "durability_check_on",
            "durability",
            "recorded_at",
        ),
        lambda s: _lazy(trajectory_selectors.client_outcomes_all(s.client_id)),
    ),
    Section(
        "quotes",
        "Offertes voor uw trajecten",
        "trajectories.Quote",
        "De offertes die een aanbieder voor uw traject stuurde, en het besluit erover.",
        _columns(
            "trajectories.Quote",
            ("trajectory_id", "Trajectnummer"),
            "version",
            "amount",
            "hourly_rate",
            "hours",
            "text",
            "status",
            "submitted_on",
            "decided_on",
            "decision_reason",
        ),
        lambda s: _lazy(
            apps.get_model("trajectories.Quote")
            .objects.filter(trajectory__client_id=s.client_id)
            .order_by("trajectory_id", "version")
        ),
    ),
    Section(
        "providerSignals",
        "Signalen over een aanbieder in uw traject",
        "providers.Signal",
        "Klachten van uw klantmanager over een aanbieder waarbij uw traject genoemd is.",
        _columns(
            "providers.Signal",
            "registered_on",
            ("provider.name", "Aanbieder"),
            ("product.name", "Product"),
            "description",
        ),
        lambda s: _lazy(
            provider_selectors.client_signals_all(
                organisation_id=s.organisation_id, client_id=s.client_id
            )
        ),
    ),
)
