"""What retention (R-SEC-4) anonymises of the trajectories app, registered in `ready()`.
Dates, states, prices and outcome flags stay: the KPIs, indicators and SRG counts use them."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

D, DOC = RecordKind.DOSSIER, RecordKind.DOCUMENTS
T = "trajectory__client_id"

register_anonymiser(
    Anonymiser(
        "trajectories.Trajectory",
        "client_id",
        D,
        texts=("aim_description", "rotonde_skip_reason", "end_reason"),
    )
)
register_anonymiser(Anonymiser("trajectories.TrajectoryEvent", T, D, texts=("reason",)))
register_anonymiser(Anonymiser("trajectories.Appointment", T, D, texts=("description",)))
register_anonymiser(Anonymiser("trajectories.Absence", T, D, texts=("reason",)))
register_anonymiser(
    Anonymiser(
        "trajectories.Outcome",
        T,
        D,
        # contract_type_note: the free text of the contract type before it was a choice.
        texts=(
            "employer",
            "education_result",
            "participation",
            "care_referral",
            "contract_type_note",
        ),
    )
)
register_anonymiser(
    Anonymiser(
        "trajectories.TrajectoryDocument",
        T,
        DOC,
        texts=("title", "text", "file_name"),
        json_lists=("goals", "result_agreements"),  # "has agreements" counts (R-PI-1)
        files=("file",),
    )
)
register_anonymiser(Anonymiser("trajectories.Quote", T, DOC, texts=("text", "decision_reason")))
