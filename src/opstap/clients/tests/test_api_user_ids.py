"""An API operation that takes a user id answers the same for an id that does not exist and
for the id of a user of another organisation (R-SEC-1: existence is not leaked), so a caller
cannot probe which user ids exist elsewhere. The organisation scope is the server's: the
caller's own organisation, never a value from the request."""

from __future__ import annotations

from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality

UNKNOWN_ID_REASON = "Onbekend id {id}: het bestaat niet of u heeft er geen toegang toe."


def _payload(org: Any, case_manager_id: int) -> dict[str, Any]:
    return {
        "bsn": "111222333",
        "clientNumber": "API-ID",
        "firstName": "Fatima",
        "lastName": "Bakkali",
        "dateOfBirth": "1990-01-01",
        "municipality": Municipality.objects.get(organisation=org, name="Duiven").pk,
        "ladderStep": "4",
        "caseManager": case_manager_id,
    }


def _register(api: Any, org: Any, case_manager_id: int) -> tuple[int, str, dict[str, Any]]:
    response = api.post("/api/v1/clients", _payload(org, case_manager_id), format="json")
    return response.status_code, response["Content-Type"], response.json()


@pytest.mark.parametrize(
    "stranger_roles",
    [(RoleCode.CASE_MANAGER,), (RoleCode.FINANCE_CLERK,)],
    ids=["case-manager-elsewhere", "other-role-elsewhere"],
)
def test_case_manager_of_another_organisation_reads_as_unknown(
    org: Any,
    other_org: Any,
    case_manager: User,
    make_user: Any,
    api_as: Any,
    stranger_roles: tuple[RoleCode, ...],
) -> None:
    """POST /api/v1/clients with caseManager: a user of another organisation gets the very
    problem+json body that the same id gets once no user has it (before: "Kies een
    klantmanager van deze organisatie." against "Onbekend id …")."""
    stranger = make_user(*stranger_roles, organisation=other_org, username="elders")
    api = api_as(case_manager)
    elsewhere = _register(api, org, stranger.pk)
    stranger_id = stranger.pk
    User.objects.filter(pk=stranger_id).delete()
    unknown = _register(api, org, stranger_id)
    assert elsewhere == unknown
    status, content_type, body = unknown
    assert (status, content_type) == (400, "application/problem+json")
    assert body["invalidParams"] == [
        {
            "name": "caseManager",
            "code": "does_not_exist",
            "reason": UNKNOWN_ID_REASON.format(id=stranger_id),
        }
    ]
    assert not Client.objects.exists()


def test_inactive_case_manager_of_another_organisation_reads_as_unknown(
    org: Any, other_org: Any, case_manager: User, make_user: Any, api_as: Any
) -> None:
    """An inactive user elsewhere reads as unknown too (before: "Kies een klantmanager van
    deze organisatie.")."""
    stranger = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="elders")
    stranger.is_active = False
    stranger.save(update_fields=["is_active"])
    response = api_as(case_manager).post(
        "/api/v1/clients", _payload(org, stranger.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {
            "name": "caseManager",
            "code": "does_not_exist",
            "reason": UNKNOWN_ID_REASON.format(id=stranger.pk),
        }
    ]


def test_own_organisations_case_manager_still_registers(
    org: Any, case_manager: User, make_user: Any, api_as: Any
) -> None:
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    status, _content_type, body = _register(api_as(case_manager), org, colleague.pk)
    assert status == 201 and body["caseManager"] == colleague.pk


def test_list_filtered_on_a_user_elsewhere_reads_as_on_an_unknown_id(
    org: Any, other_org: Any, case_manager: User, make_user: Any, api_as: Any
) -> None:
    """GET /api/v1/clients?caseManager=: a user id of another organisation answers as an id
    no user has (an empty list), never an error that tells the two apart."""
    stranger = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="elders")
    api = api_as(case_manager)
    elsewhere = api.get(f"/api/v1/clients?caseManager={stranger.pk}")
    stranger_id = stranger.pk
    User.objects.filter(pk=stranger_id).delete()
    unknown = api.get(f"/api/v1/clients?caseManager={stranger_id}")
    assert (elsewhere.status_code, elsewhere.json()) == (unknown.status_code, unknown.json())
    assert unknown.status_code == 200 and unknown.json()["results"] == []


def _denials() -> Any:
    from opstap.audit.models import AuditRecord

    return AuditRecord.objects.filter(action="denied")


def test_case_manager_of_another_organisation_is_recorded_as_a_denied_read(
    org: Any, other_org: Any, case_manager: User, make_user: Any, api_as: Any
) -> None:
    """R-SEC-2: the id of a user of another organisation in the body is refused (400, as an
    unknown id) AND recorded as a denied read, as an out-of-scope id of a trajectory or a
    client is (`core.api.viewsets.visible_or_invalid`): one record in the caller's trail,
    naming the user id asked for and the path, nothing of the other organisation (no person,
    no organisation of theirs). Before: refused, but no trace in the audit trail."""
    stranger = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="elders")
    status, _content_type, _body = _register(api_as(case_manager), org, stranger.pk)
    assert status == 400
    record = _denials().get()
    assert (record.actor_id, record.organisation_id) == (case_manager.pk, org.pk)
    assert (record.object_type, record.object_id) == ("user", str(stranger.pk))
    assert record.client_id is None
    assert record.changes == {"path": "POST /api/v1/clients", "count": 1}
    assert "elders" not in record.purpose.lower()


def test_unknown_and_accepted_user_ids_are_no_denied_read(
    org: Any, case_manager: User, make_user: Any, api_as: Any
) -> None:
    """R-SEC-2: an id no user has is no read of anyone's data (not recorded, as a missing
    object elsewhere); the own organisation's case manager is accepted without a denial."""
    api = api_as(case_manager)
    assert _register(api, org, 987_654)[0] == 400
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    assert _register(api, org, colleague.pk)[0] == 201
    assert not _denials().exists()
