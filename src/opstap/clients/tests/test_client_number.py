"""The client number (klantnummer, R-CLI-1) is the organisation's own: any format it issues, but
never empty once trimmed, never with a control or invisible character, never longer than the
column (30). One check (`client_number_error`, through `client_field_errors`) for the page, the
API and the import, with the same Dutch message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from opstap.clients.models import Client, ImportJob, ImportStatus
from opstap.clients.services import ClientError, client_field_errors
from opstap.clients.tests.factories import make_client
from opstap.clients.tests.test_import import _job, _rows, _write_csv
from opstap.organisations.models import Municipality

TODAY = dt.date(2026, 6, 1)
BAD_NUMBERS = [
    ("   ", "Vul het klantnummer in"),
    ("K\t123", "stuurteken"),
    ("K123\x07", "stuurteken"),
    ("K\u200b123", "onzichtbaar teken"),
    ("K\u2028123", "onzichtbaar teken"),
    ("K" * 31, "te lang: hoogstens 30 tekens"),
]


@pytest.mark.parametrize(("number", "words"), BAD_NUMBERS)
def test_client_number_rule_refuses_empty_control_and_absurd_numbers(
    number: str, words: str
) -> None:
    """R-CLI-1: one rule, a Dutch message at the field client_number."""
    errors = client_field_errors({"client_number": number}, today=TODAY)
    assert [(e.field, words in e.message) for e in errors] == [("client_number", True)]


@pytest.mark.parametrize("number", ["200001", "K-2026/0042", "RSD 12.345", "ÄB-1", "K" * 30])
def test_client_number_keeps_the_organisations_own_format(number: str) -> None:
    """R-CLI-1: digits, capitals, signs, a space inside and 30 characters stay allowed."""
    assert client_field_errors({"client_number": number}, today=TODAY) == []


def test_service_refuses_a_client_number_with_a_tab(org: Any, case_manager: Any) -> None:
    """R-CLI-1: client_create (page, API) refuses it; nothing is stored."""
    with pytest.raises(ClientError, match="stuurteken") as info:
        make_client(org, actor=case_manager, case_manager=case_manager, client_number="K\t1")
    assert info.value.field == "client_number"
    assert not Client.objects.exists()


def test_register_page_shows_the_client_number_error_at_the_field(
    org: Any, case_manager: Any, client: Any
) -> None:
    """R-CLI-1: the registration page shows the service's message at the field."""
    client.force_login(case_manager)
    duiven = Municipality.objects.get(organisation=org, name="Duiven")
    page = client.post(
        reverse("clients:register"),
        {
            "action": "save",
            "bsn": "111222333",
            "client_number": "K\u200b1",
            "first_name": "Marie",
            "last_name": "Verstraten",
            "date_of_birth": "29-11-1994",
            "municipality": str(duiven.pk),
            "ladder_step": "3",
            "case_manager": str(case_manager.pk),
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "onzichtbaar teken of stuurteken" in html
    assert 'id="id_client_number"' in html and 'aria-invalid="true"' in html
    assert not Client.objects.exists()


@pytest.mark.parametrize(("number", "words"), BAD_NUMBERS[1:])
def test_api_refuses_a_bad_client_number_as_problem_json(
    org: Any, case_manager: Any, api_as: Any, number: str, words: str
) -> None:
    """R-CLI-1, R-INT-1: 400 problem+json naming clientNumber; never a 5xx."""
    duiven = Municipality.objects.get(organisation=org, name="Duiven")
    response = api_as(case_manager).post(
        "/api/v1/clients",
        {
            "bsn": "111222333",
            "clientNumber": number,
            "firstName": "Fatima",
            "lastName": "Bakkali",
            "dateOfBirth": "1990-01-01",
            "municipality": duiven.pk,
            "ladderStep": "3",
            "caseManager": case_manager.pk,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    params = response.json()["invalidParams"]
    assert [p["name"] for p in params] == ["clientNumber"]
    assert not Client.objects.exists()


def test_api_refuses_a_client_number_of_only_spaces(
    org: Any, case_manager: Any, api_as: Any
) -> None:
    duiven = Municipality.objects.get(organisation=org, name="Duiven")
    response = api_as(case_manager).post(
        "/api/v1/clients",
        {
            "bsn": "111222333",
            "clientNumber": "    ",
            "firstName": "Fatima",
            "lastName": "Bakkali",
            "dateOfBirth": "1990-01-01",
            "municipality": duiven.pk,
            "ladderStep": "3",
            "caseManager": case_manager.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["clientNumber"]


def test_import_reports_bad_client_numbers_per_line(
    org: Any, case_manager: Any, tmp_path: Path
) -> None:
    """R-CLI-1, R-SEC-6: the import gives the same message per line (column klantnummer);
    a 31-character number used to reach the database (PostgreSQL: an error, a failed job)."""
    from opstap.clients.importer import run_import

    rows = _rows(4)
    rows[0]["klantnummer"] = "K\u200b1"
    rows[1]["klantnummer"] = "K" * 31
    rows[2]["klantnummer"] = "   "
    job: ImportJob = run_import(_job(org, _write_csv(tmp_path / "numbers.csv", rows)))
    assert job.status == ImportStatus.REJECTED
    got = {(e["line"], e["field"]): e["message"] for e in job.errors}
    assert "onzichtbaar teken" in got[(2, "klantnummer")]
    assert got[(3, "klantnummer")] == "Het klantnummer is te lang: hoogstens 30 tekens."
    assert got[(4, "klantnummer")] == "De kolom 'klantnummer' is verplicht."
    assert len(job.errors) == 3  # no second message for the empty one
    assert not Client.objects.exists()
