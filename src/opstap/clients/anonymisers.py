"""What retention (R-SEC-4) anonymises of the clients app, registered in `ready()`."""

from opstap.core.retention import Anonymiser, RecordKind, register_anonymiser

from .services import clients_anonymise

D = RecordKind.DOSSIER

register_anonymiser(
    Anonymiser("clients.Client", "pk", D, custom=clients_anonymise, description="BSN, naam, adres")
)
register_anonymiser(
    Anonymiser("clients.ClientEvent", "client_id", D, texts=("summary", "note"), clear={"data": {}})
)
register_anonymiser(Anonymiser("clients.LadderStepChange", "client_id", D, texts=("reason",)))
register_anonymiser(Anonymiser("clients.BudgetSpending", "client_id", D, texts=("purpose",)))
register_anonymiser(
    Anonymiser(
        "clients.ImportChange",
        "client_id",
        D,
        texts=("client_number",),
        clear={"before": {}, "after": {}},
    )
)
register_anonymiser(Anonymiser("clients.IncomeCoachAssignment", "client_id", D, texts=("reason",)))
