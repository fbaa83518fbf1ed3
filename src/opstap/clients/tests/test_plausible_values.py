"""Implausible values are refused in the service (R-SEC-6, R-CLI-1; issue 19 item 8), so the
API, the pages and the import agree: birth dates in year 1 or today, invisible names,
absences in year 55 (trajectories) and negative invoice amounts (invoices tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from opstap.clients.services import ClientError, client_field_errors, client_update
from opstap.clients.tests.factories import a_case_manager, make_client
from opstap.core.roles import RoleCode

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"date_of_birth": dt.date(1, 1, 1)}, "date_of_birth", "niet aannemelijk"),
        ({"date_of_birth": TODAY}, "date_of_birth", "niet aannemelijk"),
        ({"date_of_birth": dt.date(2012, 1, 1)}, "date_of_birth", "15 tot 120"),
        ({"date_of_birth": dt.date(1900, 1, 1)}, "date_of_birth", "niet aannemelijk"),
        ({"date_of_birth": dt.date(2027, 1, 1)}, "date_of_birth", "toekomst"),
        ({"first_name": "\u200b\u200b"}, "first_name", "zichtbare letters"),
        ({"last_name": "   "}, "last_name", "zichtbare letters"),
        ({"last_name": "\u2060\ufeff"}, "last_name", "zichtbare letters"),
        ({"last_name": "1234"}, "last_name", "zichtbare letters"),
        ({"last_name_prefix": "\u200b"}, "last_name_prefix", "zichtbare letters"),
        # Found walking PATCH /api/v1/clients/{id}: a benefit since year 1 made a client
        # "more than 2 years on assistance" (R-PREM-1, R-NET-10 blocks); 9999 is a typo.
        ({"benefit_start_date": dt.date(1, 1, 1)}, "benefit_start_date", "niet aannemelijk"),
        ({"benefit_start_date": dt.date(1965, 1, 1)}, "benefit_start_date", "01-06-1966"),
        ({"benefit_start_date": dt.date(9999, 12, 31)}, "benefit_start_date", "01-06-2027"),
        ({"benefit_end_date": dt.date(9999, 12, 31)}, "benefit_end_date", "01-06-2036"),
        ({"exemption_end_date": dt.date(1, 1, 1)}, "exemption_end_date", "niet aannemelijk"),
        ({"exemption_end_date": dt.date(9999, 12, 31)}, "exemption_end_date", "01-06-2036"),
        ({"postcode": "5"}, "postcode", "1234 AB"),
        ({"postcode": "<b>x</b>"}, "postcode", "1234 AB"),
        ({"postcode": "0123 AB"}, "postcode", "1234 AB"),
    ],
)
def test_implausible_client_values(fields: dict[str, Any], field: str, words: str) -> None:
    """R-CLI-1, R-SEC-6: each field has a plausible range or format, with a Dutch message."""
    errors = client_field_errors(fields, today=TODAY)
    assert [(e.field, words in e.message) for e in errors] == [(field, True)]


@pytest.mark.parametrize(
    "fields",
    [
        {"date_of_birth": dt.date(1960, 2, 29)},
        {"date_of_birth": dt.date(2011, 6, 1)},  # exactly 15
        {"first_name": "Zoë"},
        {"last_name": "Ødegaard-'t Hart"},
        {"last_name_prefix": "van der"},
        {"benefit_start_date": dt.date(1966, 6, 1), "benefit_end_date": dt.date(2036, 6, 1)},
        {"benefit_start_date": dt.date(2027, 6, 1)},  # a decided start within a year
        {"exemption_end_date": dt.date(2020, 1, 1)},  # an exemption that ran out
        {"postcode": "6921 AB"},
        {"postcode": "6901kt"},
        {"postcode": ""},
    ],
)
def test_plausible_client_values_pass(fields: dict[str, Any]) -> None:
    assert client_field_errors(fields, today=TODAY) == []


def test_update_through_the_service_refuses_an_invisible_name(org: Any, make_user: Any) -> None:
    """R-SEC-6: the service (used by the page and the API) refuses it; nothing changes."""
    client = make_client(org, case_manager=a_case_manager(org))
    actor = make_user(RoleCode.CASE_MANAGER)
    with (
        time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(ClientError) as info,
    ):
        client_update(actor=actor, client=client, last_name="\u200b")
    assert info.value.field == "last_name"
    client.refresh_from_db()
    assert client.last_name.strip()


def test_api_refuses_a_birth_date_in_year_one(org: Any, make_user: Any, api_as: Any) -> None:
    """R-SEC-6, R-INT-1: through the API the same rule gives a 400 problem+json naming the
    field (camelCase)."""
    client = make_client(org, case_manager=a_case_manager(org))
    cm = make_user(RoleCode.CASE_MANAGER)
    client.case_manager = cm
    client.save(update_fields=["case_manager"])
    response = api_as(cm).patch(
        f"/api/v1/clients/{client.pk}", {"dateOfBirth": "0001-01-01"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "dateOfBirth"
