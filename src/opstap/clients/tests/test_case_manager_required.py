"""R-CLI-3: each client has exactly one current case manager. Registration (page, API, import)
requires an active case manager of the own organisation; an update never clears it (a change
is a handover); clients registered without one before the rule (legacy rows, the column stays
nullable) are found by the team lead ("Zonder klantmanager") and handed to a case manager."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from opstap.accounts.models import User
from opstap.clients.importer import run_import
from opstap.clients.models import Client, ImportStatus
from opstap.clients.services import (
    ClientError,
    case_manager_set_unit,
    client_create,
    client_handover,
)
from opstap.clients.tests.factories import make_client
from opstap.clients.tests.test_import import _job, _rows, _write_csv
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality


def _fields(org: Any, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": org,
        "bsn": "111222333",
        "client_number": "KM-1",
        "first_name": "Fatima",
        "last_name": "Bakkali",
        "date_of_birth": dt.date(1990, 1, 1),
        "municipality": Municipality.objects.get(organisation=org, name="Duiven"),
        "ladder_step": "4",
        **extra,
    }


def _deactivated(user: User) -> User:
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _legacy(client: Client) -> Client:
    """A client as registered before R-CLI-3 was enforced: no case manager."""
    Client.objects.filter(pk=client.pk).update(case_manager=None)
    client.refresh_from_db()
    return client


# --- The service -------------------------------------------------------------------------


def test_service_refuses_a_client_without_case_manager(org: Any, case_manager: User) -> None:
    """R-CLI-3: client_create without a case manager is refused at case_manager."""
    with pytest.raises(ClientError) as info:
        client_create(actor=case_manager, **_fields(org))
    assert info.value.field == "case_manager"
    assert "elke klant heeft een klantmanager" in info.value.message
    assert not Client.objects.exists()


@pytest.mark.parametrize("who", ["other_org", "no_role", "inactive"])
def test_service_refuses_a_case_manager_who_cannot_be_one(
    org: Any, other_org: Any, case_manager: User, make_user: Any, who: str
) -> None:
    """R-CLI-3: the case manager is of the own organisation, holds the role and is active."""
    chosen = {
        "other_org": lambda: make_user(RoleCode.CASE_MANAGER, organisation=other_org),
        "no_role": lambda: make_user(RoleCode.FINANCE_CLERK),
        "inactive": lambda: _deactivated(make_user(RoleCode.CASE_MANAGER)),
    }[who]()
    with pytest.raises(ClientError) as info:
        client_create(actor=case_manager, **_fields(org, case_manager=chosen))
    assert info.value.field == "case_manager"
    assert not Client.objects.exists()


def test_handover_to_an_inactive_case_manager_is_refused_at_the_field(
    org: Any, case_manager: User, make_user: Any
) -> None:
    """R-CLI-3: a handover goes to an active case manager (message at new_case_manager)."""
    gone = _deactivated(make_user(RoleCode.CASE_MANAGER))
    target = make_client(org, case_manager=case_manager)
    with pytest.raises(ClientError, match="niet meer actief") as info:
        client_handover(actor=case_manager, client=target, new_case_manager=gone, note="n")
    assert info.value.field == "new_case_manager"
    assert Client.objects.get(pk=target.pk).case_manager == case_manager


# --- The API -----------------------------------------------------------------------------


def _payload(org: Any, **extra: Any) -> dict[str, Any]:
    return {
        "bsn": "111222333",
        "clientNumber": "API-KM",
        "firstName": "Fatima",
        "lastName": "Bakkali",
        "dateOfBirth": "1990-01-01",
        "municipality": Municipality.objects.get(organisation=org, name="Duiven").pk,
        "ladderStep": "4",
        **extra,
    }


@pytest.mark.parametrize("case_manager_value", ["absent", None, "inactive", "finance"])
def test_api_registration_requires_an_active_case_manager(
    org: Any, case_manager: User, make_user: Any, api_as: Any, case_manager_value: Any
) -> None:
    """R-CLI-3, R-INT-1: POST /api/v1/clients without caseManager, with null, or with a user
    who cannot be one is a 400 problem+json naming caseManager; nothing is stored."""
    extra: dict[str, Any] = {}
    if case_manager_value is None:
        extra["caseManager"] = None
    elif case_manager_value == "inactive":
        extra["caseManager"] = _deactivated(make_user(RoleCode.CASE_MANAGER)).pk
    elif case_manager_value == "finance":
        extra["caseManager"] = make_user(RoleCode.FINANCE_CLERK).pk
    response = api_as(case_manager).post("/api/v1/clients", _payload(org, **extra), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == ["caseManager"]
    assert not Client.objects.exists()
    ok = api_as(case_manager).post(
        "/api/v1/clients", _payload(org, caseManager=case_manager.pk), format="json"
    )
    assert ok.status_code == 201 and ok.json()["caseManager"] == case_manager.pk


def test_api_patch_never_clears_the_case_manager(org: Any, case_manager: User, api_as: Any) -> None:
    """R-CLI-3: the case manager is read-only on update (a change is a handover)."""
    target = make_client(org, case_manager=case_manager)
    response = api_as(case_manager).patch(
        f"/api/v1/clients/{target.pk}", {"caseManager": None, "city": "Duiven"}, format="json"
    )
    assert response.status_code == 200
    assert Client.objects.get(pk=target.pk).case_manager == case_manager


def test_openapi_document_requires_case_manager_on_registration_only() -> None:
    """R-CLI-3: the committed document says it: required and not null in ClientRequest;
    null possible in answers (legacy rows)."""
    import yaml

    from opstap.api import tests as api_tests

    schema = yaml.safe_load(
        (Path(api_tests.__file__).resolve().parents[1] / "openapi.yaml").read_text()
    )["components"]["schemas"]
    request = schema["ClientRequest"]
    assert "caseManager" in request["required"]
    assert not request["properties"]["caseManager"].get("nullable")
    assert schema["Client"]["properties"]["caseManager"]["nullable"] is True


# --- The registration page ---------------------------------------------------------------


def _register(web: Any, org: Any, **extra: str) -> Any:
    duiven = Municipality.objects.get(organisation=org, name="Duiven")
    return web.post(
        reverse("clients:register"),
        {
            "action": "save",
            "bsn": "111222333",
            "client_number": "PG-1",
            "first_name": "Marie",
            "last_name": "Verstraten",
            "date_of_birth": "29-11-1994",
            "municipality": str(duiven.pk),
            "ladder_step": "3",
            **extra,
        },
    )


def test_register_page_asks_for_the_case_manager(
    org: Any, case_manager: User, make_user: Any, client: Any
) -> None:
    """R-CLI-3: the page has a case-manager field, the registering case manager chosen; left
    empty, the page says so at the field; an inactive colleague is not a valid choice; a
    colleague chosen gets the client."""
    colleague = make_user(RoleCode.CASE_MANAGER)
    gone = _deactivated(make_user(RoleCode.CASE_MANAGER))
    client.force_login(case_manager)
    page = client.get(reverse("clients:register")).content.decode()
    start = page.index('<select name="case_manager"')
    select = page[start : page.index("</select>", start)]
    assert f'<option value="{case_manager.pk}" selected>' in select
    assert f'<option value="{colleague.pk}">' in select
    assert f'<option value="{gone.pk}"' not in select

    html = _register(client, org, case_manager="").content.decode()
    assert "Kies de klantmanager van de klant." in html
    html = _register(client, org, case_manager=str(gone.pk)).content.decode()
    assert "Kies een actieve klantmanager uit de lijst." in html
    assert not Client.objects.exists()

    response = _register(client, org, case_manager=str(colleague.pk))
    assert response.status_code == 302
    assert Client.objects.get().case_manager == colleague


# --- The import --------------------------------------------------------------------------


def test_import_requires_a_case_manager_for_a_new_client(
    org: Any, case_manager: User, make_user: Any, tmp_path: Path
) -> None:
    """R-CLI-3: a new client without klantmanager, [leeg] in that column, or an inactive
    user are errors at klantmanager; nothing is written."""
    _deactivated(make_user(RoleCode.CASE_MANAGER, username="vertrokken"))
    rows = _rows(4)
    rows[0]["klantmanager"] = ""
    rows[1]["klantmanager"] = "[leeg]"
    rows[2]["klantmanager"] = "vertrokken"
    job = run_import(_job(org, _write_csv(tmp_path / "km.csv", rows)))
    assert job.status == ImportStatus.REJECTED
    got = {(e["line"], e["field"]): e["message"] for e in job.errors}
    assert set(got) == {(2, "klantmanager"), (3, "klantmanager"), (4, "klantmanager")}
    assert "een nieuwe klant krijgt altijd een klantmanager" in got[(2, "klantmanager")]
    assert "[leeg] kan hier niet" in got[(3, "klantmanager")]
    assert "actieve klantmanager" in got[(4, "klantmanager")]
    assert not Client.objects.exists()


def test_import_of_only_valid_rows_skips_a_new_client_without_case_manager(
    org: Any, case_manager: User, tmp_path: Path
) -> None:
    """R-CLI-3: with 'alleen geldige regels' the refused row is not created (the preview
    skipped only rows whose own fields were wrong, not those refused against the database)."""
    rows = _rows(3)
    rows[1]["klantmanager"] = ""
    job = run_import(
        _job(org, _write_csv(tmp_path / "valid.csv", rows), only_valid_rows=True), commit=True
    )
    assert job.status == ImportStatus.DONE, job.message
    assert job.created_count == 2
    assert sorted(Client.objects.values_list("client_number", flat=True)) == [
        "UA00000",
        "UA00002",
    ]
    assert not Client.objects.filter(case_manager__isnull=True).exists()


def test_import_update_with_an_empty_cell_keeps_the_case_manager(
    org: Any, case_manager: User, tmp_path: Path
) -> None:
    """An existing client keeps its case manager when the cell is empty (only what the file
    states); the file may still change other fields."""
    rows = _rows(1)
    run_import(_job(org, _write_csv(tmp_path / "a.csv", rows)), commit=True)
    rows[0]["klantmanager"] = ""
    rows[0]["woonplaats"] = "Zevenaar"
    job = run_import(_job(org, _write_csv(tmp_path / "b.csv", rows)), commit=True)
    assert job.status == ImportStatus.DONE, job.errors
    client = Client.objects.get()
    assert (client.city, client.case_manager) == ("Zevenaar", case_manager)


# --- Legacy rows: the team lead finds and assigns them -----------------------------------


@pytest.fixture
def team_lead(make_user: Any) -> User:
    lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager_set_unit(user=lead, unit="work")
    return lead


def test_team_lead_finds_clients_without_case_manager_and_hands_them_over(
    org: Any, case_manager: User, team_lead: User, client: Any
) -> None:
    """R-CLI-3: a client registered without a case manager before the rule is listed under
    'Zonder klantmanager' on the team lead's caseload page (linked from Caseloadgrootte), and
    Overdragen gives it a case manager."""
    case_manager_set_unit(user=case_manager, unit="work")
    legacy = _legacy(make_client(org, case_manager=case_manager, last_name="Zonderman"))
    make_client(org, case_manager=case_manager, last_name="Metman")
    client.force_login(team_lead)
    sizes = client.get(reverse("clients:caseload_sizes")).content.decode()
    assert f'href="{reverse("clients:caseload")}?klantmanager=geen"' in sizes
    html = client.get(reverse("clients:caseload"), {"klantmanager": "geen"}).content.decode()
    assert '<option value="geen" selected>Zonder klantmanager</option>' in html
    assert "Zonderman" in html and "Metman" not in html

    response = client.post(
        reverse("clients:handover", args=[legacy.pk]),
        {"new_case_manager": case_manager.pk, "note": "Klant stond nog zonder klantmanager."},
    )
    assert response.status_code == 302
    assert Client.objects.get(pk=legacy.pk).case_manager == case_manager
    html = client.get(reverse("clients:caseload"), {"klantmanager": "geen"}).content.decode()
    assert "Zonderman" not in html
