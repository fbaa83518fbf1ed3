"""What retention (R-SEC-4) anonymises of social return for a client of ours, registered
in `ready()`. The block's kind, dates, value and status stay: the monitor totals use them."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

register_anonymiser(
    Anonymiser(
        "social_return.RealisedBlock",
        "client_id",
        RecordKind.DOSSIER,
        texts=("verification_remarks",),
    )
)
register_anonymiser(
    Anonymiser(
        "social_return.RealisedBlock", "client_id", RecordKind.DOCUMENTS, files=("evidence",)
    )
)
register_anonymiser(
    Anonymiser(
        "social_return.SocialReturnEvent",
        "block__client_id",
        RecordKind.DOSSIER,
        texts=("description", "remarks"),
    )
)
