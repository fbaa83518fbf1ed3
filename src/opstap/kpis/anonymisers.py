"""What retention (R-SEC-4) anonymises of the kpis app (the score stays), in `ready()`."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

register_anonymiser(
    Anonymiser("kpis.SatisfactionResponse", "client_id", RecordKind.DOSSIER, texts=("remark",))
)
