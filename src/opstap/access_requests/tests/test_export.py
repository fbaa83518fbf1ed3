"""The collectors and the export ZIP against real rows (R-SEC-5): every section present,
the client's documents included, nothing of another client — even one who shares the
trajectory provider (R-SEC-1)."""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest

from opstap.access_requests import export, services
from opstap.access_requests.collectors import SECTIONS
from opstap.access_requests.models import AccessRequest
from opstap.access_requests.workflow import State

from .conftest import PDF, World

pytestmark = pytest.mark.django_db

#: Sections the fixture world fills for each client (outcomes, credit notes and placement
#: fees need an ended trajectory; they are covered by the completeness test's sections).
FILLED = {
    "personalData",
    "ladderHistory",
    "timeline",
    "handovers",
    "customBudget",
    "trajectories",
    "trajectoryEvents",
    "deadlines",
    "documents",
    "appointments",
    "absences",
    "outflowPremiums",
    "travelClaims",
    "travelTrips",
    "invoices",
    "providerSignals",
    "accessRequests",
    "auditTrail",
}


def _compiled(world: World, client: Any = None) -> AccessRequest:
    client = client or world.client_a
    request = services.access_request_create(actor=world.case_manager, client=client)
    export.compile_access_request(request.pk)
    request.refresh_from_db()
    assert request.state == State.READY, request.failure_message
    return request


def _zip(request: AccessRequest) -> zipfile.ZipFile:
    return zipfile.ZipFile(request.file.open("rb"))


def test_export_holds_summary_json_and_documents(world: World) -> None:
    """R-SEC-5: one ZIP with a Dutch summary, a JSON of every record and the documents."""
    request = _compiled(world)
    with _zip(request) as zf:
        names = zf.namelist()
        assert "samenvatting.html" in names
        assert "gegevens.json" in names
        docs = [n for n in names if n.startswith("documenten/")]
        assert len(docs) == 1
        assert zf.read(docs[0]) == PDF
        assert "voortgang-ANNA" in docs[0]
        data = json.loads(zf.read("gegevens.json"))
    assert data["format"] == "opstap-inzage/1"
    assert set(data["sections"]) == {s.key for s in SECTIONS}
    empty = sorted(k for k in FILLED if not data["sections"][k]["rows"])
    assert not empty, f"sections without rows: {empty}"


def test_sections_contain_the_clients_facts(world: World) -> None:
    request = _compiled(world)
    with _zip(request) as zf:
        sections = json.loads(zf.read("gegevens.json"))["sections"]
    person = sections["personalData"]["rows"]
    assert len(person) == 1
    assert person[0]["bsn"] == world.client_a.bsn
    assert person[0]["last_name"] == "Aalders"
    assert [r["reason"] for r in sections["ladderHistory"]["rows"]][-1] == "Ladder ANNA"
    assert {r["note"] for r in sections["handovers"]["rows"]} == {"Overdracht ANNA", "Terug ANNA"}
    assert [r["purpose"] for r in sections["customBudget"]["rows"]] == ["Fiets ANNA"]
    assert sections["customBudget"]["rows"][0]["amount"] == "120.00"
    assert [r["id"] for r in sections["trajectories"]["rows"]] == [world.trajectory_a.pk]
    assert sections["trajectories"]["rows"][0]["provider_name"] == world.provider.name
    assert [r["reason"] for r in sections["absences"]["rows"]] == ["Ziek ANNA"]
    assert sections["invoices"]["rows"][0]["amount_incl"] == "1512.50"
    assert sections["travelTrips"]["rows"][0]["amount"] == "4.80"
    assert sections["outflowPremiums"]["rows"][0]["outflow_date"] == "2026-06-01"
    assert sections["accessRequests"]["rows"][-1]["channel"] == "staff"
    assert [r["description"] for r in sections["providerSignals"]["rows"]] == [
        "Afspraak vergeten ANNA"
    ]


def test_invoice_rows_leave_out_the_providers_internal_data(world: World) -> None:
    """Amounts and dates, not the provider's hourly rate, logbook or check verdicts."""
    request = _compiled(world)
    with _zip(request) as zf:
        invoice = json.loads(zf.read("gegevens.json"))["sections"]["invoices"]["rows"][0]
    for internal in ("hourly_rate", "logbook", "verdict", "reasons", "structured_data"):
        assert internal not in invoice


