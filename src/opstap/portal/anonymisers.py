"""What retention (R-SEC-4) deletes of the portal: the client's own uploads, in `ready()`."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

register_anonymiser(
    Anonymiser(
        "portal.ClientUpload",
        "client_id",
        RecordKind.DOCUMENTS,
        texts=("title", "file_name"),
        files=("file",),
    )
)
