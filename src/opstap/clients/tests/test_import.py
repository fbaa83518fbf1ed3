"""The client import (R-SEC-6): validate all, report per line and field in Dutch, write
nothing unless valid, idempotent on client number; CSV and xlsx; UI and command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from django.test import override_settings

from opstap.clients.bsn import random_bsn
from opstap.clients.importer import HEADERS, run_import
from opstap.clients.models import Client, ClientEvent, ImportJob, ImportStatus, LadderStepChange
from opstap.clients.services import ClientError, client_update
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode


def _rows(n: int = 14) -> list[dict[str, str]]:
    import random

    rng = random.Random(7)
    return [
        {
            "klantnummer": f"UA{i:05d}",
            "bsn": random_bsn(rng),
            "voornaam": f"Voornaam{i}",
            "tussenvoegsel": "van" if i % 3 == 0 else "",
            "achternaam": f"Achternaam{i}",
            "geboortedatum": f"{(i % 27) + 1:02d}-03-1985",
            "adres": f"Dorpsstraat {i}",
            "postcode": "6921 AB",
            "woonplaats": "Duiven",
            "gemeente": "GM0226" if i % 2 else "Zevenaar",
            "uitkering": "pw",
            "ingang_uitkering": "2020-01-01",
            "einde_uitkering": "",
            "ontheffing": "nee",
            "einde_ontheffing": "",
            "doelgroepregister": "ja" if i == 3 else "nee",
            "nbw": "nee",
            "lks": "geen",
            "urenbeperking": "20" if i == 4 else "",
            "migratieachtergrond": "nee",
            "belemmeringen": "schulden;taal" if i == 5 else "",
            "trede": ["1", "2a", "2b", "3", "4", "5", "6"][i % 7],
            "substatus": "met groeipotentie" if i % 7 == 6 else "",
            "klantmanager": "klantmanager",
        }
        for i in range(n)
    ]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADERS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _storage_at(location: Path) -> dict[str, Any]:
    """Uploads of the test go to its own directory, not var/private."""
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)},
    }


def _commit(job: ImportJob) -> ImportJob:
    """Validate, preview and commit (what the confirm button does)."""
    return run_import(job, commit=True)


def _job(org, path: Path, **kwargs) -> ImportJob:
    return ImportJob.objects.create(
        organisation=org, file_name=path.name, file_path=str(path), **kwargs
    )


def test_bad_file_is_rejected_with_all_errors_then_corrected_file_imports(
    org, case_manager, tmp_path
) -> None:
    """R-SEC-6: a bad BSN on line 7 and a date in the wrong format on line 12 are both
    reported (Dutch, per line and field); nothing is written; the corrected file imports;
    re-importing it changes nothing."""
    rows = _rows()
    good_bsn, good_date = rows[5]["bsn"], rows[10]["geboortedatum"]
    rows[5]["bsn"] = "123456780"  # file line 7 (line 1 is the header)
    rows[10]["geboortedatum"] = "1985/03/12"  # file line 12
    job = _commit(_job(org, _write_csv(tmp_path / "bad.csv", rows)))
    assert job.status == ImportStatus.REJECTED
    assert {(e["line"], e["field"]) for e in job.errors} == {(7, "bsn"), (12, "geboortedatum")}
    messages = {e["line"]: e["message"] for e in job.errors}
    assert "elfproef" in messages[7]
    assert "formaat dd-mm-jjjj" in messages[12]
    assert "niets opgeslagen" in job.message
    assert not Client.objects.exists() and not ClientEvent.objects.exists()

    rows[5]["bsn"], rows[10]["geboortedatum"] = good_bsn, good_date
    fixed = _write_csv(tmp_path / "fixed.csv", rows)
    job = _commit(_job(org, fixed))
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (14, 0, 0)
    assert Client.objects.count() == 14
    assert LadderStepChange.objects.count() == 14
    client = Client.objects.get(client_number="UA00005")
    assert client.obstacles == ["debts", "language"] and client.case_manager == case_manager
    assert Client.objects.get(client_number="UA00006").ladder_sub_status == "with_growth"

    counts = (Client.objects.count(), ClientEvent.objects.count(), LadderStepChange.objects.count())
    again = _commit(_job(org, fixed))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 14)
    assert (
        Client.objects.count(),
        ClientEvent.objects.count(),
        LadderStepChange.objects.count(),
    ) == counts


def test_import_reports_every_value_rule_with_the_services_message(
    org, case_manager, tmp_path
) -> None:
    """R-CLI-1 / R-SEC-6: the import parses, the service decides. A row breaking three value
    rules gets all three errors, each with the exact message `client_update` gives for the
    same value; nothing is written."""
    rows = _rows(3)
    rows[1].update(
        {"geboortedatum": "01-01-2999", "urenbeperking": "41", "einde_uitkering": "2019-12-31"}
    )
    job = run_import(_job(org, _write_csv(tmp_path / "rules.csv", rows)))
    assert job.status == ImportStatus.REJECTED
    got = {(e["line"], e["field"]): e["message"] for e in job.errors}
    assert set(got) == {(3, "geboortedatum"), (3, "urenbeperking"), (3, "einde_uitkering")}
    assert not Client.objects.exists()

    client = make_client(org, case_manager=case_manager)
    for header, change in (
        ("geboortedatum", {"date_of_birth": dt.date(2999, 1, 1)}),
        ("urenbeperking", {"hour_restriction": 41}),
        (
            "einde_uitkering",
            {"benefit_start_date": dt.date(2020, 1, 1), "benefit_end_date": dt.date(2019, 12, 31)},
        ),
    ):
        with pytest.raises(ClientError) as exc:
            client_update(actor=case_manager, client=client, **change)
        assert got[(3, header)] == exc.value.message


def test_reimport_with_changes_updates_and_records_history(org, case_manager, tmp_path) -> None:
    rows = _rows(3)
    _commit(_job(org, _write_csv(tmp_path / "a.csv", rows)))
    rows[0]["trede"] = "5"
    rows[1]["achternaam"] = "Nieuwenhuis"
    job = _commit(_job(org, _write_csv(tmp_path / "b.csv", rows)))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, 1)
    changed = Client.objects.get(client_number="UA00000")
    assert changed.ladder_step == "5"
    assert changed.ladder_changes.filter(previous_step="1", step="5").exists()


def test_only_valid_rows_by_explicit_choice(org, case_manager, tmp_path) -> None:
    rows = _rows(4)
    rows[2]["trede"] = "9"
    job = _commit(_job(org, _write_csv(tmp_path / "c.csv", rows), only_valid_rows=True))
    assert job.status == ImportStatus.DONE
    assert job.created_count == 3 and job.error_count == 1
    assert "overgeslagen" in job.message


def test_duplicates_and_conflicts_are_errors(org, case_manager, tmp_path) -> None:
    rows = _rows(3)
    rows[2]["klantnummer"] = rows[0]["klantnummer"]
    job = _commit(_job(org, _write_csv(tmp_path / "d.csv", rows)))
    assert job.status == ImportStatus.REJECTED
    assert any("staat al eerder" in e["message"] for e in job.errors)


def test_missing_columns_reject_the_file(org, tmp_path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("klantnummer;naam\n1;x\n", encoding="utf-8")
    job = _commit(_job(org, path))
    assert job.status == ImportStatus.REJECTED
    assert "verplichte kolom" in job.message


def test_xlsx_import(org, case_manager, tmp_path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in _rows(3):
        values = [row[h] for h in HEADERS]
        values[HEADERS.index("geboortedatum")] = dt.datetime(1990, 1, 2)  # a real date cell
        ws.append(values)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    job = _commit(_job(org, path))
    assert job.status == ImportStatus.DONE, job.errors
    assert Client.objects.filter(date_of_birth=dt.date(1990, 1, 2)).count() == 3


def test_command_line_import(org, case_manager, tmp_path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": _storage_at(tmp_path / "media")}
    rows = _rows(3)
    out = io.StringIO()
    call_command("import_clients", str(_write_csv(tmp_path / "g.csv", rows)), stdout=out)
    assert "Bevestig met --bevestig" in out.getvalue() and not Client.objects.exists()
    call_command(
        "import_clients", str(_write_csv(tmp_path / "g.csv", rows)), "--bevestig", stdout=out
    )
    assert "3 nieuw" in out.getvalue() and Client.objects.count() == 3
    rows[1]["bsn"] = "111111111"
    with pytest.raises(CommandError):
        call_command("import_clients", str(_write_csv(tmp_path / "h.csv", rows)), stdout=out)
    assert "regel 3, kolom bsn" in out.getvalue()


@override_settings(OPSTAP_IMPORT_SYNC=True)
def test_ui_upload_and_progress(
    org, make_user, tmp_path, settings, django_capture_on_commit_callbacks
) -> None:
    """The UI stores the upload, starts the task after the response and shows progress."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": _storage_at(tmp_path / "media")}
    make_user(RoleCode.CASE_MANAGER, username="klantmanager")
    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    http = HttpClient()
    http.force_login(admin)
    path = _write_csv(tmp_path / "ui.csv", _rows(5))
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        response = http.post("/klanten/importeren/", {"file": fh})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEW and job.created_by == admin
    assert not Client.objects.exists()  # nothing written before the confirmation
    page = http.get(response["Location"]).content.decode()
    assert "<progress" in page and "5 nieuw" in page and "Import bevestigen" in page
    assert page.count("Er is nog niets opgeslagen") == 1  # said once, not twice
    assert page.count("Voornaam1") == 1  # the preview lists every new client
    http.post(f"/klanten/importeren/{job.pk}/bevestigen/")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Client.objects.count() == 5
    bad = tmp_path / "bad.txt"
    bad.write_text("x")
    with bad.open("rb") as fh:
        response = http.post("/klanten/importeren/", {"file": fh})
    assert "Alleen CSV- of Excel-bestanden" in response.content.decode()
    cm = HttpClient()
    cm.force_login(make_user(RoleCode.CASE_MANAGER))
    assert cm.get("/klanten/importeren/").status_code == 403
    assert cm.get(f"/klanten/importeren/{job.pk}/").status_code == 403


