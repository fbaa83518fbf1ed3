"""What retention (R-SEC-4) anonymises of access requests, registered in `ready()`."""

from opstap.core.retention import (
    AgedAnonymiser,
    Anonymiser,
    RecordKind,
    register_aged_anonymiser,
    register_anonymiser,
)

register_anonymiser(
    Anonymiser(
        "access_requests.AccessRequest",
        "client_id",
        RecordKind.DOSSIER,
        texts=("note",),
        files=("file",),
    )
)

# A person without a dossier who asked for access (state `no_data`): their name, the address
# the answer went to and the note are kept for the term of the kind "access_requests" after
# the answer (default 1 year), then anonymised; the request row (dates, state, who
# registered and answered it) and its audit records stay as accountability.
register_aged_anonymiser(
    AgedAnonymiser(
        "access_requests.AccessRequest",
        RecordKind.ACCESS_REQUESTS,
        date_field="answered_at",
        filter={"client__isnull": True, "state": "no_data"},
        texts=("requester_name", "requester_contact", "note"),
        object_type="access_request",
        description="Naam en adres van de verzoeker zonder dossier",
    )
)
