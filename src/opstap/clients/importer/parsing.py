"""Reading the import file (CSV or xlsx, streaming) and validating one row: fields, 11-check,
dates; every error per line and field in Dutch.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from opstap.accounts import selectors as account_selectors
from opstap.clients import ladder
from opstap.clients.services import ClientError, bsn_clean, client_field_errors
from opstap.core import dutch
from opstap.core.errors import InvalidInputError
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality

from .columns import (
    _HEADER_OF,
    BENEFITS,
    CLEAR,
    COLUMNS,
    LKS,
    NO,
    OBSTACLES_NL,
    SUB_STATUS,
    YES,
    RowError,
)
from .files import open_import_file

# --- Reading (streaming) --------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, dt.date) else str(value).strip()


def iter_rows(file_path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, {header: value}) of the stored file (`files.open_import_file`); line 1 is
    the header row."""
    name = str(file_path)
    with open_import_file(name) as stored:
        if name.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            wb = load_workbook(stored, read_only=True, data_only=True)
            try:
                rows = wb.active.iter_rows(values_only=True)  # type: ignore[union-attr]
                header = [str(h or "").strip().lower() for h in next(rows, ())]
                _check_header(header)
                for number, row in enumerate(rows, start=2):
                    if row is None or all(v in (None, "") for v in row):
                        continue
                    cells = list(row) + [None] * (len(header) - len(row))
                    yield number, {h: _cell(v) for h, v in zip(header, cells, strict=False) if h}
            finally:
                wb.close()
            return
        fh = io.TextIOWrapper(stored, encoding=_text_encoding(name), newline="")
        first = fh.readline()
        # the separator the header row uses most: Dutch Excel writes ';', others ',' or a tab
        delimiter = max((";", ",", "\t"), key=first.count)
        header = [
            h.strip().lower() for h in next(csv.reader(io.StringIO(first), delimiter=delimiter))
        ]
        _check_header(header)
        for number, row in enumerate(csv.reader(fh, delimiter=delimiter), start=2):
            if not any(v.strip() for v in row):
                continue
            cells = row + [""] * (len(header) - len(row))
            yield number, {h: v.strip() for h, v in zip(header, cells, strict=False) if h}


class ImportFileError(InvalidInputError):
    """The file as a whole cannot be read (wrong columns, wrong type)."""


NOT_TEXT = (
    "Dit bestand is geen CSV-bestand dat wij kunnen lezen. Sla het in Excel op als "
    "'CSV UTF-8 (door komma's gescheiden)' of als Excel-werkmap (.xlsx) en importeer het "
    "opnieuw."
)


def _text_encoding(name: str) -> str:
    """The encoding of a stored CSV file: UTF-8 (with or without BOM), UTF-16 with a BOM
    (Excel's "Unicode-tekst"), else Windows-1252 (Excel's "CSV (puntkomma)" on a Dutch
    Windows: an 'ë' was byte 0xEB, and the import failed with "UnicodeDecodeError"). Reads
    the file in blocks (a second pass only for Windows-1252); a file with NUL bytes or bytes
    no encoding explains is refused in Dutch."""
    with open_import_file(name) as stored:
        head = stored.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if _decodes(stored, "utf-8", head):
            return "utf-8-sig"
    with open_import_file(name) as stored:
        if _decodes(stored, "cp1252", b""):
            return "cp1252"
    raise ImportFileError(NOT_TEXT)


def _decodes(stored: IO[bytes], encoding: str, head: bytes) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    block = head
    try:
        while True:
            if b"\x00" in block:
                raise ImportFileError(NOT_TEXT)
            decoder.decode(block)
            block = stored.read(1 << 16)
            if not block:
                decoder.decode(b"", final=True)
                return True
    except UnicodeDecodeError:
        return False
        return "utf-8-sig"
    return "cp1252"


def _check_header(header: list[str]) -> None:
    missing = [c.header for c in COLUMNS if c.required and c.header not in header]
    if missing:
        raise ImportFileError(
            "Het bestand mist de verplichte kolom(men): " + ", ".join(missing) + ". "
            'De kolommen staan op de pagina Klanten importeren, onder "Welke kolommen?".'
        )


