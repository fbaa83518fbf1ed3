"""Pages of the social return monitor (R-NET-10): overview with chart and sorting, the
provider's monitor, the PDF for the annual evaluation (R-NET-9), xlsx, the coordinator's
start-page signals, and need-to-know: a provider sees only its own monitor (R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client as WebClient
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.invoices.models import Invoice
from opstap.providers.models import Contract, Provider
from opstap.social_return import services

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _web(user: User) -> WebClient:
    web = WebClient()
    web.force_login(user)
    return web


@pytest.fixture
def behind(approved_a: Invoice, contract_a: Contract, coordinator: User) -> Provider:
    services.agreement_set(actor=coordinator, contract=contract_a, awarded_on=dt.date(2026, 1, 10))
    return contract_a.provider


def test_coordinator_finds_the_provider_behind_and_downloads_its_pdf(
    behind: Provider, coordinator: User
) -> None:
    """Done-when of issue 17: from the start page to the provider's PDF."""
    web = _web(coordinator)
    home = web.get("/").content.decode()
    assert "Social return: signalen" in home
    assert "Achter op schema" in home and behind.name in home
    assert f"/social-return/aanbieders/{behind.pk}/" in home
    page = web.get(f"/social-return/aanbieders/{behind.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "€\u00a03.250,00" in body and "achter op schema" in body  # no wrap at 320 px
    pdf = web.get(f"/social-return/aanbieders/{behind.pk}/jaarevaluatie.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditRecord.objects.filter(
        object_type="social_return_monitor", action="export", object_id=str(behind.pk)
    ).exists()


def test_overview_sorts_charts_and_exports(
    behind: Provider, contracted_b: Provider, provider_user_b: User, coordinator: User
) -> None:
    services.block_register(
        actor=provider_user_b,
        provider=contracted_b,
        block_code="training",
        start_date=dt.date(2026, 3, 1),
        external_person="A. Jansen",
        on=TODAY,
    )
    web = _web(coordinator)
    body = web.get("/social-return/?jaar=2026&sorteer=gerealiseerd&richting=af").content.decode()
    assert body.index(contracted_b.name) < body.index(behind.name)  # 2,083.33 before 0
    assert "<svg" in body and "verplichting" in body
    assert 'aria-sort="descending"' in body
    xlsx = web.get("/social-return/export.xlsx?jaar=2026")
    assert xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[1]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    row_a = next(r for r in values if r[0] == behind.name)
    assert Decimal(str(row_a[3])) == Decimal("3250.00")


def test_provider_sees_only_its_own_monitor(
    behind: Provider, contracted_b: Provider, provider_user_a: User, provider_user_b: User
) -> None:
    """R-SEC-1 matrix: provider B gets 404 on A's monitor, PDF and evidence; its overview is
    its own monitor."""
    web_b = _web(provider_user_b)
    assert web_b.get("/social-return/").url == f"/social-return/aanbieders/{contracted_b.pk}/"
    for url in (
        f"/social-return/aanbieders/{behind.pk}/",
        f"/social-return/aanbieders/{behind.pk}/jaarevaluatie.pdf",
    ):
        assert web_b.get(url).status_code == 404, url
    assert web_b.get("/social-return/export.xlsx?jaar=2026").status_code == 200
    assert behind.name.encode() not in web_b.get("/social-return/export.xlsx?jaar=2026").content
    assert _web(provider_user_a).get(f"/social-return/aanbieders/{behind.pk}/").status_code == 200


def test_roles_without_the_permission_are_refused(
    behind: Provider, case_manager: User, make_user: object
) -> None:
    assert _web(case_manager).get("/social-return/").status_code == 403


def test_provider_registers_a_block_in_the_page(
    contracted_a: Provider, provider_user_a: User, coordinator: User
) -> None:
    web = _web(provider_user_a)
    response = web.post(
        f"/social-return/aanbieders/{contracted_a.pk}/bouwblokken/",
        {
            "block_code": "pw_13_24",
            "external_person": "M. Peters",
            "start_date": "2026-07-01",
            "hours_per_week": "36",
            "contract_months": "12",
        },
    )
    assert response.status_code == 302
    body = web.get(f"/social-return/aanbieders/{contracted_a.pk}/").content.decode()
    assert "M. Peters" in body and "€\u00a040.000,00" in body
    refused = web.post(
        f"/social-return/aanbieders/{contracted_a.pk}/bouwblokken/",
        {
            "block_code": "pw_13_24",
            "external_person": "M. Peters",
            "start_date": "2026-09-01",
            "hours_per_week": "36",
            "contract_months": "12",
        },
        follow=True,
    )
    assert "start niet in de toekomst" in refused.content.decode()


@pytest.mark.parametrize("year", ["2099", "abc", "abcd", "1800", "99999"])
def test_unknown_year_is_named_at_its_field_and_shows_no_figures(
    behind: Provider, coordinator: User, year: str
) -> None:
    """R-NET-10: ?jaar=2099 showed 'Social return 2099' with zero obligations (abc and 1800
    showed this year's) under a select that said 2022: read as the answer for the year asked.
    The year field now says which years there are, the sorting stays, and no figures of
    another year appear; the page answers 400 (it answered 200), as the xlsx (no file)."""
    web = _web(coordinator)
    response = web.get(f"/social-return/?jaar={year}&sorteer=gerealiseerd&richting=af")
    assert response.status_code == 400
    body = response.content.decode()
    message = "Geef een jaartal" if year.isalpha() else "Kies een jaar van 2000 tot en met 2026."
    assert message in body
    assert 'aria-invalid="true"' in body
    assert '<input type="hidden" name="sorteer" value="gerealiseerd">' in body
    assert behind.name not in body and "Social return 2026" not in body
    export = web.get(f"/social-return/export.xlsx?jaar={year}")
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/html") and message in export.content.decode()
    assert not AuditRecord.objects.filter(object_type="social_return_overview").exists()


def test_this_year_and_a_closed_year_still_show(behind: Provider, coordinator: User) -> None:
    """R-NET-10: no year is this year; a year before the five in the select still shows."""
    web = _web(coordinator)
    assert behind.name in web.get("/social-return/").content.decode()
    older = web.get("/social-return/?jaar=2019").content.decode()
    assert "Social return 2019" in older and '<option value="2019" selected>' in older


def test_year_close_says_the_total_in_euros_and_a_refusal_returns_to_the_overview(
    behind: Provider, coordinator: User
) -> None:
    """R-NET-10: closing a year said 'verplichtingen vastgesteld (0)' (or '(3250.00)'); it
    says it in euros. Closing 2099 was refused and then opened the overview at ?jaar=2099,
    which put a second error at the year field; it returns to the overview of this year."""
    web = _web(coordinator)
    refused = web.post("/social-return/jaar-afsluiten/", {"jaar": "2099"}, follow=True)
    assert refused.redirect_chain[-1][0] == "/social-return/"
    body = refused.content.decode()
    assert "Het jaar 2099 is nog niet voorbij" in body
    assert 'aria-invalid="true"' not in body
    done = web.post("/social-return/jaar-afsluiten/", {"jaar": "2025"}, follow=True)
    assert (
        "Jaar 2025 afgesloten; verplichtingen vastgesteld (€\u00a00,00)." in done.content.decode()
    )
