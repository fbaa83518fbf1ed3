"""Client import from the benefit administration (R-SEC-6): CSV or xlsx.

Two streaming passes over the file with constant memory per chunk (csv reader / openpyxl
read_only): first every row is validated (fields, 11-check, dates, duplicates in the file and
conflicts with the database) and *all* errors are collected per line and field in Dutch;
nothing goes further unless the whole file is valid — or, by explicit choice, only the valid
rows. The second pass stores the preview: one ImportChange per new or changed client, with
the old and new value of each changed field. An update changes only the columns the file
has, and an empty cell keeps the stored value (`[leeg]` clears). `import_commit` writes the
preview in one transaction; `import_undo` restores it as one action. Idempotent on the client
number. The column list below is documented in docs/import-clients.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.errors import InvalidInputError
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality

from . import ladder
from .models import (
    BenefitType,
    Client,
    ClientEvent,
    ClientEventKind,
    ImportChange,
    ImportChangeKind,
    ImportJob,
    ImportStatus,
    LadderStepChange,
    LksStatus,
    Obstacle,
)
from .selectors import CLIENT_COUNTS
from .services import ClientError, bsn_clean, client_field_errors

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
    Column("klantmanager", "case_manager", False, "Gebruikersnaam van de klantmanager."),
]
HEADERS = [c.header for c in COLUMNS]
_HEADER_OF = {c.field: c.header for c in COLUMNS}
# Fields compared for idempotency (everything the file sets).
COMPARED = [c.field for c in COLUMNS if c.field not in {"case_manager", "municipality"}] + [
    "case_manager_id",
    "municipality_id",
]


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


def iter_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, {header: value}); line 1 is the header row."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
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
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        delimiter = ";" if first.count(";") >= first.count(",") else ","
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


def _check_header(header: list[str]) -> None:
    missing = [c.header for c in COLUMNS if c.required and c.header not in header]
    if missing:
        raise ImportFileError(
            "Het bestand mist de verplichte kolom(men): " + ", ".join(missing) + ". "
            "Zie docs/import-clients.md voor de kolommen."
        )


# --- Parsing one row ------------------------------------------------------------------------


def parse_date(value: Any, field: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise RowError(field, f"De datum '{text}' heeft niet het formaat dd-mm-jjjj (of jjjj-mm-dd).")


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
        managers = dict(
            User.objects.filter(organisation_id=organisation_id, roles__code=RoleCode.CASE_MANAGER)
            .values_list("username", "pk")
            .distinct()
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
            values["case_manager_id"] = None
            return
        if name not in lookups.case_managers:
            raise RowError("klantmanager", f"Onbekende klantmanager '{text('klantmanager')}'.")
        values["case_manager_id"] = lookups.case_managers[name]

    if given("klantmanager"):
        attempt(do_case_manager)
    # The value rules themselves are the service's (one home, R-CLI-1): this file only parses.
    errors.extend(
        RowError(_HEADER_OF.get(exc.field or "", exc.field or ""), exc.message)
        for exc in client_field_errors(values, today=today)
    )
    return values, errors


# --- The job --------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]


def _chunks(
    path: Path, lookups: Lookups, today: dt.date
) -> Iterator[list[tuple[int, dict[str, Any], list[RowError]]]]:
    chunk: list[tuple[int, dict[str, Any], list[RowError]]] = []
    for line, raw in iter_rows(path):
        values, errors = parse_row(raw, lookups, today)
        chunk.append((line, values, errors))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _db_conflicts(
    organisation_id: int, chunk: list[tuple[int, dict[str, Any], list[RowError]]]
) -> None:
    """A BSN already stored under another client number (or vice versa) is an error."""
    bsns = {v["bsn"] for _l, v, e in chunk if "bsn" in v}
    numbers = {v["client_number"] for _l, v, e in chunk if v.get("client_number")}
    by_bsn = dict(
        Client.objects.filter(organisation_id=organisation_id, bsn__in=bsns).values_list(
            "bsn", "client_number"
        )
    )
    by_number = dict(
        Client.objects.filter(
            organisation_id=organisation_id, client_number__in=numbers
        ).values_list("client_number", "bsn")
    )
    for _line, values, errors in chunk:
        bsn, number = values.get("bsn"), values.get("client_number")
        if bsn and bsn in by_bsn and by_bsn[bsn] != number:
            # Never name the other client: the importer (an administrator) has no access to
            # dossiers, and the error page would link a BSN to a client number (issue 19).
            errors.append(
                RowError(
                    "bsn",
                    "Dit BSN is al bekend onder een ander klantnummer. Laat een klantmanager "
                    "het dossier controleren.",
                )
            )
        if number and number in by_number and bsn and by_number[number] != bsn:
            errors.append(RowError("bsn", "Dit klantnummer is al bekend met een ander BSN."))


def _save_progress(job: ImportJob, **fields: Any) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run_import(
    job: ImportJob,
    *,
    commit: bool = False,
    on_progress: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Validate the whole file, then (if allowed) prepare the preview: one ImportChange per
    client the file creates or changes, nothing written to the clients. `commit=True` (the
    command line with --bevestig, tests) commits right after the preview. Progress is stored
    on the job: `processed_rows` counts the validation pass, then the preview pass."""
    path = Path(job.file_path)
    org_id = job.organisation_id
    today = timezone.localdate()
    try:
        lookups = Lookups.load(org_id)
        _save_progress(job, status=ImportStatus.VALIDATING, processed_rows=0)
        total = 0
        error_count = 0
        stored: list[dict[str, Any]] = []
        seen_numbers: set[str] = set()
        seen_bsns: set[str] = set()
        for chunk in _chunks(path, lookups, today):
            for _line, values, errors in chunk:
                number, bsn = values.get("client_number"), values.get("bsn")
                if number:
                    if number in seen_numbers:
                        errors.append(
                            RowError(
                                "klantnummer",
                                f"Klantnummer {number} staat al eerder in het bestand.",
                            )
                        )
                    seen_numbers.add(number)
                if bsn:
                    if bsn in seen_bsns:
                        errors.append(RowError("bsn", "Dit BSN staat al eerder in het bestand."))
                    seen_bsns.add(bsn)
            _db_conflicts(org_id, chunk)
            for line, _values, errors in chunk:
                for err in errors:
                    error_count += 1
                    if len(stored) < MAX_STORED_ERRORS:
                        stored.append({"line": line, "field": err.field, "message": err.message})
            total += len(chunk)
            _save_progress(job, processed_rows=total, error_count=error_count)
            if on_progress:
                on_progress(job)
        del seen_numbers, seen_bsns
        _save_progress(job, total_rows=total, errors=stored, error_count=error_count)
        if error_count and not job.only_valid_rows:
            _save_progress(
                job,
                status=ImportStatus.REJECTED,
                finished_at=timezone.now(),
                message=(
                    f"Het bestand bevat {error_count} fout(en); er is niets opgeslagen. "
                    "Verbeter het bestand en importeer het opnieuw."
                ),
            )
            return job
        created = updated = unchanged = 0
        with transaction.atomic():
            ImportChange.objects.filter(job=job).delete()
            for chunk in _chunks(path, lookups, today):
                valid = [(line, v) for line, v, errs in chunk if not errs]
                c, u, n = _preview_chunk(job, valid)
                created, updated, unchanged = created + c, updated + u, unchanged + n
        skipped = f" {error_count} regel(s) met fouten worden overgeslagen." if error_count else ""
        _save_progress(
            job,
            status=ImportStatus.PREVIEW,
            processed_rows=total,
            created_count=created,
            updated_count=updated,
            unchanged_count=unchanged,
            message=(
                f"Controleer de wijzigingen: {created} nieuw, {updated} gewijzigd, "
                f"{unchanged} ongewijzigd.{skipped} Er is nog niets opgeslagen."
            ),
        )
    except ImportFileError as exc:
        _save_progress(
            job, status=ImportStatus.REJECTED, message=str(exc), finished_at=timezone.now()
        )
        return job
    except Exception as exc:
        _save_progress(
            job,
            status=ImportStatus.FAILED,
            message=f"De import is mislukt; er is niets half opgeslagen ({type(exc).__name__}).",
            finished_at=timezone.now(),
        )
        raise
    if commit:
        return import_commit(actor=job.created_by, job=job)
    return job


