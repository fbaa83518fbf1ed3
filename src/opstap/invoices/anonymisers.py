"""What retention (R-SEC-4) anonymises of the invoices app, registered in `ready()`.
Amounts, dates, statuses and verdicts stay: finance figures and indicators use them."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

F = RecordKind.FINANCIAL
I = "invoice__client_id"  # noqa: E741

register_anonymiser(
    Anonymiser(
        "invoices.Invoice",
        "client_id",
        F,
        texts=("stated_client_number", "stated_client_surname", "decision_note", "pdf_name"),
        files=("pdf",),
    )
)
register_anonymiser(Anonymiser("invoices.InvoiceLine", I, F, texts=("description",)))
register_anonymiser(Anonymiser("invoices.InvoiceEvent", I, F, texts=("reason",)))
register_anonymiser(Anonymiser("invoices.CreditNote", I, F, texts=("reason",)))
register_anonymiser(
    Anonymiser(
        "invoices.PlacementFeeClaim",
        "client_id",
        F,
        texts=("employer", "contract_name"),
        files=("contract",),
    )
)
register_anonymiser(Anonymiser("invoices.TravelTrip", "claim__client_id", F, texts=("reason",)))