def test_audit_trail_names_role_and_organisation_not_the_user(world: World) -> None:
    """R-SEC-2/R-SEC-5: who read or changed the data, by role and organisation."""
    request = _compiled(world)
    with _zip(request) as zf:
        rows = json.loads(zf.read("gegevens.json"))["sections"]["auditTrail"]["rows"]
    assert rows
    assert set(rows[0]) == {
        "timestamp",
        "action",
        "object_type",
        "purpose",
        "roles",
        "organisation",
        "result",
    }
    by_org = {r["organisation"] for r in rows}
    assert world.org.name in by_org
    assert world.provider.name in by_org  # the provider's staff submitted and reported
    assert any(r["roles"] == "Klantmanager / regisseur" for r in rows)


def test_export_never_contains_another_clients_data(world: World) -> None:
    """R-SEC-1/R-SEC-5: client B shares the provider, the case manager and the kinds of
    rows; nothing of B appears anywhere in A's export."""
    request = _compiled(world)
    b = world.client_b
    needles = [
        "BERT",
        "Bakker",
        b.bsn,
        b.client_number,
        f"traject-{world.trajectory_b.pk}-",
    ]
    with _zip(request) as zf:
        for name in zf.namelist():
            content = zf.read(name).decode("utf-8", errors="replace") + name
            for needle in needles:
                assert needle not in content, f"{needle!r} of client B found in {name}"
        sections = json.loads(zf.read("gegevens.json"))["sections"]
    trajectory_ids = {
        r["trajectory_id"]
        for key in ("trajectoryEvents", "deadlines", "documents", "appointments", "absences")
        for r in sections[key]["rows"]
    }
    assert trajectory_ids == {world.trajectory_a.pk}


def test_summary_is_accessible_dutch_html(world: World) -> None:
    request = _compiled(world)
    with _zip(request) as zf:
        html = zf.read("samenvatting.html").decode()
    assert '<html lang="nl">' in html
    assert "<title>Uw gegevens bij RSD de Liemers</title>" in html
    assert html.count("<caption>") >= len(FILLED) - 1
    assert '<th scope="col">' in html
    for section in SECTIONS:
        assert section.title.replace("'", "&#x27;") in html
    assert "Aalders" in html
    assert "Ziek ANNA" in html


def test_export_query_count_does_not_grow_with_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """Rows are streamed per section: a fixed number of queries, not one per row."""
    request = services.access_request_create(actor=world.case_manager, client=world.client_a)
    # A fixed budget per section (its rows, their related rows, the request's progress), not
    # per row: the world has several rows in most sections.
    with django_assert_max_num_queries(5 * len(SECTIONS)):
        export.compile_access_request(request.pk)


def test_summary_speaks_dutch_not_code(world: World) -> None:
    """R-SEC-5: the readable summary is for the client. It showed codes: obstacles as
    "care_duties", a trajectory going "ordered → quote_submitted", the source "clients.demo"
    and event details as "spending_id: 1; status: approved; dueOn: 2027-01-06". The same
    check as the pages' (web/tests/dutch_checks); the JSON keeps the stored values."""
    from opstap.clients.models import Client
    from opstap.web.tests.dutch_checks import findings, visible_text

    Client.objects.filter(pk=world.client_a.pk).update(obstacles=["care_duties", "debts"])
    request = _compiled(world)
    with _zip(request) as zf:
        html = zf.read("samenvatting.html").decode()
        data = json.loads(zf.read("gegevens.json"))
    found = findings(visible_text(html))
    assert found == [], "\n".join(map(str, sorted(set(found))))
    assert "zorgtaken" in html.lower()
    assert "care_duties" in json.dumps(data)


def test_the_timeline_names_an_access_request_in_dutch(world: World) -> None:
    """R-SEC-5: walked in the demo, the resident's own export listed 'Inzageverzoek ontvangen
    via het klantportaal' with the kind 'access_request' in the column 'Soort', where every
    other row reads Dutch ('Trede gewijzigd', 'Traject'). The staff dossier's timeline showed
    the same code."""
    request = _compiled(world)
    with _zip(request) as zf:
        html = zf.read("samenvatting.html").decode()
    assert "access_request" not in html
    timeline = html.split("Tijdlijn van uw dossier", 2)[2].split("</table>", 1)[0]
    assert "<td>Inzageverzoek</td>" in timeline