# --- Before/after values (JSON) --------------------------------------------------------------

DATE_FIELDS = {"date_of_birth", "benefit_start_date", "benefit_end_date", "exemption_end_date"}


def to_json(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def from_json(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def changed_fields(current: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields the row changes: only fields the row states (R-SEC-6). `current` is a
    client (or any object with the same attributes); {field: (old, new)}."""
    return {
        f: (getattr(current, f), values[f])
        for f in COMPARED
        if f in values and getattr(current, f) != values[f]
    }


def _preview_chunk(job: ImportJob, rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, int, int]:
    org_id = job.organisation_id
    existing = {
        c.client_number: c
        for c in Client.objects.filter(
            organisation_id=org_id, client_number__in=[v["client_number"] for _l, v in rows]
        )
    }
    changes: list[ImportChange] = []
    created = unchanged = 0
    for line, values in rows:
        client = existing.get(values["client_number"])
        if client is None:
            created += 1
            changes.append(
                ImportChange(
                    organisation_id=org_id,
                    job=job,
                    line=line,
                    kind=ImportChangeKind.CREATE,
                    client_number=values["client_number"],
                    after={f: to_json(f, v) for f, v in values.items()},
                )
            )
            continue
        diff = changed_fields(client, values)
        if not diff:
            unchanged += 1
            continue
        changes.append(
            ImportChange(
                organisation_id=org_id,
                job=job,
                line=line,
                kind=ImportChangeKind.UPDATE,
                client_number=client.client_number,
                client=client,
                before={f: to_json(f, old) for f, (old, _new) in diff.items()},
                after={f: to_json(f, new) for f, (_old, new) in diff.items()},
            )
        )
    ImportChange.objects.bulk_create(changes, batch_size=CHUNK)
    return created, len(changes) - created, unchanged


# --- Commit and undo (services) --------------------------------------------------------------


class ImportActionError(ClientError):
    """A commit or undo that cannot be done; `conflict` marks a lost race (HTTP 409)."""

    def __init__(self, message: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


def _changes(job: ImportJob) -> Iterator[list[ImportChange]]:
    """The job's changes in chunks, by id (constant memory)."""
    last = 0
    while True:
        chunk = list(
            ImportChange.objects.filter(job=job, id__gt=last).select_related("client")[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _locked_clients(org_id: int, ids: list[int]) -> dict[int, Client]:
    return {
        c.pk: c
        for c in Client.objects.select_for_update().filter(organisation_id=org_id, pk__in=ids)
    }


def _holds(client: Client, expected: dict[str, Any]) -> bool:
    return all(getattr(client, f) == from_json(f, v) for f, v in expected.items())


def _label(field: str) -> str:
    name = "case_manager" if field == "case_manager_id" else field
    name = "municipality" if name == "municipality_id" else name
    return str(getattr(Client._meta.get_field(name), "verbose_name", name))


def import_commit(*, actor: Any, job: ImportJob) -> ImportJob:
    """Write the previewed changes in one transaction (R-SEC-6). A client that changed since
    the preview (or a client number that appeared) refuses the whole commit with a conflict:
    nothing is written and the file must be checked again."""
    org_id = job.organisation_id
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ImportActionError(
                "Deze import wacht niet op bevestiging (al bevestigd, afgekeurd of teruggedraaid).",
                conflict=True,
            )
        for chunk in _changes(locked):
            updates = [c for c in chunk if c.kind == ImportChangeKind.UPDATE]
            clients = _locked_clients(org_id, [c.client_id for c in updates if c.client_id])
            changed: list[Client] = []
            fields: set[str] = set()
            events: list[ClientEvent] = []
            ladder_rows: list[LadderStepChange] = []
            for change in updates:
                client = clients.get(change.client_id or 0)
                if client is None or not _holds(client, change.before):
                    raise ImportActionError(
                        f"De klant op regel {change.line} is gewijzigd sinds de controle; er is "
                        "niets opgeslagen. Importeer het bestand opnieuw.",
                        conflict=True,
                    )
                after = {f: from_json(f, v) for f, v in change.after.items()}
                if "ladder_step" in after or "ladder_sub_status" in after:
                    ladder_rows.append(
                        LadderStepChange(
                            organisation_id=org_id,
                            client=client,
                            step=after.get("ladder_step", client.ladder_step),
                            sub_status=after.get("ladder_sub_status", client.ladder_sub_status),
                            previous_step=client.ladder_step,
                            previous_sub_status=client.ladder_sub_status,
                            effective_date=today,
                            changed_at=now,
                            changed_by=actor,
                            reason=f"Import {locked.file_name}"[:200],
                        )
                    )
                    client.ladder_step_since = today
                    fields.add("ladder_step_since")
                for f, v in after.items():
                    setattr(client, f, v)
                fields.update(after)
                client.updated_at = now
                changed.append(client)
                events.append(
                    ClientEvent(
                        organisation_id=org_id,
                        client=client,
                        kind=ClientEventKind.IMPORT,
                        occurred_at=now,
                        actor=actor,
                        summary=("Bijgewerkt via import: " + ", ".join(sorted(map(_label, after))))[
                            :300
                        ],
                        data={"import_job": locked.pk, "fields": sorted(after)},
                        source="clients.import",
                    )
                )
            if changed:
                Client.objects.bulk_update(
                    changed, sorted(fields | {"updated_at"}), batch_size=CHUNK
                )
            creates = [c for c in chunk if c.kind == ImportChangeKind.CREATE]
            if creates:
                numbers = [c.client_number for c in creates]
                taken = set(
                    Client.objects.filter(
                        organisation_id=org_id, client_number__in=numbers
                    ).values_list("client_number", flat=True)
                )
                if taken:
                    line = next(c.line for c in creates if c.client_number in taken)
                    raise ImportActionError(
                        f"Het klantnummer op regel {line} bestaat inmiddels; er is niets "
                        "opgeslagen. Importeer het bestand opnieuw.",
                        conflict=True,
                    )
                new = [
                    Client(
                        organisation_id=org_id,
                        ladder_step_since=today,
                        **{f: from_json(f, v) for f, v in c.after.items()},
                    )
                    for c in creates
                ]
                Client.objects.bulk_create(new, batch_size=CHUNK)
                ids = dict(
                    Client.objects.filter(
                        organisation_id=org_id, client_number__in=numbers
                    ).values_list("client_number", "pk")
                )
                for change in creates:
                    change.client_id = ids[change.client_number]
                ImportChange.objects.bulk_update(creates, ["client"], batch_size=CHUNK)
                for c in new:
                    c.pk = ids[c.client_number]
                    ladder_rows.append(
                        LadderStepChange(
                            organisation_id=org_id,
                            client=c,
                            step=c.ladder_step,
                            sub_status=c.ladder_sub_status,
                            effective_date=today,
                            changed_at=now,
                            changed_by=actor,
                            reason=f"Import {locked.file_name}"[:200],
                        )
                    )
                    events.append(
                        ClientEvent(
                            organisation_id=org_id,
                            client=c,
                            kind=ClientEventKind.IMPORT,
                            occurred_at=now,
                            actor=actor,
                            summary=f"Ingeschreven via import {locked.file_name}"[:300],
                            data={"import_job": locked.pk},
                            source="clients.import",
                        )
                    )
            LadderStepChange.objects.bulk_create(ladder_rows, batch_size=CHUNK)
            ClientEvent.objects.bulk_create(events, batch_size=CHUNK)
        skipped = f" {locked.error_count} fout(en) overgeslagen." if locked.error_count else ""
        message = (
            f"{locked.created_count} nieuw, {locked.updated_count} gewijzigd, "
            f"{locked.unchanged_count} ongewijzigd.{skipped}"
        )
        _save_progress(locked, status=ImportStatus.DONE, finished_at=now, message=message)
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            organisation_id=org_id,
            object_type="client_import",
            object_id=locked.pk,
            purpose=f"Klantimport bevestigd: {message}"[:200],
        )
        if locked.created_count or locked.updated_count:
            CLIENT_COUNTS.changed_now_and_on_commit(org_id)
    return locked


def import_undo(*, actor: Any, job: ImportJob) -> ImportJob:
    """Undo a committed import as one action (R-SEC-6): changed clients get their old values
    back, created clients are removed. Refused (conflict, nothing undone) when a client was
    changed after the import or a created client has since been used (e.g. a trajectory)."""
    org_id = job.organisation_id
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.DONE:
            raise ImportActionError(
                "Alleen een bevestigde import kan worden teruggedraaid.", conflict=True
            )
        for chunk in _changes(locked):
            clients = _locked_clients(org_id, [c.client_id for c in chunk if c.client_id])
            restored: list[Client] = []
            fields: set[str] = set()
            events: list[ClientEvent] = []
            ladder_rows: list[LadderStepChange] = []
            removed: list[int] = []
            for change in chunk:
                client = clients.get(change.client_id or 0)
                if client is None or not _holds(client, change.after):
                    raise ImportActionError(
                        f"De klant op regel {change.line} is na de import gewijzigd; er is "
                        "niets teruggedraaid.",
                        conflict=True,
                    )
                if change.kind == ImportChangeKind.CREATE:
                    removed.append(client.pk)
                    continue
                before = {f: from_json(f, v) for f, v in change.before.items()}
                if "ladder_step" in before or "ladder_sub_status" in before:
                    ladder_rows.append(
                        LadderStepChange(
                            organisation_id=org_id,
                            client=client,
                            step=before.get("ladder_step", client.ladder_step),
                            sub_status=before.get("ladder_sub_status", client.ladder_sub_status),
                            previous_step=client.ladder_step,
                            previous_sub_status=client.ladder_sub_status,
                            effective_date=today,
                            changed_at=now,
                            changed_by=actor,
                            reason=f"Import {locked.file_name} teruggedraaid"[:200],
                        )
                    )
                for f, v in before.items():
                    setattr(client, f, v)
                fields.update(before)
                client.updated_at = now
                restored.append(client)
                events.append(
                    ClientEvent(
                        organisation_id=org_id,
                        client=client,
                        kind=ClientEventKind.IMPORT,
                        occurred_at=now,
                        actor=actor,
                        summary=f"Import {locked.file_name} teruggedraaid"[:300],
                        data={"import_job": locked.pk, "undone": sorted(before)},
                        source="clients.import",
                    )
                )
            if restored:
                Client.objects.bulk_update(
                    restored, sorted(fields | {"updated_at"}), batch_size=CHUNK
                )
            LadderStepChange.objects.bulk_create(ladder_rows, batch_size=CHUNK)
            ClientEvent.objects.bulk_create(events, batch_size=CHUNK)
            if removed:
                try:
                    with transaction.atomic():
                        Client.objects.filter(pk__in=removed).delete()
                except ProtectedError as exc:
                    raise ImportActionError(
                        "Een klant uit deze import is inmiddels in gebruik (bijvoorbeeld een "
                        "traject); er is niets teruggedraaid.",
                        conflict=True,
                    ) from exc
        _save_progress(
            locked,
            status=ImportStatus.UNDONE,
            undone_at=now,
            undone_by=actor,
            message=(
                f"Teruggedraaid: {locked.created_count} nieuwe klant(en) verwijderd, "
                f"{locked.updated_count} klant(en) hersteld."
            ),
        )
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            organisation_id=org_id,
            object_type="client_import",
            object_id=locked.pk,
            purpose=f"Klantimport teruggedraaid ({locked.file_name})"[:200],
        )
        CLIENT_COUNTS.changed_now_and_on_commit(org_id)
    return locked


# --- Preview display -------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _display(field: str, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "" or value == []:
        return "(leeg)"
    if field in DATE_FIELDS:
        return from_json(field, value).strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if field in names:
        if isinstance(value, list):
            return ", ".join(names[field].get(v, str(v)) for v in value)
        return names[field].get(value, str(value))
    return str(value)


def describe_changes(organisation_id: int, changes: list[ImportChange]) -> list[dict[str, Any]]:
    """Per change: line, client number, kind and the fields as label: old → new (Dutch)."""
    manager_ids = {
        v
        for c in changes
        for part in (c.before, c.after)
        for f, v in part.items()
        if f == "case_manager_id" and v
    }
    names: dict[str, dict[Any, str]] = {
        "case_manager_id": dict(
            User.objects.filter(organisation_id=organisation_id, pk__in=manager_ids).values_list(
                "pk", "username"
            )
        ),
        "municipality_id": dict(
            Municipality.objects.filter(organisation_id=organisation_id).values_list("pk", "name")
        ),
        "benefit_type": {k: str(v) for k, v in BenefitType.choices},
        "lks_status": {k: str(v) for k, v in LksStatus.choices},
        "obstacles": {k: str(v) for k, v in Obstacle.choices},
    }
    rows = []
    for change in changes:
        fields = [
            FieldChange(
                label=_label(f),
                old=_display(f, change.before.get(f), names) if change.before else "",
                new=_display(f, value, names),
            )
            for f, value in change.after.items()
            if f != "bsn" or change.kind == ImportChangeKind.UPDATE
        ]
        rows.append({"change": change, "fields": fields})
    return rows
