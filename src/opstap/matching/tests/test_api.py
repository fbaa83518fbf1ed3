"""/api/v1/vacancies and the two match endpoints: same scope and audit as the dossier
(R-SEC-1/2), problem+json naming the field (R-INT-1), partial updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.core.roles import RoleCode
from opstap.matching.models import Employer, Vacancy


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_create_list_and_patch(
    api_as: Callable[[User], Any], wsp: User, employer: Employer
) -> None:
    api = api_as(wsp)
    body = {
        "employer": employer.pk,
        "title": "Heftruckchauffeur",
        "occupation": "8344",
        "hoursMin": 32,
        "hoursMax": 38,
        "postcode": "6921 AB",
        "requiredSkills": ["heftruck"],
    }
    created = api.post("/api/v1/vacancies", body, format="json")
    assert created.status_code == 201, created.content
    vid = created.json()["id"]
    assert created.json()["state"] == "open" and created.json()["occupationTitle"]
    bad = api.post("/api/v1/vacancies", {**body, "occupation": "0000"}, format="json")
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["invalidParams"][0]["name"] == "occupation"
    patched = api.patch(f"/api/v1/vacancies/{vid}", {"hoursMax": 40}, format="json")
    assert patched.status_code == 200 and patched.json()["hoursMin"] == 32
    assert Vacancy.objects.get(pk=vid).hours_max == 40
    assert api.get("/api/v1/vacancies").json()["results"][0]["id"] == vid


def test_matches_are_scoped_and_audited(
    api_as: Callable[[User], Any],
    km: User,
    wsp: User,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
    make_user: Callable[..., User],
) -> None:
    shared = make_candidate({"shared_with_wsp": True})
    private = make_candidate()
    rows = api_as(km).get(f"/api/v1/vacancies/{vacancy.pk}/matches").json()
    assert {r["client"] for r in rows} == {shared.pk, private.pk}
    assert rows[0]["rank"] == 1 and rows[0]["criteria"][0]["explanation"]
    assert [
        r["client"] for r in api_as(wsp).get(f"/api/v1/vacancies/{vacancy.pk}/matches").json()
    ] == [shared.pk]
    assert AuditRecord.objects.filter(
        object_type="client",
        action="list",
        client_id=private.pk,
        purpose="Kandidaten voor een vacature (API)",
    ).exists()
    mine = api_as(km).get(f"/api/v1/clients/{private.pk}/matches")
    assert mine.status_code == 200 and mine.json()[0]["vacancy"] == vacancy.pk
    assert AuditRecord.objects.filter(
        object_type="client", action="read", client_id=private.pk
    ).exists()
    assert api_as(wsp).get(f"/api/v1/clients/{private.pk}/matches").status_code == 404
    assert AuditRecord.objects.filter(action="denied", object_id=str(private.pk)).exists()
    coach = make_user(RoleCode.INCOME_COACH, username="coach")
    assert api_as(coach).get(f"/api/v1/vacancies/{vacancy.pk}/matches").status_code == 403


def test_employers_are_listed_and_created_by_the_wsp(
    api_as: Callable[[User], Any], wsp: User, km: User, employer: Employer
) -> None:
    """R-MAT: the WSP adviser manages employers (KvK validated by the service, problem+json
    naming the field); a case manager may read them but not create one."""
    api = api_as(wsp)
    created = api.post(
        "/api/v1/employers",
        {"kvkNumber": "6900 4321", "name": "Bouw Duiven B.V.", "offersGarantiebanen": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["kvkNumber"] == "69004321" and created.json()["openVacancies"] == 0
    bad = api.post("/api/v1/employers", {"kvkNumber": "123", "name": "X"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "kvkNumber"
    names = [e["name"] for e in api_as(km).get("/api/v1/employers").json()["results"]]
    assert names == ["Bouw Duiven B.V.", "Logistiek Liemers B.V."]
    refused = api_as(km).post("/api/v1/employers", {"kvkNumber": "69004322", "name": "Y"})
    assert refused.status_code == 403


def test_proposal_to_placement_through_the_api_is_scoped_and_audited(
    api_as: Callable[[User], Any],
    km: User,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
    make_user: Callable[..., User],
) -> None:
    """R-MAT → R-KPI-3: proposal, introduction, its outcome and the placement via the WSP
    through the API, each a service call; reading proposals is audited as a read of the
    client; a case manager without that client gets 404 (R-SEC-1)."""
    client = make_candidate()
    api = api_as(km)
    created = api.post(
        "/api/v1/proposals", {"vacancy": vacancy.pk, "client": client.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["state"] == "proposed" and created.json()["score"] > 0
    again = api.post("/api/v1/proposals", {"vacancy": vacancy.pk, "client": client.pk})
    assert again.status_code == 409
    planned = api.post(f"/api/v1/proposals/{pid}/introduction", {"on": "2026-11-20"})
    assert planned.status_code == 200 and planned.json()["introductionOn"] == "2026-11-20"
    outcome = api.post(f"/api/v1/proposals/{pid}/introduction-outcome", {"positive": True})
    assert outcome.status_code == 200, outcome.content
    placed = api.post(
        f"/api/v1/proposals/{pid}/placement",
        {"startDate": "2026-12-01", "hoursPerWeek": 24, "contractType": "fixed"},
        format="json",
    )
    assert placed.status_code == 201, placed.content
    assert placed.json()["garantiebaan"] is False
    listed = api.get(f"/api/v1/proposals?client={client.pk}").json()["results"]
    assert [(p["id"], p["state"]) for p in listed] == [(pid, "placed")]
    assert AuditRecord.objects.filter(
        object_type="proposal", object_id=str(pid), client_id=client.pk
    ).exists()
    other = make_user(RoleCode.CASE_MANAGER, username="km-ander")
    assert api_as(other).get(f"/api/v1/proposals/{pid}").status_code == 404
    assert api_as(other).get("/api/v1/proposals").json()["results"] == []
