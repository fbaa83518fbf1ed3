"""Models that point to a client but are deliberately not anonymised by retention, with the
reason (R-SEC-4). With the registered anonymisers (`opstap.core.retention`) they must cover
every model about a client: the completeness test fails when a new model is in neither."""

KEPT_MODELS: dict[str, str] = {
    "audit.AuditRecord": (
        "De audittrail is onveranderlijk en heeft een eigen termijn (soort 'audittrail'); "
        "hij wordt als geheel per dag verwijderd, nooit per klant gewijzigd."
    ),
    "finance.OutflowPremium": (
        "Alleen bedragen, datums en een intern klantnummer (id): nodig voor de "
        "financiële totalen; geen naam, BSN of vrije tekst."
    ),
    "trajectories.Deadline": (
        "Termijnen met datums en vaste labels, zonder vrije tekst; nodig voor de indicatoren."
    ),
    "trajectories.DeadlineNotification": (
        "Interne herinnering aan een medewerker (stadium, ontvanger); geen gegevens van de klant."
    ),
    "invoices.TravelClaim": (
        "Bedragen en datums van een reiskostendeclaratie; de vrije tekst staat in TravelTrip."
    ),
    "kpis.KpiClientMonth": (
        "Afgeleide telgegevens voor de sturingscijfers: bits per dag en een datum, met een "
        "intern klantnummer (id); geen naam, BSN of vrije tekst."
    ),
    "kpis.KpiFactQueue": (
        "Interne wachtrij met alleen een intern klantnummer (id); wordt na verwerking geleegd."
    ),
    "retention.LegalHold": (
        "De bewaarplicht zelf: de reden is nodig zolang de procedure loopt en blijft daarna "
        "als verantwoording van het niet-vernietigen."
    ),
    "retention.RetentionDone": (
        "Vastlegging dat een soort gegevens van een klant is geanonimiseerd; bevat geen "
        "persoonsgegevens."
    ),
}
