"""POST and PATCH /api/v1/clients take a municipality id: one of another organisation answers
exactly as an id no municipality has (R-SEC-1: existence is not leaked), so a caller cannot
probe which municipality ids exist elsewhere, and the attempt is recorded as a denied read
(R-SEC-2). Before: an unknown id gave "Onbekend id N: …" (does_not_exist), one of another
organisation passed the field and the service answered "De gemeente hoort niet bij deze
organisatie." (invalid)."""

from __future__ import annotations

from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.organisations.models import Municipality

UNKNOWN_ID_REASON = "Onbekend id {id}: het bestaat niet of u heeft er geen toegang toe."


def _payload(municipality_id: int, case_manager: User) -> dict[str, Any]:
    return {
        "bsn": "111222333",
        "clientNumber": "API-GEM",
        "firstName": "Fatima",
        "lastName": "Bakkali",
        "dateOfBirth": "1990-01-01",
        "municipality": municipality_id,
        "ladderStep": "4",
        "caseManager": case_manager.pk,
    }


def _answer(response: Any) -> tuple[int, str, dict[str, Any]]:
    return response.status_code, response["Content-Type"], response.json()


def _expected(municipality_id: int) -> list[dict[str, str]]:
    return [
        {
            "name": "municipality",
            "code": "does_not_exist",
            "reason": UNKNOWN_ID_REASON.format(id=municipality_id),
        }
    ]


@pytest.mark.parametrize("method", ["post", "patch"])
def test_municipality_of_another_organisation_reads_as_unknown(
    org: Any, other_org: Any, case_manager: User, api_as: Any, method: str
) -> None:
    """R-SEC-1: the same problem+json body for a municipality of another organisation as
    for the same id once no municipality has it, on registration and on a change."""
    api = api_as(case_manager)
    if method == "post":

        def send(municipality_id: int) -> Any:
            return api.post(
                "/api/v1/clients", _payload(municipality_id, case_manager), format="json"
            )

    else:
        client = make_client(org, case_manager=case_manager)

        def send(municipality_id: int) -> Any:
            return api.patch(
                f"/api/v1/clients/{client.pk}", {"municipality": municipality_id}, format="json"
            )

    elsewhere_id = Municipality.objects.get(organisation=other_org).pk
    elsewhere = _answer(send(elsewhere_id))
    Municipality.objects.filter(pk=elsewhere_id).delete()
    unknown = _answer(send(elsewhere_id))
    assert elsewhere == unknown
    status, content_type, body = unknown
    assert (status, content_type) == (400, "application/problem+json")
    assert body["invalidParams"] == _expected(elsewhere_id)
    assert not Client.objects.filter(municipality_id=elsewhere_id).exists()


def test_municipality_of_another_organisation_is_recorded_as_a_denied_read(
    org: Any, other_org: Any, case_manager: User, api_as: Any
) -> None:
    """R-SEC-2: one denied read in the caller's trail, naming the municipality id asked for."""
    elsewhere_id = Municipality.objects.get(organisation=other_org).pk
    response = api_as(case_manager).post(
        "/api/v1/clients", _payload(elsewhere_id, case_manager), format="json"
    )
    assert response.status_code == 400
    record = AuditRecord.objects.get(action="denied")
    assert (record.object_type, record.object_id) == ("municipality", str(elsewhere_id))
    assert (record.organisation_id, record.client_id) == (org.pk, None)


def test_own_municipality_still_registers_and_changes(
    org: Any, case_manager: User, api_as: Any
) -> None:
    api = api_as(case_manager)
    duiven, zevenaar = (
        Municipality.objects.get(organisation=org, name=name).pk for name in ("Duiven", "Zevenaar")
    )
    created = api.post("/api/v1/clients", _payload(duiven, case_manager), format="json")
    assert created.status_code == 201 and created.json()["municipality"] == duiven
    changed = api.patch(
        f"/api/v1/clients/{created.json()['id']}", {"municipality": zevenaar}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["municipality"] == zevenaar
    assert not AuditRecord.objects.filter(action="denied").exists()
