"""What retention (R-SEC-4) anonymises of matching, registered in `ready()`: the free texts
of proposals and their steps, and the work profile's skills (free words); the occupations,
hours, dates and placements stay for the aggregates (R-KPI-3)."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

D = RecordKind.DOSSIER

register_anonymiser(Anonymiser("matching.WorkProfile", "client_id", D, json_lists=("skills",)))
register_anonymiser(
    Anonymiser("matching.Proposal", "client_id", D, texts=("note", "introduction_outcome"))
)
register_anonymiser(Anonymiser("matching.ProposalEvent", "proposal__client_id", D, texts=("note",)))
register_anonymiser(Anonymiser("matching.Placement", "client_id", D))
