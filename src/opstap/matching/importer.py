"""Vacancy import (CSV or xlsx) with per-line Dutch errors (R-MAT, R-SEC-6).

The file is read into rows of text (`read_rows`); `services.vacancy_import` validates every
line with the same service as the page and the API and stores nothing unless every line is
valid (one transaction). The columns (header row, case-insensitive; `;` or `,` separated CSV)
are the table `COLUMNS`, which the import page shows to the user as it is: the name, whether
it is required, and what it holds, in Dutch.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from .scoring import WORK_DEMAND_NAMES_NL, Education, WorkDemand

__all__ = [
    "COLUMNS",
    "DEMAND_WORDS",
    "HEADERS",
    "REQUIRED",
    "ImportColumn",
    "ImportFileError",
    "read_rows",
    "row_to_fields",
]

#: What to write in `werkbelasting` for each work demand (the page lists them); the full Dutch
#: name and the internal code of earlier files are read too.
DEMAND_WORDS: dict[WorkDemand, str] = {
    WorkDemand.PHYSICAL: "tillen",
    WorkDemand.STANDING: "staan",
    WorkDemand.NIGHT_SHIFTS: "nachtdiensten",
    WorkDemand.CUSTOMER_CONTACT: "klantcontact",
    WorkDemand.BUSY_ENVIRONMENT: "drukte",
    WorkDemand.HEIGHTS: "hoogte",
    WorkDemand.TIME_PRESSURE: "tijdsdruk",
}
_DEMAND_OF: dict[str, str] = {
    **{demand.value: demand.value for demand in WorkDemand},
    **{name.lower(): demand.value for demand, name in WORK_DEMAND_NAMES_NL.items()},
    **{word: demand.value for demand, word in DEMAND_WORDS.items()},
}


@dataclass(frozen=True, slots=True)
class ImportColumn:
    """One column of the import file as the page explains it: what it holds, the literal
    values it takes (each with its meaning where the word alone does not say it), and what
    an empty cell means."""

    header: str
    required: bool
    description: str
    values: tuple[tuple[str, str], ...] = ()
    when_empty: str = ""


_YES_NO = (("ja", ""), ("nee", ""))

COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("kvk", True, "KvK-nummer (8 cijfers) van een werkgever die al in Opstap staat."),
    ImportColumn("functie", True, "Functienaam zoals de werkgever die noemt."),
    ImportColumn("isco", True, "Beroepscode volgens ISCO-08, 4 cijfers (bijv. 5223)."),
    ImportColumn("uren_min", True, "Minimum aantal uren per week."),
    ImportColumn("uren_max", True, "Maximum aantal uren per week."),
    ImportColumn("postcode", True, "Postcode van de werkplek (bijv. 6901 AB)."),
    ImportColumn(
        "opleiding",
        False,
        "Minimaal opleidingsniveau, één van:",
        tuple((level.value if level.value != "none" else "geen", "") for level in Education),
        "geen eis.",
    ),
    ImportColumn(
        "contract",
        False,
        "Soort contract, één van:",
        (
            ("vast", ""),
            ("bepaald", "bepaalde tijd"),
            ("uitzend", "uitzendwerk"),
            ("proef", "proefplaatsing"),
            ("beschut", "beschut werk"),
        ),
        "bepaalde tijd.",
    ),
    ImportColumn("contractduur", False, "Duur van het contract in maanden."),
    ImportColumn("startdatum", False, "Gewenste startdatum, dd-mm-jjjj."),
    ImportColumn(
        "soort",
        False,
        "Soort plek, één van:",
        (("regulier", ""), ("garantiebaan", ""), ("beschut", "beschut werk")),
        "regulier.",
    ),
    ImportColumn("lks", False, "Kan met loonkostensubsidie:", _YES_NO, "nee."),
    ImportColumn("rijbewijs", False, "Rijbewijs nodig:", _YES_NO, "nee."),
    ImportColumn("vereist", False, "Vereiste vaardigheden, gescheiden door komma's."),
    ImportColumn("gewenst", False, "Gewenste vaardigheden, gescheiden door komma's."),
    ImportColumn(
        "werkbelasting",
        False,
        "Wat het werk vraagt, gescheiden door komma's:",
        tuple((word, "") for word in DEMAND_WORDS.values()),
        "niets bijzonders.",
    ),
    ImportColumn("omschrijving", False, "Vrije tekst over de vacature."),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(c.header for c in COLUMNS if c.required)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
YES = {"ja", "j", "yes", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
CONTRACTS = {
    "vast": "permanent",
    "bepaald": "fixed",
    "bepaalde tijd": "fixed",
    "uitzend": "agency",
    "proef": "trial",
    "beschut": "wsw",
}
EXITS = {"": "regular", "regulier": "regular", "garantiebaan": "garantiebaan", "beschut": "beschut"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (Dutch message)."""


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    """Rows as {column: text} (header names lower-cased), numbered from line 2."""
    if len(data) > MAX_BYTES:
        raise ImportFileError("Het bestand is groter dan 5 MB.")
    if name.lower().endswith(".xlsx"):
        rows = _xlsx(data)
    elif name.lower().endswith((".csv", ".txt")):
        rows = _csv(data)
    else:
        raise ImportFileError("Kies een CSV- of Excelbestand (.csv of .xlsx).")
    if not rows:
        raise ImportFileError("Het bestand is leeg.")
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(f"Deze kolommen ontbreken: {', '.join(missing)}.")
    unknown = [h for h in header if h and h not in HEADERS]
    if unknown:
        raise ImportFileError(f"Onbekende kolommen: {', '.join(unknown)}.")
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"Hoogstens {MAX_ROWS} regels per bestand.")
    return [
        {h: str(v if v is not None else "").strip() for h, v in zip(header, r, strict=False) if h}
        for r in body
    ]


