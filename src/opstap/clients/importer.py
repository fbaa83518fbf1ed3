"""Client import from the benefit administration (R-SEC-6): CSV or xlsx.

Two streaming passes over the file with constant memory per chunk (csv reader / openpyxl
read_only): first every row is validated (fields, 11-check, dates, duplicates in the file and
conflicts with the database) and *all* errors are collected per line and field in Dutch;
nothing is written unless the whole file is valid — or, by explicit choice, only the valid
rows. The second pass writes in chunks with bulk_create / bulk_update inside one
transaction. Idempotent on the client number: rows equal to the stored client change
nothing. The column list below is documented in docs/import-clients.md.
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
from django.utils import timezone

from opstap.accounts.models import User
from opstap.accounts.roles import RoleCode
from opstap.organisations.models import Municipality

from . import ladder
from .counts_cache import client_counts_changed_now_and_on_commit
from .models import (
    BenefitType,
    Client,
    ClientEvent,
    ClientEventKind,
    ImportJob,
    ImportStatus,
    LadderStepChange,
    LksStatus,
    Obstacle,
)
from .services import ClientError, bsn_clean, client_field_errors

CHUNK = 2_000
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


class RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


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
    Column("uitkering", "benefit_type", False, "pw, ioaw, ioaz, bbz of geen (leeg = pw)."),
    Column("ingang_uitkering", "benefit_start_date", False, "Datum."),
    Column("einde_uitkering", "benefit_end_date", False, "Datum (leeg = lopend)."),
    Column("ontheffing", "exempt_from_labour_obligation", False, "ja/nee."),
    Column("einde_ontheffing", "exemption_end_date", False, "Datum."),
    Column("doelgroepregister", "ldr_registered", False, "ja/nee."),
    Column("nbw", "nbw_indication", False, "ja/nee."),
    Column("lks", "lks_status", False, "geen, aangevraagd, lopend of beeindigd."),
    Column("urenbeperking", "hour_restriction", False, "Uren per week (0-40), leeg = geen."),
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
                yield number, {h: _cell(v) for h, v in zip(header, row, strict=False)}
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
            yield number, {h: v.strip() for h, v in zip(header, row, strict=False)}


class ImportFileError(Exception):
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
    values["last_name_prefix"] = text("tussenvoegsel")
    values["last_name"] = text("achternaam")
    values["street_address"] = text("adres")
    values["postcode"] = text("postcode").upper()
    values["city"] = text("woonplaats")

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
        key = text("uitkering").lower()
        if key not in BENEFITS:
            raise RowError(
                "uitkering",
                f"Onbekende uitkering '{text('uitkering')}': kies pw, ioaw, ioaz, bbz of geen.",
            )
        values["benefit_type"] = BENEFITS[key].value

    attempt(do_benefit)
    for header, field in (
        ("ingang_uitkering", "benefit_start_date"),
        ("einde_uitkering", "benefit_end_date"),
        ("einde_ontheffing", "exemption_end_date"),
    ):

        def do_date(header: str = header, field: str = field) -> None:
            values[field] = parse_date(raw.get(header), header)

        attempt(do_date)
    for header, field in (
        ("ontheffing", "exempt_from_labour_obligation"),
        ("doelgroepregister", "ldr_registered"),
        ("nbw", "nbw_indication"),
        ("migratieachtergrond", "migration_background"),
    ):

        def do_bool(header: str = header, field: str = field) -> None:
            values[field] = _bool(raw.get(header), header)

        attempt(do_bool)

    def do_lks() -> None:
        key = text("lks").lower()
        if key not in LKS:
            raise RowError("lks", f"Onbekende LKS-status '{text('lks')}'.")
        values["lks_status"] = LKS[key].value

    attempt(do_lks)

    def do_hours() -> None:
        t = text("urenbeperking")
        if not t:
            values["hour_restriction"] = None
            return
        if not t.isdigit():
            raise RowError(
                "urenbeperking", f"De urenbeperking '{t}' moet een heel getal van 0 tot 40 zijn."
            )
        values["hour_restriction"] = int(t)

    attempt(do_hours)

    def do_obstacles() -> None:
        codes: list[str] = []
        for part in text("belemmeringen").replace(",", ";").split(";"):
            key = part.strip().lower()
            if not key:
                continue
            if key not in OBSTACLES_NL:
                raise RowError("belemmeringen", f"Onbekende belemmering '{part.strip()}'.")
            if OBSTACLES_NL[key].value not in codes:
                codes.append(OBSTACLES_NL[key].value)
        values["obstacles"] = codes

    attempt(do_obstacles)

    def do_ladder() -> None:
        sub_key = text("substatus").lower()
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
        if not name:
            values["case_manager_id"] = None
            return
        if name not in lookups.case_managers:
            raise RowError("klantmanager", f"Onbekende klantmanager '{text('klantmanager')}'.")
        values["case_manager_id"] = lookups.case_managers[name]

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
            errors.append(RowError("bsn", f"Dit BSN hoort al bij klantnummer {by_bsn[bsn]}."))
        if number and number in by_number and bsn and by_number[number] != bsn:
            errors.append(RowError("bsn", "Dit klantnummer is al bekend met een ander BSN."))


def _save_progress(job: ImportJob, **fields: Any) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run_import(
    job: ImportJob, *, on_progress: Callable[[ImportJob], None] | None = None
) -> ImportJob:
    """Validate the whole file, then (if allowed) write it. Progress is stored on the job:
    the first half of `processed_rows` is validation, the second half writing."""
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
        _save_progress(job, status=ImportStatus.IMPORTING)
        created = updated = unchanged = 0
        written = 0
        with transaction.atomic():
            for chunk in _chunks(path, lookups, today):
                valid = [(line, v) for line, v, errs in chunk if not errs]
                c, u, n = _write_chunk(job, valid)
                created, updated, unchanged = created + c, updated + u, unchanged + n
                written += len(chunk)
                if on_progress:
                    job.processed_rows = written
                    on_progress(job)
        skipped = f" {error_count} fout(en) overgeslagen." if error_count else ""
        _save_progress(
            job,
            status=ImportStatus.DONE,
            processed_rows=total,
            created_count=created,
            updated_count=updated,
            unchanged_count=unchanged,
            finished_at=timezone.now(),
            message=f"{created} nieuw, {updated} gewijzigd, {unchanged} ongewijzigd.{skipped}",
        )
    except ImportFileError as exc:
        _save_progress(
            job, status=ImportStatus.REJECTED, message=str(exc), finished_at=timezone.now()
        )
    except Exception as exc:
        _save_progress(
            job,
            status=ImportStatus.FAILED,
            message=f"De import is mislukt; er is niets half opgeslagen ({type(exc).__name__}).",
            finished_at=timezone.now(),
        )
        raise
    return job


def _write_chunk(job: ImportJob, rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, int, int]:
    org_id = job.organisation_id
    now = timezone.now()
    today = timezone.localdate()
    existing = {
        c.client_number: c
        for c in Client.objects.filter(
            organisation_id=org_id, client_number__in=[v["client_number"] for _l, v in rows]
        )
    }
    new: list[Client] = []
    changed: list[Client] = []
    changed_fields: set[str] = set()
    events: list[ClientEvent] = []
    ladder_rows: list[LadderStepChange] = []
    unchanged = 0
    for _line, values in rows:
        client = existing.get(values["client_number"])
        if client is None:
            new.append(Client(organisation_id=org_id, ladder_step_since=today, **values))
            continue
        diff = [f for f in COMPARED if getattr(client, f) != values.get(f, getattr(client, f))]
        if not diff:
            unchanged += 1
            continue
        if "ladder_step" in diff or "ladder_sub_status" in diff:
            ladder_rows.append(
                LadderStepChange(
                    organisation_id=org_id,
                    client=client,
                    step=values["ladder_step"],
                    sub_status=values["ladder_sub_status"],
                    previous_step=client.ladder_step,
                    previous_sub_status=client.ladder_sub_status,
                    effective_date=today,
                    changed_at=now,
                    changed_by=job.created_by,
                    reason=f"Import {job.file_name}",
                )
            )
            client.ladder_step_since = today
            changed_fields.add("ladder_step_since")
        for f in diff:
            setattr(client, f, values[f])
        changed_fields.update(diff)
        changed.append(client)
        events.append(
            ClientEvent(
                organisation_id=org_id,
                client=client,
                kind=ClientEventKind.IMPORT,
                occurred_at=now,
                actor=job.created_by,
                summary=("Bijgewerkt via import: " + ", ".join(sorted(diff)))[:300],
                data={"import_job": job.pk, "fields": sorted(diff)},
                source="clients.import",
            )
        )
    if new:
        Client.objects.bulk_create(new, batch_size=CHUNK)
        if new[0].pk is None:  # backends without RETURNING: fetch the ids
            ids = dict(
                Client.objects.filter(
                    organisation_id=org_id, client_number__in=[c.client_number for c in new]
                ).values_list("client_number", "pk")
            )
            for c in new:
                c.pk = ids[c.client_number]
        for c in new:
            ladder_rows.append(
                LadderStepChange(
                    organisation_id=org_id,
                    client=c,
                    step=c.ladder_step,
                    sub_status=c.ladder_sub_status,
                    effective_date=today,
                    changed_at=now,
                    changed_by=job.created_by,
                    reason=f"Import {job.file_name}",
                )
            )
            events.append(
                ClientEvent(
                    organisation_id=org_id,
                    client=c,
                    kind=ClientEventKind.IMPORT,
                    occurred_at=now,
                    actor=job.created_by,
                    summary=f"Ingeschreven via import {job.file_name}"[:300],
                    data={"import_job": job.pk},
                    source="clients.import",
                )
            )
    if changed:
        changed_fields.add("updated_at")
        for c in changed:
            c.updated_at = now
        Client.objects.bulk_update(changed, sorted(changed_fields), batch_size=CHUNK)
    LadderStepChange.objects.bulk_create(ladder_rows, batch_size=CHUNK)
    ClientEvent.objects.bulk_create(events, batch_size=CHUNK)
    if new or changed:  # bulk writes send no signals: invalidate the cached caseload counts
        client_counts_changed_now_and_on_commit(org_id)
    return len(new), len(changed), unchanged
