"""Pages of the indicators app: the comparison (sortable, chart with table, xlsx), the
drill-in per provider, the panels on the provider and product pages, and who may see what
(R-PI-1, R-NET-5, R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.indicators.models import QuarterlyOverview
from opstap.indicators.services import indicator_facts_rebuild
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

PERIOD = "van=2026-01-01&tot=2026-10-31"


def _login(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def two_providers(
    running: Callable[..., Trajectory], product3: Product, product3_b: Product
) -> tuple[Product, Product]:
    running(product3, signed=True)
    running(product3, signed=False)
    running(product3_b, signed=True)
    return product3, product3_b


def test_overview_compares_providers_with_chart_and_table(
    two_providers: tuple[Product, Product], contract_manager: User
) -> None:
    """R-PI-1: providers side by side for a chosen period; the chart has a table beside it."""
    a, b = two_providers
    response = _login(contract_manager).get(reverse("indicators:overview") + "?" + PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert a.provider.name in html and b.provider.name in html
    assert "<svg" in html and 'role="img"' in html
    assert "1 / 2" in html  # provider A: one of two plans signed (table beside the chart)
    assert "50,0%" in html and "100,0%" in html
    assert "geen gegevens" in html  # e.g. no trajectories ended: no outcome data


def test_overview_sorts_by_an_indicator(
    two_providers: tuple[Product, Product], contract_manager: User
) -> None:
    a, b = two_providers
    http = _login(contract_manager)
    url = reverse("indicators:overview") + "?" + PERIOD + "&sorteer=plan_signed&richting="
    ascending = http.get(url + "op").content.decode()
    descending = http.get(url + "af").content.decode()
    table = "Alle indicatoren per aanbieder"

    def order(html: str) -> bool:
        rest = html[html.index(table) :]
        return rest.index(a.provider.name) < rest.index(b.provider.name)

    assert order(ascending)  # A (50%) before B (100%)
    assert not order(descending)
    assert 'aria-sort="descending"' in descending


@pytest.mark.parametrize("facts", [False, True], ids=["live", "facts"])
def test_overview_query_count_does_not_grow_with_providers(
    facts: bool,
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    make_product: Callable[..., Product],
    contract_manager: User,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    """R-PI-1 at scale: grouped queries, no query per provider, product or trajectory.
    Budget: 5 for session, user, organisation and roles; 12 for the indicators live (the
    state of the indicator facts, providers, trajectories, due dates, invoices, credit notes,
    evaluations, staff, evidence, active quarters, quarterly overviews, residents' survey
    answers), 9 with the facts per day built (one grouped query over them instead of
    trajectories, due dates, invoices and credit notes; issue 18); 3 for the session write of
    the first request. The same budget before and after adding products and trajectories."""
    if facts:
        indicator_facts_rebuild(organisation_id=contract_manager.organisation_id)
    # The export reads two comparisons (providers and products), each asks the facts' state.
    page, export = (17, 24) if facts else (20, 28)
    for _ in range(3):
        running(product3)
        running(product3_b)
    http = _login(contract_manager)
    url = reverse("indicators:overview") + "?" + PERIOD
    with django_assert_max_num_queries(page):  # type: ignore[operator]
        assert http.get(url).status_code == 200
    for i in range(4):
        running(make_product(product3.provider, 3, name=f"Extra {i}"))
    with django_assert_max_num_queries(page):  # type: ignore[operator]
        assert http.get(url).status_code == 200
    # The export: the page's queries plus its audit record and the audit chain head.
    with django_assert_max_num_queries(export):  # type: ignore[operator]
        assert http.get(reverse("indicators:export") + "?" + PERIOD).status_code == 200


def test_export_xlsx_has_typed_cells(
    two_providers: tuple[Product, Product], contract_manager: User
) -> None:
    """R-PI-1: the comparison exports to Excel with percentages as numbers."""
    a, _b = two_providers
    response = _login(contract_manager).get(reverse("indicators:export") + "?" + PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["Aanbieders", "Producten", "Tellingen"]
    ws = wb["Aanbieders"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    cell = rows[a.provider.name][1]  # indicator 1
    assert cell.value == pytest.approx(0.5)
    assert cell.number_format == "0.0%"
    assert rows[a.provider.name][8].value is None  # work: geen gegevens is empty, not 0
    products = [r[1].value for r in wb["Producten"].iter_rows(min_row=2)]
    assert a.name in products


def test_period_errors_are_shown(contract_manager: User) -> None:
    """R-SEC-6: the refused period answers 400 (it answered 200 with the figures of the last
    twelve months under the message)."""
    response = _login(contract_manager).get(
        reverse("indicators:overview") + "?van=2026-05-01&tot=2026-01-01"
    )
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("van=2026-05-01&tot=2026-01-01", "De einddatum ligt vóór de begindatum."),
        ("van=2026-13-45&tot=2026-10-31", "Voer een geldige datum in."),
        ("van=2010-01-01&tot=2026-10-31", "Kies een periode van hoogstens vijf jaar."),
    ],
)
def test_a_bad_period_is_named_at_its_field_and_shows_no_figures(
    two_providers: tuple[Product, Product], contract_manager: User, query: str, message: str
) -> None:
    """R-PI-1, R-SEC-6: with a period that cannot be read, the comparison and the provider's
    page showed the figures of the last twelve months under the message, read as the answer
    for the period asked. Now (as the KPI pages do for a year) the field names the problem,
    what was typed stays, no figures appear, and the answer is 400."""
    a, b = two_providers
    http = _login(contract_manager)
    overview = http.get(reverse("indicators:overview") + "?" + query)
    assert overview.status_code == 400
    html = overview.content.decode()
    assert message in html and 'class="opstap-field-error"' in html
    assert 'id="indicators-no-figures"' in html
    assert a.provider.name not in html and b.provider.name not in html
    assert "<svg" not in html and "Download als Excel" not in html
    assert 'value="' + query.split("&")[0].removeprefix("van=") + '"' in html  # kept
    provider = http.get(reverse("indicators:provider", args=[a.provider.pk]) + "?" + query)
    assert provider.status_code == 400
    page = provider.content.decode()
    assert message in page and 'id="indicators-no-figures"' in page
    assert a.name not in page  # the per-product table is not there


def test_provider_staff_see_only_their_own_provider(
    two_providers: tuple[Product, Product], provider_user_a: User, provider_user_b: User
) -> None:
    """R-SEC-1: provider staff of B get a 404 for A's indicators and see only B in the
    comparison and the export."""
    a, b = two_providers
    http = _login(provider_user_b)
    assert http.get(reverse("indicators:provider", args=[a.provider_id])).status_code == 404
    assert http.get(reverse("indicators:provider", args=[b.provider_id])).status_code == 200
    html = http.get(reverse("indicators:overview") + "?" + PERIOD).content.decode()
    assert b.provider.name in html and a.provider.name not in html
    wb = load_workbook(BytesIO(http.get(reverse("indicators:export")).content))
    names = [r[0].value for r in wb["Aanbieders"].iter_rows(min_row=3)]
    assert a.provider.name not in names


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (RoleCode.CONTRACT_MANAGER, 200),
        (RoleCode.POLICY_OFFICER, 200),
        (RoleCode.CASE_MANAGER, 200),
        (RoleCode.AUDITOR, 403),
        (RoleCode.RESIDENT, 403),
    ],
)
def test_who_may_see_the_overview(
    make_user: Callable[..., User], role: RoleCode, status: int
) -> None:
    """R-SEC-1: indicators are aggregates about providers, for roles that see providers."""
    user = make_user(role)
    assert _login(user).get(reverse("indicators:overview")).status_code == status


def test_provider_and_product_pages_show_the_panel(
    two_providers: tuple[Product, Product], contract_manager: User, case_manager: User
) -> None:
    """R-PI-1, R-NET-5: the contract manager's provider page and the product page of the
    instrument guide show the indicators."""
    a, _b = two_providers
    page = _login(contract_manager).get(reverse("providers:detail", args=[a.provider_id]))
    assert "1. Plan met resultaatafspraken" in page.content.decode()
    assert "7. Kwartaaloverzicht geleverd" in page.content.decode()
    product_page = _login(case_manager).get(reverse("providers:product", args=[a.pk]))
    html = product_page.content.decode()
    assert "1. Plan met resultaatafspraken" in html
    assert "50,0%" in html
    assert "5. Professionals met een VOG" not in html  # provider-wide, not per product


def test_drill_in_per_product_and_quarterly_overview(
    two_providers: tuple[Product, Product], contract_manager: User, provider_user_a: User
) -> None:
    """R-PI-1 item 7: the contract manager records a quarterly overview; audited; provider
    staff may not record."""
    a, _b = two_providers
    http = _login(contract_manager)
    url = reverse("indicators:provider", args=[a.provider_id]) + "?" + PERIOD
    html = http.get(url).content.decode()
    assert a.name in html and "Per product" in html
    post = reverse("indicators:quarterly_overview_add", args=[a.provider_id])
    response = http.post(
        post, {"year": 2026, "quarter": 1, "received_on": "2026-04-10", "note": "per mail"}
    )
    assert response.status_code == 302
    assert QuarterlyOverview.objects.filter(provider=a.provider, year=2026, quarter=1).exists()
    assert AuditRecord.objects.filter(object_type="indicators.quarterlyoverview").count() == 1
    again = http.post(post, {"year": 2026, "quarter": 1, "received_on": "2026-04-11"}, follow=True)
    assert "al vastgelegd" in again.content.decode()
    early = http.post(post, {"year": 2026, "quarter": 4, "received_on": "2026-11-01"}, follow=True)
    assert "na afloop van het kwartaal" in early.content.decode()
    staff = _login(provider_user_a).post(
        post, {"year": 2026, "quarter": 2, "received_on": "2026-07-10"}
    )
    assert staff.status_code == 403
    assert QuarterlyOverview.objects.count() == 1
    _ = dt


_OLD_ROWS = (
    "{% load indicators %}{% for row in rows %}\n"
    '  <tr><th scope="row"><a class="utrecht-link" href="{% url \'indicators:provider\' row.id %}'
    '?{{ period_query }}">{{ row.name }}</a></th>\n'
    '    {% for r in row.results %}<td class="num">{{ r|indicator_cell }}</td>{% endfor %}</tr>\n'
    "  {% endfor %}"
)


@pytest.mark.parametrize("threshold", [1, 5])
def test_the_comparison_rows_are_what_the_template_loop_wrote(
    threshold: int,
    settings: object,
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    contract_manager: User,
) -> None:
    """Issue 18: `comparison_rows_html` writes the table's rows as the template's loop did
    (link per provider, 13 cells through `indicator_cell`), with small numbers shown and
    withheld, and a provider name that needs escaping."""
    from django.template import engines

    from opstap.indicators import selectors
    from opstap.indicators.computation import Period
    from opstap.indicators.views import comparison_rows_html

    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = threshold  # type: ignore[attr-defined]
    product3_b.provider.name = 'Ontplooi & "Zo" <b>'
    product3_b.provider.save(update_fields=["name"])
    running(product3, signed=True)
    running(product3_b, signed=False)
    comparison = selectors.provider_comparison(
        contract_manager,
        period=Period(dt.date(2026, 1, 1), dt.date(2026, 10, 31)),
        today=dt.date(2026, 11, 1),
    )
    assert len(comparison.rows) == 2
    query = "van=2026-01-01&tot=2026-10-31"
    old = engines["django"].from_string(_OLD_ROWS)
    expected = old.render({"rows": comparison.rows, "period_query": query})
    assert str(comparison_rows_html(comparison.rows, query)) == expected
    assert "&amp;tot=" in expected and "Ontplooi &amp; &quot;Zo&quot; &lt;b&gt;" in expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("van=2026-05-01&tot=2026-01-01", "De einddatum ligt vóór de begindatum."),
        ("van=2026-13-45&tot=2026-10-31", "Voer een geldige datum in."),
        ("van=2010-01-01&tot=2026-10-31", "Kies een periode van hoogstens vijf jaar."),
    ],
)
def test_export_with_a_bad_period_names_the_field_and_gives_no_file(
    two_providers: tuple[Product, Product], contract_manager: User, query: str, message: str
) -> None:
    """R-PI-1: a period that could not be read gave the xlsx of the last twelve months, a
    file the user took for the period asked; the page now names the field (400, no file)."""
    response = _login(contract_manager).get(reverse("indicators:export") + "?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert message in html and 'class="opstap-field-error"' in html
