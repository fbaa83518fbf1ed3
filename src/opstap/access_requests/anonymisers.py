"""What retention (R-SEC-4) anonymises of access requests, registered in `ready()`."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

register_anonymiser(
    Anonymiser(
        "access_requests.AccessRequest",
        "client_id",
        RecordKind.DOSSIER,
        texts=("note",),
        files=("file",),
    )
)