# --- Parsing one row ------------------------------------------------------------------------


def parse_date(value: Any, field: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    try:
        return dutch.parse_date(text)
    except ValueError:
        raise RowError(
            field, f"De datum '{text}' heeft niet het formaat dd-mm-jjjj (of jjjj-mm-dd)."
        ) from None


def _bool(value: Any, field: str) -> bool:
    text = str(value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(field, f"Vul 'ja' of 'nee' in, niet '{value}'.")


@dataclass
class Lookups:
    municipalities: dict[str, int]
    case_managers: dict[str, int]

    @classmethod
    def load(cls, organisation_id: int) -> Lookups:
        municipalities: dict[str, int] = {}
        for m in Municipality.objects.filter(organisation_id=organisation_id):
            municipalities[m.cbs_code.lower()] = m.pk
            municipalities[m.name.lower()] = m.pk
        # R-CLI-3: only active case managers of the organisation can be given a client.
        managers = dict(
            account_selectors.active_users_with_role(
                organisation_id, RoleCode.CASE_MANAGER
            ).values_list("username", "pk")
        )
        return cls(municipalities, {k.lower(): v for k, v in managers.items()})


def parse_row(
    raw: dict[str, Any], lookups: Lookups, today: dt.date
) -> tuple[dict[str, Any], list[RowError]]:
    """Validate one row; returns the values for the Client fields and all errors of the row."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []

    def text(header: str) -> str:
        return str(raw.get(header, "") or "").strip()

    def cleared(header: str) -> bool:
        return text(header).lower() == CLEAR

    def given(header: str) -> bool:
        """The row states a value for this optional column (a value or the [leeg] marker)."""
        return bool(text(header)) or isinstance(raw.get(header), dt.date)

    def attempt(fn: Callable[[], None]) -> None:
        try:
            fn()
        except RowError as exc:
            errors.append(exc)

    errors.extend(
        RowError(col.header, f"De kolom '{col.header}' is verplicht.")
        for col in COLUMNS
        if col.required and not text(col.header) and not isinstance(raw.get(col.header), dt.date)
    )
    required_missing = {e.field for e in errors}

    values["client_number"] = text("klantnummer")
    values["first_name"] = text("voornaam")
    values["last_name"] = text("achternaam")
    for header, field in (
        ("tussenvoegsel", "last_name_prefix"),
        ("adres", "street_address"),
        ("postcode", "postcode"),
        ("woonplaats", "city"),
    ):
        # An absent column or an empty cell leaves the stored value; [leeg] clears it.
        if cleared(header):
            values[field] = ""
        elif text(header):
            values[field] = text(header).upper() if field == "postcode" else text(header)

    def do_bsn() -> None:
        try:
            values["bsn"] = bsn_clean(text("bsn"))
        except ClientError as exc:
            raise RowError("bsn", exc.message) from exc

    if "bsn" not in required_missing:
        attempt(do_bsn)

    def do_dob() -> None:
        values["date_of_birth"] = parse_date(raw.get("geboortedatum"), "geboortedatum")

    if "geboortedatum" not in required_missing:
        attempt(do_dob)

    def do_municipality() -> None:
        key = text("gemeente").lower()
        if key not in lookups.municipalities:
            raise RowError("gemeente", f"Onbekende gemeente '{text('gemeente')}'.")
        values["municipality_id"] = lookups.municipalities[key]

    if "gemeente" not in required_missing:
        attempt(do_municipality)

    def do_benefit() -> None:
        if cleared("uitkering"):
            raise RowError("uitkering", "Een uitkering kan niet leeg; kies 'geen'.")
        key = text("uitkering").lower()
        if key not in BENEFITS:
            raise RowError(
                "uitkering",
                f"Onbekende uitkering '{text('uitkering')}': kies pw, ioaw, ioaz, bbz of geen.",
            )
        values["benefit_type"] = BENEFITS[key].value

    if given("uitkering"):
        attempt(do_benefit)
    for header, field in (
        ("ingang_uitkering", "benefit_start_date"),
        ("einde_uitkering", "benefit_end_date"),
        ("einde_ontheffing", "exemption_end_date"),
    ):

        def do_date(header: str = header, field: str = field) -> None:
            values[field] = None if cleared(header) else parse_date(raw.get(header), header)

        if given(header):
            attempt(do_date)
    for header, field in (
        ("ontheffing", "exempt_from_labour_obligation"),
        ("doelgroepregister", "ldr_registered"),
        ("nbw", "nbw_indication"),
        ("migratieachtergrond", "migration_background"),
    ):

        def do_bool(header: str = header, field: str = field) -> None:
            values[field] = False if cleared(header) else _bool(raw.get(header), header)

        if given(header):
            attempt(do_bool)

    def do_lks() -> None:
        key = "" if cleared("lks") else text("lks").lower()
        if key not in LKS:
            raise RowError("lks", f"Onbekende LKS-status '{text('lks')}'.")
        values["lks_status"] = LKS[key].value

    if given("lks"):
        attempt(do_lks)

    def do_hours() -> None:
        t = text("urenbeperking")
        if cleared("urenbeperking"):
            values["hour_restriction"] = None
            return
        if not t.isdigit():
            raise RowError(
                "urenbeperking", f"De urenbeperking '{t}' moet een heel getal van 0 tot 40 zijn."
            )
        values["hour_restriction"] = int(t)

    if given("urenbeperking"):
        attempt(do_hours)

    def do_obstacles() -> None:
        codes: list[str] = []
        for part in (
            ("" if cleared("belemmeringen") else text("belemmeringen")).replace(",", ";").split(";")
        ):
            key = part.strip().lower()
            if not key:
                continue
            if key not in OBSTACLES_NL:
                raise RowError("belemmeringen", f"Onbekende belemmering '{part.strip()}'.")
            if OBSTACLES_NL[key].value not in codes:
                codes.append(OBSTACLES_NL[key].value)
        values["obstacles"] = codes

    if given("belemmeringen"):
        attempt(do_obstacles)

    def do_ladder() -> None:
        sub_key = "" if cleared("substatus") else text("substatus").lower()
        if sub_key not in SUB_STATUS:
            raise RowError("substatus", f"Onbekende substatus '{text('substatus')}'.")
        try:
            pos = ladder.validate_position(text("trede").lower(), SUB_STATUS[sub_key] or None)
        except ladder.LadderRuleError as exc:
            raise RowError("trede", str(exc)) from exc
        values["ladder_step"] = pos.step.value
        values["ladder_sub_status"] = pos.sub_status.value if pos.sub_status else ""

    if "trede" not in required_missing:
        attempt(do_ladder)

    def do_case_manager() -> None:
        name = text("klantmanager").lower()
        if cleared("klantmanager"):
            # R-CLI-3: a client always has a case manager; another one is handed over.
            raise RowError(
                "klantmanager",
                f"Een klant heeft altijd een klantmanager: {CLEAR} kan hier niet. Vul de "
                "gebruikersnaam van de klantmanager in.",
            )
        if name not in lookups.case_managers:
            raise RowError(
                "klantmanager",
                f"Onbekende klantmanager '{text('klantmanager')}': vul de gebruikersnaam in van "
                "een actieve klantmanager van deze organisatie.",
            )
        values["case_manager_id"] = lookups.case_managers[name]

    if given("klantmanager"):
        attempt(do_case_manager)
    # The value rules themselves are the service's (one home, R-CLI-1): this file only parses.
    errors.extend(
        RowError(_HEADER_OF.get(exc.field or "", exc.field or ""), exc.message)
        for exc in client_field_errors(values, today=today)
        # an empty client number is already "De kolom 'klantnummer' is verplicht."
        if not (exc.field == "client_number" and "klantnummer" in required_missing)
    )
    return values, errors
