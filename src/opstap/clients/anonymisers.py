"""What retention (R-SEC-4) anonymises of the clients app, registered in `ready()`."""

from opstap.core.retention import IDENTIFYING_KEYS, Anonymiser, RecordKind, register_anonymiser

from .services import clients_anonymise

D = RecordKind.DOSSIER

register_anonymiser(
    Anonymiser("clients.Client", "pk", D, custom=clients_anonymise, description="BSN, naam, adres")
)
register_anonymiser(
    Anonymiser(
        "clients.ClientEvent",
        "client_id",
        D,
        texts=("summary", "note"),
        json_keys={"data": IDENTIFYING_KEYS},  # the hour-restriction history stays (R-BILL-6)
    )
)
register_anonymiser(Anonymiser("clients.LadderStepChange", "client_id", D, texts=("reason",)))
register_anonymiser(Anonymiser("clients.BudgetSpending", "client_id", D, texts=("purpose",)))
register_anonymiser(
    Anonymiser(
        "clients.ImportChange",
        "client_id",
        D,
        texts=("client_number",),
        json_keys={"before": IDENTIFYING_KEYS, "after": IDENTIFYING_KEYS},
    )
)
register_anonymiser(Anonymiser("clients.IncomeCoachAssignment", "client_id", D, texts=("reason",)))
