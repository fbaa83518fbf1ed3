"""The client import never destroys data (R-SEC-6): an update changes only the columns the
file has (an empty cell leaves the stored value; `[leeg]` clears it), every change is shown
before it is saved, the commit is one transaction and the whole import can be undone."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.clients.importer import (
    CLEAR,
    COLUMNS,
    ImportActionError,
    Lookups,
    changed_fields,
    import_commit,
    import_undo,
    parse_row,
    run_import,
)
from opstap.clients.models import Client, ImportChange, ImportJob, ImportStatus
from opstap.core.roles import RoleCode

TODAY = dt.date(2026, 6, 1)
REQUIRED = [c.header for c in COLUMNS if c.required]
OPTIONAL = [c.header for c in COLUMNS if not c.required]
FIELD_OF = {c.header: c.field for c in COLUMNS}
FIELD_OF.update(klantmanager="case_manager_id", gemeente="municipality_id")
# The ladder sub-status is part of the ladder position that `trede` (required) states.
FIELD_OF["substatus"] = "ladder_sub_status"

FULL = {
    "klantnummer": "400",
    "bsn": "111222333",
    "voornaam": "Fatima",
    "tussenvoegsel": "el",
    "achternaam": "Bakkali",
    "geboortedatum": "03-04-1981",
    "adres": "Dorpsstraat 4",
    "postcode": "6921 AB",
    "woonplaats": "Duiven",
    "gemeente": "GM0226",
    "uitkering": "ioaw",
    "ingang_uitkering": "2024-01-01",
    "einde_uitkering": "",
    "ontheffing": "ja",
    "einde_ontheffing": "2027-01-01",
    "doelgroepregister": "ja",
    "nbw": "ja",
    "lks": "lopend",
    "urenbeperking": "20",
    "migratieachtergrond": "ja",
    "belemmeringen": "schulden;taal",
    "trede": "3",
    "substatus": "",
    "klantmanager": "klantmanager",
}
KEPT = [
    "street_address",
    "postcode",
    "city",
    "benefit_type",
    "benefit_start_date",
    "exempt_from_labour_obligation",
    "exemption_end_date",
    "ldr_registered",
    "nbw_indication",
    "lks_status",
    "hour_restriction",
    "migration_background",
    "obstacles",
    "case_manager_id",
]


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _job(org: Any, path: Path, **kwargs: Any) -> ImportJob:
    return ImportJob.objects.create(
        organisation=org, file_name=path.name, file_path=str(path), **kwargs
    )


def _state(client: Client) -> dict[str, Any]:
    client.refresh_from_db()
    return {f: getattr(client, f) for f in KEPT}


@pytest.fixture
def client_400(org: Any, case_manager: Any, tmp_path: Path) -> Client:
    job = run_import(_job(org, _csv(tmp_path / "full.csv", [FULL])), commit=True)
    assert job.status == ImportStatus.DONE, job.errors
    client = Client.objects.get(client_number="400")
    assert client.case_manager_id == case_manager.pk and client.obstacles == ["debts", "language"]
    return client


def test_file_without_optional_columns_leaves_them_alone(client_400: Client, org, tmp_path):
    """R-SEC-6 (issue 19 item 2): a file with only the required columns changed client
    400's address, postcode, city, benefit start, flags, obstacles, hour restriction and
    removed the case manager. Now only the columns present are compared and changed."""
    before = _state(client_400)
    minimal = {h: FULL[h] for h in REQUIRED} | {"achternaam": "Bakkali-Jansen"}
    job = run_import(_job(org, _csv(tmp_path / "min.csv", [minimal])), commit=True)
    assert (job.status, job.updated_count) == (ImportStatus.DONE, 1), job.message
    assert _state(client_400) == before
    client_400.refresh_from_db()
    assert client_400.last_name == "Bakkali-Jansen"


def test_documented_example_columns_keep_the_rest(client_400: Client, org, tmp_path):
    """R-SEC-6: the example of docs/import-clients.md (a subset of the columns, some cells
    empty) keeps the address, flags and the hour restriction; empty cells change nothing."""
    before = _state(client_400)
    header = [
        "klantnummer",
        "bsn",
        "voornaam",
        "tussenvoegsel",
        "achternaam",
        "geboortedatum",
        "gemeente",
        "uitkering",
        "ingang_uitkering",
        "trede",
        "substatus",
        "klantmanager",
        "belemmeringen",
    ]
    row = {h: FULL[h] for h in header} | {"klantmanager": "", "belemmeringen": "", "uitkering": ""}
    job = run_import(_job(org, _csv(tmp_path / "doc.csv", [row])), commit=True)
    assert (job.status, job.updated_count, job.unchanged_count) == (ImportStatus.DONE, 0, 1)
    assert _state(client_400) == before


def test_clear_marker_empties_a_field(client_400: Client, org, tmp_path):
    """R-SEC-6: only the explicit marker [leeg] clears an optional field. (Not the case
    manager: a client always has one, R-CLI-3, test_case_manager_required.py.)"""
    row = {h: FULL[h] for h in REQUIRED} | {"woonplaats": CLEAR, "urenbeperking": CLEAR}
    run_import(_job(org, _csv(tmp_path / "clear.csv", [row])), commit=True)
    client_400.refresh_from_db()
    assert client_400.city == "" and client_400.hour_restriction is None
    assert client_400.street_address == "Dorpsstraat 4"


def test_preview_shows_every_change_before_anything_is_saved(client_400: Client, org, tmp_path):
    """R-SEC-6: the preview lists per client field: old → new; the commit writes it."""
    row = FULL | {"adres": "Kerkstraat 1", "urenbeperking": "32"}
    job = run_import(
        _job(
            org, _csv(tmp_path / "p.csv", [row, FULL | {"klantnummer": "401", "bsn": "123456782"}])
        )
    )
    assert job.status == ImportStatus.PREVIEW
    client_400.refresh_from_db()
    assert client_400.street_address == "Dorpsstraat 4"
    assert not Client.objects.filter(client_number="401").exists()
    update = ImportChange.objects.get(job=job, kind="update")
    assert update.before == {"street_address": "Dorpsstraat 4", "hour_restriction": 20}
    assert update.after == {"street_address": "Kerkstraat 1", "hour_restriction": 32}
    import_commit(actor=None, job=job)
    client_400.refresh_from_db()
    assert (client_400.street_address, client_400.hour_restriction) == ("Kerkstraat 1", 32)
    assert Client.objects.filter(client_number="401").exists()


def test_preview_page_lists_old_and_new(client_400: Client, org, make_user, tmp_path, settings):
    """R-SEC-6: the page shows 'adres: Dorpsstraat 4 → Kerkstraat 1' before the commit."""
    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    job = run_import(_job(org, _csv(tmp_path / "v.csv", [FULL | {"adres": "Kerkstraat 1"}])))
    http = HttpClient()
    http.force_login(admin)
    page = http.get(f"/klanten/importeren/{job.pk}/").content.decode()
    assert "Dorpsstraat 4 → Kerkstraat 1" in page and "Import bevestigen" in page


def test_commit_refuses_when_client_changed_since_preview(client_400: Client, org, tmp_path):
    """R-SEC-6: a client changed between preview and commit: nothing is written (409)."""
    job = run_import(_job(org, _csv(tmp_path / "r.csv", [FULL | {"adres": "Kerkstraat 1"}])))
    Client.objects.filter(pk=client_400.pk).update(street_address="Molenweg 9")
    with pytest.raises(ImportActionError) as info:
        import_commit(actor=None, job=job)
    assert info.value.conflict and "gewijzigd sinds de controle" in info.value.message
    client_400.refresh_from_db()
    assert client_400.street_address == "Molenweg 9"
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW


def test_undo_restores_the_whole_import(client_400: Client, org, make_user, tmp_path):
    """R-SEC-6: undo puts back every old value and removes the created clients, in one
    action; the confirmed import cannot be committed again."""
    before = _state(client_400)
    make_user(RoleCode.CASE_MANAGER, username="klantmanager2")
    rows = [
        FULL | {"adres": "Kerkstraat 1", "klantmanager": "klantmanager2", "trede": "4"},
        FULL | {"klantnummer": "401", "bsn": "123456782"},
    ]
    job = run_import(_job(org, _csv(tmp_path / "u.csv", rows)), commit=True)
    assert Client.objects.filter(client_number="401").exists()
    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    http = HttpClient()
    http.force_login(admin)
    response = http.post(f"/klanten/importeren/{job.pk}/terugdraaien/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.UNDONE and job.undone_by == admin
    assert _state(client_400) == before
    client_400.refresh_from_db()
    assert client_400.ladder_step == "3"
    assert not Client.objects.filter(client_number="401").exists()
    with pytest.raises(ImportActionError):
        import_commit(actor=admin, job=job)


def test_undo_refuses_when_a_client_changed_since(client_400: Client, org, make_user, tmp_path):
    """R-SEC-6: a client changed after the import: undo is refused with a Dutch 409 and
    nothing is undone."""
    job = run_import(
        _job(org, _csv(tmp_path / "w.csv", [FULL | {"adres": "Kerkstraat 1"}])), commit=True
    )
    Client.objects.filter(pk=client_400.pk).update(street_address="Molenweg 9")
    http = HttpClient()
    http.force_login(make_user(RoleCode.APP_ADMIN, username="beheerder"))
    response = http.post(f"/klanten/importeren/{job.pk}/terugdraaien/")
    assert response.status_code == 409
    assert "na de import gewijzigd" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    client_400.refresh_from_db()
    assert client_400.street_address == "Molenweg 9"


# --- Property: the import never changes a column that the file leaves out ------------------

VALUES: dict[str, list[str]] = {
    "tussenvoegsel": ["van", "de"],
    "adres": ["Kerkstraat 1"],
    "postcode": ["1234 ab"],
    "woonplaats": ["Zevenaar"],
    "uitkering": ["pw", "bbz", "geen"],
    "ingang_uitkering": ["2023-02-01"],
    "einde_uitkering": ["2030-02-01"],
    "ontheffing": ["ja", "nee"],
    "einde_ontheffing": ["01-01-2028"],
    "doelgroepregister": ["ja", "nee"],
    "nbw": ["ja", "nee"],
    "lks": ["geen", "lopend"],
    "urenbeperking": ["0", "16"],
    "migratieachtergrond": ["ja", "nee"],
    "belemmeringen": ["taal", "schulden;digitaal"],
    "substatus": [""],
    "klantmanager": ["klantmanager"],
}
# A benefit type is never cleared (write geen); nor is the case manager (R-CLI-3).
CLEARABLE = set(OPTIONAL) - {"uitkering", "klantmanager"}
LOOKUPS = Lookups(municipalities={"gm0226": 1, "duiven": 1}, case_managers={"klantmanager": 7})


@st.composite
def files(draw: st.DrawFn) -> dict[str, str]:
    present = draw(st.sets(st.sampled_from(OPTIONAL)))
    row = {h: FULL[h] for h in REQUIRED}
    for header in present:
        choices = [*VALUES[header], ""] + ([CLEAR] if header in CLEARABLE else [])
        row[header] = draw(st.sampled_from(choices))
    return row


class Stored:
    """A stored client with every optional field filled (attribute access like a Client)."""

    def __init__(self) -> None:
        self.__dict__.update(
            client_number="400",
            bsn="111222333",
            first_name="Fatima",
            last_name_prefix="el",
            last_name="Bakkali",
            date_of_birth=dt.date(1981, 4, 3),
            street_address="Dorpsstraat 4",
            postcode="6921 AB",
            city="Duiven",
            municipality_id=1,
            benefit_type="ioaw",
            benefit_start_date=dt.date(2024, 1, 1),
            benefit_end_date=dt.date(2031, 1, 1),
            exempt_from_labour_obligation=True,
            exemption_end_date=dt.date(2027, 1, 1),
            ldr_registered=True,
            nbw_indication=True,
            lks_status="active",
            hour_restriction=20,
            migration_background=True,
            obstacles=["debts"],
            ladder_step="3",
            ladder_sub_status="",
            case_manager_id=9,
        )


@given(files())
def test_import_never_changes_a_column_the_file_leaves_out(row: dict[str, str]) -> None:
    """R-SEC-6 (property): for any subset of optional columns, with values, empty cells or
    the clear marker, the fields the import would change all belong to columns the file has
    — and an empty cell changes nothing."""
    values, errors = parse_row(row, LOOKUPS, TODAY)
    assert errors == []
    stated = {FIELD_OF[h] for h, v in row.items() if v != ""}
    stated |= {"ladder_step", "ladder_sub_status"}  # the required ladder position
    assert set(values) <= stated
    assert set(changed_fields(Stored(), values)) <= stated


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=files())
def test_import_into_the_database_keeps_left_out_columns(
    row: dict[str, str], client_400: Client, org: Any, tmp_path: Path
) -> None:
    """R-SEC-6 (property, through the database): after importing a file with any subset of
    the optional columns, every field of a column the file leaves out is as it was."""
    Client.objects.filter(pk=client_400.pk).update(benefit_end_date=None)
    stored = Client.objects.get(pk=client_400.pk)
    path = _csv(tmp_path / "prop.csv", [row])
    job = run_import(_job(org, path), commit=True)
    assert job.status == ImportStatus.DONE, (job.errors, job.message)
    after = Client.objects.get(pk=client_400.pk)
    left_out = {FIELD_OF[h] for h in OPTIONAL if row.get(h, "") == ""} - {"ladder_sub_status"}
    for field in left_out:
        assert getattr(after, field) == getattr(stored, field), field
    if job.updated_count:  # put the client back for the next example
        import_undo(actor=None, job=job)
