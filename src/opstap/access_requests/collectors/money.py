"""Export sections about money paid for or to the client: the outflow premium, travel
claims, invoices, credit notes and placement fees."""

from __future__ import annotations

from opstap.finance import selectors as finance_selectors
from opstap.finance.models import OUTFLOW_PREMIUM_DETERMINED, OUTFLOW_PREMIUM_FACTS
from opstap.invoices import selectors as invoice_selectors

from .base import (
    Section,
    _columns,
    _lazy,
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "outflowPremiums",
        "Uitstroompremie",
        "finance.OutflowPremium",
        "Een premie omdat u uit de uitkering bent gegaan, en wanneer die is betaald.",
        _columns(
            "finance.OutflowPremium",
            *OUTFLOW_PREMIUM_FACTS,
            *OUTFLOW_PREMIUM_DETERMINED,
        ),
        lambda s: _lazy(
            finance_selectors.client_outflow_premiums_all(
                organisation_id=s.organisation_id, client_id=s.client_id
            )
        ),
    ),
    Section(
        "travelClaims",
        "Reiskosten: declaraties",
        "invoices.TravelClaim",
        "Uw declaraties van reiskosten en wie welk deel betaalt.",
        _columns(
            "invoices.TravelClaim",
            ("id", "Declaratienummer"),
            ("trajectory_id", "Trajectnummer"),
            "entered_at",
            "organisation_pays",
            "provider_pays",
            "refused",
        ),
        lambda s: _lazy(invoice_selectors.client_travel_claims_all(s.client_id)),
    ),
    Section(
        "travelTrips",
        "Reiskosten: ritten",
        "invoices.TravelTrip",
        "De ritten per declaratie en het besluit per rit.",
        _columns(
            "invoices.TravelTrip",
            ("claim_id", "Declaratienummer"),
            "trip_date",
            "single_trip_km",
            "amount",
            "decision",
            "reason",
        ),
        lambda s: _lazy(invoice_selectors.client_travel_trips_all(s.client_id)),
    ),
    Section(
        "invoices",
        "Facturen over uw trajecten",
        "invoices.Invoice",
        "Wat aanbieders voor uw trajecten in rekening brachten: bedragen en data.",
        _columns(
            "invoices.Invoice",
            ("id", "Factuurnummer (intern)"),
            ("provider.name", "Aanbieder"),
            ("trajectory_id", "Trajectnummer"),
            "invoice_date",
            "milestone",
            "period_start",
            "period_end",
            "amount_excl",
            "vat",
            "amount_incl",
            "status",
            "paid_on",
        ),
        lambda s: _lazy(invoice_selectors.client_invoices_all(s.client_id)),
    ),
    Section(
        "invoiceLines",
        "Facturen: regels",
        "invoices.InvoiceLine",
        "De regels van die facturen.",
        _columns(
            "invoices.InvoiceLine",
            ("invoice_id", "Factuurnummer (intern)"),
            "description",
            "amount_excl",
            "vat",
            "amount_incl",
        ),
        lambda s: _lazy(invoice_selectors.client_invoice_lines_all(s.client_id)),
    ),
    Section(
        "creditNotes",
        "Facturen: creditnota's",
        "invoices.CreditNote",
        "Bedragen die aanbieders hebben teruggeboekt.",
        _columns(
            "invoices.CreditNote",
            ("invoice_id", "Factuurnummer (intern)"),
            "credit_date",
            "amount_excl",
            "vat",
            "amount_incl",
        ),
        lambda s: _lazy(invoice_selectors.client_credit_notes_all(s.client_id)),
    ),
    Section(
        "placementFees",
        "Bemiddelingsfee",
        "invoices.PlacementFeeClaim",
        "Aanvragen van een aanbieder voor een fee omdat u aan het werk ging.",
        _columns(
            "invoices.PlacementFeeClaim",
            ("trajectory_id", "Trajectnummer"),
            ("provider.name", "Aanbieder"),
            "employer",
            "placement_start",
            "contract_months",
            "hours_per_week",
            "submitted_at",
        ),
        lambda s: _lazy(
            invoice_selectors.client_placement_fee_claims_all(s.client_id).select_related(
                "provider"
            )
        ),
    ),
)