@override_settings(OPSTAP_IMPORT_SYNC=True)
def test_ui_lists_the_columns_and_a_missing_one_points_there(
    org, make_user, tmp_path, settings, django_capture_on_commit_callbacks
) -> None:
    """The import page says which columns a file may have; a file that lacks a required one
    is refused with a Dutch message that points the user to that list, not to a developer's
    document (users see Dutch, not code)."""
    from opstap.clients.importer import COLUMNS

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": _storage_at(tmp_path / "media")}
    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    http = HttpClient()
    http.force_login(admin)
    page = http.get("/klanten/importeren/").content.decode()
    assert "Welke kolommen?" in page
    for column in COLUMNS:
        assert f"<code>{column.header}</code>" in page
    assert "[leeg]" in page
    path = tmp_path / "zonder-bsn.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        headers = [h for h in HEADERS if h != "bsn"]
        writer = csv.DictWriter(fh, fieldnames=headers, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(_rows(2))
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        response = http.post("/klanten/importeren/", {"file": fh})
    detail = http.get(response["Location"]).content.decode()
    assert "mist de verplichte kolom(men): bsn" in detail
    assert "Welke kolommen?" in detail
    assert "docs/" not in detail and ".md" not in detail


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("cp1252", ";"),  # Excel "CSV (puntkomma)" on a Dutch Windows
        ("utf-16", "\t"),  # Excel "Unicode-tekst": UTF-16 with a BOM, tab-separated
        ("utf-8-sig", ","),  # Excel "CSV UTF-8": a BOM
    ],
)
def test_excel_encodings_and_separators_are_read(
    org, case_manager, tmp_path, encoding: str, delimiter: str
) -> None:
    """R-SEC-6: a file saved by Excel in Windows-1252 (an 'ë' as byte 0xEB) or UTF-16 failed
    as "Mislukt ... (UnicodeDecodeError)"; it is read, names intact."""
    rows = _rows(2)
    rows[0]["voornaam"], rows[1]["achternaam"] = "Zoë", "Çelik-Brûlé"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "excel.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    job = _commit(_job(org, path))
    assert job.status == ImportStatus.DONE, job.message
    names = set(Client.objects.values_list("first_name", "last_name"))
    assert ("Zoë", "Achternaam0") in names and ("Voornaam1", "Çelik-Brûlé") in names


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "geen CSV-bestand dat wij kunnen lezen"),
        (";".join(HEADERS).encode() + b"\n", "geen klantregels, alleen de kopregel"),
        (";".join(HEADERS).encode() + b"\r\n\r\n;;\r\n", "geen klantregels"),
    ],
)
def test_a_file_without_client_rows_is_refused_in_dutch(
    org, tmp_path, content: bytes, message: str
) -> None:
    """R-SEC-6: a picture renamed to .csv failed with "UnicodeDecodeError" on the page; a
    header-only file went to "Klaar om te bevestigen: 0 nieuw" with a confirm button."""
    path = tmp_path / "leeg.csv"
    path.write_bytes(content)
    job = _commit(_job(org, path))
    assert job.status == ImportStatus.REJECTED
    assert message in job.message
    assert "Error" not in job.message
