"""An id in an API body is a whole number (R-SEC-6, R-INT-1; nothing lost, clear errors).
DRF handed a JSON `1.5` to the database look-up, which truncated it to 1: a client was
registered in another municipality, with another case manager, than the caller named."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from opstap.clients.models import Client
from opstap.core.api.serializers import WholeIdRelatedField
from opstap.organisations.models import Municipality


def _payload(org: Any, case_manager: Any) -> dict[str, Any]:
    duiven = Municipality.objects.get(organisation=org, name="Duiven")
    return {
        "bsn": "111222333",
        "clientNumber": "API-ID",
        "firstName": "Fatima",
        "lastName": "Bakkali",
        "dateOfBirth": "1990-05-01",
        "municipality": duiven.pk,
        "ladderStep": "3",
        "caseManager": case_manager.pk,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("municipality", 0.5), ("caseManager", 0.5), ("municipality", True)],
)
def test_an_id_with_a_fraction_is_refused_not_truncated(
    org, case_manager, api_as, field: str, value: Any
) -> None:
    payload = _payload(org, case_manager)
    payload[field] = (payload[field] + value) if value is not True else True
    answer = api_as(case_manager).post("/api/v1/clients", payload, format="json")
    assert answer.status_code == 400, answer.json()
    assert answer["Content-Type"] == "application/problem+json"
    assert {
        "name": field,
        "code": "incorrect_type",
        "reason": "Geef een id op (een geheel getal).",
    } in answer.json()["invalidParams"]
    assert not Client.objects.filter(client_number="API-ID").exists()


def test_a_whole_id_also_as_text_is_taken(org, case_manager, api_as) -> None:
    payload = _payload(org, case_manager)
    payload["municipality"] = str(payload["municipality"])
    answer = api_as(case_manager).post("/api/v1/clients", payload, format="json")
    assert answer.status_code == 201, answer.json()
    assert Client.objects.get(client_number="API-ID").municipality.name == "Duiven"


def test_every_model_serializer_takes_whole_ids() -> None:
    assert serializers.ModelSerializer.serializer_related_field is WholeIdRelatedField
