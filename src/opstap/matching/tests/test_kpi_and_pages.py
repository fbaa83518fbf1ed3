"""The placement counts in the KPIs (R-KPI-3) and the pages: ranked explained candidates,
"Passend werk", the import, the weights; every match list shown is audited as a read of
those clients (R-SEC-2); no N+1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.kpis import selectors as kpi_selectors
from opstap.kpis.formulas import KpiCode
from opstap.matching import services
from opstap.matching.models import Vacancy


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def _http(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _place(km: User, vacancy: Vacancy, client: Client) -> None:
    p = services.proposal_create(actor=km, vacancy=vacancy, client=client)
    services.proposal_introduction_plan(actor=km, proposal=p, on="20-11-2026")
    services.proposal_introduction_record(actor=km, proposal=p, positive=True)
    services.placement_record(
        actor=km, proposal=p, start_date="20-11-2026", hours_per_week=24, contract_type="fixed"
    )


def test_wsp_placement_counts_for_r_kpi_3(
    org: Any, km: User, vacancy: Vacancy, make_candidate: Callable[..., Client]
) -> None:
    client = make_candidate(ldr_registered=True)
    ctx = kpi_selectors.kpi_context(
        organisation_id=org.pk,
        filters=kpi_selectors.KpiFilters(year=2026),
        today=dt.date(2026, 11, 20),
    )
    before = kpi_selectors.kpi_counts(ctx)
    _place(km, vacancy, client)
    after = kpi_selectors.kpi_counts(ctx)
    assert after[KpiCode.PLACEMENTS].numerator == before[KpiCode.PLACEMENTS].numerator + 1
    assert after[KpiCode.PLACEMENTS_LDR_NBW].numerator == 1
    assert after[KpiCode.PLACEMENTS_AMR].numerator == 0
    trend = kpi_selectors.trend(ctx, KpiCode.PLACEMENTS)
    assert trend[-1].numerator == 1


def test_vacancy_page_ranks_explains_and_audits(
    km: User,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    clients = [make_candidate() for _ in range(3)]
    make_candidate({"hours_available": 8})
    http = _http(km)
    http.get(f"/werk/vacatures/{vacancy.pk}/")
    with django_assert_max_num_queries(40):
        page = http.get(f"/werk/vacatures/{vacancy.pk}/")
    many = [make_candidate() for _ in range(6)]
    with django_assert_max_num_queries(40):
        page = http.get(f"/werk/vacatures/{vacancy.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Waarom" in html and "uur te weinig" in html
    for c in clients + many:
        assert c.full_name in html
    listed = set(
        AuditRecord.objects.filter(
            object_type="client", action="list", purpose="Kandidaten voor een vacature"
        ).values_list("client_id", flat=True)
    )
    assert {c.pk for c in clients + many} <= listed


def test_passend_werk_and_proposal_from_the_page(
    km: User, wsp: User, vacancy: Vacancy, make_candidate: Callable[..., Client]
) -> None:
    client = make_candidate()
    http = _http(km)
    page = http.get(f"/werk/klanten/{client.pk}/")
    assert page.status_code == 200 and "Orderpicker" in page.content.decode()
    assert AuditRecord.objects.filter(
        object_type="client", action="read", client_id=client.pk, purpose="Passend werk bekijken"
    ).exists()
    response = http.post(
        f"/werk/vacatures/{vacancy.pk}/voordragen/", {"client": client.pk, "terug": "klant"}
    )
    assert response.status_code == 302
    assert client.proposals.count() == 1
    # The WSP does not see an unshared client: 404, like an unknown one.
    assert _http(wsp).get(f"/werk/klanten/{client.pk}/").status_code == 404


def test_dossier_links_to_passend_werk(km: User, make_candidate: Callable[..., Client]) -> None:
    client = make_candidate()
    html = _http(km).get(f"/klanten/{client.pk}/").content.decode()
    assert f"/werk/klanten/{client.pk}/" in html


def test_import_page_shows_line_errors(wsp: User, employer: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"kvk;functie;isco;uren_min;uren_max;postcode\n69001234;Kok;5120;40;20;6921 AB\n"
    page = _http(wsp).post(
        "/werk/vacatures/importeren/", {"file": SimpleUploadedFile("v.csv", data)}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Er is niets ingelezen" in html
    assert "lager dan het minimaal" in html


def test_weights_page_shows_errors_beside_the_field(admin_user: User) -> None:
    page = _http(admin_user).post(
        "/werk/gewichten/",
        {
            "occupation": "25",
            "skills": "15",
            "education": "10",
            "hours": "500",
            "distance": "10",
            "availability": "10",
            "eligibility": "10",
            "demands": "5",
        },
    )
    assert page.status_code == 200
    assert "tussen 0 en 100" in page.content.decode()


@pytest.mark.parametrize(
    ("typed", "said"),
    [("25,5", "Beroep: vul een geheel getal in."), ("1000", "het gewicht ligt tussen 0 en 100")],
)
def test_a_weight_too_long_for_three_characters_gets_the_rules_message(
    admin_user: User, typed: str, said: str
) -> None:
    """R-MAT weights, walked as the functional administrator: '25,5' and '1000' got
    'Zorg dat deze waarde niet meer dan 3 tekens bevat', which says nothing about weights;
    the rule now answers them as it answers '500'."""
    data = {c: "10" for c in ("skills", "education", "hours", "distance", "availability")}
    data.update({"occupation": typed, "eligibility": "10", "demands": "5"})
    html = _http(admin_user).post("/werk/gewichten/", data).content.decode()
    assert said in html
    assert "tekens" not in html


def test_import_page_lists_every_column_in_dutch(wsp: User) -> None:
    """The import page explains each column (name, required, what it holds) from the
    importer's own table; the work demands are Dutch words, not internal codes."""
    from opstap.matching.importer import COLUMNS

    html = _http(wsp).get("/werk/vacatures/importeren/").content.decode()
    table = html[html.index('id="import-columns"') :]
    for column in COLUMNS:
        assert f"<code>{column.header}</code>" in table
    required = [c.header for c in COLUMNS if c.required]
    assert required == ["kvk", "functie", "isco", "uren_min", "uren_max", "postcode"]
    assert "<code>nachtdiensten</code>" in table and "night_shifts" not in html
    assert "<code>mbo2</code>" in table and "<code>none</code>" not in table
