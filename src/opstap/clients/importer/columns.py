"""The columns of the client import file and the words it accepts (docs/import-clients.md)."""

from __future__ import annotations

from dataclasses import dataclass

from opstap.clients import ladder
from opstap.clients.models import (
    BenefitType,
    LksStatus,
    Obstacle,
)
from opstap.core.errors import InvalidInputError

CHUNK = 2_000
#: The explicit marker that clears an optional field; an empty cell leaves it as stored.
CLEAR = "[leeg]"
MAX_STORED_ERRORS = 1_000

YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
BENEFITS = {
    "pw": BenefitType.PW,
    "bijstand": BenefitType.PW,
    "ioaw": BenefitType.IOAW,
    "ioaz": BenefitType.IOAZ,
    "bbz": BenefitType.BBZ,
    "geen": BenefitType.NONE,
    "": BenefitType.PW,
}
LKS = {
    "": LksStatus.NONE,
    "geen": LksStatus.NONE,
    "aangevraagd": LksStatus.REQUESTED,
    "lopend": LksStatus.ACTIVE,
    "beeindigd": LksStatus.ENDED,
    "beëindigd": LksStatus.ENDED,
}
SUB_STATUS = {
    "": "",
    "met groeipotentie": ladder.LadderSubStatus.WITH_GROWTH.value,
    "zonder groeipotentie": ladder.LadderSubStatus.WITHOUT_GROWTH.value,
    "niet werkfit": ladder.LadderSubStatus.NOT_WORK_READY.value,
}
OBSTACLES_NL = {
    "schulden": Obstacle.DEBTS,
    "taal": Obstacle.LANGUAGE,
    "digitaal": Obstacle.DIGITAL,
    "gezondheid": Obstacle.HEALTH,
    "zorgtaken": Obstacle.CARE_DUTIES,
    "kinderopvang": Obstacle.CHILD_CARE,
}


class RowError(InvalidInputError):
    """One row's refusal: `RowError(field, message)` (field first, as the importer reads)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool
    description: str


COLUMNS: list[Column] = [
    Column("klantnummer", "client_number", True, "Klantnummer van de sociale dienst (uniek)."),
    Column("bsn", "bsn", True, "BSN, 9 cijfers, elfproef."),
    Column("voornaam", "first_name", True, "Roepnaam."),
    Column("tussenvoegsel", "last_name_prefix", False, "Bijv. 'van der'."),
    Column("achternaam", "last_name", True, "Achternaam."),
    Column("geboortedatum", "date_of_birth", True, "dd-mm-jjjj of jjjj-mm-dd."),
    Column("adres", "street_address", False, "Straat en huisnummer."),
    Column("postcode", "postcode", False, "Bijv. 6921 AB."),
    Column("woonplaats", "city", False, "Plaats."),
    Column("gemeente", "municipality", True, "CBS-code (GM0226) of naam van de gemeente."),
    Column(
        "uitkering",
        "benefit_type",
        False,
        "pw, ioaw, ioaz, bbz of geen (nieuwe klant zonder waarde: pw).",
    ),
    Column("ingang_uitkering", "benefit_start_date", False, "Datum."),
    Column("einde_uitkering", "benefit_end_date", False, "Datum ([leeg] = lopend)."),
    Column("ontheffing", "exempt_from_labour_obligation", False, "ja/nee."),
    Column("einde_ontheffing", "exemption_end_date", False, "Datum."),
    Column("doelgroepregister", "ldr_registered", False, "ja/nee."),
    Column("nbw", "nbw_indication", False, "ja/nee."),
    Column("lks", "lks_status", False, "geen, aangevraagd, lopend of beeindigd."),
    Column("urenbeperking", "hour_restriction", False, "Uren per week (0-40), [leeg] = geen."),
    Column("migratieachtergrond", "migration_background", False, "ja/nee."),
    Column(
        "belemmeringen",
        "obstacles",
        False,
        "Codes gescheiden door ';': schulden, taal, digitaal, gezondheid, zorgtaken, kinderopvang.",
    ),
    Column("trede", "ladder_step", True, "1, 2a, 2b, 3, 4, 5 of 6."),
    Column(
        "substatus",
        "ladder_sub_status",
        False,
        "Bij trede 6: met groeipotentie, zonder groeipotentie of niet werkfit.",
    ),
    Column(
        "klantmanager",
        "case_manager",
        False,
        "Gebruikersnaam van een actieve klantmanager; verplicht voor een nieuwe klant, "
        "[leeg] kan niet.",
    ),
]
HEADERS = [c.header for c in COLUMNS]
_HEADER_OF = {c.field: c.header for c in COLUMNS}
# Fields compared for idempotency (everything the file sets).
COMPARED = [c.field for c in COLUMNS if c.field not in {"case_manager", "municipality"}] + [
    "case_manager_id",
    "municipality_id",
]
