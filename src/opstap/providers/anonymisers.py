"""What retention (R-SEC-4) anonymises of the providers app, registered in `ready()`."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

register_anonymiser(
    Anonymiser("providers.Signal", "client_id", RecordKind.DOSSIER, texts=("description",))
)