def _csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Het CSV-bestand is geen UTF-8-tekst.") from exc
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)]


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError("Het Excelbestand kan niet worden gelezen.") from exc
    sheet = book.worksheets[0]
    return [
        [_cell(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
        if any(v not in (None, "") for v in row)
    ]


def _cell(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date().strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _bool(value: str, column: str) -> bool:
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise ValueError(column, f"Vul bij {column} ja of nee in.")


def row_to_fields(row: dict[str, str]) -> dict[str, Any]:
    """The service's keyword arguments for one line (raises ValueError(field, message) for
    a value this importer itself cannot translate)."""
    contract = row.get("contract", "").strip().lower()
    if contract and contract not in CONTRACTS:
        raise ValueError("contract_type", f"Onbekend contract '{contract}'.")
    kind = row.get("soort", "").strip().lower()
    if kind not in EXITS:
        raise ValueError("exit", f"Onbekende soort plek '{kind}'.")
    education = row.get("opleiding", "").strip().lower().replace(" ", "")
    demands = []
    for word in (d.strip().lower() for d in row.get("werkbelasting", "").split(",")):
        if not word:
            continue
        if word not in _DEMAND_OF:
            raise ValueError(
                "demands",
                f"Onbekende werkbelasting '{word}'; kies uit "
                + ", ".join(DEMAND_WORDS.values())
                + ".",
            )
        demands.append(_DEMAND_OF[word])
    return {
        "title": row.get("functie", ""),
        "occupation": row.get("isco", ""),
        "hours_min": row.get("uren_min", ""),
        "hours_max": row.get("uren_max", ""),
        "postcode": row.get("postcode", ""),
        "education": {"geen": "none"}.get(education, education) or "none",
        "contract_type": CONTRACTS.get(contract, "fixed"),
        "contract_months": row.get("contractduur", ""),
        "start_date": row.get("startdatum", ""),
        "exit": EXITS[kind],
        "offers_lks": _bool(row.get("lks", ""), "lks"),
        "requires_driving_licence": _bool(row.get("rijbewijs", ""), "rijbewijs"),
        "required_skills": row.get("vereist", ""),
        "desired_skills": row.get("gewenst", ""),
        "demands": demands,
        "description": row.get("omschrijving", ""),
    }
